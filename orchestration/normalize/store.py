"""The normalized layer: typed Parquet partitions under ``<home>/normalized`` that dbt reads.

Every raw batch (one ingested file, or the pages one scrape landed together) is normalized once,
into a partition of its own, so a run costs what its new files cost, whatever the history::

    batches/<batch_id>/<table>.parquet   posts, post_views, channel_headers, service_messages,
                                         ingested_files, rejects of that batch
    entities/<batch_id>/<table>.parquet  country_mentions, leader_mentions, leader_candidates,
                                         persons_named, diplomatic_events of that batch's posts
    batches/_schema/, entities/_schema/  zero-row tables, so that a glob always matches
    countries.parquet, leaders.parquet   reference tables (leaders: reference + discovered)
    office_terms.parquet                 who held which office when
    channel_persons.parquet              persons named per channel (all batches' persons_named)
    FORMAT                               fingerprint of the code that wrote the partitions

Each partition is written into ``.staging/`` and renamed into place whole, so a reader (dbt)
sees a batch completely or not at all, and a killed run leaves nothing half-written. Every row
carries its ``batch_id`` and ``ingested_at``; posts seen in several batches (an export and later
pages, say) are resolved to one row per post in dbt's staging layer, by the same rule
``normalize_posts`` applies within a batch.

A partition is a pure function of its raw batch and the code, so building batch by batch gives
the same tables as building everything at once. When the code changes (FORMAT differs), every
partition is rebuilt: the full-refresh path.
"""

from __future__ import annotations

import os
import shutil
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from orchestration import schemas
from orchestration.common.durable import (
    fsync_dir,
    remove_stale_temporaries,
    write_parquet_atomic,
    write_text_atomic,
)
from orchestration.common.failpoints import failpoint
from orchestration.common.fingerprints import normalized_layer_fingerprint
from orchestration.config import NormalizedLayout
from orchestration.ingest.raw_store import RawStore
from orchestration.normalize.quarantine import Quarantine
from orchestration.normalize.records import (
    normalize_headers,
    normalize_posts,
    normalize_service,
    post_view_observations,
)
from orchestration.normalize.rules import (
    REJECT_COLUMNS,
    rule_of_parse_reject,
    split_by_record_rules,
)

PARTITION_COLUMNS = {"batch_id": pl.String, "ingested_at": schemas.UTC_TIME}

BATCH_TABLES = {
    "posts": schemas.NORMALIZED_POST_SCHEMA,
    "post_views": schemas.POST_VIEW_SCHEMA,
    "channel_headers": schemas.NORMALIZED_HEADER_SCHEMA,
    "service_messages": schemas.RAW_SERVICE_SCHEMA,
    "ingested_files": schemas.INGESTED_FILE_SCHEMA,
    # what a parser could not read, and the records a rule refused (normalize/rules.py)
    "rejects": {**schemas.REJECT_SCHEMA, **REJECT_COLUMNS},
}
ENTITY_BATCH_TABLES = {
    "country_mentions": schemas.COUNTRY_MENTION_SCHEMA,
    "leader_mentions": schemas.LEADER_MENTION_SCHEMA,
    "leader_candidates": schemas.LEADER_SCHEMA,
    "persons_named": schemas.CHANNEL_PERSON_SCHEMA,
    "diplomatic_events": schemas.DIPLOMATIC_EVENT_SCHEMA,
}
REFERENCE_TABLES = {
    "countries": schemas.COUNTRY_SCHEMA,
    "leaders": schemas.LEADER_SCHEMA,
    "office_terms": schemas.OFFICE_TERM_SCHEMA,
    "channel_persons": schemas.CHANNEL_PERSON_SCHEMA,
}
# Small tables over the whole layer, rebuilt each run (not partitioned by batch).
LAYER_TABLES = {"removed_batches": schemas.REMOVED_BATCH_SCHEMA}

NORMALIZED_TABLES = tuple(BATCH_TABLES)
ENTITY_TABLES = (
    "countries",
    "leaders",
    "office_terms",
    "country_mentions",
    "leader_mentions",
    "diplomatic_events",
)
SCHEMA_PARTITION = "_schema"


def partition_schema(table: str) -> dict:
    schema = BATCH_TABLES.get(table) or ENTITY_BATCH_TABLES[table]
    return {**schema, **{k: v for k, v in PARTITION_COLUMNS.items() if k not in schema}}


