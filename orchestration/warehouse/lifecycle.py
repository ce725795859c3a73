"""Write, audit, publish: one build of the warehouse, from deciding how to build to publishing.

Users query the published file at any time, and a build whose checks fail must not replace good
data with bad, so a build never writes the file users read::

    plan()        full refresh or incremental; which batches are new; nothing to do at all?
    start()       the candidate: a copy of the published build, or empty for a full refresh
    stamp()       after a complete dbt build: what the candidate was built from
    quarantine()  after a failed audit: the candidate moves aside with a report
    publish()     after a passed audit: the candidate replaces the published file atomically

The Dagster assets and checks call these steps (the dbt step, the checks, the publish step);
the decisions and every move of a warehouse file are made here and in versions.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.common.failpoints import failpoint
from orchestration.common.fingerprints import pipeline_fingerprint
from orchestration.config import Home
from orchestration.warehouse import stamp as build_stamp
from orchestration.warehouse.versions import FailedCheck, Warehouse

# dbt's unit tests test the SQL, not the data: they run in the test suite, not in builds.
DBT_BUILD = ["build", "--exclude-resource-type", "unit_test"]


@dataclass(frozen=True)
class BuildPlan:
    full_refresh: bool  # the published warehouse was built by other code, or has no stamp
    unpublished_batches: list[str]  # what this build adds (all batches on a full refresh)
    up_to_date: bool  # the published warehouse holds exactly these batches, by this code

    @property
    def dbt_arguments(self) -> list[str]:
        return DBT_BUILD + (["--full-refresh"] if self.full_refresh else [])


@dataclass(frozen=True)
class Published:
    version: Path
    row_counts: dict[str, int] = field(default_factory=dict)  # "marts.fct_posts" -> rows


class WarehouseBuild:
    """One build of ``home``'s warehouse over the batches of its normalized layer."""

    def __init__(self, home: Home, run_id: str | None = None):
        self.home = home
        self.run_id = run_id
        self.files = Warehouse(home.warehouse)

    @property
    def candidate(self) -> Path:
        return self.files.candidate

    @property
    def published(self) -> Path:
        return self.files.published

    # --- deciding -------------------------------------------------------------------------

    def plan(self, batch_ids: set[str], full_refresh: bool = False) -> BuildPlan:
        """``full_refresh``: rebuild every model and test every row even when the published
        build is by this code (`tgwh run --full-refresh`)."""
        stamp = build_stamp.published_build(self.files.published)
        same_code = stamp is not None and stamp["pipeline_fingerprint"] == pipeline_fingerprint()
        # An incremental build only adds: a batch gone since (removed by the user, or set
        # aside after a code change) is dropped by rebuilding everything.
        if full_refresh or not same_code or not set(stamp["batch_ids"]) <= set(batch_ids):
            return BuildPlan(True, sorted(batch_ids), up_to_date=False)
        return BuildPlan(
            full_refresh=False,
            unpublished_batches=sorted(set(batch_ids) - set(stamp["batch_ids"])),
            up_to_date=stamp["batches_digest"] == build_stamp.batches_digest(batch_ids),
        )

    # --- writing --------------------------------------------------------------------------

    def start(self, plan: BuildPlan) -> Path:
        """A fresh candidate for dbt to build into; a leftover one (a crashed run) is dropped.

        An incremental build starts from a copy of the published warehouse; a full refresh
        from nothing, so that no relation the current code no longer builds lingers in it.
        """
        return self.files.start_candidate(copy_published=not plan.full_refresh)

    def stamp(self, batch_ids: set[str]) -> None:
        """Record in the candidate what it was built from; only after a complete dbt build, so
        a partial build keeps the stamp it was copied with and its batches stay new."""
        with duckdb.connect(str(self.files.candidate)) as connection:
            build_stamp.stamp_build(connection, batch_ids, self.run_id or "")

    # --- after the audit ------------------------------------------------------------------

    def quarantine(self, failed: list[FailedCheck]) -> Path:
        """The candidate failed its audit: keep it aside, with a report naming the checks."""
        return self.files.keep_failed_candidate(failed, run_id=self.run_id)

    def publish(self) -> Published:
        """Replace the published warehouse with the audited candidate, in one rename."""
        if not self.files.candidate.exists():  # connecting would create an empty one
            raise FileNotFoundError(
                f"no candidate warehouse to publish at {self.files.candidate}: "
                "build the dbt models in this run"
            )
        with duckdb.connect(str(self.files.candidate)) as connection:
            tables = connection.execute(
                "select schema_name || '.' || table_name from duckdb_tables() "
                "where schema_name in ('marts', 'audit') order by 1"
            ).fetchall()
            counts = {
                name: connection.execute(f"select count(*) from {name}").fetchall()[0][0]
                for (name,) in tables
            }
            connection.execute("checkpoint")  # everything in the file, nothing left in a WAL
        failpoint("publish.checkpointed")
        return Published(self.files.publish(run_id=self.run_id), counts)

    def versions_kept(self) -> int:
        return len(self.files.versions())
