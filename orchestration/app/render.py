"""What the command line prints: query results, run summaries, benchmark tables."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from orchestration.config import Home
from orchestration.warehouse.versions import Warehouse

console = Console()
err_console = Console(stderr=True)

SUMMARY_QUERIES = {
    "Posts per channel": """
        select channel, title, post_count as posts, strftime(first_post_at, '%Y-%m-%d') as first,
               strftime(last_post_at, '%Y-%m-%d') as last, subscribers
        from marts.dim_channels order by post_count desc, channel""",
    "Countries mentioned most": """
        select c.flag_emoji as flag, c.name as country, count(*) as posts,
               sum(m.mention_count) as mentions
        from marts.fct_country_mentions m join marts.dim_countries c using (iso2)
        group by all order by posts desc, country limit 10""",
    "Leaders mentioned most": """
        select l.name as leader, l.country_iso2 as country, l.source, count(*) as posts
        from marts.fct_leader_mentions m join marts.dim_leaders l using (leader_key)
        group by all order by posts desc, leader limit 10""",
}


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


def summarize(home: Home, outcome, log_file: Path) -> bool:
    """Print what a build did; False when it published nothing."""
    from orchestration.warehouse.query import run_query

    ingest = outcome.ingest
    if any(ingest.get(k) for k in ("files_landed", "files_unchanged", "files_failed")):
        console.print(
            f"files: {ingest.get('files_landed', 0)} landed, "
            f"{ingest.get('files_unchanged', 0)} unchanged, {ingest.get('files_failed', 0)} failed"
        )
        if ingest.get("files_failed"):
            err_console.print(f"[red]files that could not be ingested:[/]\n{ingest['failures']}")
    if outcome.up_to_date:
        console.print(
            "nothing new: the published warehouse already holds every landed file "
            f"({home.warehouse.published})"
        )
        console.print(f"Dagster run {outcome.run_id}")
        return True
    if home.warehouse.published.exists():
        for title, sql in SUMMARY_QUERIES.items():
            print_frame(run_query(home.warehouse.published, sql), title=title)
    passed = sum(c.passed for c in outcome.checks)
    failed = [c for c in outcome.checks if not c.passed]
    console.print(f"checks: {passed} passed, {len(failed)} failed")
    for check in failed:
        kind = "[red]BLOCKING[/]" if check.blocking_failure else "[yellow]warning[/]"
        console.print(f"  {kind} {check.asset}: {check.name}")
    if outcome.failed_steps:
        err_console.print("[red]failed steps:[/] " + ", ".join(outcome.failed_steps))
    console.print(f"Dagster run {outcome.run_id} (see it with `tgwh ui`; dbt log: {log_file})")
    if outcome.success and not outcome.blocking_failures:
        return True
    err_console.print(
        "[red]The run did not publish a new warehouse[/]; the last published one is unchanged."
    )
    for failed_build in Warehouse(home.warehouse).failed_candidates():
        if outcome.run_id[:8] in failed_build.name:
            err_console.print(f"The failed candidate and its report: {failed_build}/report.md")
    for problem in outcome.errors:
        err_console.print(f"[red]{problem}[/]")
    return False


def _number(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def print_bench_report(report: dict) -> None:
    machine = report["machine"]
    console.print(
        f"{report['spec']['posts']:,} posts, {report['spec']['channels']} channels; "
        f"{machine['cpus']} CPUs, {machine['memory_gb']} GB; start-up "
        f"{report['startup_seconds']:.1f} s (counted in every end-to-end row)"
    )
    for run in report["runs"]:
        table = Table(
            title=f"{run['name']} build: {run['new_posts']:,} new posts, "
            f"{run['posts_in_warehouse']:,} in the warehouse"
            + ("" if run["published"] else " (nothing published)"),
            title_justify="left",
        )
        for column in ("stage", "wall s", "CPU s", "peak MB", "rows", "rows/s"):
            table.add_column(column, justify="left" if column == "stage" else "right")
        for stage in [*run["stages"], run["end_to_end"]]:
            ran = stage["ran"]
            table.add_row(
                stage["stage"],
                _number(stage["wall_seconds"], 2) if ran else "skipped",
                _number(stage["cpu_seconds"], 2) if ran else "",
                _number(stage["peak_memory_mb"], 0) if ran else "",
                _number(stage["rows"]) if ran else "",
                _number(stage["rows_per_second"], 0) if ran else "",
            )
        console.print(table)
    html = report["web_preview_parsing"]
    console.print(
        f"web-preview parsing: {html['posts']:,} posts in {html['pages']:,} pages, "
        f"{html['wall_seconds']:.2f} s, {_number(html['posts_per_second'], 0)} posts/s (one core)"
    )
    title = "targets"
    if report["spec"]["posts"] != 1_000_000:
        title += " (set for 1,000,000 posts: at this size only indicative)"
    table = Table(title=title, title_justify="left")
    for column in ("target", "measured", "goal", "met"):
        table.add_column(column)
    for target in report["targets"]:
        table.add_row(
            target["target"],
            _number(target["measured"], 3 if target["measured"] < 10 else 0),
            target["goal"],
            "yes" if target["met"] else "[red]no[/]",
        )
    console.print(table)
