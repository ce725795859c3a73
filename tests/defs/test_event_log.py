"""A home's Dagster event log keeps its SQLite connections open, in Dagster's own files."""

import os

import dagster as dg
import pytest
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from orchestration.app.runner import DAGSTER_YAML, use_home
from orchestration.config import Home
from orchestration.defs import event_log
from orchestration.defs.event_log import KeptConnectionsSqliteEventLogStorage


@dg.asset
def counted() -> int:
    return 1


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = Home(tmp_path / "home")
    for name in ("TGWH_HOME", "DAGSTER_HOME"):
        monkeypatch.setenv(name, os.environ.get(name, ""))  # restored after the test
    use_home(home)
    return home


def test_runs_write_dagsters_own_files_through_kept_connections(home, monkeypatch):
    monkeypatch.setattr(event_log, "KEPT_ENGINES", 3)  # more runs than engines kept
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, KeptConnectionsSqliteEventLogStorage)
        runs = [dg.materialize([counted], instance=instance).run_id for _ in range(5)]
        assert len(instance.event_log_storage._engines) <= 3
        written = {run: len(instance.all_logs(run)) for run in runs}
    assert all(count > 5 for count in written.values())
    # the stock storage reads the same files: a home stays readable by plain Dagster
    stock = SqliteEventLogStorage(str(home.dagster_event_logs))
    assert {run: len(stock.get_logs_for_run(run)) for run in runs} == written
    latest = stock.get_latest_materialization_events([dg.AssetKey("counted")])
    assert latest[dg.AssetKey("counted")].run_id == runs[-1]


def test_tgwh_rewrites_its_own_dagster_yaml_and_keeps_a_users(home):
    earlier = "# Dagster instance of this tgwh home (runs, event logs, schedules live here).\n"
    home.dagster_yaml.write_text(earlier + "telemetry:\n  enabled: false\n")
    use_home(home)
    assert home.dagster_yaml.read_text() == DAGSTER_YAML
    own = "telemetry:\n  enabled: false\n"
    home.dagster_yaml.write_text(own)
    use_home(home)
    assert home.dagster_yaml.read_text() == own
