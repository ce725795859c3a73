"""Dagster resources: where the home folder is."""

from pathlib import Path

import dagster as dg

from orchestration.paths import Home
from orchestration.raw_store import RawStore


class HomeResource(dg.ConfigurableResource):
    """The home folder every asset reads and writes (TGWH_HOME); nothing else holds state."""

    root: str

    @property
    def home(self) -> Home:
        return Home(Path(self.root)).ensure()

    @property
    def raw_store(self) -> RawStore:
        return RawStore(self.home.raw)
