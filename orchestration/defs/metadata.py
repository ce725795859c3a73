"""Small helpers that turn frames into Dagster metadata (row counts, previews)."""

import dagster as dg
import polars as pl

PREVIEW_ROWS = 10


def _cell_text(name: str, dtype: pl.DataType, width: int) -> pl.Expr:
    column = pl.col(name)
    if isinstance(dtype, pl.List):
        column = column.list.eval(pl.element().cast(pl.String)).list.join(", ")
    return column.cast(pl.String).str.replace_all(r"[\n|]", " ").str.slice(0, width).alias(name)


def markdown_table(frame: pl.DataFrame, max_rows: int = PREVIEW_ROWS, width: int = 80) -> str:
    """A Markdown preview of a frame; long cells are cut so the UI stays readable.

    Written out here rather than with pandas' to_markdown: importing pandas and tabulate costs
    seconds, paid by every run for ten rows of preview.
    """
    preview = frame.head(max_rows).select(
        _cell_text(name, dtype, width) for name, dtype in frame.schema.items()
    )
    lines = [
        "| " + " | ".join(preview.columns) + " |",
        "|" + "|".join("---" for _ in preview.columns) + "|",
    ]
    for row in preview.iter_rows():
        lines.append("| " + " | ".join("" if cell is None else cell for cell in row) + " |")
    return "\n".join(lines)


def preview(frame: pl.DataFrame, empty: str = "(none)") -> dg.MetadataValue:
    return dg.MetadataValue.md(markdown_table(frame) if frame.height else empty)
