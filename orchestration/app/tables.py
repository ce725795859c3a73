"""Query results as a person or a program reads them: a table, CSV or JSON."""

from __future__ import annotations

import click
from rich.table import Table

from orchestration.app.console import console


def print_result(frame, output_format: str) -> None:
    """Query results: CSV and JSON for programs; for people, Polars' table with every row and
    column, long texts cut and line breaks shown as spaces."""
    if output_format == "table":
        import polars as pl

        flat = frame.with_columns(pl.col(pl.String).str.replace_all(r"\s+", " "))
        with pl.Config(
            tbl_rows=-1,
            tbl_cols=-1,
            fmt_str_lengths=60,
            fmt_table_cell_list_len=6,
            tbl_width_chars=max(console.width, 160),
            tbl_hide_dataframe_shape=True,
        ):
            click.echo(flat)
        click.echo(f"({frame.height} rows)")
        return
    print_frame(frame, output_format=output_format)


def print_frame(frame, title: str | None = None, output_format: str = "table") -> None:
    if output_format == "csv":
        click.echo(frame.write_csv(), nl=False)
        return
    if output_format == "json":
        click.echo(frame.write_json())
        return
    table = Table(title=title, title_justify="left", show_lines=False)
    for name in frame.columns:
        table.add_column(name, overflow="fold")
    for row in frame.iter_rows():
        table.add_row(*("" if value is None else str(value) for value in row))
    console.print(table)
