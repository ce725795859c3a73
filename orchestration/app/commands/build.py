"""`tgwh run` and `tgwh rollback`: build the warehouse from files, go back one build."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from orchestration.app.commands.common import lock_wait_seconds, quiet_output
from orchestration.app.console import console, err_console
from orchestration.app.summary import INTERRUPTED, NOT_PUBLISHED, summarize
from orchestration.common.writer_lock import WarehouseBusy
from orchestration.config import SAMPLE_DATA_DIR, Home
from orchestration.warehouse.versions import Warehouse

NEXT_STEPS = """\
Next, try:
  tgwh query "select channel, count(*) from marts.fct_posts group by channel"
  tgwh query "select name, role, country_iso2 from marts.dim_leaders where source = 'discovered'"
  tgwh query --format csv "select * from marts.fct_leader_mentions" > leader_mentions.csv
  tgwh docs        # the dbt docs and the Data Docs, readable offline
  tgwh ui          # the Dagster UI: lineage, runs, checks
"""


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--channel",
    help="Channel username for text copies (their header has only a title) and Telethon JSON "
    "Lines (a message names its channel only by number).",
)
@click.option(
    "--full-refresh",
    is_flag=True,
    help="Rebuild the warehouse whole and run every test over every row (an incremental run "
    "tests the rows of the posts it touched), even when nothing is new.",
)
@click.option("--verbose", "-v", is_flag=True, help="Show Dagster's and dbt's step logs.")
def run(paths: tuple[Path, ...], channel: str | None, full_refresh: bool, verbose: bool) -> None:
    """Ingest PATHS (files or folders; default: the bundled sample) and build the warehouse."""
    from orchestration.app.runner import build_warehouse

    started_at = time.time()
    home = Home.from_env()
    # a broken link or a symlink loop is there, if unreadable: ingest names it with its problem
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
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
                # Dagster's own error lines (stack traces) only when asked: the summary says
                # what failed, in a person's words
                log_level="INFO" if verbose else "CRITICAL",
                lock_wait_seconds=lock_wait_seconds(),
                on_wait=lambda message: err_console.print(f"[yellow]{message}[/]"),
                progress_since=started_at,
                full_refresh=full_refresh,
            )
        except WarehouseBusy as error:
            raise click.ClickException(str(error)) from error
        except KeyboardInterrupt:  # between two phases, where Dagster does not catch it
            err_console.print(
                "[yellow]interrupted[/] between two phases: what landed stays landed; the "
                f"published warehouse is {home.warehouse.published} as the last finished run "
                "left it (run again to finish)",
                highlight=False,
            )
            sys.exit(INTERRUPTED)
    status = summarize(home, outcome, log_file)
    if status == NOT_PUBLISHED:
        sys.exit(status)
    console.print(NEXT_STEPS)
    sys.exit(status)


@click.command()
def rollback() -> None:
    """Publish the warehouse build before the current one (the last few are kept)."""
    warehouse = Warehouse(Home.from_env().warehouse)
    try:
        restored = warehouse.rollback()
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error
    console.print(f"published {warehouse.published} is now the build {restored.stem}")
    console.print(f"{len(warehouse.versions())} version(s) kept in {warehouse.versions_dir}")
