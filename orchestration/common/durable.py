"""Writing files so that a crash never leaves a half-written one under its final name.

Every writer in the project goes through these: write to a hidden temporary sibling, fsync,
rename over the final name (atomic on POSIX). A killed writer leaves only ``.*.tmp`` files,
which the next writer of the same folder removes (one writer runs per home at a time).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from orchestration.common.failpoints import failpoint


def temporary_sibling(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _replace_durably(temporary: Path, path: Path) -> None:
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def write_parquet_atomic(frame: pl.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_sibling(path)
    frame.write_parquet(temporary)
    failpoint("parquet.temp_written")
    _replace_durably(temporary, path)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_sibling(path)
    temporary.write_bytes(data)
    _replace_durably(temporary, path)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


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
