"""The warehouse suites (one per mart that has one) on the candidate warehouse.

They say what dbt's tests cannot: that the layers agree (every normalized post lands in
fct_posts once) and that values keep their bounds and shapes. Keys, nulls, accepted values and
relationships are dbt's tests, on the same candidate.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.config import Home
from orchestration.schemas import SOURCE_FORMATS
from orchestration.validate.context import gx_context, run_suite
from orchestration.validate.inputs import DEFAULT_CLOCK_SKEW, arrow_to_pandas, max_published_at
from orchestration.validate.results import ExpectationResult, SuiteResult
from orchestration.validate.suites import SuiteSpec, load_suite_spec, warehouse_suites

if TYPE_CHECKING:
    import pyarrow as pa


def _quote_relation(relation: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in relation.split("."))


def _missing_relation(spec: SuiteSpec, relation: str, warehouse: Path) -> SuiteResult:
    missing = ExpectationResult(
        expectation="relation_exists",
        column=None,
        critical=True,
        success=False,
        observed=f"{relation} not found in {warehouse}",
        why="The dbt model did not build, so none of the suite's expectations could run.",
    )
    return SuiteResult(spec.name, success=False, critical_success=False, results=[missing])


def validate_marts(
    warehouse_path: Path,
    normalized_post_count: int,
    context=None,
    *,
    now: dt.datetime | None = None,
    clock_skew: dt.timedelta = DEFAULT_CLOCK_SKEW,
    run_name: str | None = None,
) -> dict[str, SuiteResult]:
    """Validate every warehouse suite against the DuckDB file (opened read-only, then closed).

    The caller gives normalized_post_count, for the check that the layers agree. Only the
    columns a suite references are read, and the connection is closed before GX runs.
    """
    import duckdb

    warehouse = Path(warehouse_path)
    if not warehouse.is_file():
        raise FileNotFoundError(f"DuckDB warehouse not found: {warehouse}")
    context = context if context is not None else gx_context(Home.from_env())
    specs = [load_suite_spec(name) for name in warehouse_suites()]
    tables: dict[str, pa.Table | None] = {}
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        existing: dict[str, list[str]] = {}
        for schema, table, column in connection.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_catalog = current_database() order by ordinal_position"
        ).fetchall():
            existing.setdefault(f"{schema}.{table}".lower(), []).append(column)
        for spec in specs:
            relation = spec.source["relation"]
            present = existing.get(relation.lower())
            if present is None:
                tables[spec.name] = None
                continue
            wanted = [name for name in spec.referenced_columns() if name in present]
            select = ", ".join('"' + name + '"' for name in wanted) or "1 as _row"
            tables[spec.name] = connection.sql(
                f"select {select} from {_quote_relation(relation)}"
            ).to_arrow_table()
    finally:
        connection.close()

    parameters = {
        "max_published_at": max_published_at(now, clock_skew),
        "source_formats": list(SOURCE_FORMATS),
        "normalized_post_count": int(normalized_post_count),
    }
    results = {}
    for spec in specs:
        table = tables[spec.name]
        if table is None:
            results[spec.name] = _missing_relation(spec, spec.source["relation"], warehouse)
        else:
            frame = arrow_to_pandas(table)
            results[spec.name] = run_suite(context, spec, frame, parameters, run_name)
    return results
