"""`tgwh scrape` and `tgwh channels`: follow live channels through their web previews."""

from __future__ import annotations

import sys

import click

from orchestration.app.commands.common import lock_wait_seconds, quiet_output
from orchestration.app.console import console, err_console
from orchestration.app.summary import NOT_PUBLISHED, summarize
from orchestration.app.tables import print_frame
from orchestration.common.writer_lock import WarehouseBusy
from orchestration.config import Home


@click.group()
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


@click.command()
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
    status = summarize(home, outcome.build, log_file)
    if status == NOT_PUBLISHED or not all(r.get("ok") for r in outcome.scrapes.values()):
        sys.exit(NOT_PUBLISHED)
    sys.exit(status)
