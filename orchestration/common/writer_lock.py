"""One writer at a time per home: a lock that a crashed run cannot leave stuck.

The lock is an OS file lock (flock through filelock): the kernel releases it when the holding
process dies, however it dies, so a SIGKILLed run never blocks the next one. A small sidecar
file says who holds it, for the message a waiting run prints.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from orchestration.config import LockLayout


class WarehouseBusy(RuntimeError):
    """Another run is writing this home and did not finish in time."""


def _holder(info_file: Path) -> str:
    try:
        info = json.loads(info_file.read_text())
    except (OSError, ValueError):
        return "another run"
    run, pid, since = (info.get(k, "?") for k in ("run", "pid", "since"))
    return f"run {run} (pid {pid}, since {since})"


@contextmanager
def writer_lock(
    layout: LockLayout,
    run: str = "",
    wait_seconds: float = 600,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    layout.root.mkdir(parents=True, exist_ok=True)
    # One lock object per path in this process: the command line takes the lock before it starts
    # a run, and the run's resource takes it again (re-entrantly) from the same process.
    lock = FileLock(layout.lock_file, is_singleton=True)
    info_file = layout.holder_file
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait:
            on_wait(
                f"{_holder(info_file)} is writing {layout.root}; waiting up to {wait_seconds:.0f} s"
            )
        try:
            lock.acquire(timeout=wait_seconds)
        except Timeout:
            raise WarehouseBusy(
                f"{_holder(info_file)} is still writing {layout.root} after {wait_seconds:.0f} s; "
                "try again when it has finished"
            ) from None
    outermost = lock.lock_counter == 1
    try:
        if outermost:
            since = datetime.now(UTC).isoformat(timespec="seconds")
            info_file.write_text(json.dumps({"run": run, "pid": os.getpid(), "since": since}))
        yield
    finally:
        if outermost:
            info_file.unlink(missing_ok=True)
        lock.release()
