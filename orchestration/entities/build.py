"""The entity partitions of the normalized layer: each new batch's posts, matched once."""

from __future__ import annotations

import polars as pl

from orchestration import schemas
from orchestration.entities.match import countries_table, leaders_table, match_entities
from orchestration.normalize.store import (
    ENTITY_BATCH_TABLES,
    REFERENCE_TABLES,
    BuildReport,
    NormalizedStore,
    in_threads,
    stamped,
)


def entities_of_batch(posts: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Countries and leaders named in one batch's posts, and the leaders discovered there."""
    batch_id = posts["batch_id"][0] if posts.height else None
    ingested_at = posts["ingested_at"][0] if posts.height else None
    matches = match_entities(posts.select("post_key", "text", "hashtags"))
    tables = {
        "country_mentions": matches.country_mentions,
        "leader_mentions": matches.leader_mentions,
        "leader_candidates": matches.leaders.filter(pl.col("source") == "discovered"),
    }
    return {name: stamped(frame, name, batch_id, ingested_at) for name, frame in tables.items()}


def build_entities(store: NormalizedStore) -> BuildReport:
    """Entities of every normalized batch that has none yet; then the reference tables."""
    new = sorted(store.batches() - store.entity_batches())
    rows = dict.fromkeys([*ENTITY_BATCH_TABLES, *REFERENCE_TABLES], 0)

    def match(batch_id: str) -> dict[str, pl.DataFrame]:
        return entities_of_batch(store.scan("posts", [batch_id]).collect())

    for batch_id, tables in in_threads(match, new):
        store.write_partition(store.entities_dir, batch_id, tables)
        for name, frame in tables.items():
            rows[name] += frame.height
    # Small tables, rebuilt whole: discovered leaders merge over all batches, in batch order.
    discovered = store.scan("leader_candidates").collect()
    references = {
        "countries": schemas.conform(countries_table(), schemas.COUNTRY_SCHEMA),
        "leaders": schemas.conform(leaders_table(discovered), schemas.LEADER_SCHEMA),
    }
    for name, frame in references.items():
        store.write_reference(name, frame)
        rows[name] = frame.height
    return BuildReport(new_batches=new, rows=rows)
