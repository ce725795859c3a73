"""The home folder: the one place all run-time state lives (set by TGWH_HOME)."""

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME_NAME = ".tgwh"
PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DBT_PROJECT_DIR = PROJECT_DIR / "dbt_project"
# The Great Expectations suites: the bundled ones, or a folder of your own (stricter ones, say).
EXPECTATIONS_DIR = Path(os.environ.get("TGWH_EXPECTATIONS_DIR") or PROJECT_DIR / "expectations")
SAMPLE_DATA_DIR = PACKAGE_DIR / "sample_data"


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def from_env(cls) -> "Home":
        root = os.environ.get("TGWH_HOME") or str(Path.cwd() / DEFAULT_HOME_NAME)
        return cls(Path(root).expanduser().resolve())

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def normalized(self) -> Path:
        return self.root / "normalized"

    @property
    def warehouse_dir(self) -> Path:
        return self.root / "warehouse"

    @property
    def warehouse(self) -> Path:
        """The published warehouse: what users query. Replaced whole, never written in place."""
        return self.warehouse_dir / "tgwh.duckdb"

    @property
    def candidate_warehouse(self) -> Path:
        """Where a run builds and audits the next warehouse before publishing it."""
        return self.warehouse_dir / "candidate.duckdb"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster"

    @property
    def data_docs(self) -> Path:
        return self.root / "docs"

    @property
    def gx_context(self) -> Path:
        return self.root / "gx"

    @property
    def dbt_target(self) -> Path:
        return self.root / "dbt" / "target"

    def ensure(self) -> "Home":
        for folder in (
            self.inbox,
            self.raw,
            self.normalized,
            self.warehouse_dir,
            self.dagster_home,
        ):
            folder.mkdir(parents=True, exist_ok=True)
        return self
