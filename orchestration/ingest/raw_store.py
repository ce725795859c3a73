"""The raw layer: every ingested file lands once, as immutable Parquet, with a record of itself.

Layout under ``<home>/raw``::

    posts/<batch_id>.parquet      records as parsed (RAW_POST_SCHEMA + ingested_at)
    headers/<batch_id>.parquet    channel header snapshots
    service/<batch_id>.parquet    service messages, kept apart from posts
    rejects/<batch_id>.parquet    records (or whole files) that could not be parsed, with reasons
    files/<batch_id>.parquet      one row describing the file; written last, so it marks the
                                  batch as complete

A batch is what one landing wrote: one source file, or several scraped pages landed together
(RawStore.land_pages), its ``files/`` table then holding one row per page, each with the page's
own hash, landing time and covered id range; every record keeps its page's ``source_file`` and
``ingested_at``. A one-file batch's id is the SHA-256 of the file's bytes (and of the channel
override, since that changes the records); a several-page batch's is the SHA-256 of its pages'
ids. Files are written to a temporary name and renamed, so a crash never leaves a partial
Parquet file under its final name, and a batch without its ``files/`` row is ignored (its pages
are not claimed by anything) and landed again by the next run.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from orchestration import schemas
from orchestration.common.durable import (
    CannotWrite,
    remove_stale_temporaries,
    write_parquet_atomic,
)
from orchestration.common.failpoints import failpoint
from orchestration.common.stage_clock import stage
from orchestration.config import RawLayout
from orchestration.ingest.parsing import ParsedFile, SourceFileError, detect_format, parse_file
from orchestration.ingest.parsing.common import REASON_CHARS, storable_path
from orchestration.ingest.parsing.reading import check_source, default_max_bytes
from orchestration.ingest.sources import KnownDigests, list_sources

log = logging.getLogger(__name__)

TABLES = ("posts", "headers", "service", "rejects", "files")
_TABLE_SCHEMAS = {
    "posts": schemas.RAW_POST_SCHEMA,
    "headers": schemas.RAW_HEADER_SCHEMA,
    "service": schemas.RAW_SERVICE_SCHEMA,
    "rejects": schemas.REJECT_SCHEMA,
    "files": schemas.INGESTED_FILE_SCHEMA,
}


@dataclass
class IngestReport:
    """What one ingestion pass did, for logs, metadata and the command line."""

    landed: list[dict] = field(default_factory=list)  # rows of INGESTED_FILE_SCHEMA
    unchanged: list[str] = field(default_factory=list)  # files whose batch had already landed
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, problem)
    # (file, what was lost): files that landed but not whole (cut short, conflicting
    # duplicates); their reject rows say the same
    warnings: list[tuple[str, str]] = field(default_factory=list)
    # (entry, why): what the named folders held that is not a source (another suffix, a link
    # to a folder); not read, only listed
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def posts_landed(self) -> int:
        return sum(row["records_read"] - row["records_rejected"] for row in self.landed)


@dataclass(frozen=True)
class PageRange:
    """The message ids a scraped page showed whole: every id in [from_id, to_id] not on the
    page was not in the channel when the page was read (deleted, or never a post)."""

    channel: str
    from_id: int
    to_id: int


@dataclass(frozen=True)
class _Pending:
    """A file whose batch has not landed yet."""

    path: Path
    channel: str | None
    batch_id: str
    content_sha256: str
    ingested_at: datetime
    covered: PageRange | None = None


@dataclass(frozen=True)
class PreparedPage:
    """A scraped page parsed and waiting to land with others (RawStore.land_pages)."""

    pending: _Pending
    parsed: ParsedFile

    @property
    def posts(self) -> int:
        return self.parsed.posts.height

    @property
    def message_ids(self) -> set[int]:
        return set(self.parsed.posts["message_id"].drop_nulls())


def batch_source(source_files: pl.Expr) -> pl.Expr:
    """A batch's source in a few words: its file, or its first page and how many more
    (an aggregation over the batch's files/ rows)."""
    first = source_files.first()
    return (
        pl.when(source_files.len() > 1)
        .then(pl.format("{} (and {} more)", first, source_files.len() - 1))
        .otherwise(first)
    )


def landing_id(page_batch_ids: list[str]) -> str:
    """The id of a batch of several pages: the hash of their own ids, in landing order (one
    page keeps its own id, as when it lands alone)."""
    if len(page_batch_ids) == 1:
        return page_batch_ids[0]
    return hashlib.sha256("\0".join(["pages", *page_batch_ids]).encode()).hexdigest()


def _unexpected(error: BaseException) -> str:
    """A problem no parser foresaw, in words: the run names the file and goes on."""
    problem = f"could not be parsed: {type(error).__name__}: {error}"
    return problem if len(problem) <= REASON_CHARS else problem[: REASON_CHARS - 1] + "…"


def _parse(
    path: Path, channel: str | None, observed_at: datetime, max_bytes: int
) -> ParsedFile | str:
    """The parsed file, or the problem that makes it unreadable as a whole (a string, so that it
    crosses a process boundary plainly).

    Whatever a file holds, this returns: an error no parser foresaw (a bug, a limit of a
    library) becomes that file's problem, so one file never stops the others.
    """
    try:
        return parse_file(path, channel=channel, observed_at=observed_at, max_bytes=max_bytes)
    except SourceFileError as error:
        return error.problem
    except OSError as error:
        return f"cannot read: {error.strerror or error}"
    except Exception as error:  # noqa: BLE001 - the net under every parser, see above
        log.exception("parsing %s failed unexpectedly", path)
        return _unexpected(error)


def _parsed_in_order(todo: list[_Pending], max_bytes: int):
    """(pending, parsed file or problem), one file at a time, in file order.

    Parsing in a pool of worker processes was measured (1M posts, 20 exports, 2 cores): about
    10% faster, for a gigabyte more of peak memory (parsed frames cross the process boundary
    by pickling); not worth it.
    """
    for pending in todo:
        with stage("parse"):
            outcome = _parse(pending.path, pending.channel, pending.ingested_at, max_bytes)
        yield pending, outcome


class RawStore:
    def __init__(
        self,
        layout: RawLayout,
        max_file_bytes: int | None = None,
        known_digests: KnownDigests | None = None,
    ):
        self.layout = layout
        # the largest source file read (TGWH_MAX_FILE_BYTES unless given)
        self.max_file_bytes = default_max_bytes() if max_file_bytes is None else max_file_bytes
        # files hashed before are not read again to learn that they landed (None: all are)
        self.known_digests = known_digests or KnownDigests(None)
        self._page_contents: set[str] | None = None  # see _landed_page_contents

    def landed_batches(self) -> set[str]:
        folder = self.layout.table_dir("files")
        return {p.stem for p in folder.glob("*.parquet")} if folder.exists() else set()

    def _write(self, table: str, batch_id: str, frame: pl.DataFrame) -> None:
        write_parquet_atomic(frame, self.layout.batch_file(table, batch_id))

    def land_file(
        self, path: Path, channel: str | None = None, covered: PageRange | None = None
    ) -> dict | None:
        """Parse and land one file; None when its batch had landed before.

        ``covered`` is the id range a scraped page showed whole, kept in its ``files/`` row.
        Raises SourceFileError when the file as a whole cannot be read (and never anything
        else for what the file holds); the error is also recorded as a reject so it stays
        queryable after the run.
        """
        page = self.prepare_page(path, channel, covered)
        return None if page is None else self.land_pages([page])[0]

    def prepare_page(
        self,
        path: Path,
        channel: str | None = None,
        covered: PageRange | None = None,
        ingested_at: datetime | None = None,
    ) -> PreparedPage | None:
        """Parse one scraped page to land later with others; None when its bytes have landed
        before (alone, or inside a batch of pages). SourceFileError as land_file.

        ``ingested_at`` is the page's landing time, now unless given (landing a page again as
        it landed elsewhere: the records a page gives depend on it)."""
        try:
            pending = self._pending(path, channel)
        except SourceFileError as error:
            self._land_unreadable(path, error.problem)
            raise
        if pending is None or self.holds_content(pending.content_sha256):
            return None
        pending = replace(pending, covered=covered, ingested_at=ingested_at or pending.ingested_at)
        with stage("parse"):
            outcome = _parse(path, channel, pending.ingested_at, self.max_file_bytes)
        if isinstance(outcome, str):  # the file as a whole could not be parsed
            error = SourceFileError(pending.path, outcome)
            self._land_file_rejection(pending.path, pending.batch_id, error, pending.ingested_at)
            raise error
        return PreparedPage(pending, outcome)

    def holds_content(self, content_sha256: str) -> bool:
        """These bytes landed as a page inside a batch of several pages (a scrape's), whatever
        the file is named now: a saved page given to `tgwh run` again is no new batch."""
        return content_sha256 in self._landed_page_contents()

    def _landed_page_contents(self) -> set[str]:
        """Hashes of the pages landed inside batches of several pages: read once per store
        (a few files/ tables, one per landing), then kept up to date by land_pages."""
        if self._page_contents is None:
            self._page_contents = set(
                self.scan("files")
                .group_by("batch_id")
                .agg(pl.col("content_sha256"), pl.len().alias("files"))
                .filter(pl.col("files") > 1)
                .select(pl.col("content_sha256").explode())
                .collect()["content_sha256"]
                .drop_nulls()
            )
        return self._page_contents

    def land_pages(self, pages: list[PreparedPage]) -> list[dict]:
        """Land prepared pages as one batch (its ``files/`` row per page, written last):
        a killed landing leaves no batch, so nothing claims the pages it did not hold."""
        if not pages:
            return []
        batch_id = landing_id([page.pending.batch_id for page in pages])
        with stage("land"):
            try:
                records = self._land_parsed(
                    batch_id, [(page.pending, page.parsed) for page in pages]
                )
            except CannotWrite:
                raise  # a full disk or a read-only home: no file is at fault, the run stops
            except Exception as error:  # noqa: BLE001 - a frame Parquet refuses
                log.exception("landing %s failed", pages[0].pending.path)
                problem = f"could not be landed: {type(error).__name__}: {error}"
                if len(pages) > 1:
                    others = ", ".join(storable_path(page.pending.path) for page in pages[1:])
                    problem += f" (landing with {others})"
                raise SourceFileError(pages[0].pending.path, problem) from None
        if len(pages) > 1 and self._page_contents is not None:
            self._page_contents.update(page.pending.content_sha256 for page in pages)
        return records

    def _pending(self, path: Path, channel: str | None) -> _Pending | None:
        """The file's batch, or None when it has landed before; SourceFileError when it cannot
        be read (not a regular file, over the size limit, a symlink loop, an OS error)."""
        try:
            check_source(path, self.max_file_bytes)
            with stage("land"):
                batch_id, content_sha256 = self.known_digests.digests(
                    path, channel, self.max_file_bytes
                )
                if self.layout.batch_file("files", batch_id).exists():
                    return None
        except OSError as error:  # a race with the file's removal, say: still in words
            raise SourceFileError(path, f"cannot read: {error.strerror or error}") from None
        return _Pending(path, channel, batch_id, content_sha256, datetime.now(UTC))

    def _land_outcome(self, pending: _Pending, outcome: ParsedFile | str) -> dict:
        if isinstance(outcome, str):  # the file as a whole could not be parsed
            error = SourceFileError(pending.path, outcome)
            self._land_file_rejection(pending.path, pending.batch_id, error, pending.ingested_at)
            raise error
        with stage("land"):
            try:
                return self._land_parsed(pending.batch_id, [(pending, outcome)])[0]
            except CannotWrite:
                raise  # a full disk or a read-only home: no file is at fault, the run stops
            except Exception as error:  # noqa: BLE001 - a frame Parquet refuses
                # The batch has no files/ row, so it is not complete and the next run lands
                # it again; this run names the file and goes on with the others.
                log.exception("landing %s failed", pending.path)
                raise SourceFileError(
                    pending.path, f"could not be landed: {type(error).__name__}: {error}"
                ) from None

    def _land_parsed(self, batch_id: str, files: list[tuple[_Pending, ParsedFile]]) -> list[dict]:
        """Write one batch: each file's records stamped with its own landing time, then the
        ``files/`` rows (one per file) last, marking the batch complete."""
        for table in ("posts", "headers", "service", "rejects"):
            frames = [
                getattr(parsed, table).with_columns(
                    pl.lit(pending.ingested_at, dtype=schemas.UTC_TIME).alias("ingested_at")
                )
                for pending, parsed in files
            ]
            self._write(
                table,
                batch_id,
                frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical_relaxed"),
            )
        failpoint("raw.before_files_record")
        records = [
            {
                "batch_id": batch_id,
                "source_file": storable_path(pending.path),
                "source_format": parsed.source_format,
                "content_sha256": pending.content_sha256,
                "size_bytes": pending.path.stat().st_size,
                "records_read": parsed.posts.height + parsed.rejects.height,
                "records_rejected": parsed.rejects.height,
                "service_messages": parsed.service.height,
                "ingested_at": pending.ingested_at,
                "covered_channel": pending.covered.channel if pending.covered else None,
                "covered_from_id": pending.covered.from_id if pending.covered else None,
                "covered_to_id": pending.covered.to_id if pending.covered else None,
            }
            for pending, parsed in files
        ]
        self._write("files", batch_id, pl.DataFrame(records, schema=schemas.INGESTED_FILE_SCHEMA))
        return records

    def _land_file_rejection(
        self, path: Path, batch_id: str, error: SourceFileError, ingested_at: datetime
    ) -> None:
        """A file that fails whole is kept as one reject row (position -1) for later review.

        It has no ``files/`` row, so fixing the file (new content, new batch id) lands it anew.
        """
        try:
            source_format = detect_format(path, self.max_file_bytes)
        except Exception:  # noqa: BLE001 - only a label for the reject row
            source_format = None
        self._write_whole_file_reject(
            f"file-{batch_id}", path, source_format, error.problem, ingested_at
        )

    def _land_unreadable(self, path: Path, problem: str) -> None:
        """A file that could not even be read (no content to hash): one reject row, named by
        the path and the problem, so the same problem twice is one row."""
        key = hashlib.sha256(f"{path}\0{problem}".encode(errors="surrogateescape")).hexdigest()
        try:
            self._write_whole_file_reject(f"file-{key}", path, None, problem, datetime.now(UTC))
        except OSError:
            log.exception("could not record the reject of %s", path)

    def _write_whole_file_reject(
        self,
        reject_id: str,
        path: Path,
        source_format: str | None,
        problem: str,
        ingested_at: datetime,
    ) -> None:
        if self.layout.batch_file("rejects", reject_id).exists():
            return
        reject = pl.DataFrame(
            [
                {
                    "source_file": storable_path(path),
                    "source_format": source_format,
                    "source_position": -1,
                    "reason": problem,
                    "excerpt": None,
                }
            ],
            schema=schemas.REJECT_SCHEMA,
        ).with_columns(pl.lit(ingested_at, dtype=schemas.UTC_TIME).alias("ingested_at"))
        self._write("rejects", reject_id, reject)

    def ingest(self, paths: list[Path], channel: str | None = None) -> IngestReport:
        """Land every file under ``paths``; one bad file never stops the others.

        Files already landed are recognised by their hash first; the new ones are then parsed
        and landed one at a time, in file order.
        """
        report = IngestReport()
        remove_stale_temporaries(self.layout.root)
        todo: list[_Pending] = []
        batches: set[str] = set()
        listing = list_sources(paths)
        report.skipped = [(storable_path(path), why) for path, why in listing.skipped]
        for path in listing.files:
            try:
                pending = self._pending(path, channel)
            except SourceFileError as error:  # unreadable: report, keep the reject, go on
                report.failed.append((storable_path(path), error.problem))
                self._land_unreadable(path, error.problem)
                continue
            if (
                pending is None
                or pending.batch_id in batches
                or self.holds_content(pending.content_sha256)
            ):
                # landed before (alone, or a page inside a batch of pages), or a copy of a
                # file above
                report.unchanged.append(storable_path(path))
            else:
                todo.append(pending)
                batches.add(pending.batch_id)
        for pending, outcome in _parsed_in_order(todo, self.max_file_bytes):
            try:
                record = self._land_outcome(pending, outcome)
            except SourceFileError as error:
                report.failed.append((storable_path(pending.path), error.problem))
                continue
            report.landed.append(record)
            name = storable_path(pending.path)
            report.warnings.extend((name, warning) for warning in outcome.warnings)
            failpoint("raw.between_files")
        self.known_digests.save()
        return report

    def batch_ids(self) -> set[str]:
        """Complete batches, and files rejected whole (``file-<hash>``: rejects only)."""
        rejected = self.layout.table_dir("rejects")
        whole_file_rejects = (
            {p.stem for p in rejected.glob("file-*.parquet")} if rejected.exists() else set()
        )
        return self.landed_batches() | whole_file_rejects

    def read_batch(self, table: str, batch_id: str) -> pl.DataFrame:
        """One table of one batch (empty, with the table's columns, when the batch has none)."""
        schema = {**_TABLE_SCHEMAS[table], "ingested_at": schemas.UTC_TIME}
        path = self.layout.batch_file(table, batch_id)
        if not path.exists():
            return pl.DataFrame(schema=schema)
        # Batches landed before a column was added to the schema read it as null.
        return pl.read_parquet(path, schema=schema, missing_columns="insert")

    def scan(self, table: str) -> pl.LazyFrame:
        """All complete batches of one table (batches without a ``files/`` row are ignored)."""
        schema = {**_TABLE_SCHEMAS[table], "ingested_at": schemas.UTC_TIME}
        complete = self.landed_batches()
        folder = self.layout.table_dir(table)
        files = sorted(
            p
            for p in folder.glob("*.parquet")
            if p.stem in complete or (table == "rejects" and p.stem.startswith("file-"))
        )
        if not files:
            return pl.LazyFrame(schema=schema)
        return pl.scan_parquet(files, schema=schema, missing_columns="insert")

    def remove_batch(self, batch_id: str, reason: str) -> dict:
        """Remove a batch's files, keeping a record of what it was, when and why.

        The raw layer is otherwise never changed: this is the user's explicit decision
        (`tgwh batches remove`). The files/ row goes first, so a crash halfway leaves an
        incomplete batch, which every reader already ignores. Landing the same file again
        later brings the batch back.
        """
        files = self.read_batch("files", batch_id)
        rejects = self.read_batch("rejects", f"file-{batch_id.removeprefix('file-')}")
        described = files if files.height else rejects
        record = {
            "batch_id": batch_id,
            "source_file": files.select(batch_source(pl.col("source_file"))).item()
            if files.height
            else (rejects["source_file"][0] if rejects.height else None),
            "source_format": described["source_format"][0] if described.height else None,
            "ingested_at": described["ingested_at"][0] if described.height else None,
            "removed_at": datetime.now(UTC),
            "reason": reason,
        }
        write_parquet_atomic(
            pl.DataFrame([record], schema=schemas.REMOVED_BATCH_SCHEMA),
            self.layout.removals_dir / f"{batch_id}.parquet",
        )
        for table in ("files", *[t for t in TABLES if t != "files"]):
            self.layout.batch_file(table, batch_id).unlink(missing_ok=True)
        return record

    def removals(self) -> pl.DataFrame:
        folder = self.layout.removals_dir
        files = sorted(folder.glob("*.parquet")) if folder.exists() else []
        if not files:
            return pl.DataFrame(schema=schemas.REMOVED_BATCH_SCHEMA)
        return pl.read_parquet(files, schema=schemas.REMOVED_BATCH_SCHEMA)
