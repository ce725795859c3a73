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

A batch of more than SLICE_POSTS posts (one channel's whole history in one export) is matched
in slices by publication time, each as if it were a batch landed after the slices before it:
the matcher's memory follows a slice, not the biggest file, and a person named or discovered
in an earlier slice is known to the later ones, as across batches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
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
# A batch of more posts than this is matched in slices of about this many, by publication time:
# the matcher holds about ten times its posts' text (haystacks, hits), so one channel's export of
# 1.7M posts matched whole needed more memory than the machine has.
SLICE_POSTS = 200_000


@dataclass(frozen=True)
class Slice:
    """Part of a big batch: its posts published in [published_from, published_to) (None: no
    bound; the first slice also holds posts without a time). Matched like a batch of its own
    that comes after the slices before it: it knows what they named, they know nothing of it."""

    batch_id: str
    index: int
    count: int
    published_from: datetime | None
    published_to: datetime | None

    def posts(self, posts: pl.LazyFrame) -> pl.LazyFrame:
        at = pl.col("published_at")
        keep = pl.lit(True)
        if self.published_from is not None:
            keep = keep & (at >= self.published_from)
        if self.published_to is not None:
            keep = keep & (at < self.published_to)
        if self.index == 0:
            keep = keep | at.is_null()
        return posts.filter(keep)


def slices_of(batch_id: str, published_at: pl.Series, size: int | None = None) -> list[Slice]:
    """The batch cut into slices of about `size` posts (SLICE_POSTS) by publication time (posts
    published at the same instant stay together); one slice when it is no bigger than that."""
    size = size or SLICE_POSTS
    times = published_at.drop_nulls().sort()
    cuts: list[datetime] = []
    position = size
    while position < times.len():
        cut = times[position]
        first = int(times.search_sorted(cut, side="left"))
        if first == 0 or (cuts and cut == cuts[-1]):  # that instant is in the slice before
            position = int(times.search_sorted(cut, side="right"))
            continue
        cuts.append(cut)
        position = first + size
    edges = [None, *cuts, None]
    return [
        Slice(batch_id, i, len(edges) - 1, edges[i], edges[i + 1]) for i in range(len(edges) - 1)
    ]


def merged_slices(parts: list[dict[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """One batch's tables from its slices': rows concatenated; a person named in several slices
    once, as first named."""
    tables = {name: pl.concat([part[name] for part in parts]) for name in parts[0]}
    tables["persons_named"] = (
        tables["persons_named"]
        .sort("first_named_at", nulls_last=True, maintain_order=True)
        .unique(["channel", "person_key"], keep="first", maintain_order=True)
    )
    return tables


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
    groups: list[tuple[str | Slice, ...]],
    posts_of: Callable[[str | Slice], pl.DataFrame],
    named_before: Callable[[str], pl.DataFrame],
) -> Iterator[tuple[str, dict[str, pl.DataFrame]]]:
    """(batch_id, tables) of each batch of the groups (batch_groups), in their order.

    named_before(batch_id): persons_named of the batches already built that come before it
    (the same for a group's batches); the persons each batch names are known to those after
    it. The scans run ahead in threads; a group is finished once all before it are. A big
    batch comes as its slices, each a group of its own, in order: its tables are yielded
    once its last slice is matched."""
    named: list[pl.DataFrame] = []
    slices: list[dict[str, pl.DataFrame]] = []

    def batch_of(item: str | Slice) -> str:
        return item.batch_id if isinstance(item, Slice) else item

    def scanned(
        group: tuple[str | Slice, ...],
    ) -> list[tuple[list[str | Slice], list[pl.DataFrame], ScannedPosts]]:
        frames = [posts_of(item) for item in group]
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
        for items, frames, scan in parts:
            earlier = [named_before(batch_of(items[0])), *named]
            known = channel_persons(
                pl.concat([schemas.conform(f, schemas.CHANNEL_PERSON_SCHEMA) for f in earlier])
            )
            for item, posts, matches in zip(
                items, frames, finish_batches(scan, known, len(items)), strict=True
            ):
                tables = tables_of_batch(posts, matches)
                named.append(tables["persons_named"])
                if not isinstance(item, Slice):
                    yield item, tables
                    continue
                slices.append(tables)
                if item.index == item.count - 1:
                    yield item.batch_id, merged_slices(slices)
                    slices = []


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

    def posts_of(item: str | Slice) -> pl.DataFrame:
        if isinstance(item, Slice):
            return item.posts(store.scan("posts", [item.batch_id])).collect()
        return store.scan("posts", [item]).collect()

    sizes = dict(store.scan("posts", new).group_by("batch_id").agg(pl.len()).collect().iter_rows())
    history, built_so_far = {}, 0
    for batch_id in order:
        if batch_id in built:
            built_so_far += 1
        else:
            history[batch_id] = built_so_far
    groups: list[tuple[str | Slice, ...]] = []
    for group in batch_groups(new, sizes, history):
        run: list[str] = []
        for batch_id in group:
            if sizes.get(batch_id, 0) <= SLICE_POSTS:
                run.append(batch_id)
                continue
            if run:
                groups.append(tuple(run))
                run = []
            published = store.scan("posts", [batch_id]).select("published_at").collect()
            groups.extend((part,) for part in slices_of(batch_id, published["published_at"]))
        if run:
            groups.append(tuple(run))
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
