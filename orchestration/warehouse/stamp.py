"""What the published warehouse was built from, so a run with nothing new can stop early.

A complete dbt build stamps the candidate with a one-row table ``audit.warehouse_build``: the
fingerprint of the code that shaped the data (normalization, dbt models, expectation suites)
and a digest of the normalized batches it holds. The stamp travels inside the warehouse file,
so a rollback brings back the stamp of the version it restores, and a failed audit (nothing
published) leaves the old stamp: the next run then builds again.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.common.fingerprints import pipeline_fingerprint

BUILD_TABLE = "audit.warehouse_build"


def batches_digest(batch_ids: set[str] | list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(batch_ids)).encode()).hexdigest()[:16]


def stamp_build(connection: duckdb.DuckDBPyConnection, batch_ids: set[str], run_id: str) -> None:
    """Record in the candidate (after a complete dbt build) what it was built from."""
    connection.execute(
        f"create or replace table {BUILD_TABLE} as select ?::varchar as pipeline_fingerprint, "
        "?::varchar as batches_digest, ?::varchar[] as batch_ids, ?::timestamptz as built_at, "
        "?::varchar as run_id",
        [
            pipeline_fingerprint(),
            batches_digest(batch_ids),
            sorted(batch_ids),
            datetime.now(UTC),
            run_id,
        ],
    )


def published_build(warehouse: Path) -> dict | None:
    """The stamp of the published warehouse, or None (no warehouse, or built before stamps)."""
    if not warehouse.exists():
        return None
    try:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            rows = connection.execute(
                f"select pipeline_fingerprint, batches_digest, batch_ids from {BUILD_TABLE}"
            ).fetchall()
    except duckdb.Error:
        return None
    if not rows:
        return None
    fingerprint, digest, batch_ids = rows[0]
    return {"pipeline_fingerprint": fingerprint, "batches_digest": digest, "batch_ids": batch_ids}
