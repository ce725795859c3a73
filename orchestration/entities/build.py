"""The entity partitions of the normalized layer: each new batch's posts, matched once.

Surnames resolve to persons named earlier in the same channel, also in other batches, and a
person discovered once is known to later posts. What a batch may know comes from the batches
before it in ingestion order (ingested_at, then batch_id): each batch's `persons_named` (the
persons it names in full) feed the table the next batches resolve against, and a person counts
only for posts published after they were first named. So a batch's partition is a pure
function of the batch and of the batches ingested before it, and building batch by batch (each
new batch seeing the layer as it is) equals building all at once (each batch seeing only those
before it) and equals the rebuild after a code change.

A batch built after batches ingested later than itself (one released from quarantine) sees
only the batches before it; the later batches keep what they knew when they were built until
the layer is rebuilt.

The automaton passes over a batch's posts (match.scan_posts) need nothing from other batches
and run a few batches at a time in threads; resolution (match.finish_posts), cheap joins over
the hits, runs in batch order as each batch's predecessors are done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

from orchestration import schemas
from orchestration.entities import people
from orchestration.entities.match import (
    PostMatches,
    ScannedPosts,
    all_leaders,
    countries_table,
    finish_posts,
    scan_posts,
)
from orchestration.entities.resolve import keep_derived_tables
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
    persons it names; `known` is channel_persons of the batches before it."""
    return tables_of_batch(posts, finish_posts(scan_posts(posts.select(POST_COLUMNS)), known))


def tables_of_batch(posts: pl.DataFrame, matches: PostMatches) -> dict[str, pl.DataFrame]:
    """The partition's tables, stamped with the batch's id and ingestion time (a post's
    mentions and events with its own, in a batch of pages landed at several times)."""
    batch_id = posts["batch_id"][0] if posts.height else None
    ingested_at = posts["ingested_at"][0] if posts.height else None
    landed = posts.select("post_key", "ingested_at")

    def of_posts(frame: pl.DataFrame) -> pl.DataFrame:
        if posts["ingested_at"].n_unique() < 2:
            return frame
        return frame.join(landed, on="post_key", how="left", maintain_order="left")

    tables = {
        "country_mentions": of_posts(matches.country_mentions),
        "leader_mentions": of_posts(matches.leader_mentions),
        "leader_candidates": matches.discovered,
        "persons_named": matches.persons_named,
        "diplomatic_events": of_posts(matches.diplomatic_events),
    }
    return {name: stamped(frame, name, batch_id, ingested_at) for name, frame in tables.items()}


def channel_persons(named: pl.DataFrame) -> pl.DataFrame:
    """persons_named of many batches -> one row per (channel, person): first named when, with
    the name, role and country of that first naming (ties by name)."""
    frame = (
        named.sort("channel", "person_key", "first_named_at", "name", nulls_last=True)
        .group_by("channel", "person_key", maintain_order=True)
        .agg(
            pl.col("name").first(),
            pl.col("role").first(),
            pl.col("country_iso2").first(),
            pl.col("first_named_at").min(),
        )
    )
    return schemas.conform(frame, schemas.CHANNEL_PERSON_SCHEMA)


def batch_order(store: NormalizedStore) -> list[str]:
    """Every normalized batch in ingestion order: ingested_at, then batch_id (a batch without
    a file record, a file rejected whole, comes last: it has no posts)."""
    files = (
        store.scan("ingested_files")
        .select("batch_id", "ingested_at")
        .group_by("batch_id")
        .agg(pl.col("ingested_at").min())
        .collect()
    )
    frame = (
        pl.DataFrame({"batch_id": sorted(store.batches())}, schema={"batch_id": pl.String})
        .join(files, on="batch_id", how="left", maintain_order="left")
        .sort("ingested_at", "batch_id", nulls_last=True)
    )
    return frame["batch_id"].to_list()


def match_in_order(
    batches: list[str],
    posts_of: Callable[[str], pl.DataFrame],
    named_before: Callable[[str], pl.DataFrame],
) -> Iterator[tuple[str, dict[str, pl.DataFrame]]]:
    """(batch_id, tables) of each batch, in the given (ingestion) order.

    named_before(batch_id): persons_named of the batches already built that come before it;
    the persons each batch of `batches` names are known to those after it. The scans run ahead
    in threads; a batch is finished once all before it are."""
    named: list[pl.DataFrame] = []

    def scanned(batch_id: str) -> tuple[pl.DataFrame, ScannedPosts]:
        posts = posts_of(batch_id)
        return posts, scan_posts(posts.select(POST_COLUMNS))

    for batch_id, (posts, scan) in in_threads(scanned, batches):
        earlier = [named_before(batch_id), *named]
        known = channel_persons(
            pl.concat([schemas.conform(f, schemas.CHANNEL_PERSON_SCHEMA) for f in earlier])
        )
        tables = tables_of_batch(posts, finish_posts(scan, known))
        named.append(tables["persons_named"])
        yield batch_id, tables


def build_entities(
    store: NormalizedStore, kept_tables: dict[str, Path] | None = None
) -> BuildReport:
    """Entities of every normalized batch that has none yet, in ingestion order; then the
    reference tables. ``kept_tables``: where the matcher keeps the tables it derives from the
    reference data between runs (resolve.keep_derived_tables)."""
    keep_derived_tables(kept_tables)
    order = batch_order(store)
    position = {batch_id: i for i, batch_id in enumerate(order)}
    built = store.entity_batches()
    new = [batch_id for batch_id in order if batch_id not in built]
    rows = dict.fromkeys([*ENTITY_BATCH_TABLES, *REFERENCE_TABLES], 0)
    old_named = (
        store.scan("persons_named", [b for b in order if b in built])
        .collect()
        .with_columns(position=pl.col("batch_id").replace_strict(position, return_dtype=pl.Int64))
    )

    def named_before(batch_id: str) -> pl.DataFrame:
        return old_named.filter(pl.col("position") < position[batch_id])

    def posts_of(batch_id: str) -> pl.DataFrame:
        return store.scan("posts", [batch_id]).collect()

    for batch_id, tables in match_in_order(new, posts_of, named_before):
        store.write_partition(store.entities_dir, batch_id, tables)
        for name, frame in tables.items():
            rows[name] += frame.height
    # Small tables, rebuilt whole: discovered leaders merge over all batches, in batch order.
    discovered = (
        store.scan("leader_candidates")
        .collect()
        .with_columns(
            position=pl.col("batch_id").replace_strict(
                position, default=None, return_dtype=pl.Int64
            )
        )
        .sort("position", maintain_order=True)
    )
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
