"""The entity partitions of the normalized layer: each new batch's posts, matched once.

Surnames resolve to persons named earlier in the same channel, also in other batches: each
batch reads the layer table `channel_persons` (every batch's `persons_named`, the persons it
names in full, which depend on that batch alone). So the build runs in two passes: the new
batches' persons named first, then the matching of each new batch against the table of all
batches, old and new; a batch's partition is a pure function of the batch and that table, and
a person counts only for posts published after they were first named, whichever batch named
them. (A batch of older history landing later can resolve surnames of posts already matched;
those keep their partition until the code changes and everything is rebuilt.)
"""

from __future__ import annotations

import polars as pl

from orchestration import schemas
from orchestration.entities import people
from orchestration.entities.match import all_leaders, countries_table, match_posts
from orchestration.normalize.store import (
    ENTITY_BATCH_TABLES,
    REFERENCE_TABLES,
    BuildReport,
    NormalizedStore,
    in_threads,
    stamped,
)

POST_COLUMNS = ("post_key", "text", "hashtags", "channel", "published_at")


def entities_of_batch(
    posts: pl.DataFrame, known: pl.DataFrame | None = None
) -> dict[str, pl.DataFrame]:
    """Countries, leaders and events of one batch's posts, the leaders discovered there and the
    persons it names; `known` is the channel_persons table."""
    batch_id = posts["batch_id"][0] if posts.height else None
    ingested_at = posts["ingested_at"][0] if posts.height else None
    matches = match_posts(posts.select(POST_COLUMNS), known)
    tables = {
        "country_mentions": matches.country_mentions,
        "leader_mentions": matches.leader_mentions,
        "leader_candidates": matches.discovered,
        "persons_named": matches.persons_named,
        "diplomatic_events": matches.diplomatic_events,
    }
    return {name: stamped(frame, name, batch_id, ingested_at) for name, frame in tables.items()}


def persons_named_of_batch(posts: pl.DataFrame) -> pl.DataFrame:
    """The persons a batch names in full (the first pass), from the batch alone."""
    return match_posts(posts.select(POST_COLUMNS)).persons_named


def channel_persons(named: pl.DataFrame) -> pl.DataFrame:
    """persons_named of many batches -> one row per (channel, person): first named when."""
    frame = (
        named.sort("first_named_at")
        .group_by("channel", "person_key", maintain_order=True)
        .agg(
            pl.col("name").first(),
            pl.col("role").first(),
            pl.col("country_iso2").first(),
            pl.col("first_named_at").min(),
        )
        .sort("channel", "person_key")
    )
    return schemas.conform(frame, schemas.CHANNEL_PERSON_SCHEMA)


def build_entities(store: NormalizedStore) -> BuildReport:
    """Entities of every normalized batch that has none yet; then the reference tables."""
    new = sorted(store.batches() - store.entity_batches())
    rows = dict.fromkeys([*ENTITY_BATCH_TABLES, *REFERENCE_TABLES], 0)

    def posts_of(batch_id: str) -> pl.DataFrame:
        return store.scan("posts", [batch_id]).collect()

    old = store.scan("persons_named").collect()
    fresh = [persons_named_of_batch(posts_of(batch_id)) for batch_id in new] if new else []
    known = channel_persons(
        pl.concat([schemas.conform(old, schemas.CHANNEL_PERSON_SCHEMA), *fresh])
    )

    def match(batch_id: str) -> dict[str, pl.DataFrame]:
        return entities_of_batch(posts_of(batch_id), known)

    for batch_id, tables in in_threads(match, new):
        store.write_partition(store.entities_dir, batch_id, tables)
        for name, frame in tables.items():
            rows[name] += frame.height
    # Small tables, rebuilt whole: discovered leaders merge over all batches, in batch order.
    discovered = store.scan("leader_candidates").collect()
    references = {
        "countries": schemas.conform(countries_table(), schemas.COUNTRY_SCHEMA),
        "leaders": schemas.conform(all_leaders(_merged(discovered)), schemas.LEADER_SCHEMA),
        "office_terms": schemas.conform(people.office_terms(), schemas.OFFICE_TERM_SCHEMA),
        "channel_persons": channel_persons(store.scan("persons_named").collect()),
    }
    for name, frame in references.items():
        store.write_reference(name, frame)
        rows[name] = frame.height
    return BuildReport(new_batches=new, rows=rows)


def _merged(candidates: pl.DataFrame) -> pl.DataFrame:
    """Discovered leaders over all batches: one row per leader_key, the commonest country."""
    if candidates.height == 0:
        return schemas.empty_frame(schemas.LEADER_SCHEMA)
    frame = candidates.group_by("leader_key", maintain_order=True).agg(
        pl.col("name").first(),
        pl.col("role").drop_nulls().mode().sort().first(),
        pl.col("country_iso2").drop_nulls().mode().sort().first(),
        pl.col("name").unique(maintain_order=True).alias("aliases"),
    )
    return schemas.conform(frame.with_columns(source=pl.lit("discovered")), schemas.LEADER_SCHEMA)
