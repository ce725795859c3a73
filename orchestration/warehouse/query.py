"""Read-only SQL on the published warehouse, within bounds, its results as DuckDB means them.

Three locks keep users' queries from changing anything: the statement must be one read-only
query (its kind told by DuckDB's own parser, not by string matching); the connection is opened
read-only; and external access is disabled and the configuration locked before the query runs,
so table functions cannot read arbitrary files and ATTACH, COPY, INSTALL, LOAD and SET fail
even if something slipped past the first check. The only file the connection may touch besides
the warehouse is the one temporary file its own result is written to.

Two bounds keep a query from taking the machine: DuckDB's ``max_execution_time`` and
``memory_limit``, with spilling to disk turned off so the memory limit is a limit, not a signal
to fill the disk.

Results never pass through a dataframe library: files are written by DuckDB's own CSV, JSON and
Parquet writers, and tables are shown from DuckDB's own casts to text, so lists, structs,
intervals, decimals, 128-bit integers and duplicate column names come out as DuckDB has them.
"""

from __future__ import annotations

import os
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import duckdb
import polars as pl

T = TypeVar("T")

OUTPUT_FORMATS = ("table", "csv", "json", "parquet")
FILE_FORMATS = {"csv": "FORMAT csv, HEADER true", "json": "FORMAT json, ARRAY true"}
FILE_FORMATS["parquet"] = "FORMAT parquet"
# Schemas in the order people look for them; unqualified names resolve in this order too.
SCHEMA_ORDER = ("marts", "audit", "intermediate", "staging", "main")


class QueryRefused(ValueError):
    """The statement is not a single read-only query."""


class WarehouseMissing(FileNotFoundError):
    pass


class UnwritableValue(ValueError):
    """A value the chosen file format cannot hold exactly."""


class QueryLimitExceeded(RuntimeError):
    """The query hit its time or memory bound; ``limit`` names which ("timeout", "memory")."""

    def __init__(self, limit: str, message: str):
        super().__init__(message)
        self.limit = limit


@dataclass(frozen=True)
class QueryLimits:
    """How long one query may run (0: no limit) and how much memory DuckDB may use."""

    timeout_seconds: float = 300
    memory_limit: str | None = None  # a DuckDB size ("4GB", "512MiB"); None: half the RAM

    @property
    def memory(self) -> str:
        if self.memory_limit:
            return self.memory_limit
        # sysconf rather than psutil: importing psutil costs more than the query of a summary
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        return f"{ram // 2 // 2**20}MiB"


# --- which statements may run --------------------------------------------------------------

ALLOWED_KINDS = {
    duckdb.StatementType.SELECT,  # also SHOW, DESCRIBE, SUMMARIZE, FROM-first, PIVOT ... IN
    duckdb.StatementType.EXPLAIN,  # when what it explains is allowed
    duckdb.StatementType.MULTI,  # PIVOT over values found at run time
}
REFUSAL = (
    "only read-only SELECT queries are allowed here (and SHOW, DESCRIBE, SUMMARIZE, PIVOT, EXPLAIN)"
)
QUERY_START = {"select", "from", "with", "pivot", "unpivot", "values", "table", "("}
WRITING_KEYWORDS = {
    "alter", "attach", "call", "checkpoint", "copy", "create", "delete", "detach", "drop",
    "export", "import", "insert", "install", "load", "merge", "pragma", "reset", "set",
    "truncate", "update", "use", "vacuum",
}  # fmt: skip


def _tokens(sql: str) -> list[tuple[int, str, str]]:
    """(offset, kind, lower-case text) of each token but comments, by DuckDB's tokenizer."""
    found = duckdb.tokenize(sql)
    tokens = []
    for index, (offset, kind) in enumerate(found):
        if kind == duckdb.token_type.comment:
            continue
        end = found[index + 1][0] if index + 1 < len(found) else len(sql)
        tokens.append((offset, kind.name, sql[offset:end].strip().lower()))
    return tokens


def _explained(sql: str) -> str:
    """The statement an EXPLAIN [ANALYZE] [(options)] statement explains."""
    tokens = _tokens(sql)
    position = 1  # past EXPLAIN
    if position < len(tokens) and tokens[position][2] in ("analyze", "analyse"):
        position += 1
    if position < len(tokens) and tokens[position][2] == "(":
        depth = 0
        while position < len(tokens):
            depth += {"(": 1, ")": -1}.get(tokens[position][2], 0)
            position += 1
            if depth == 0:
                break
    return sql[tokens[position][0] :] if position < len(tokens) else ""


def _is_a_pivot_query(sql: str) -> bool:
    """A MULTI statement is what DuckDB makes of a PIVOT whose columns it finds at run time;
    it is allowed when it reads like a query and no keyword in it writes."""
    words = [text for _, kind, text in _tokens(sql) if kind in ("keyword", "operator")]
    return bool(words) and words[0] in QUERY_START and not WRITING_KEYWORDS.intersection(words)


