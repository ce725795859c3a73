"""The `tgwh` command: build, scrape, query and roll back the warehouse; open the Dagster UI."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from pathlib import Path

import click

from orchestration.app.render import (
    console,
    err_console,
    print_bench_report,
    print_frame,
    print_result,
    summarize,
)
from orchestration.common.writer_lock import WarehouseBusy
from orchestration.config import PROJECT_DIR, SAMPLE_DATA_DIR, Home, settings
from orchestration.warehouse.versions import Warehouse

NEXT_STEPS = """\
Next, try:
  tgwh query "select channel, count(*) from marts.fct_posts group by channel"
  tgwh query "select name, role, country_iso2 from marts.dim_leaders where source = 'discovered'"
  tgwh query --format csv "select * from marts.fct_leader_mentions" > leader_mentions.csv
  tgwh ui          # the Dagster UI: lineage, runs, checks
"""


@click.group()
def main() -> None:
    """tgwh: a warehouse of public Telegram channel posts.

    State lives in the home folder: $TGWH_HOME, or ./.tgwh when unset.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--channel", help="Channel username for text copies (their header has only a title).")
@click.option("--verbose", "-v", is_flag=True, help="Show Dagster's and dbt's step logs.")
def run(paths: tuple[Path, ...], channel: str | None, verbose: bool) -> None:
    """Ingest PATHS (files or folders; default: the bundled sample) and build the warehouse."""
    from orchestration.app.runner import build_warehouse

    home = Home.from_env()
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise click.UsageError("no such file or folder: " + ", ".join(map(str, missing)))
    sources = list(paths) or [SAMPLE_DATA_DIR]
    console.print(f"[bold]tgwh[/] home: {home.root}")
    console.print("ingesting: " + ", ".join(map(str, sources)))
    with quiet_output(home, verbose) as log_file:
        try:
            outcome = build_warehouse(
                home,
                sources,
                channel=channel,
                log_level="INFO" if verbose else "WARNING",
                lock_wait_seconds=lock_wait_seconds(),
                on_wait=lambda message: err_console.print(f"[yellow]{message}[/]"),
            )
        except WarehouseBusy as error:
            raise click.ClickException(str(error)) from error
    if not summarize(home, outcome, log_file):
        sys.exit(1)
    console.print(NEXT_STEPS)


def lock_wait_seconds() -> float:
    return settings().lock_wait_seconds


@contextlib.contextmanager
def quiet_output(home: Home, verbose: bool):
    """dbt's own progress lines go to a log file in the home, not the terminal."""
    log_file = home.logs.last_run
    with contextlib.ExitStack() as quiet:
        if not verbose:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            log = quiet.enter_context(log_file.open("w", encoding="utf-8"))
            quiet.enter_context(contextlib.redirect_stdout(log))
        yield log_file


@main.command()
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
        )
    print_bench_report(report)
    console.print(f"figures: {layout.latest} (dbt's log: {layout.log})")


@main.command()
def rollback() -> None:
    """Publish the warehouse build before the current one (the last few are kept)."""
    warehouse = Warehouse(Home.from_env().warehouse)
    try:
        restored = warehouse.rollback()
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error
    console.print(f"published {warehouse.published} is now the build {restored.stem}")
    console.print(f"{len(warehouse.versions())} version(s) kept in {warehouse.versions_dir}")


@main.command()
@click.argument("sql")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "csv", "json"]), default="table"
)
def query(sql: str, output_format: str) -> None:
    """Run one read-only SQL query on the published warehouse."""
    # Ctrl-C must stop a long query even when started from a shell that ignores SIGINT for
    # background jobs (Python keeps an inherited "ignore" instead of raising KeyboardInterrupt).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from orchestration.warehouse.query import (
        QueryRefused,
        WarehouseMissing,
        run_query_interruptibly,
    )

    try:
        frame = run_query_interruptibly(Home.from_env().warehouse.published, sql)
    except (QueryRefused, WarehouseMissing) as error:
        raise click.ClickException(str(error)) from error
    except KeyboardInterrupt:
        err_console.print("query interrupted")
        sys.stderr.flush()
        os._exit(130)  # the query thread is still inside DuckDB: end the process, not wait
    except Exception as error:  # DuckDB errors: show the message, not a traceback
        if "interrupted" in str(error).lower():  # Ctrl-C while DuckDB was working
            err_console.print("query interrupted")
            sys.exit(130)
        raise click.ClickException(f"{type(error).__name__}: {error}") from error
    print_result(frame, output_format)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=3000, show_default=True)
