"""The warm dbt: a real dbt process, imported ahead of time, that runs the invocation a
`tgwh-dbt` hands it, with that command's output, exit status and working directory; and
`tgwh-dbt` starting dbt itself whenever no warm one takes the invocation."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from orchestration.config import DBT_IN_HOME, DBT_PROJECT_DIR, WARM_DBT_SOCKET
from orchestration.warehouse.warm_dbt import WarmDbt, taken_mark


@pytest.fixture
def dbt_env(tmp_path) -> dict[str, str]:
    """What dagster-dbt gives `tgwh-dbt`, for a home of this test's own."""
    home = tmp_path / "home"
    home.mkdir()
    environment = {k: v for k, v in os.environ.items() if k != WARM_DBT_SOCKET}
    return environment | {
        "TGWH_HOME": str(home),
        "TGWH_WAREHOUSE": "warehouse.duckdb",
        "DBT_PROJECT_DIR": str(DBT_PROJECT_DIR),
        "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
        "DBT_LOG_FORMAT": "json",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def warm(monkeypatch):
    monkeypatch.delenv(WARM_DBT_SOCKET, raising=False)
    monkeypatch.delenv("TGWH_WARM_DBT", raising=False)
    warm = WarmDbt()
    warm.start()
    deadline = time.monotonic() + 30
    while not Path(os.environ[WARM_DBT_SOCKET]).exists() and time.monotonic() < deadline:
        time.sleep(0.02)  # listening (a `tgwh-dbt` earlier than that starts dbt itself)
    yield warm
    warm.stop()


def taken(socket_path: str) -> bool:
    return taken_mark(Path(socket_path)).exists()


def tgwh_dbt(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DBT_IN_HOME), *arguments],
        env=env,
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def event_pids(stdout: str) -> set[int]:
    return {json.loads(line)["info"]["pid"] for line in stdout.splitlines() if line.strip()}


def messages(stdout: str) -> list[str]:
    return [json.loads(line)["info"]["msg"] for line in stdout.splitlines() if line.strip()]


def test_the_warm_dbt_runs_the_invocation_handed_to_it(warm, dbt_env):
    socket_path = os.environ[WARM_DBT_SOCKET]
    warm_pid = warm._process.pid
    arguments = ["ls", "--select", "stg_countries", "--resource-type", "model"]
    served = tgwh_dbt(dbt_env | {WARM_DBT_SOCKET: socket_path}, *arguments)
    assert served.returncode == 0, served.stderr
    assert event_pids(served.stdout) == {warm_pid}  # dbt ran in the warm process
    assert not Path(socket_path).exists()  # taken: no one else can hand it work
    assert warm._process.wait(timeout=10) == 0

    plain = tgwh_dbt(dbt_env, *arguments)  # dbt started by `tgwh-dbt` itself
    assert plain.returncode == 0, plain.stderr
    assert warm_pid not in event_pids(plain.stdout)
    listed = [m for m in messages(served.stdout) if m.startswith("tgwh.")]
    assert listed == ["tgwh.staging.stg_countries"]
    assert listed == [m for m in messages(plain.stdout) if m.startswith("tgwh.")]


def test_dbts_exit_status_and_errors_come_back(warm, dbt_env):
    served = tgwh_dbt(dbt_env | {WARM_DBT_SOCKET: os.environ[WARM_DBT_SOCKET]}, "no-such-command")
    plain = tgwh_dbt(dbt_env, "no-such-command")
    assert served.returncode == plain.returncode == 2
    assert "No such command" in served.stderr and "No such command" in plain.stderr


def test_an_invocation_no_warm_dbt_takes_starts_dbt_itself(warm, dbt_env):
    socket_path = os.environ[WARM_DBT_SOCKET]
    first = tgwh_dbt(dbt_env | {WARM_DBT_SOCKET: socket_path}, "--version")
    second = tgwh_dbt(dbt_env | {WARM_DBT_SOCKET: socket_path}, "--version")  # taken already
    nowhere = tgwh_dbt(dbt_env | {WARM_DBT_SOCKET: "/nonexistent/dbt.sock"}, "--version")
    for result in (first, second, nowhere):
        assert result.returncode == 0, result.stderr
        assert "Core:" in result.stdout  # dbt's version report
    assert "Core:" in first.stdout and taken(socket_path)
    warm.start()  # the next run gets a new warm dbt
    assert os.environ[WARM_DBT_SOCKET] != socket_path and warm._process.poll() is None


def test_an_interrupt_reaches_the_dbt_it_runs(warm, dbt_env):
    """SIGINT to `tgwh-dbt` (dagster-dbt's way of stopping dbt) stops the warm dbt's dbt, and
    `tgwh-dbt` leaves only once that process has."""
    warm_process = psutil.Process(warm._process.pid)
    client = subprocess.Popen(
        # a full parse of the project, long enough to be interrupted in
        [str(DBT_IN_HOME), "parse", "--no-partial-parse"],
        env=dbt_env | {WARM_DBT_SOCKET: os.environ[WARM_DBT_SOCKET]},
        cwd=DBT_PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not taken(os.environ[WARM_DBT_SOCKET]) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # dbt is parsing
    client.send_signal(signal.SIGINT)
    status = client.wait(timeout=30)
    client.stdout.close()
    client.stderr.close()
    assert status == 2, client.stderr  # dbt's status when interrupted
    assert not warm_process.is_running() or warm_process.status() == psutil.STATUS_ZOMBIE


def test_an_idle_warm_dbt_dies_with_its_parent(tmp_path):
    script = (
        "import os, sys, time\n"
        "from orchestration.warehouse.warm_dbt import WARM_DBT\n"
        "WARM_DBT.start(); print(WARM_DBT._process.pid, flush=True); time.sleep(60)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TGWH_WARM_DBT": "on"},
    )
    warm_pid = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    parent.stdout.close()
    gone, _ = psutil.wait_procs([psutil.Process(warm_pid)], timeout=10)
    assert gone


def test_off_starts_no_warm_dbt(monkeypatch):
    monkeypatch.setenv("TGWH_WARM_DBT", "off")
    monkeypatch.delenv(WARM_DBT_SOCKET, raising=False)
    warm = WarmDbt()
    warm.start()
    assert warm._process is None and WARM_DBT_SOCKET not in os.environ
