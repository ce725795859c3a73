"""The `tgwh` command: build, scrape, query, search and roll back the warehouse; open the
Dagster UI."""

import click

from orchestration.app.commands.batches import batches
from orchestration.app.commands.bench import bench
from orchestration.app.commands.build import rollback, run
from orchestration.app.commands.export import export
from orchestration.app.commands.query import describe, query, tables
from orchestration.app.commands.scrape import channels, scrape
from orchestration.app.commands.search import search
from orchestration.app.commands.suggest import channels_suggest  # noqa: F401 (`channels suggest`)
from orchestration.app.commands.ui import ui


@click.group()
def main() -> None:
    """tgwh: a warehouse of public Telegram channel posts.

    State lives in the home folder: $TGWH_HOME, or ./.tgwh when unset.
    """


for command in (
    run,
    scrape,
    channels,
    batches,
    query,
    search,
    tables,
    describe,
    export,
    rollback,
    ui,
    bench,
):
    main.add_command(command)