def ui(host: str, port: int) -> None:
    """Start the Dagster UI (and its daemon, for the inbox sensor) on this home."""
    from orchestration.app.runner import use_home

    use_home(Home.from_env())
    # A backgrounded shell starts us with SIGINT ignored; dagster dev inherits that and could
    # then not be stopped with Ctrl-C or kill -INT.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    dagster = Path(sys.executable).with_name("dagster")
    args = [
        str(dagster),
        "dev",
        "-w",
        str(PROJECT_DIR / "workspace.yaml"),
        "-h",
        host,
        "-p",
        str(port),
    ]
    console.print(f"Dagster UI on http://{host}:{port}  (Ctrl-C to stop)")
    os.execv(args[0], args)


@main.group()
def channels() -> None:
    """The channels `tgwh scrape` and the schedule follow (kept in the home folder)."""


@channels.command("list")
def channels_list() -> None:
    """Show the followed channels and how far each has been scraped."""
    from orchestration.ingest.scraping import channel_key, load_channels, load_state

    home = Home.from_env()
    rows = []
    for name in load_channels(home):
        state = load_state(home.scrape.state_file(channel_key(name)), name)
        rows.append(
            {
                "channel": name,
                "highest_id": state.highest_id,
                "history_complete": state.history_complete,
                "updated_at": str(state.updated_at or ""),
            }
        )
    import polars as pl

    print_frame(pl.DataFrame(rows, schema_overrides={"highest_id": pl.Int64}))


@channels.command("add")
@click.argument("name")
def channels_add(name: str) -> None:
    """Follow a channel (a Telegram username, @name or a t.me link)."""
    from orchestration.ingest.scraping import InvalidChannelName, add_channel

    try:
        added = add_channel(Home.from_env(), name)
    except InvalidChannelName as error:
        raise click.BadParameter(str(error), param_hint="NAME") from error
    console.print(f"following {name}" if added else f"{name} was already followed")


@channels.command("remove")
@click.argument("name")
def channels_remove(name: str) -> None:
    """Stop following a channel (what was scraped stays in the warehouse)."""
    from orchestration.ingest.scraping import InvalidChannelName, remove_channel

    try:
        removed = remove_channel(Home.from_env(), name)
    except InvalidChannelName as error:
        raise click.BadParameter(str(error), param_hint="NAME") from error
    console.print(f"no longer following {name}" if removed else f"{name} was not followed")


@main.command()
@click.argument("names", nargs=-1)
@click.option("--full", is_flag=True, help="Backfill: walk back to each channel's first post.")
@click.option("--max-pages", type=int, help="Stop each channel after N pages (resumable).")
@click.option("--recent-days", type=int, help="Re-read pages of posts this recent (views).")
def scrape(names: tuple[str, ...], full: bool, max_pages: int | None, recent_days: int | None):
    """Scrape NAMES (default: the followed channels) from t.me/s, then rebuild the warehouse."""
    from orchestration.app.runner import scrape_and_build
    from orchestration.ingest.scraping import (
        InvalidChannelName,
        load_channels,
        validate_channel_name,
    )

    home = Home.from_env()
    try:
        channels_to_scrape = [validate_channel_name(n) for n in names] or load_channels(home)
    except InvalidChannelName as error:
        raise click.BadParameter(str(error), param_hint="NAMES") from error
    console.print(f"[bold]tgwh[/] home: {home.root}")
    console.print("scraping: " + ", ".join(channels_to_scrape))
    with quiet_output(home, verbose=False) as log_file:
        try:
            outcome = scrape_and_build(
                home,
                channels_to_scrape,
                full=full,
                max_pages=max_pages,
                recent_days=recent_days,
                lock_wait_seconds=lock_wait_seconds(),
                on_wait=lambda message: err_console.print(f"[yellow]{message}[/]"),
            )
        except WarehouseBusy as error:
            raise click.ClickException(str(error)) from error
    for channel, report in outcome.scrapes.items():
        status = "[green]ok[/]" if report.get("ok") else f"[red]{report.get('error')}[/]"
        console.print(
            f"{channel}: {report.get('pages_fetched', 0)} pages, "
            f"{report.get('new_posts', 0)} new posts, {report.get('posts_landed', 0)} post rows "
            f"landed; history complete: {report.get('history_complete', False)}; {status}"
        )
    built = summarize(home, outcome.build, log_file)
    if not built or not all(r.get("ok") for r in outcome.scrapes.values()):
        sys.exit(1)
