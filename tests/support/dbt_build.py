"""Build the dbt project on synthetic Parquet, as the dbt tier's modules do.

Rows go into the normalized layer's partition layout under a home folder, then the venv's real
dbt builds that home's warehouse (every path outside the source tree).
"""

import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from orchestration.config import DBT_PROJECT_DIR, Home
from orchestration.ingest.parsing.api import parse_file
from orchestration.normalize.records import normalize_headers, normalize_posts
from orchestration.normalize.store import (
    BATCH_TABLES,
    LAYER_TABLES,
    REFERENCE_TABLES,
    SCHEMA_PARTITION,
    NormalizedStore,
    partition_schema,
)
from orchestration.schemas import (
    COUNTRY_MENTION_SCHEMA,
    COUNTRY_SCHEMA,
    DIPLOMATIC_EVENT_SCHEMA,
    INGESTED_FILE_SCHEMA,
    LEADER_MENTION_SCHEMA,
    LEADER_SCHEMA,
    NORMALIZED_HEADER_SCHEMA,
    NORMALIZED_POST_SCHEMA,
    OFFICE_TERM_SCHEMA,
    POST_VIEW_SCHEMA,
    RAW_SERVICE_SCHEMA,
    REMOVED_BATCH_SCHEMA,
    UTC_TIME,
)
from orchestration.warehouse.lifecycle import DBT_BUILD

DBT = Path(sys.executable).parent / "dbt"
SOURCES = {
    "posts": NORMALIZED_POST_SCHEMA,
    "post_views": POST_VIEW_SCHEMA,
    "channel_headers": NORMALIZED_HEADER_SCHEMA,
    "service_messages": RAW_SERVICE_SCHEMA,
    "countries": COUNTRY_SCHEMA,
    "leaders": LEADER_SCHEMA,
    "country_mentions": COUNTRY_MENTION_SCHEMA,
    "leader_mentions": LEADER_MENTION_SCHEMA,
    "diplomatic_events": DIPLOMATIC_EVENT_SCHEMA,
    "office_terms": OFFICE_TERM_SCHEMA,
    "ingested_files": INGESTED_FILE_SCHEMA,
    "rejects": BATCH_TABLES["rejects"],
    "removed_batches": REMOVED_BATCH_SCHEMA,
}


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2025, 5, day, hour, tzinfo=UTC)


def post(**values) -> dict:
    channel = values["channel"]
    defaults = {
        "post_key": f"{channel}/{values.get('message_id')}",
        "hashtags": [],
        "mentions": [],
        "links": [],
        "media_kinds": [],
        "media_count": 0,
        "is_edited": False,
        "language": "en",
        "source_format": "web_preview",
        "source_file": f"/inbox/{channel}.html",
    }
    return defaults | values


BATCH = "batch-1"
LANDED_AT = datetime(2025, 5, 12, 9, 0, tzinfo=UTC)


def write_sources(home: Path, sources: dict[str, list[dict]]) -> None:
    """Rows into the normalized layer's partition layout (a row names its batch_id, or the
    default batch); the reference tables are single files. A source left out has no rows."""
    store = NormalizedStore(Home(home).normalized)
    for name, schema in SOURCES.items():
        if name in REFERENCE_TABLES or name in LAYER_TABLES:
            rows = [{column: row.get(column) for column in schema} for row in sources.get(name, [])]
            store.layout.reference_file(name).parent.mkdir(parents=True, exist_ok=True)
            frame = pl.DataFrame(rows, schema=schema, orient="row")
            frame.write_parquet(store.layout.reference_file(name))
            continue
        full = partition_schema(name)
        rows = [
            {column: row.get(column) for column in full}
            | {"batch_id": row.get("batch_id", BATCH)}
            | {"ingested_at": row.get("ingested_at", LANDED_AT)}
            for row in sources.get(name, [])
        ]
        frame = pl.DataFrame(rows, schema=full, orient="row")
        folder = store.batches_dir if name in BATCH_TABLES else store.entities_dir
        (folder / SCHEMA_PARTITION).mkdir(parents=True, exist_ok=True)
        pl.DataFrame(schema=full).write_parquet(folder / SCHEMA_PARTITION / f"{name}.parquet")
        for (batch_id,), part in frame.partition_by("batch_id", as_dict=True).items():
            (folder / batch_id).mkdir(parents=True, exist_ok=True)
            part.write_parquet(folder / batch_id / f"{name}.parquet")


