"""Dagster resources: the home folder, held by one writer at a time."""

import contextlib
from pathlib import Path

import dagster as dg

from orchestration.failpoints import failpoint
from orchestration.paths import Home
from orchestration.publishing import Warehouse
from orchestration.raw_store import RawStore
from orchestration.writer_lock import writer_lock


class HomeResource(dg.ConfigurableResource):
    """The home folder every asset reads and writes (TGWH_HOME); nothing else holds state.

    A run holds the home's writer lock from its first step to its last, so two runs (the
    schedule, the inbox sensor, the UI, the command line) never write it at the same time.
    """

    root: str
    lock_wait_seconds: float = 600

    @property
    def home(self) -> Home:
        return Home(Path(self.root)).ensure()

    @property
    def raw_store(self) -> RawStore:
        return RawStore(self.home.raw)

    @property
    def warehouse(self) -> Warehouse:
        return Warehouse(self.home.warehouse_dir)

    @contextlib.contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext):
        run_id = context.run.run_id if context.run else ""
        with writer_lock(
            Path(self.root),
            run=run_id,
            wait_seconds=self.lock_wait_seconds,
            on_wait=context.log.warning if context.log else None,
        ):
            failpoint("run.locked")
            yield self
