"""`tgwh bench`: generated posts, full / empty / incremental builds timed stage by stage."""

from __future__ import annotations

import contextlib

import click

from orchestration.app.bench_report import print_bench_report
from orchestration.app.console import console, err_console
from orchestration.config import Home


@click.command()
@click.option("--posts", default=1_000_000, show_default=True, help="Posts in the history.")
@click.option("--channels", default=20, show_default=True, help="Channels they spread over.")
@click.option("--seed", default=7, show_default=True, help="Seed of the generator.")
@click.option(
    "--html-posts", default=20_000, show_default=True, help="Posts for web-preview parsing."
)
@click.option(
    "--keep", is_flag=True, help="Keep the bench home (generated inputs are always kept for reuse)."
)
def bench(posts: int, channels: int, seed: int, html_posts: int, keep: bool) -> None:
    """Build a warehouse from generated posts in a fresh home and time every stage.

    Three builds: the full history, an empty run (nothing new) and 1% new posts. Figures go
    to $TGWH_HOME/bench/ as JSON (latest.json and one file per run) and print as tables.
    """
    from orchestration.bench.benchmark import run_benchmark

    layout = Home.from_env().bench
    layout.root.mkdir(parents=True, exist_ok=True)
    with layout.log.open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        report = run_benchmark(
            layout,
            posts=posts,
            channels=channels,
            seed=seed,
            html_posts=html_posts,
            keep_home=keep,
            progress=lambda message: err_console.print(f"[dim]{message}[/]"),
            step_lines=True,
        )
    print_bench_report(report)
    console.print(f"figures: {layout.latest} (dbt's log: {layout.log})")
