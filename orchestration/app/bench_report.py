"""The benchmark's figures as tables."""

from __future__ import annotations

from rich.table import Table

from orchestration.app.console import console


def _number(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def print_bench_report(report: dict) -> None:
    machine = report["machine"]
    console.print(
        f"{report['spec']['posts']:,} posts, {report['spec']['channels']} channels; "
        f"{machine['cpus']} CPUs, {machine['memory_gb']} GB; each build in a fresh process, "
        "as `tgwh run`: its start-up (interpreter, imports) is in its end-to-end row"
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
