"""`tgwh export`: data of the published warehouse in the formats other tools open."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from orchestration.app.console import console
from orchestration.config import Home

FORMATS = ("gexf", "graphml", "csv")  # orchestration.warehouse.network.FORMATS, without the import
KINDS = ("forward", "link", "mention")
DEFAULT_OUTPUT = {"gexf": "channel_network.gexf", "graphml": "channel_network.graphml"}
DEFAULT_CSV_FOLDER = "channel_network"


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@click.group()
def export() -> None:
    """Export data of the published warehouse for other tools."""


@export.command("network")
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="gexf", show_default=True
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Citing posts from this day.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Citing posts up to this day.")
@click.option(
    "--kind",
    "kinds",
    type=click.Choice(KINDS),
    multiple=True,
    help="Only these kinds of citation (repeat for several; default: all).",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=True),
    help="File to write (a folder for csv: nodes.csv, edges.csv). "
    "Default: channel_network.<format> here (channel_network/ for csv).",
)
def export_network(
    output_format: str,
    since: datetime | None,
    until: datetime | None,
    kinds: tuple[str, ...],
    output: Path | None,
) -> None:
    """The channel network (who forwards, links to, @mentions whom) as a weighted directed
    graph: GEXF for Gephi (with a timeline), GraphML, or CSV."""
    from orchestration.ingest.scraping import InvalidChannelName, load_channels
    from orchestration.warehouse.network import (
        NetworkSelection,
        NetworkUnavailable,
        read_network,
        write_network,
    )
    from orchestration.warehouse.query import WarehouseMissing

    home = Home.from_env()
    try:
        selection = NetworkSelection(_day(since), _day(until), kinds or KINDS)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    try:
        followed = load_channels(home)
    except InvalidChannelName as error:
        raise click.ClickException(str(error)) from error
    target = output or Path(DEFAULT_OUTPUT.get(output_format, DEFAULT_CSV_FOLDER))
    if output_format != "csv" and target.is_dir():
        raise click.BadParameter(f"{target} is a folder; name a file", param_hint="--output")
    if output_format == "csv" and target.exists() and not target.is_dir():
        raise click.BadParameter(f"{target} is a file; csv writes a folder", param_hint="--output")
    try:
        graph, summary = read_network(home.warehouse.published, followed, selection)
    except (WarehouseMissing, NetworkUnavailable) as error:
        raise click.ClickException(str(error)) from error
    try:
        files = write_network(graph, output_format, target)
    except OSError as error:
        raise click.ClickException(f"cannot write {target}: {error.strerror or error}") from error
    console.print(
        f"{summary.nodes} channels, {summary.edges} citation edges from "
        f"{summary.citing_posts} citing posts -> " + ", ".join(str(path) for path in files)
    )
    if summary.without_origin:
        console.print(f"{summary.without_origin} forwards name no origin and are left out")
