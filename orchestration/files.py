"""Writing files so that a crash never leaves a half-written one under its final name."""

import os
from pathlib import Path

import polars as pl

from orchestration.failpoints import failpoint


def write_parquet_atomic(frame: pl.DataFrame, path: Path) -> None:
    """Write to a temporary sibling, fsync, then rename over ``path`` (atomic on POSIX)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    frame.write_parquet(temporary)
    failpoint("parquet.temp_written")
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)


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
