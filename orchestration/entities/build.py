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

Consecutive new batches are matched together, up to GROUP_POSTS posts: a call of the matcher
costs about half a second whatever its size, which a run of many small files would pay per
file. The automaton passes (match.scan_posts) need nothing from other batches and run a group
or two at a time in threads; resolution (match.finish_batches) runs in batch order as each
group's predecessors are done, and gives each batch of a group what it gives the batch alone,
knowing what the batches before it named (those of the group before it included).
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
    finish_batches,
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
# Posts matched in one pass at most (a larger batch alone): bounds a group's memory, about that
# of the largest batches of a big export.
GROUP_POSTS = 50_000


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


def batch_groups(
    batches: list[str], posts: dict[str, int], history: dict[str, int]
) -> list[tuple[str, ...]]:
    """Consecutive batches (in ingestion order) matched together: up to GROUP_POSTS posts, and
    only batches that the same built batches precede (``history``: how many), so that one
    table of persons named serves the group."""
    groups: list[list[str]] = []
    size = 0
    for batch_id in batches:
        count = posts.get(batch_id, 0)
        if groups and size + count <= GROUP_POSTS and history[batch_id] == history[groups[-1][0]]:
            groups[-1].append(batch_id)
            size += count
        else:
            groups.append([batch_id])
            size = count
    return [tuple(group) for group in groups]


def _runs_without_repeats(frames: list[pl.DataFrame]) -> list[range]:
    """Runs of consecutive batches (positions in ``frames``) no post of which is in another
    batch of the run: a scan keys posts by post_key, and copies of a post land in several."""
    keys = pl.concat(
        [frame.select("post_key", batch=pl.lit(i, pl.Int64)) for i, frame in enumerate(frames)]
    )
    previous = (
        keys.sort("batch")
        .with_columns(before=pl.col("batch").shift(1).over("post_key"))
        .group_by("batch")
        .agg(pl.col("before").max())
    )
    seen_in = dict(previous.iter_rows())
    runs, start = [], 0
    for i in range(1, len(frames)):
        before = seen_in.get(i)
        if before is not None and before >= start:
            runs.append(range(start, i))
            start = i
    runs.append(range(start, len(frames)))
    return runs


def match_in_order(
    groups: list[tuple[str, ...]],
    posts_of: Callable[[str], pl.DataFrame],
    named_before: Callable[[str], pl.DataFrame],
) -> Iterator[tuple[str, dict[str, pl.DataFrame]]]:
    """(batch_id, tables) of each batch of the groups (batch_groups), in their order.

    named_before(batch_id): persons_named of the batches already built that come before it
    (the same for a group's batches); the persons each batch names are known to those after
    it. The scans run ahead in threads; a group is finished once all before it are."""
    named: list[pl.DataFrame] = []

    def scanned(group: tuple[str, ...]) -> list[tuple[list[str], list[pl.DataFrame], ScannedPosts]]:
        frames = [posts_of(batch_id) for batch_id in group]
        parts = []
        for run in _runs_without_repeats(frames):
            together = pl.concat(
                [
                    frames[i].select(*POST_COLUMNS, batch=pl.lit(n, pl.UInt32))
                    for n, i in enumerate(run)
                ]
            )
            parts.append(([group[i] for i in run], [frames[i] for i in run], scan_posts(together)))
        return parts

    for _, parts in in_threads(scanned, groups):
        for batch_ids, frames, scan in parts:
            earlier = [named_before(batch_ids[0]), *named]
            known = channel_persons(
                pl.concat([schemas.conform(f, schemas.CHANNEL_PERSON_SCHEMA) for f in earlier])
            )
            for batch_id, posts, matches in zip(
                batch_ids, frames, finish_batches(scan, known, len(batch_ids)), strict=True
            ):
                tables = tables_of_batch(posts, matches)
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

    sizes = dict(store.scan("posts", new).group_by("batch_id").agg(pl.len()).collect().iter_rows())
    history, built_so_far = {}, 0
    for batch_id in order:
        if batch_id in built:
            built_so_far += 1
        else:
            history[batch_id] = built_so_far
    groups = batch_groups(new, sizes, history)
    for batch_id, tables in match_in_order(groups, posts_of, named_before):
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
