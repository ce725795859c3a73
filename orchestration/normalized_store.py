"""The normalized layer: typed Parquet tables under ``<home>/normalized`` that dbt reads.

Two steps, each a pure function of the layer before it: ``build_normalized`` turns the raw
batches into clean tables, ``build_entities`` finds countries and leaders in the clean posts.
Each table is rewritten atomically, so dbt never reads a half-written file.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from orchestration import schemas
from orchestration.entities import countries_table, match_entities
from orchestration.failpoints import failpoint
from orchestration.files import remove_stale_temporaries, write_parquet_atomic
from orchestration.normalize import (
    normalize_headers,
    normalize_posts,
    normalize_service,
    post_view_observations,
)
from orchestration.raw_store import RawStore

NORMALIZED_TABLES = (
    "posts",
    "post_views",
    "channel_headers",
    "service_messages",
    "ingested_files",
    "rejects",
)
ENTITY_TABLES = ("countries", "leaders", "country_mentions", "leader_mentions")


def table_path(normalized_dir: Path, name: str) -> Path:
    return normalized_dir / f"{name}.parquet"


def read_table(normalized_dir: Path, name: str) -> pl.DataFrame:
    return pl.read_parquet(table_path(normalized_dir, name))


def _write_all(normalized_dir: Path, tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    remove_stale_temporaries(normalized_dir)
    for name, frame in tables.items():
        write_parquet_atomic(frame, table_path(normalized_dir, name))
        failpoint("normalized.table_written")
    return tables


def build_normalized(raw: RawStore, normalized_dir: Path) -> dict[str, pl.DataFrame]:
    """Clean posts, header snapshots, service messages and the ingestion audit trail."""
    ingested_files = raw.scan("files").collect()
    rejects = raw.scan("rejects").collect()
    service = normalize_service(raw.scan("service"))
    return _write_all(
        normalized_dir,
        {
            "posts": normalize_posts(raw.scan("posts")),
            "post_views": post_view_observations(raw.scan("posts")),
            "channel_headers": normalize_headers(raw.scan("headers")),
            "service_messages": schemas.conform(service, schemas.RAW_SERVICE_SCHEMA),
            "ingested_files": schemas.conform(ingested_files, schemas.INGESTED_FILE_SCHEMA),
            "rejects": schemas.conform(rejects, schemas.REJECT_SCHEMA),
        },
    )


def build_entities(normalized_dir: Path) -> dict[str, pl.DataFrame]:
    """Countries and leaders named in the clean posts, with their reference tables."""
    posts = read_table(normalized_dir, "posts").select("post_key", "text", "hashtags")
    matches = match_entities(posts)
    return _write_all(
        normalized_dir,
        {
            "countries": schemas.conform(countries_table(), schemas.COUNTRY_SCHEMA),
            "leaders": schemas.conform(matches.leaders, schemas.LEADER_SCHEMA),
            "country_mentions": schemas.conform(
                matches.country_mentions, schemas.COUNTRY_MENTION_SCHEMA
            ),
            "leader_mentions": schemas.conform(
                matches.leader_mentions, schemas.LEADER_MENTION_SCHEMA
            ),
        },
    )
