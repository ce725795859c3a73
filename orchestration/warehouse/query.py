"""Read-only SQL on the published warehouse.

Two locks keep users' queries from changing anything: the statement must be a single SELECT
(checked by DuckDB's own parser, not by string matching), and the connection is opened
read-only with external access disabled, so table functions cannot read arbitrary files and
ATTACH, COPY, INSTALL and LOAD fail even if something slipped past the first check.
"""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import polars as pl


class QueryRefused(ValueError):
    """The statement is not a single read-only query."""


class WarehouseMissing(FileNotFoundError):
    pass


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise WarehouseMissing(
            f"no warehouse at {path}: build it first with `tgwh run` (or set TGWH_HOME)"
        )
    return duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})


def check_read_only(connection: duckdb.DuckDBPyConnection, sql: str) -> None:
    try:
        statements = connection.extract_statements(sql)
    except duckdb.ParserException as error:
        raise QueryRefused(f"the statement does not parse: {error}") from error
    if len(statements) != 1:
        raise QueryRefused(
            f"one statement at a time, please (got {len(statements)}); "
            "separate queries into separate `tgwh query` calls"
        )
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise QueryRefused(
            f"only read-only SELECT queries are allowed here; this is a {kind.name} statement. "
            "The warehouse is rebuilt by `tgwh run`, never edited by hand."
        )


def run_query(warehouse: Path, sql: str) -> pl.DataFrame:
    connection = open_warehouse(warehouse)
    try:
        check_read_only(connection, sql)
        return pl.from_arrow(connection.sql(sql).to_arrow_table())
    finally:
        connection.close()


def run_query_interruptibly(warehouse: Path, sql: str) -> pl.DataFrame:
    """run_query in a worker thread, the main thread waiting in short joins.

    Python handles Ctrl-C in the main thread between bytecodes; a main thread inside DuckDB's
    C++ sees it only when the query ends (measured: about half the interrupts were missed),
    and DuckDB 2 refuses interrupt() on a connection busy in another thread. So the main thread
    stays in Python, where KeyboardInterrupt arrives at once; the caller then ends the process,
    and the read-only query with it.
    """
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["frame"] = run_query(warehouse, sql)
        except BaseException as error:  # handed to the main thread as it is
            outcome["error"] = error

    worker = threading.Thread(target=work, name="tgwh-query", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["frame"]