def dbt_environment(home: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TGWH_", "DBT_"))}
    run_dir = home if home is not None else Path(env.get("TMPDIR", "/tmp"))
    env |= {
        "DBT_TARGET_PATH": str(run_dir / "dbt" / "target"),
        "DBT_LOG_PATH": str(run_dir / "dbt" / "logs"),
    }
    if home is not None:
        env |= {
            "TGWH_HOME": str(home),
            "TGWH_WAREHOUSE": str(home / "warehouse" / "tgwh.duckdb"),
        }
    return env


def run_dbt(
    command: str | list[str], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(DBT),
            *([command] if isinstance(command, str) else command),
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],
        check=False,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def project_files() -> set[Path]:
    return {path.relative_to(DBT_PROJECT_DIR) for path in DBT_PROJECT_DIR.rglob("*")}


def build(
    home: Path, sources: dict[str, list[dict]], select: str | None = None
) -> tuple[subprocess.CompletedProcess, dict]:
    """Write ``sources`` into ``home`` and build as the orchestrator does (``select``: only
    those models, dbt's selector syntax)."""
    write_sources(home, sources)
    (home / "warehouse").mkdir(parents=True, exist_ok=True)
    before = project_files()
    arguments = DBT_BUILD + (
        ["--select", select, "--indirect-selection", "cautious"] if select else []
    )
    result = run_dbt(arguments, dbt_environment(home), cwd=home)
    assert project_files() == before, "dbt wrote into the source tree"
    run_results = json.loads((home / "dbt" / "target" / "run_results.json").read_text())
    return result, run_results


def statuses(run_results: dict) -> dict[str, str]:
    return {result["unique_id"]: result["status"] for result in run_results["results"]}


def rows(connection, sql: str) -> list[dict]:
    cursor = connection.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def ingested_file(batch_id: str, source_file: str, source_format: str, ingested_at) -> dict:
    """The ingested_files row of a batch: new_batches() finds a batch's posts through it."""
    return {
        "batch_id": batch_id,
        "source_file": source_file,
        "source_format": source_format,
        "content_sha256": hashlib.sha256(batch_id.encode()).hexdigest(),
        "size_bytes": 1000,
        "records_read": 0,
        "records_rejected": 0,
        "service_messages": 0,
        "ingested_at": ingested_at,
    }


def parsed_sources(
    paths: list[Path], ingested_at: datetime, channel: str | None = None
) -> dict[str, list[dict]]:
    """Real files through the real parsers and normalization, each file a batch of its own:
    the rows the normalized layer would hold for them (posts, headers, ingested_files);
    `channel` as --channel gives it."""
    sources: dict[str, list[dict]] = {name: [] for name in SOURCES}
    for path in paths:
        batch_id = hashlib.sha256(str(path).encode()).hexdigest()
        parsed = parse_file(path, channel=channel, observed_at=ingested_at)
        landed = pl.lit(ingested_at, dtype=UTC_TIME).alias("ingested_at")
        stamp = {"batch_id": batch_id, "ingested_at": ingested_at}
        posts = normalize_posts(parsed.posts.with_columns(landed))
        headers = normalize_headers(parsed.headers.with_columns(landed))
        sources["posts"] += [row | stamp for row in posts.to_dicts()]
        sources["channel_headers"] += [row | stamp for row in headers.to_dicts()]
        sources["ingested_files"].append(
            ingested_file(batch_id, str(path), parsed.source_format, ingested_at)
        )
    return sources
