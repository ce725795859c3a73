"""`tgwh docs`: the dbt docs and the Data Docs of this home, readable offline."""

from __future__ import annotations

import click

from orchestration.app.commands.common import lock_wait_seconds
from orchestration.app.console import console, err_console
from orchestration.config import Home


@click.command()
def docs() -> None:
    """Build the dbt docs and the Great Expectations Data Docs under the home's docs/ folder
    (no network needed to read them) and print where they are."""
    from orchestration.common.writer_lock import WarehouseBusy, writer_lock
    from orchestration.warehouse.docs_site import DocsError, build_docs, file_url

    home = Home.from_env()
    console.print(f"[bold]tgwh[/] home: {home.root}")
    try:
        # a run re-renders the Data Docs too: one writer at a time
        with writer_lock(
            home.lock,
            run="tgwh docs",
            wait_seconds=lock_wait_seconds(),
            on_wait=lambda message: err_console.print(f"[yellow]{message}[/]"),
        ):
            built = build_docs(home)
    except (WarehouseBusy, DocsError) as error:
        raise click.ClickException(str(error)) from error
    console.print(f"start page: {file_url(built.start_page)}")
    console.print(f"dbt docs:   {file_url(built.dbt_index)}")
    console.print(f"Data Docs:  {file_url(built.data_docs_index)}")
