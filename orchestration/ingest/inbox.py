"""The inbox folder of a home: files dropped there are ingested by the next run, then moved
aside (to done/ or failed/) so the inbox sensor sees only new arrivals."""

from __future__ import annotations

import shutil
from pathlib import Path

from orchestration.ingest.raw_store import IngestReport
from orchestration.ingest.sources import expand_sources

SETTLED_FOLDERS = ("done", "failed")


def inbox_entries(inbox: Path) -> list[Path]:
    """What lies in the inbox and has not been handled yet (files and folders)."""
    if not inbox.exists():
        return []
    return sorted(p for p in inbox.iterdir() if p.name not in SETTLED_FOLDERS)


def pending_inbox_files(inbox: Path) -> list[Path]:
    """The source files waiting in the inbox."""
    return expand_sources(inbox_entries(inbox))


def settle_inbox_files(inbox: Path, report: IngestReport) -> None:
    """Move handled inbox files aside: failed ones to failed/, the rest to done/."""
    failed = {path for path, _ in report.failed}
    for path in pending_inbox_files(inbox):
        target_root = inbox / ("failed" if str(path) in failed else "done")
        target = target_root / path.relative_to(inbox)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