@dataclass
class BuildReport:
    """What one pass over the layer did, for logs and asset metadata."""

    new_batches: list[str]
    rows: dict[str, int]  # rows added per table
    rebuilt_all: bool = False  # the code changed: every partition was rebuilt


class NormalizedStore:
    def __init__(self, layout: NormalizedLayout):
        self.layout = layout
        self.batches_dir = layout.batches_dir
        self.entities_dir = layout.entities_dir

    @staticmethod
    def _partitions(folder: Path) -> set[str]:
        if not folder.exists():
            return set()
        return {p.name for p in folder.iterdir() if p.is_dir() and p.name != SCHEMA_PARTITION}

    def batches(self) -> set[str]:
        return self._partitions(self.batches_dir)

    def entity_batches(self) -> set[str]:
        return self._partitions(self.entities_dir)

    def scan(self, table: str, batch_ids: list[str] | None = None) -> pl.LazyFrame:
        """One table over all its partitions (or the named ones), in batch order."""
        folder = self.batches_dir if table in BATCH_TABLES else self.entities_dir
        ids = sorted(self._partitions(folder) if batch_ids is None else batch_ids)
        files = [folder / batch_id / f"{table}.parquet" for batch_id in ids]
        if not files:
            return pl.LazyFrame(schema=partition_schema(table))
        return pl.scan_parquet(files, schema=partition_schema(table))

    def read_reference(self, name: str) -> pl.DataFrame:
        return pl.read_parquet(self.layout.reference_file(name))

    # --- writing --------------------------------------------------------------------------

    def prepare(self) -> bool:
        """Clear what a killed writer left; True when the code changed and all is rebuilt."""
        remove_stale_temporaries(self.layout.root)
        shutil.rmtree(self.layout.staging_dir, ignore_errors=True)
        fingerprint = normalized_layer_fingerprint()
        changed = (
            self.layout.format_file.read_text().strip() != fingerprint
            if self.layout.format_file.exists()
            else bool(self.batches() or self.entity_batches())
        )
        if changed:
            shutil.rmtree(self.batches_dir, ignore_errors=True)
            shutil.rmtree(self.entities_dir, ignore_errors=True)
            Quarantine(self.layout).clear_partitions()
        for folder, tables in (
            (self.batches_dir, BATCH_TABLES),
            (self.entities_dir, ENTITY_BATCH_TABLES),
        ):
            if not (folder / SCHEMA_PARTITION).exists():
                empty = {name: pl.DataFrame(schema=partition_schema(name)) for name in tables}
                self.write_partition(folder, SCHEMA_PARTITION, empty)
        if changed or not self.layout.format_file.exists():
            write_text_atomic(self.layout.format_file, fingerprint + "\n")
        return changed

    def write_partition(self, folder: Path, batch_id: str, tables: dict[str, pl.DataFrame]):
        """All tables of one batch into a staging folder, then renamed into place at once."""
        staging = self.layout.staging_dir / batch_id
        shutil.rmtree(staging, ignore_errors=True)
        for name, frame in tables.items():
            write_parquet_atomic(frame, staging / f"{name}.parquet")
            failpoint("normalized.table_written")
        folder.mkdir(parents=True, exist_ok=True)
        fsync_dir(staging)
        os.replace(staging, folder / batch_id)
        fsync_dir(folder)

    def remove_batch(self, batch_id: str) -> None:
        """Drop every partition of a batch (the user removed it from the raw layer)."""
        for folder in (self.batches_dir, self.entities_dir):
            shutil.rmtree(folder / batch_id, ignore_errors=True)
        Quarantine(self.layout).forget(batch_id)

    def write_reference(self, name: str, frame: pl.DataFrame) -> None:
        write_parquet_atomic(frame, self.layout.reference_file(name))
        failpoint("normalized.table_written")


def stamped(frame: pl.DataFrame, table: str, batch_id: str, ingested_at) -> pl.DataFrame:
    schema = partition_schema(table)
    frame = frame.with_columns(pl.lit(batch_id, dtype=pl.String).alias("batch_id"))
    if "ingested_at" not in frame.columns:
        frame = frame.with_columns(pl.lit(ingested_at, dtype=schemas.UTC_TIME).alias("ingested_at"))
    return schemas.conform(frame, schema)


