"""Write-audit-publish for the DuckDB warehouse.

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

import json
import os
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from orchestration.failpoints import failpoint
from orchestration.files import fsync_dir

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
    def __init__(self, folder: Path, keep_versions: int = KEEP_VERSIONS):
        self.folder = folder
        self.keep_versions = keep_versions

    @property
    def published(self) -> Path:
        return self.folder / "tgwh.duckdb"

    @property
    def candidate(self) -> Path:
        return self.folder / "candidate.duckdb"

    @property
    def versions_dir(self) -> Path:
        return self.folder / "versions"

    @property
    def failed_dir(self) -> Path:
        return self.folder / "failed"

    def versions(self) -> list[Path]:
        """Published builds kept for rollback, oldest first."""
        if not self.versions_dir.exists():
            return []
        return sorted(self.versions_dir.glob("*.duckdb"))

    def current_version(self) -> int | None:
        """Index in versions() of the published build (the same file, by inode)."""
        if not self.published.exists():
            return None
        for index, version in enumerate(self.versions()):
            if version.samefile(self.published):
                return index
        return None

    def failed_candidates(self) -> list[Path]:
        if not self.failed_dir.exists():
            return []
        return sorted(p for p in self.failed_dir.iterdir() if p.is_dir())

    def start_candidate(self) -> Path:
        """A fresh candidate: a copy of the published build (so a partial rebuild still yields a
        whole warehouse), or nothing when none is published yet. A candidate left by a run that
        crashed is discarded: it was never audited."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.discard_candidate()
        if self.published.exists():
            temporary = self.candidate.with_name(f".candidate.{os.getpid()}.tmp")
            shutil.copyfile(self.published, temporary)
            os.replace(temporary, self.candidate)
        return self.candidate

    def discard_candidate(self) -> None:
        for path in (self.candidate, self.candidate.with_name("candidate.duckdb.wal")):
            path.unlink(missing_ok=True)
        for leftover in self.folder.glob(".candidate.*.tmp"):
            leftover.unlink(missing_ok=True)

    def publish(self, run_id: str | None = None) -> Path:
        """Atomically replace the published warehouse with the audited candidate.

        The candidate is first linked into versions/ (so the version exists before it becomes
        visible), then renamed over the published file; a crash between the two leaves the old
        warehouse published and an extra version that pruning removes.
        """
        if not self.candidate.exists():
            raise FileNotFoundError(f"no candidate warehouse to publish at {self.candidate}")
        wal = self.candidate.with_name("candidate.duckdb.wal")
        if wal.exists() and wal.stat().st_size:
            raise RuntimeError(f"{self.candidate} has an unmerged WAL; checkpoint it first")
        wal.unlink(missing_ok=True)
        self.prune()  # versions left by a run killed between linking and renaming
        with self.candidate.open("rb") as handle:
            os.fsync(handle.fileno())
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        version = self.versions_dir / f"{_stamp(run_id)}.duckdb"
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
        temporary = self.folder / f".rollback.{os.getpid()}.tmp"
        temporary.unlink(missing_ok=True)
        os.link(previous, temporary)
        os.replace(temporary, self.published)
        rolled_back = self.folder / "rolled_back"
        rolled_back.mkdir(exist_ok=True)
        for newer in versions[current:]:
            os.replace(newer, rolled_back / newer.name)
        for old in sorted(rolled_back.glob("*.duckdb"))[:-1]:
            old.unlink()
        fsync_dir(self.folder)
        return previous

    def keep_failed_candidate(self, failed: list[FailedCheck], run_id: str | None = None) -> Path:
        """Move a candidate that failed its audit aside, with a report naming the checks."""
        folder = self.failed_dir / _stamp(run_id)
        folder.mkdir(parents=True, exist_ok=True)
        if self.candidate.exists():
            os.replace(self.candidate, folder / "candidate.duckdb")
        report = {
            "run_id": run_id,
            "failed_at": datetime.now(UTC).isoformat(),
            "published_unchanged": str(self.published),
            "failed_checks": [asdict(f) for f in failed],
        }
        (folder / "report.json").write_text(json.dumps(report, indent=2))
        lines = [
            f"# Candidate warehouse not published (run {run_id})",
            "",
            f"The published warehouse {self.published} is unchanged.",
            "Inspect this build read-only with:",
            "",
            f"    duckdb -readonly {folder / 'candidate.duckdb'}",
            "",
            "Checks that failed:",
            "",
            *(f"- {f.asset}: {f.check}" + (f" ({f.detail})" if f.detail else "") for f in failed),
        ]
        (folder / "report.md").write_text("\n".join(lines) + "\n")
        self.prune()
        return folder

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