def check_read_only(connection: duckdb.DuckDBPyConnection, sql: str) -> None:
    try:
        statements = connection.extract_statements(sql)
        kinds = [statement.type for statement in statements]
    except duckdb.ParserException as error:
        raise QueryRefused(f"the statement does not parse: {error}") from error
    except ValueError as error:  # a statement kind the Python client has no name for
        raise QueryRefused(f"{REFUSAL}; this statement is not one.") from error
    if len(kinds) != 1:
        raise QueryRefused(
            f"one statement at a time, please (got {len(kinds)}); "
            "separate queries into separate `tgwh query` calls"
        )
    kind = kinds[0]
    if kind == duckdb.StatementType.EXPLAIN:
        check_read_only(connection, _explained(sql))
        return
    if kind not in ALLOWED_KINDS or (
        kind == duckdb.StatementType.MULTI and not _is_a_pivot_query(sql)
    ):
        raise QueryRefused(
            f"{REFUSAL}; this is a {kind.name} statement. "
            "The warehouse is rebuilt by `tgwh run`, never edited by hand."
        )


# --- the connection ------------------------------------------------------------------------


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def open_warehouse(
    path: Path, limits: QueryLimits | None = None, writable: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """A read-only, bounded connection that can touch no file but the warehouse (and
    ``writable``, where a result is written)."""
    if not path.exists():
        raise WarehouseMissing(
            f"no warehouse at {path}: build it first with `tgwh run` (or set TGWH_HOME)"
        )
    limits = limits or QueryLimits()
    config = {
        "memory_limit": limits.memory,
        "max_execution_time": int(limits.timeout_seconds * 1000),
        "temp_directory": "",  # no spilling: the memory limit is the limit
    }
    try:
        # A private in-memory database that attaches the file read-only: DuckDB shares one
        # database per file within a process, and this one's settings (locked below) must
        # neither leak to nor clash with another connection to the same file.
        connection = duckdb.connect(":memory:", config=config)
    except duckdb.InvalidInputException as error:
        raise ValueError(f"the query's limits are not valid: {error}") from error
    try:
        catalog = _identifier(path.stem)
        connection.execute(f"ATTACH {_quoted(str(path))} AS {catalog} (READ_ONLY)")
        connection.execute(f"USE {catalog}")
        if writable is not None:  # only settable while external access is still on
            connection.execute(f"SET allowed_paths = [{_quoted(str(writable))}]")
        connection.execute("SET enable_external_access = false")
        found = connection.execute(
            "select schema_name from duckdb_schemas() where database_name = current_database()"
        ).fetchall()
        schemas = {row[0] for row in found}
        path_order = [s for s in SCHEMA_ORDER if s in schemas]
        connection.execute(f"SET search_path = {_quoted(','.join(path_order))}")
        connection.execute("SET lock_configuration = true")
    except BaseException:
        connection.close()
        raise
    return connection


def _limit_exceeded(error: duckdb.Error, limits: QueryLimits) -> QueryLimitExceeded | None:
    message = str(error)
    if isinstance(error, duckdb.InterruptException) and "maximum execution time" in message:
        return QueryLimitExceeded(
            "timeout", f"the query ran longer than its time limit of {limits.timeout_seconds:g} s"
        )
    if isinstance(error, duckdb.OutOfMemoryException):
        return QueryLimitExceeded(
            "memory", f"the query needed more memory than its limit of {limits.memory}"
        )
    return None


def run_on_warehouse(
    warehouse: Path,
    sql: str,
    consume: Callable[[duckdb.DuckDBPyRelation], T],
    limits: QueryLimits | None = None,
    writable: Path | None = None,
) -> T:
    """Check ``sql``, run it on a locked connection and hand its relation to ``consume``."""
    limits = limits or QueryLimits()
    connection = open_warehouse(warehouse, limits, writable)
    try:
        check_read_only(connection, sql)
        return consume(connection.sql(sql))
    except duckdb.Error as error:
        exceeded = _limit_exceeded(error, limits)
        if exceeded is not None:
            raise exceeded from error
        raise
    finally:
        connection.close()


def run_on_rows(
    columns: list[tuple[str, str]],
    rows: list[tuple],
    consume: Callable[[duckdb.DuckDBPyRelation], T],
) -> T:
    """Rows the program made (a listing of tables, say) as a DuckDB relation, handed to
    ``consume`` so that they leave through the same writers as a query's result."""
    connection = duckdb.connect()
    try:
        spec = ", ".join(f"{_identifier(name)} {kind}" for name, kind in columns)
        connection.execute(f"CREATE TABLE tgwh_rows ({spec})")
        if rows:
            marks = ", ".join("?" for _ in columns)
            connection.executemany(f"INSERT INTO tgwh_rows VALUES ({marks})", rows)
        return consume(connection.sql("FROM tgwh_rows"))
    finally:
        connection.close()


def run_query(warehouse: Path, sql: str) -> pl.DataFrame:
    """A small result as a Polars frame, for code that computes with it (the build summary).
    Users' queries go through ``write_result`` and ``fetch_text`` instead."""
    return run_on_warehouse(
        warehouse, sql, lambda relation: pl.from_arrow(relation.to_arrow_table())
    )


# --- results -------------------------------------------------------------------------------


def _file_column(position: int, name: str, type_name: str, output_format: str) -> str:
    expression = f"#{position}"
    if output_format == "parquet" and "HUGEINT" in type_name:
        # Parquet has no 128-bit integer and DuckDB would write a DOUBLE, losing digits;
        # DECIMAL(38,0) keeps every one (a value of 39 digits fails, with DuckDB's message).
        expression += "::" + re.sub(r"\bU?HUGEINT\b", "DECIMAL(38,0)", type_name)
    return f"{expression} AS {_identifier(name)}"


def write_result(
    relation: duckdb.DuckDBPyRelation, output_format: str, target: Path
) -> tuple[list[str], list[str]]:
    """Write the whole result to ``target`` with DuckDB's own writer; its names and types.

    DuckDB's writers rename repeated column names (``x``, ``x_1``): a file cannot hold two
    columns of one name that readers tell apart.
    """
    names, types = relation.columns, [str(t) for t in relation.types]
    columns = ", ".join(
        _file_column(i, name, kind, output_format)
        for i, (name, kind) in enumerate(zip(names, types, strict=True), start=1)
    )
    try:
        relation.query(
            "tgwh_result",
            f"COPY (SELECT {columns} FROM tgwh_result) TO {_quoted(str(target))} "
            f"({FILE_FORMATS[output_format]})",
        )
    except duckdb.ConversionException as error:
        too_long = re.search(r"Could not cast value (-?\d+) to DECIMAL\(38,0\)", str(error))
        if too_long is None:
            raise
        raise UnwritableValue(
            f"{len(too_long.group(1).lstrip('-'))}-digit integer {too_long.group(1)} does not fit "
            "Parquet's widest integer, DECIMAL(38,0): cast the column to VARCHAR in the query, "
            "or write CSV or JSON"
        ) from error
    return names, types


@dataclass
class TextResult:
    """A result as text, DuckDB's own cast of every value (None for NULL): the first and the
    last rows when there are more than were asked for, and how many there are in all."""

    names: list[str]
    types: list[str]
    head: list[tuple[str | None, ...]] = field(default_factory=list)
    tail: list[tuple[str | None, ...]] = field(default_factory=list)
    row_count: int = 0

    @property
    def rows_omitted(self) -> int:
        return self.row_count - len(self.head) - len(self.tail)


def _rows(batch) -> list[tuple]:
    return list(zip(*(column.to_pylist() for column in batch.columns), strict=True))


def fetch_text(relation: duckdb.DuckDBPyRelation, max_rows: int = 0) -> TextResult:
    """Every value cast to text by DuckDB, streamed in Arrow batches so that only the rows
    shown are kept (``max_rows`` 0: all of them)."""
    names, types = relation.columns, [str(t) for t in relation.types]
    as_text = ", ".join(f"#{i}::VARCHAR" for i in range(1, len(names) + 1))
    text = relation.query("tgwh_result", f"SELECT {as_text} FROM tgwh_result")
    reader = text.to_arrow_reader(2048)
    result = TextResult(names, types)
    head_size = max_rows - max_rows // 2 if max_rows else None
    tail_size = max_rows // 2
    recent: deque = deque()  # the last batches, at least tail_size rows of them
    recent_rows = 0
    for batch in reader:
        result.row_count += batch.num_rows
        if head_size is None or len(result.head) < max_rows:
            result.head.extend(_rows(batch))
            continue
        recent.append(batch)
        recent_rows += batch.num_rows
        while recent and recent_rows - recent[0].num_rows >= tail_size:
            recent_rows -= recent.popleft().num_rows
    if head_size is not None and result.row_count > max_rows:
        later = [row for batch in recent for row in _rows(batch)]
        result.tail = (result.head[head_size:] + later)[-tail_size:] if tail_size else []
        del result.head[head_size:]
    return result


def in_worker(work: Callable[[], T]) -> T:
    """``work()`` in a worker thread, the main thread waiting in short joins.

    Python handles Ctrl-C in the main thread between bytecodes; a main thread inside DuckDB's
    C++ sees it only when the query ends (measured: about half the interrupts were missed),
    and DuckDB 2 refuses interrupt() on a connection busy in another thread. So the main thread
    stays in Python, where KeyboardInterrupt arrives at once; the caller then ends the process,
    and the read-only query with it.
    """
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed to the main thread as it is
            outcome["error"] = error

    worker = threading.Thread(target=run, name="tgwh-query", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


# --- what there is to query ----------------------------------------------------------------


@dataclass(frozen=True)
class Documentation:
    """Descriptions of the dbt models and their columns, from dbt's manifest."""

    tables: dict[tuple[str, str], str] = field(default_factory=dict)
    columns: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, manifest: Path) -> Documentation:
        """The manifest of the last dbt run (the docs rarely change between builds); none when
        no run has written one."""
        from orchestration.warehouse.stamp import BUILD_TABLE

        tables = {
            tuple(BUILD_TABLE.split(".")): "What this build was made from: the code's "
            "fingerprint, the batches it holds, when and by which run it was built."
        }
        columns = {}
        if not manifest.exists():
            return cls(tables, columns)
        import orjson

        nodes = orjson.loads(manifest.read_bytes()).get("nodes", {})
        for node in nodes.values():
            if node.get("resource_type") not in ("model", "snapshot", "seed"):
                continue
            key = (node.get("schema", ""), node.get("alias") or node.get("name", ""))
            tables[key] = _one_line(node.get("description", ""))
            columns[key] = {
                name: " ".join(column.get("description", "").split())
                for name, column in node.get("columns", {}).items()
            }
        return cls(tables, columns)


def _one_line(text: str) -> str:
    """The first sentence of a description."""
    flat = " ".join(text.split())
    return re.split(r"(?<=[.!?])\s", flat, maxsplit=1)[0]


def _schema_rank(schema: str) -> int:
    return SCHEMA_ORDER.index(schema) if schema in SCHEMA_ORDER else len(SCHEMA_ORDER)


@dataclass(frozen=True)
class Relation:
    schema: str
    name: str
    kind: str  # "table" or "view"
    rows: int | None = None
    description: str | None = None


def list_relations(
    warehouse: Path, documentation: Documentation, limits: QueryLimits | None = None
) -> tuple[list[Relation], list[Relation]]:
    """(what a query can read, with row counts; views it cannot: they read files outside the
    warehouse, which queries here may not)."""
    limits = limits or QueryLimits()
    connection = open_warehouse(warehouse, limits)
    try:
        found = connection.execute(
            "select schema_name, table_name, 'table' from duckdb_tables() "
            "where not internal and database_name = current_database() "
            "union all select schema_name, view_name, 'view' from duckdb_views() "
            "where not internal and database_name = current_database()"
        ).fetchall()
        queryable, unreadable = [], []
        for schema, name, kind in sorted(found, key=lambda r: (_schema_rank(r[0]), r[0], r[1])):
            described = documentation.tables.get((schema, name))
            try:
                count = connection.execute(
                    f"select count(*) from {_identifier(schema)}.{_identifier(name)}"
                ).fetchone()[0]
            except duckdb.PermissionException:
                unreadable.append(Relation(schema, name, kind, None, described))
                continue
            except duckdb.Error as error:
                exceeded = _limit_exceeded(error, limits)
                if exceeded is not None:
                    raise exceeded from error
                raise
            queryable.append(Relation(schema, name, kind, count, described))
        return queryable, unreadable
    finally:
        connection.close()


class UnknownTable(LookupError):
    pass


def describe_relation(
    warehouse: Path, name: str, documentation: Documentation
) -> tuple[str, str, list[tuple[str, str, bool, str | None]]]:
    """(schema, table, [(column, SQL type, nullable, description)]) of ``name``, which may
    omit its schema (marts first, then audit, intermediate, staging)."""
    connection = open_warehouse(warehouse)
    try:
        schema, _, table = name.rpartition(".")
        candidates = connection.execute(
            "select distinct schema_name, table_name from duckdb_columns() "
            "where not internal and database_name = current_database() "
            "and lower(table_name) = lower(?) and (? = '' or lower(schema_name) = lower(?))",
            [table, schema, schema],
        ).fetchall()
        if not candidates:
            raise UnknownTable(f"no table or view named {name} (`tgwh tables` lists them)")
        schema, table = min(candidates, key=lambda r: (_schema_rank(r[0]), r[0]))
        columns = connection.execute(
            "select column_name, data_type, is_nullable from duckdb_columns() "
            "where database_name = current_database() and schema_name = ? and table_name = ? "
            "order by column_index",
            [schema, table],
        ).fetchall()
    finally:
        connection.close()
    described = documentation.columns.get((schema, table), {})
    return (
        schema,
        table,
        [
            (column, kind, nullable, described.get(column) or None)
            for column, kind, nullable in columns
        ],
    )
