"""The home folder as a Dagster resource, held by one writer at a time (the dbt CLI's resource
is in dbt_resource.py: a run that lands nothing never imports dagster-dbt)."""

import contextlib
from pathlib import Path

import dagster as dg

from orchestration.common.failpoints import failpoint
from orchestration.common.writer_lock import writer_lock
from orchestration.config import Home, settings
from orchestration.ingest.raw_store import RawStore
from orchestration.ingest.sources import KnownDigests
from orchestration.normalize.store import NormalizedStore
from orchestration.warehouse.lifecycle import WarehouseBuild


class HomeResource(dg.ConfigurableResource):
    """The home folder every asset reads and writes (TGWH_HOME); nothing else holds state.

    A run holds the home's writer lock from its first step to its last, so two runs (the
    schedule, the inbox sensor, the UI, the command line) never write it at the same time.
    """

    root: str = ""
    """The home folder; empty: TGWH_HOME (else ./.tgwh) as it is when the run starts."""
    lock_wait_seconds: float | None = None
    """How long a run waits for another writer; None: TGWH_LOCK_WAIT_SECONDS (600 s)."""

    @property
    def home(self) -> Home:
        return (Home(Path(self.root)) if self.root else settings().home).ensure()

    @property
    def raw_store(self) -> RawStore:
        return RawStore(self.home.raw, known_digests=KnownDigests(self.home.file_digests))

    @property
    def normalized_store(self) -> NormalizedStore:
        return NormalizedStore(self.home.normalized)

    def warehouse_build(self, run_id: str) -> WarehouseBuild:
        return WarehouseBuild(self.home, run_id)

    @contextlib.contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext):
        run_id = context.run.run_id if context.run else ""
        with writer_lock(
            self.home.lock,
            run=run_id,
            wait_seconds=self.lock_wait_seconds
            if self.lock_wait_seconds is not None
            else settings().lock_wait_seconds,
            on_wait=context.log.warning if context.log else None,
        ):
            failpoint("run.locked")
            yield self
