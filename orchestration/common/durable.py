"""Writing files so that a crash never leaves a half-written one under its final name.

Every writer in the project goes through these: write to a hidden temporary sibling, fsync,
rename over the final name (atomic on POSIX). A killed writer leaves only ``.*.tmp`` files,
which the next writer of the same folder removes (one writer runs per home at a time).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import polars as pl

from orchestration.common.failpoints import failpoint


def temporary_sibling(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


_WRITE_PROBLEMS = {
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large (the disk is full, or over this process's file size limit)",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied (is the home folder read-only?)",
    errno.EPERM: "operation not permitted (is the home folder read-only?)",
}
_OS_ERROR_RE = re.compile(r"\(os error (\d+)\)")  # how Polars (Rust) names an OS error


class CannotWrite(Exception):
    """A file of the home could not be written: the disk is full, the home is read-only.

    Not an OSError on purpose: the nets that make a bad source file that file's problem
    (``except OSError``) must not catch it; no file is at fault, and the run stops here.
    """

    def __init__(self, path: Path, problem: str):
        super().__init__(f"cannot write {path}: {problem}")
        self.path, self.problem = path, problem


def write_problem(error: BaseException | None) -> str | None:
    """What a failed write says to a person, or None when it is not an OS error."""
    number = getattr(error, "errno", None)
    if number is None and (match := _OS_ERROR_RE.search(str(error))):
        number = int(match.group(1))
    if number is None:
        return None
    return _WRITE_PROBLEMS.get(number) or os.strerror(number).lower()


@contextlib.contextmanager
def writing(path: Path, temporary: Path | None = None) -> Iterator[None]:
    """Turn an OS error while writing ``path`` into CannotWrite naming it; a temporary file
    left half-written by a full disk is removed (it would take the space still left)."""
    try:
        yield
    except (OSError, pl.exceptions.PolarsError) as error:
        problem = write_problem(error)
        if problem is None and temporary is not None:
            problem = write_problem(_still_writable(temporary))
        if problem is None:
            raise
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
        raise CannotWrite(path, problem) from error


def _still_writable(temporary: Path) -> OSError | None:
    """The OS error of a write to ``temporary`` now, if any. Polars can lose the OS error of
    a failed write (a full disk met while writing the Parquet footer reads "Invalid thrift:
    transport error"): trying to grow the file says whether the disk or the folder refused."""
    try:
        with temporary.open("ab") as handle:
            handle.write(bytes(1 << 16))
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        return error
    return None


def _replace_durably(temporary: Path, path: Path) -> None:
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def write_parquet_atomic(frame: pl.DataFrame, path: Path) -> None:
    temporary = temporary_sibling(path)
    with writing(path, temporary):
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.write_parquet(temporary)
        failpoint("parquet.temp_written")
        _replace_durably(temporary, path)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    temporary = temporary_sibling(path)
    with writing(path, temporary):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        _replace_durably(temporary, path)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def kept_frame(path: Path, build: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """The frame kept at ``path``, else ``build()`` kept there for the next process.

    For derived tables that only save time: one that cannot be read is built again, one that
    cannot be written is only not kept. Frames kept beside it under other names of the same
    stem prefix (older digests) are removed.
    """
    try:
        return pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError):
        pass
    frame = build()
    prefix = path.name.split("-")[0]
    with contextlib.suppress(OSError):
        for older in path.parent.glob(f"{prefix}-*.parquet"):
            older.unlink(missing_ok=True)
    keep_frame(path, frame)
    return frame


def keep_frame(path: Path, frame: pl.DataFrame) -> None:
    """Write a frame that only saves time (a cache) to ``path``, atomically; where it cannot
    be written, nothing is kept and nothing fails. Not through write_parquet_atomic: a cache
    is no write of the layers, and its failpoint counts those."""
    data = io.BytesIO()
    frame.write_parquet(data)
    with contextlib.suppress(OSError, CannotWrite):
        write_bytes_atomic(path, data.getvalue())


def fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (the directory entry itself)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files a killed writer left behind (only one writer runs at a time)."""
    if folder.exists():
        for leftover in folder.rglob(".*.tmp"):
            leftover.unlink(missing_ok=True)


IGNORED_PARTS = {"__pycache__", "target", "logs", "dbt_packages", ".pytest_cache"}


def tree_digest(roots: Iterable[Path]) -> str:
    """SHA-256 over every file below ``roots`` (names and bytes), in a stable order.

    A fingerprint of code and reference data: a whole package directory, so that a file added
    to it (a module split in two, say) is covered without being listed anywhere. Names are
    taken from each root's own name down, so a checkout's location does not matter.
    """
    digest = hashlib.sha256()
    for root in roots:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for file in files:
            inside = file.relative_to(root.parent)
            if file.is_file() and not IGNORED_PARTS.intersection(inside.parts):
                digest.update(str(inside).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