def normalize_batch(raw: RawStore, batch_id: str) -> dict[str, pl.DataFrame]:
    """The six normalized tables of one raw batch (a pure function of the batch).

    A batch of several scraped pages gives the rows its pages would give landed one by one:
    each row keeps its page's landing time (joined by ``source_file``), the one the record
    rules judge "the future" by; only ``batch_id`` tells the two apart.
    """
    files = raw.read_batch("files", batch_id)
    rejects = raw.read_batch("rejects", batch_id)
    ingested_at: datetime | None = None
    for frame in (files, rejects):
        if frame.height and ingested_at is None:
            ingested_at = frame["ingested_at"][0]
    landed_at: datetime | pl.Expr | None = ingested_at
    by_file = files.height > 1

    def with_landing_times(frame: pl.DataFrame) -> pl.DataFrame:
        """Each row's landing time: the batch's, or its page's (so that the posts a record
        rule refuses keep theirs into the rejects)."""
        if not by_file:
            return frame.with_columns(
                pl.lit(ingested_at, dtype=schemas.UTC_TIME).alias("ingested_at")
            )
        times = files.select("source_file", "ingested_at")
        return frame.join(times, on="source_file", how="left", maintain_order="left")

    if by_file:
        landed_at = pl.col("ingested_at")
    raw_posts = raw.read_batch("posts", batch_id)
    posts, refused = split_by_record_rules(
        with_landing_times(normalize_posts(raw_posts)), landed_at
    )
    views = post_view_observations(raw_posts).join(refused.select("post_key"), "post_key", "anti")
    if by_file:  # a view count is observed when its page landed
        views = views.with_columns(pl.col("observed_at").alias("ingested_at"))
    parse_rejects = rejects.with_columns(
        rule=rule_of_parse_reject(pl.col("source_position")), post_key=pl.lit(None, pl.String)
    )
    tables = {
        "posts": posts,
        "post_views": views,
        "channel_headers": with_landing_times(
            normalize_headers(raw.read_batch("headers", batch_id))
        ),
        "service_messages": with_landing_times(
            schemas.conform(
                normalize_service(raw.read_batch("service", batch_id)),
                schemas.RAW_SERVICE_SCHEMA,
            )
        ),
        "ingested_files": files,
        "rejects": pl.concat([parse_rejects, refused], how="diagonal_relaxed"),
    }
    return {name: stamped(frame, name, batch_id, ingested_at) for name, frame in tables.items()}


# Each batch in flight holds its frames in memory: a few at a time use the cores well enough.
MAX_BATCHES_AT_ONCE = 4


def in_threads(work, batch_ids: list[str]):
    """(batch_id, work(batch_id)) in batch order, two batches or more computed at a time.

    Much of normalization and entity matching is one Polars string expression over one column,
    which runs on one core; Polars releases the GIL, so batches side by side use all cores.
    Results are handed back (and written) in order, at most one batch ahead per worker.
    """
    workers = min(len(batch_ids), pl.thread_pool_size(), MAX_BATCHES_AT_ONCE)
    if workers < 2:
        for batch_id in batch_ids:
            yield batch_id, work(batch_id)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = deque()
        for batch_id in batch_ids:
            pending.append((batch_id, pool.submit(work, batch_id)))
            if len(pending) > workers:
                done_id, future = pending.popleft()
                yield done_id, future.result()
        while pending:
            done_id, future = pending.popleft()
            yield done_id, future.result()


def build_normalized(raw: RawStore, store: NormalizedStore) -> BuildReport:
    """Normalize every raw batch that has no partition yet (all of them when the code changed)."""
    rebuilt_all = store.prepare()
    done = store.batches() | Quarantine(store.layout).batches()  # set aside: until released
    new = sorted(batch for batch in raw.batch_ids() if batch not in done)
    rows = dict.fromkeys(BATCH_TABLES, 0)
    for batch_id, tables in in_threads(lambda batch_id: normalize_batch(raw, batch_id), new):
        store.write_partition(store.batches_dir, batch_id, tables)
        for name, frame in tables.items():
            rows[name] += frame.height
    store.write_reference("removed_batches", raw.removals())
    return BuildReport(new_batches=new, rows=rows, rebuilt_all=rebuilt_all)
