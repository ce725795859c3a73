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

from orchestration.normalized_store import code_fingerprint
from orchestration.paths import DBT_PROJECT_DIR, EXPECTATIONS_DIR

BUILD_TABLE = "audit.warehouse_build"
_DBT_SOURCES = ("dbt_project.yml", "profiles.yml", "models", "macros", "tests")


def _digest_files(digest, root: Path, names: tuple[str, ...]) -> None:
    for name in names:
        path = root / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes())


def pipeline_fingerprint() -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    _digest_files(digest, DBT_PROJECT_DIR, _DBT_SOURCES)
    if EXPECTATIONS_DIR.is_dir():
        suites = tuple(sorted(p.name for p in EXPECTATIONS_DIR.iterdir()))
        _digest_files(digest, EXPECTATIONS_DIR, suites)
    return digest.hexdigest()[:16]


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


def is_up_to_date(warehouse: Path, batch_ids: set[str]) -> bool:
    """True when the published warehouse holds exactly these batches, built by this code."""
    stamp = published_build(warehouse)
    return (
        stamp is not None
        and stamp["pipeline_fingerprint"] == pipeline_fingerprint()
        and stamp["batches_digest"] == batches_digest(batch_ids)
    )


def unpublished_batches(warehouse: Path, batch_ids: set[str]) -> list[str]:
    """Batches the published warehouse does not hold yet (all, when built by other code):
    what a build must validate before it publishes."""
    stamp = published_build(warehouse)
    if stamp is None or stamp["pipeline_fingerprint"] != pipeline_fingerprint():
        return sorted(batch_ids)
    return sorted(set(batch_ids) - set(stamp["batch_ids"]))
