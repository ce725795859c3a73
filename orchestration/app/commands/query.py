"""`tgwh query`, `tgwh tables`, `tgwh describe`: read the published warehouse.

Each prints a table for people, or writes CSV, JSON or Parquet for programs through DuckDB's
own writers, to standard output or, with --output, to a file that is whole or absent: the
result is written to a temporary sibling and renamed over the file once complete.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import click

from orchestration.app.console import console, err_console
from orchestration.config import Home, settings

# The longest argument Linux passes to a program (MAX_ARG_STRLEN); longer queries go in a file.
MAX_ARGUMENT_BYTES = 128 * 1024
FORMATS = ("table", "csv", "json", "parquet")


def result_options(default_max_rows: int):
    """--format, --output, --wide and --max-rows, shared by the commands that print results."""
    options = [
        click.option(
            "--format",
            "output_format",
            type=click.Choice(FORMATS),
            default="table",
            show_default=True,
            help="table for people; csv, json (an array of objects) or parquet for programs.",
        ),
        click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write the result to this file (complete, or not at all) instead of printing it.",
        ),
        click.option(
            "--wide", is_flag=True, help="Table: every column and every value whole, however wide."
        ),
        click.option(
            "--max-rows",
            type=click.IntRange(min=0),
            default=default_max_rows,
            show_default=True,
            help="Table: rows shown, the first and the last half (0: every row).",
        ),
    ]

    def decorate(command):
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def limit_options(command):
    options = [
        click.option(
            "--timeout",
            type=click.FloatRange(min=0),
            default=None,
            help="Stop the query after this many seconds (0: never). "
            "Default: TGWH_QUERY_TIMEOUT, else 300.",
        ),
        click.option(
            "--memory-limit",
            default=None,
            help="Most memory the query may use, a DuckDB size such as 4GB. "
            "Default: TGWH_QUERY_MEMORY_LIMIT, else half the RAM.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _limits(timeout: float | None, memory_limit: str | None):
    from orchestration.warehouse.query import QueryLimits

    try:
        configured = settings()
    except ValueError as error:  # a TGWH_* variable that does not parse
        raise click.ClickException(str(error)) from error
    return QueryLimits(
        timeout_seconds=configured.query_timeout_seconds if timeout is None else timeout,
        memory_limit=memory_limit or configured.query_memory_limit,
    )


def _handle_ctrl_c() -> None:
    # Ctrl-C must stop a long query even when started from a shell that ignores SIGINT for
    # background jobs (Python keeps an inherited "ignore" instead of raising KeyboardInterrupt).
    signal.signal(signal.SIGINT, signal.default_int_handler)


# (consume, writable file) -> what consume returned: runs a statement and hands its relation on.
Runner = Callable[[Callable, Path | None], object]


def deliver(run: Runner, output_format: str, output: Path | None, wide: bool, max_rows: int):
    """Run, then print or write the result in ``output_format``; problems as one-line errors."""
    import duckdb

    from orchestration.app.tables import print_table, table_text
    from orchestration.common.durable import temporary_sibling, write_text_atomic
    from orchestration.warehouse.query import (
        QueryLimitExceeded,
        QueryRefused,
        UnknownTable,
        UnwritableValue,
        WarehouseMissing,
        fetch_text,
        in_worker,
        write_result,
    )

    if output is not None and not output.parent.is_dir():
        raise click.ClickException(f"cannot write {output}: no folder {output.parent}")
    if output is None and output_format == "parquet" and sys.stdout.isatty():
        raise click.ClickException(
            "Parquet is binary: write it to a file with --output FILE (or redirect the output)"
        )
    scratch: list[Path] = []  # temporaries to remove whatever happens, even on Ctrl-C
    try:
        if output_format == "table":
            result = in_worker(lambda: run(lambda relation: fetch_text(relation, max_rows), None))
            if output is not None:
                write_text_atomic(output, table_text(result, wide))
            else:
                print_table(result, wide)
            return
        if output is not None:
            target = temporary_sibling(output)
            target.unlink(missing_ok=True)
        else:
            folder = Path(tempfile.mkdtemp(prefix="tgwh-query-"))
            scratch.append(folder)
            target = folder / f"result.{output_format}"
        scratch.append(target)
        _, types = in_worker(
            lambda: run(lambda relation: write_result(relation, output_format, target), target)
        )
        if output is not None:
            with target.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(target, output)
        else:
            sys.stdout.flush()
            stream = sys.stdout.buffer
            with target.open("rb") as handle:
                shutil.copyfileobj(handle, stream)
            stream.flush()
        if output_format == "parquet" and any("INTERVAL" in kind for kind in types):
            err_console.print(
                "note: Parquet holds intervals to the millisecond, so finer parts were dropped "
                "(CSV and JSON keep them)",
                highlight=False,
            )
    except KeyboardInterrupt:
        _remove(scratch)
        err_console.print("query interrupted")
        sys.stderr.flush()
        os._exit(130)  # the query thread is still inside DuckDB: end the process, not wait
    except QueryLimitExceeded as error:
        hint = {
            "timeout": "give it longer with --timeout SECONDS or TGWH_QUERY_TIMEOUT (0: no limit)",
            "memory": "allow more with --memory-limit SIZE or TGWH_QUERY_MEMORY_LIMIT, "
            "or ask for less (filter, aggregate, limit)",
        }[error.limit]
        raise click.ClickException(f"{error}, so it was stopped: {hint}") from error
    except (QueryRefused, WarehouseMissing, UnknownTable, UnwritableValue) as error:
        raise click.ClickException(str(error)) from error
    except duckdb.Error as error:  # DuckDB's own errors: the message, not a traceback
        if "interrupted" in str(error).lower():  # Ctrl-C while DuckDB was working
            err_console.print("query interrupted")
            sys.exit(130)
        raise click.ClickException(f"{type(error).__name__}: {error}") from error
    except ValueError as error:  # limits DuckDB does not accept
        raise click.ClickException(str(error)) from error
    finally:
        _remove(scratch)


def _remove(paths: list[Path]) -> None:
    for path in reversed(paths):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _statement(sql: str | None, sql_file: str | None) -> str:
    if (sql is None) == (sql_file is None):
        raise click.UsageError("give the query as an argument or with --file, one of the two")
    if sql_file is not None:
        try:
            return sys.stdin.read() if sql_file == "-" else Path(sql_file).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise click.ClickException(f"cannot read the query from {sql_file}: {error}") from error
    if len(sql.encode("utf-8")) > MAX_ARGUMENT_BYTES:
        raise click.UsageError(
            "the query is longer than 128 KiB, more than a command-line argument can hold: "
            "put it in a file and use --file FILE"
        )
    return sql


@click.command()
@click.argument("sql", required=False)
@click.option(
    "--file",
    "sql_file",
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
    help="Read the query from this file (- for standard input).",
)
@result_options(default_max_rows=40)
@limit_options
def query(
    sql: str | None,
    sql_file: str | None,
    output_format: str,
    output: Path | None,
    wide: bool,
    max_rows: int,
    timeout: float | None,
    memory_limit: str | None,
) -> None:
    """Run one read-only SQL query on the published warehouse.

    SELECT, SHOW, DESCRIBE, SUMMARIZE, PIVOT and EXPLAIN work; statements that write, attach,
    copy, install, load or set anything are refused. Unqualified names look in marts, then
    audit: `select * from fct_posts` reads marts.fct_posts. A query that starts with a comment
    goes after `--` (tgwh query -- "-- per channel ..."), or in a file.
    """
    _handle_ctrl_c()
    from orchestration.warehouse.query import run_on_warehouse

    statement = _statement(sql, sql_file)
    limits = _limits(timeout, memory_limit)
    warehouse = Home.from_env().warehouse.published

    def run(consume, writable):
        return run_on_warehouse(warehouse, statement, consume, limits, writable)

    deliver(run, output_format, output, wide, max_rows)


@click.command()
@result_options(default_max_rows=0)
@limit_options
def tables(
    output_format: str,
    output: Path | None,
    wide: bool,
    max_rows: int,
    timeout: float | None,
    memory_limit: str | None,
) -> None:
    """List the tables and views a query can read: rows and what each holds."""
    _handle_ctrl_c()
    from orchestration.warehouse.query import Documentation, list_relations, run_on_rows

    home = Home.from_env()
    limits = _limits(timeout, memory_limit)
    unreadable = []

    def run(consume, writable):
        documentation = Documentation.read(home.dbt_manifest)
        queryable, skipped = list_relations(home.warehouse.published, documentation, limits)
        unreadable.extend(skipped)
        rows = [(r.schema, r.name, r.kind, r.rows, r.description) for r in queryable]
        columns = [
            ("schema", "VARCHAR"),
            ("name", "VARCHAR"),
            ("kind", "VARCHAR"),
            ("rows", "BIGINT"),
            ("description", "VARCHAR"),
        ]
        return run_on_rows(columns, rows, consume)

    deliver(run, output_format, output, wide, max_rows)
    if unreadable:
        schemas = ", ".join(sorted({r.schema for r in unreadable}))
        err_console.print(
            f"not listed: {len(unreadable)} views of {schemas}, which read the normalized files "
            "and so cannot be queried here (open the warehouse with duckdb to read them)",
            highlight=False,
        )


@click.command()
@click.argument("table")
@result_options(default_max_rows=0)
def describe(
    table: str, output_format: str, output: Path | None, wide: bool, max_rows: int
) -> None:
    """Show the columns of TABLE (marts.fct_posts, or fct_posts): SQL types, descriptions."""
    _handle_ctrl_c()
    from orchestration.app.tables import escaped
    from orchestration.warehouse.query import (
        Documentation,
        UnknownTable,
        WarehouseMissing,
        describe_relation,
        run_on_rows,
    )

    home = Home.from_env()
    documentation = Documentation.read(home.dbt_manifest)
    try:
        schema, name, columns = describe_relation(home.warehouse.published, table, documentation)
    except (UnknownTable, WarehouseMissing) as error:
        raise click.ClickException(str(error)) from error
    if output_format == "table" and output is None:
        about = documentation.tables.get((schema, name))
        console.print(escaped(f"{schema}.{name}" + (f": {about}" if about else "")))
    spec = [
        ("column", "VARCHAR"),
        ("type", "VARCHAR"),
        ("nullable", "BOOLEAN"),
        ("description", "VARCHAR"),
    ]
    deliver(
        lambda consume, writable: run_on_rows(spec, columns, consume),
        output_format,
        output,
        wide,
        max_rows,
    )
