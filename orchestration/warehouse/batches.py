"""The batches of a home (one per ingested file or page) and where each stands.

A batch is `published` (the published warehouse holds it), `pending` (normalized, not yet
published), `set aside` (a blocking check refused it: normalized/quarantine), `released` (set
aside once, released by the user: builds on the next run) or `rejected` (the file could not be
read at all). `tgwh batches` shows them and lets the user release or remove one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration.common.writer_lock import writer_lock
from orchestration.config import Home, settings
from orchestration.ingest.raw_store import RawStore, batch_source
from orchestration.ingest.sources import KnownDigests, expand_sources
from orchestration.normalize.quarantine import Quarantine
from orchestration.normalize.store import NormalizedStore
from orchestration.warehouse import stamp as build_stamp
from orchestration.warehouse.lifecycle import WarehouseBuild


class UnknownBatch(LookupError):
    pass


@dataclass(frozen=True)
class PendingWork:
    """What a run has to do beyond looking at its files, decided before it starts, so that a
    run with nothing to do plans (and shows in the Dagster UI) no step it would skip."""

    new_files: bool  # a source file whose batch has not landed
    unnormalized: bool  # a landed batch without its normalized or entity partition
    unbuilt: bool  # the published warehouse does not hold every normalized batch

    @property
    def anything(self) -> bool:
        return self.new_files or self.unnormalized or self.unbuilt


def pending_work(home: Home, paths: list[Path], channel: str | None = None) -> PendingWork:
    """Looks at the source files until one is new; only files the stat memo does not know
    are read (KnownDigests: a new file is hashed here once, and the ingest step reuses it)."""
    raw, known = RawStore(home.raw), KnownDigests(home.file_digests)
    new_files = any(_is_new(home, raw, known, path, channel) for path in expand_sources(paths))
    known.save()
    return PendingWork(
        new_files=new_files,
        unnormalized=needs_normalizing(home),
        unbuilt=needs_building(home),
    )


def _is_new(
    home: Home, raw: RawStore, known: KnownDigests, path: Path, channel: str | None
) -> bool:
    try:
        batch_id, content_sha256 = known.digests(path, channel)
    except OSError:
        return True  # the ingest step reports it
    return not (
        home.raw.batch_file("files", batch_id).exists()
        or home.raw.batch_file("rejects", f"file-{batch_id}").exists()
        or raw.holds_content(content_sha256)
    )


def needs_normalizing(home: Home) -> bool:
    store = NormalizedStore(home.normalized)
    landed = RawStore(home.raw).batch_ids()
    normalized = store.batches()
    return bool(landed - normalized - Quarantine(home.normalized).batches()) or bool(
        normalized - store.entity_batches()
    )


def needs_building(home: Home) -> bool:
    """The published warehouse lacks a normalized batch, or was built by other code (a home
    with no batch and no warehouse has nothing to build)."""
    batches = NormalizedStore(home.normalized).batches()
    if not batches and not home.warehouse.published.exists():
        return False
    return not WarehouseBuild(home).plan(batches).up_to_date


def batch_statuses(home: Home) -> pl.DataFrame:
    """One row per batch: batch_id, status, source_file, source_format, posts, ingested_at."""
    raw = RawStore(home.raw)
    files = raw.scan("files").collect()
    quarantine = Quarantine(home.normalized)
    stamp = build_stamp.published_build(home.warehouse.published)
    published = set(stamp["batch_ids"]) if stamp else set()
    set_aside, released = quarantine.batches(), quarantine.released()
    # a batch of several scraped pages has a files/ row per page: one line for the batch
    landed = (
        files.sort("ingested_at", "source_file")
        .group_by("batch_id", maintain_order=True)
        .agg(
            batch_source(pl.col("source_file")).alias("source_file"),
            pl.col("source_format").first(),
            (pl.col("records_read") - pl.col("records_rejected")).sum().alias("posts"),
            pl.col("ingested_at").min(),
        )
    )
    # files rejected whole have no files/ row: one reject row each, under file-<hash>
    rejected = [
        raw.read_batch("rejects", batch)
        .head(1)
        .select(
            pl.lit(batch).alias("batch_id"),
            "source_file",
            "source_format",
            pl.lit(0, pl.Int64).alias("posts"),
            "ingested_at",
        )
        for batch in sorted(raw.batch_ids() - set(files["batch_id"]))
    ]
    status = (
        pl.when(pl.col("batch_id").str.starts_with("file-"))
        .then(pl.lit("rejected"))
        .when(pl.col("batch_id").is_in(list(set_aside)))
        .then(pl.lit("set aside"))
        .when(pl.col("batch_id").is_in(list(published)))
        .then(pl.lit("published"))
        .when(pl.col("batch_id").is_in(list(released)))
        .then(pl.lit("released"))
        .otherwise(pl.lit("pending"))
    )
    return (
        pl.concat([landed, *rejected])
        .with_columns(status.alias("status"))
        .select("batch_id", "status", "source_file", "source_format", "posts", "ingested_at")
        .sort("ingested_at", "source_file")
    )


def resolve(home: Home, prefix: str) -> str:
    """The batch whose id starts with ``prefix`` (ids are long: users type the first few)."""
    ids = RawStore(home.raw).batch_ids() | Quarantine(home.normalized).batches()
    matches = sorted(batch for batch in ids if batch.startswith(prefix.strip()))
    if len(matches) != 1:
        problem = "no batch" if not matches else f"{len(matches)} batches"
        raise UnknownBatch(f"{problem} with an id starting with {prefix!r} (see tgwh batches list)")
    return matches[0]


def release(home: Home, batch_id: str) -> None:
    with writer_lock(home.lock, run="tgwh batches release", wait_seconds=_patience()):
        if batch_id not in Quarantine(home.normalized).batches():
            raise UnknownBatch(f"batch {batch_id[:12]} is not set aside")
        Quarantine(home.normalized).release(batch_id)


def remove(home: Home, batch_id: str, reason: str) -> dict:
    """Gone from the raw and normalized layers; audit.removed_batches keeps the record. The
    next run rebuilds the warehouse without it."""
    with writer_lock(home.lock, run="tgwh batches remove", wait_seconds=_patience()):
        record = RawStore(home.raw).remove_batch(batch_id, reason)
        NormalizedStore(home.normalized).remove_batch(batch_id)
        return record


def _patience() -> float:
    return settings().lock_wait_seconds
