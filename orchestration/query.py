"""Read-only SQL on the published warehouse.

Two locks keep users' queries from changing anything: the statement must be a single SELECT
(checked by DuckDB's own parser, not by string matching), and the connection is opened
read-only with external access disabled, so table functions cannot read arbitrary files and
ATTACH, COPY, INSTALL and LOAD fail even if something slipped past the first check.
"""

from __future__ import annotations

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
