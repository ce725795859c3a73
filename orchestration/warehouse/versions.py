"""The warehouse's files: candidate, published file, versions kept for rollback, failed builds.

A run builds a candidate file, audits it, and publishes it by renaming it over the published
file; readers open the published file read-only, so they never wait for a writer and never see
a half-built warehouse. Published builds are never modified afterwards (the next run copies
one to start from), so each is kept as a hard link under ``versions/`` for rollback; a candidate
that failed its audit is moved under ``failed/`` with a report of the checks that failed.

Layout under ``<home>/warehouse``::

    tgwh.duckdb                       the published warehouse
    candidate.duckdb                  the build in progress (only while a run writes)
    versions/<stamp>.duckdb           the last N published builds, newest last; the newest is
                                      the same file as tgwh.duckdb
    failed/<stamp>/candidate.duckdb   a build that failed its audit, with report.json/report.md
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from orchestration.common.durable import (
    fsync_dir,
    temporary_sibling,
    write_text_atomic,
    writing,
)
from orchestration.common.failpoints import failpoint
from orchestration.config import WarehouseLayout

KEEP_VERSIONS = 3
KEEP_FAILED = 3


@dataclass(frozen=True)
class FailedCheck:
    asset: str
    check: str
    detail: str = ""


def _stamp(run_id: str | None = None) -> str:
    now = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{now}-{run_id[:8]}" if run_id else now


class Warehouse:
    """Moves the warehouse's files; nothing else in the project renames or removes them."""

    def __init__(self, layout: WarehouseLayout, keep_versions: int = KEEP_VERSIONS):
        self.layout = layout
        self.folder = layout.root
        self.published = layout.published
        self.candidate = layout.candidate
        self.versions_dir = layout.versions_dir
        self.failed_dir = layout.failed_dir
        self.keep_versions = keep_versions

    def versions(self) -> list[Path]:
        """Published builds kept for rollback, oldest first."""
        if not self.versions_dir.exists():
            return []
        return sorted(self.versions_dir.glob("*.duckdb"))

    def current_version(self) -> int | None:
        """Index in versions() of the published build: the same file (by inode), else, in a
        home copied without its hard links (cp -r, rsync without -H, a backup restored), the
        newest version with the same bytes."""
        if not self.published.exists():
            return None
        versions = self.versions()
        for index, version in enumerate(versions):
            if version.samefile(self.published):
                return index
        size = self.published.stat().st_size
        for index in reversed(range(len(versions))):
            if versions[index].stat().st_size == size and filecmp.cmp(
                versions[index], self.published, shallow=False
            ):
                return index
        return None

    def failed_candidates(self) -> list[Path]:
        if not self.failed_dir.exists():
            return []
        return sorted(p for p in self.failed_dir.iterdir() if p.is_dir())

    def start_candidate(self, copy_published: bool = True) -> Path:
        """A fresh candidate: a copy of the published build (so a partial rebuild still yields a
        whole warehouse), or nothing when none is published yet or none is wanted. A candidate
        left by a run that crashed is discarded: it was never audited."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.discard_candidate()
        if copy_published and self.published.exists():
            temporary = temporary_sibling(self.candidate)
            shutil.copyfile(self.published, temporary)
            os.replace(temporary, self.candidate)
        return self.candidate

    def discard_candidate(self) -> None:
        for path in (self.candidate, self.layout.candidate_wal):
            path.unlink(missing_ok=True)
        for leftover in self.folder.glob(f".{self.candidate.name}.*.tmp"):
            leftover.unlink(missing_ok=True)

    def publish(self, run_id: str | None = None) -> Path:
        """Atomically replace the published warehouse with the audited candidate.

        The candidate is first linked into versions/ (so the version exists before it becomes
        visible), then renamed over the published file; a crash between the two leaves the old
        warehouse published and an extra version that pruning removes.
        """
        if not self.candidate.exists():
            raise FileNotFoundError(f"no candidate warehouse to publish at {self.candidate}")
        wal = self.layout.candidate_wal
        if wal.exists() and wal.stat().st_size:
            raise RuntimeError(f"{self.candidate} has an unmerged WAL; checkpoint it first")
        wal.unlink(missing_ok=True)
        self.prune()  # versions left by a run killed between linking and renaming
        with self.candidate.open("rb") as handle:
            os.fsync(handle.fileno())
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        version = self.layout.version_file(_stamp(run_id))
        os.link(self.candidate, version)
        failpoint("publish.linked")
        os.replace(self.candidate, self.published)
        failpoint("publish.replaced")
        fsync_dir(self.folder)
        self.prune()
        return version

    def rollback(self) -> Path:
        """Publish the build before the current one; the current one is set aside."""
        versions, current = self.versions(), self.current_version()
        if not current:  # None (no kept version is published) or 0 (the oldest is)
            raise RuntimeError(
                f"nothing to roll back to: no older published version is kept in "
                f"{self.versions_dir}"
            )
        previous = versions[current - 1]
        temporary = temporary_sibling(self.published)
        with writing(self.published, temporary):  # a read-only home: said, with the path
            temporary.unlink(missing_ok=True)
            os.link(previous, temporary)
            os.replace(temporary, self.published)
        rolled_back = self.layout.rolled_back_dir
        with writing(rolled_back):
            rolled_back.mkdir(exist_ok=True)
            for newer in versions[current:]:
                os.replace(newer, rolled_back / newer.name)
            for old in sorted(rolled_back.glob("*.duckdb"))[:-1]:
                old.unlink()
        fsync_dir(self.folder)
        return previous

    def keep_failed_candidate(self, failed: list[FailedCheck], run_id: str | None = None) -> Path:
        """Move a candidate that failed its audit aside, with a report naming the checks."""
        kept = self.layout.failed_build(_stamp(run_id))
        kept.root.mkdir(parents=True, exist_ok=True)
        if self.candidate.exists():
            os.replace(self.candidate, kept.candidate)
        report = {
            "run_id": run_id,
            "failed_at": datetime.now(UTC).isoformat(),
            "published_unchanged": str(self.published),
            "failed_checks": [asdict(f) for f in failed],
        }
        write_text_atomic(kept.report_json, json.dumps(report, indent=2))
        lines = [
            f"# Candidate warehouse not published (run {run_id})",
            "",
            f"The published warehouse {self.published} is unchanged.",
            "Inspect this build read-only with:",
            "",
            f"    duckdb -readonly {kept.candidate}",
            "",
            "Checks that failed:",
            "",
            *(f"- {f.asset}: {f.check}" + (f" ({f.detail})" if f.detail else "") for f in failed),
        ]
        write_text_atomic(kept.report_md, "\n".join(lines) + "\n")
        self.prune()
        return kept.root

    def prune(self) -> None:
        """Keep the published build and the ones before it, up to keep_versions; a version
        newer than the published one was linked by a run killed before it could publish."""
        versions, current = self.versions(), self.current_version()
        if current is not None:
            for orphan in versions[current + 1 :]:
                orphan.unlink(missing_ok=True)
            versions = versions[: current + 1]
        for old in versions[: -self.keep_versions]:
            old.unlink(missing_ok=True)
        for old in self.failed_candidates()[:-KEEP_FAILED]:
            shutil.rmtree(old, ignore_errors=True)
