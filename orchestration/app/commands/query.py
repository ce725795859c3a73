"""`tgwh query`: one read-only SQL query on the published warehouse."""

from __future__ import annotations

import os
import signal
import sys

import click

from orchestration.app.console import err_console
from orchestration.app.tables import print_result
from orchestration.config import Home


@click.command()
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
