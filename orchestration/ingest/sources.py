"""Which files a run ingests, and the hashes that name their batches."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from orchestration.common.durable import keep_frame
from orchestration.ingest.parsing.common import SourceFileError
from orchestration.ingest.parsing.reading import (
    default_max_bytes,
    open_source,
    os_problem,
    too_large,
)

# Inside folders only files that can be sources are taken (a README beside an export is not);
# a file named explicitly is always tried, whatever its name.
SOURCE_SUFFIXES = {".html", ".htm", ".json", ".jsonl", ".ndjson", ".txt"}
_CHUNK = 1 << 20


def file_digests(path: Path, channel: str | None, max_bytes: int | None = None) -> tuple[str, str]:
    """(batch id, content SHA-256) in one read of the file.

    The batch id is the hash of the bytes and of the channel override (which changes the
    records); without an override the two are the same.
    """
    max_bytes = default_max_bytes() if max_bytes is None else max_bytes
    content, batch = hashlib.sha256(), hashlib.sha256() if channel else None
    read = 0
    with open_source(path, max_bytes) as handle:
        try:
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                read += len(chunk)
                if read > max_bytes:
                    raise SourceFileError(path, too_large(read, max_bytes))
                content.update(chunk)
                if batch is not None:
                    batch.update(chunk)
        except OSError as error:
            raise SourceFileError(path, os_problem(path, error)) from None
    if batch is None:
        return content.hexdigest(), content.hexdigest()
    batch.update(b"\0channel=" + channel.encode())
    return batch.hexdigest(), content.hexdigest()


@dataclass
class SourceListing:
    """The files a run reads, and what it passed over below the named folders (with why)."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def expand_sources(paths: list[Path]) -> list[Path]:
    """Files named directly, and the source files below named folders (sorted, hidden skipped)."""
    return list_sources(paths).files


def list_sources(paths: list[Path]) -> SourceListing:
    """Files named directly, and the source files below named folders (sorted, hidden skipped).

    Below a folder, every entry with a source suffix that is not a folder is taken, also when
    it is not a regular file (a broken link, a FIFO): the run then names it and says why it
    could not be read rather than skipping it unseen. A sub-folder that cannot be listed is
    taken too, for the same reason. Entries passed over (another suffix, a link to a folder)
    are listed with the reason, so a user sees what a folder held that did not count; hidden
    entries (``.DS_Store``, ``.git``) are passed over silently.
    """
    listing = SourceListing()
    for path in paths:
        if not path.is_dir():
            listing.files.append(path)
            continue
        found: list[Path] = []
        unlisted: list[Path] = []

        def note(error: OSError, unlisted=unlisted) -> None:
            unlisted.append(Path(error.filename))

        for folder, folders, names in os.walk(path, onerror=note):
            folders[:] = sorted(name for name in folders if not name.startswith("."))
            for name in folders:  # os.walk lists links to folders here and does not follow them
                if os.path.islink(os.path.join(folder, name)):
                    listing.skipped.append(
                        (Path(folder, name), "a link to a folder (not followed)")
                    )
            for name in sorted(names):
                entry = Path(folder, name)
                if name.startswith("."):
                    continue
                if entry.suffix.lower() not in SOURCE_SUFFIXES:
                    kind = f"suffix {entry.suffix}" if entry.suffix else "no suffix"
                    listing.skipped.append((entry, f"not a source file ({kind})"))
                    continue
                if entry.is_dir():  # a link to a folder: not followed, as before
                    continue
                found.append(entry)
        listing.files.extend(sorted(found + unlisted))
    return listing


class KnownDigests:
    """The digests of source files hashed before, by what the file system says of each file.

    A run with nothing new would otherwise read every file it is given, twice (is anything
    new? then the ingest step itself): at 3M posts, 5.4 GB read to land nothing, and an inbox
    grows with history. A file whose device, inode, size, modification and status-change
    times are all as they were when it was hashed has the same bytes: any write to it changes
    its status-change time, which no user call can set back (rsync's quick check trusts the
    size and modification time alone). Kept in the home's cache (deleted, every file is
    hashed again).
    """

    def __init__(self, path: Path | None):
        self.path = path
        self._known: dict[tuple, tuple[str, str]] = {}
        self._changed = False
        if path is None:
            return
        try:
            frame = pl.read_parquet(path)
            self._known = dict(
                zip(
                    frame.select(_STAT_KEY).rows(),
                    frame.select("batch_id", "content_sha256").rows(),
                    strict=True,
                )
            )
        except (OSError, pl.exceptions.PolarsError):
            self._known = {}  # unreadable: hashed again, then rewritten

    def digests(
        self, path: Path, channel: str | None, max_bytes: int | None = None
    ) -> tuple[str, str]:
        """file_digests(path, channel), reading the file only when it is new or changed."""
        if self.path is None:
            return file_digests(path, channel, max_bytes)
        before = _stat_key_of(path, channel)
        found = self._known.get(before)
        if found is None:
            found = file_digests(path, channel, max_bytes)
            if _stat_key_of(path, channel) == before:  # not written to while being read
                self._known[before] = found
                self._changed = True
        return found

    def save(self) -> None:
        """Keep what was hashed for the next run; entries that no longer describe their file
        (changed since, or gone) are forgotten. Only time depends on it: a home that cannot be
        written keeps nothing."""
        if self.path is None or not self._changed:
            return
        frame = pl.DataFrame(
            [(*key, *value) for key, value in self._known.items() if _still_describes(key)],
            schema={**_STAT_KEY_SCHEMA, "batch_id": pl.String, "content_sha256": pl.String},
            orient="row",
        )
        keep_frame(self.path, frame)
        self._changed = False


def _still_describes(key: tuple) -> bool:
    try:
        return _stat_key_of(Path(key[0]), key[1] or None) == key
    except OSError:
        return False


_STAT_KEY_SCHEMA = {
    "path": pl.String,
    "channel": pl.String,
    "device": pl.UInt64,
    "inode": pl.UInt64,
    "size": pl.Int64,
    "modified_ns": pl.Int64,
    "changed_ns": pl.Int64,
}
_STAT_KEY = list(_STAT_KEY_SCHEMA)


def _stat_key_of(path: Path, channel: str | None) -> tuple:
    status = os.stat(path)
    return (
        str(path.absolute()),
        channel or "",
        status.st_dev,
        status.st_ino,
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
    )
