"""The `tgwh` command: build, scrape, query, search and roll back the warehouse; write its
documentation; open the Dagster UI."""

import click

from orchestration.app.commands.batches import batches
from orchestration.app.commands.bench import bench
from orchestration.app.commands.build import rollback, run
from orchestration.app.commands.docs import docs
from orchestration.app.commands.export import export
from orchestration.app.commands.query import describe, query, tables
from orchestration.app.commands.scrape import channels, scrape
from orchestration.app.commands.search import search
from orchestration.app.commands.suggest import channels_suggest  # noqa: F401 (`channels suggest`)
from orchestration.app.commands.ui import ui
from orchestration.common.durable import CannotWrite, write_problem


class _Tgwh(click.Group):
    """Faults a person meets (a full disk, a read-only home, a file the OS refuses) end the
    command with one line naming the path; --verbose keeps the traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["tgwh.verbose"] = "--verbose" in args or "-v" in args
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (CannotWrite, OSError) as error:
            if ctx.meta.get("tgwh.verbose"):
                raise
            raise click.ClickException(fault_message(error)) from None


def fault_message(error: BaseException) -> str:
    if isinstance(error, CannotWrite) or not isinstance(error, OSError):
        return str(error)
    problem = write_problem(error) or str(error)
    # a link or a rename names its target second: that is the file being written
    path = error.filename2 if error.filename2 is not None else error.filename
    return f"{path}: {problem}" if path is not None else problem


@click.group(cls=_Tgwh)
@click.version_option(package_name="tgwh", prog_name="tgwh", message="%(prog)s %(version)s")
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
    docs,
    ui,
    bench,
):
    main.add_command(command)
