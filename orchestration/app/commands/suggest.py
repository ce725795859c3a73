"""`tgwh channels suggest`: channels the warehouse's posts cite but that it does not hold."""

from __future__ import annotations

import click

from orchestration.app.commands.scrape import channels
from orchestration.app.console import console, err_console
from orchestration.app.tables import print_result
from orchestration.config import Home


@channels.command("suggest")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--include-bots", is_flag=True, help="Also usernames ending in 'bot'.")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "csv", "json"]), default="table"
)
def channels_suggest(limit: int, include_bots: bool, output_format: str) -> None:
    """Channels to follow: cited (forwarded, linked, @mentioned) by the most channels and posts
    of the warehouse, and not in it; `followed` marks those already on your list."""
    from orchestration.ingest.scraping import InvalidChannelName, load_channels
    from orchestration.warehouse.network import NetworkUnavailable, suggested_channels
    from orchestration.warehouse.query import WarehouseMissing

    home = Home.from_env()
    try:
        followed = load_channels(home)
    except InvalidChannelName as error:
        raise click.ClickException(str(error)) from error
    try:
        frame = suggested_channels(
            home.warehouse.published, followed, limit=limit, include_bots=include_bots
        )
    except (WarehouseMissing, NetworkUnavailable) as error:
        raise click.ClickException(str(error)) from error
    if frame.is_empty():
        err_console.print("no channel is cited that the warehouse does not hold")
        return
    print_result(frame, output_format)
    if output_format == "table":
        console.print("follow one with: tgwh channels add <channel>")
