"""The validation worker: a real child process that runs the suites a run asks for, gives the
results the run's own process would, works with the caller's settings, and, when it dies or a
task fails in it, leaves the work to the caller."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from orchestration.config import PROJECT_DIR, Home
from orchestration.ingest.raw_store import RawStore
from orchestration.normalize.store import NormalizedStore, build_normalized
from orchestration.validate import run_checks
from orchestration.validate.worker import (
    WORKER,
    WorkerFailed,
    run_validation,
    start_validation_worker,
)
from tests.support.samples import blank_export, sample_files


def outcomes(check: run_checks.NormalizedCheck) -> list[tuple]:
    return [(r.expectation, r.column, r.success, r.failing_rows) for r in check.suite.results]


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Home:
    """Normalized batches of the sample and of an export whose posts lost their text."""
    home = Home(tmp_path_factory.mktemp("worker-home")).ensure()
    files = tmp_path_factory.mktemp("worker-files")
    raw = RawStore(home.raw)
    raw.ingest([*sample_files(files), blank_export(files)])
    build_normalized(raw, NormalizedStore(home.normalized))
    return home


@pytest.fixture(scope="module")
def batches(home) -> list[str]:
    return sorted(NormalizedStore(home.normalized).batches())


def test_the_worker_gives_what_the_run_process_gives(home, batches):
    warnings = []
    in_worker = run_validation("check_new_batches", home, batches, "r1", warn=warnings.append)
    here = run_checks.check_new_batches(home, batches, "r2")
    assert warnings == []  # it ran in the worker, not here after a failure
    assert WORKER._process is not None and WORKER._process.pid != os.getpid()
    assert outcomes(in_worker) == outcomes(here)
    assert not in_worker.suite.critical_success  # the blank export's posts fail
    assert set(in_worker.failing) == set(here.failing) and len(in_worker.failing) == 1
    assert home.docs.data_docs_index.exists()  # the worker rendered the Data Docs


def test_the_worker_reads_the_callers_settings(home, batches, tmp_path, monkeypatch):
    """A suite folder set after the worker started is the one it reads."""
    WORKER.start(home)
    broken = tmp_path / "expectations"
    broken.mkdir()
    (broken / "normalized_posts.json").write_text("{ not json")
    monkeypatch.setenv("TGWH_EXPECTATIONS_DIR", str(broken))
    with pytest.raises(WorkerFailed, match="normalized_posts.json: invalid JSON"):
        WORKER.call("check_new_batches", home, batches, "r3")
    warnings = []
    # the caller does the task again itself, so the error is raised where the run reports it
    with pytest.raises(ValueError, match="normalized_posts.json: invalid JSON"):
        run_validation("check_new_batches", home, batches, "r4", warn=warnings.append)
    assert len(warnings) == 1 and "invalid JSON" in warnings[0]


def test_a_worker_dying_in_a_task_leaves_it_to_the_caller(home, batches):
    WORKER.stop()
    WORKER.start(home)  # a new child: its import of GX takes seconds
    dying = WORKER._process
    threading.Timer(1.0, dying.kill).start()
    warnings = []
    check = run_validation("check_new_batches", home, batches, "r5", warn=warnings.append)
    assert dying.poll() is not None
    assert len(warnings) == 1 and "exited" in warnings[0]
    assert not check.suite.critical_success and len(check.failing) == 1


def test_a_dead_idle_worker_is_replaced(home, batches):
    WORKER.start(home)
    first = WORKER._process
    first.kill()
    first.wait()
    warnings = []
    check = run_validation("check_new_batches", home, batches, "r6", warn=warnings.append)
    assert warnings == []
    assert WORKER._process is not first and WORKER._process.poll() is None
    assert not check.suite.critical_success and len(check.failing) == 1


def test_stop_ends_the_child(home):
    WORKER.start(home)
    process = WORKER._process
    WORKER.stop()
    assert process.poll() is not None


def test_a_killed_parent_takes_its_worker_along(tmp_path):
    """A run killed while its worker imports GX leaves no process behind."""
    script = (
        "import sys, time\n"
        "from orchestration.config import Home\n"
        "from orchestration.validate.worker import WORKER\n"
        f"WORKER.start(Home(__import__('pathlib').Path({str(tmp_path)!r})))\n"
        "print(WORKER._process.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=PROJECT_DIR
    )
    worker = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 2  # well before GX is imported
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has exited; init reaps it


def test_off_validates_in_the_run_process(home, batches, monkeypatch):
    WORKER.stop()
    monkeypatch.setenv("TGWH_VALIDATION_WORKER", "off")
    start_validation_worker(home)
    check = run_validation("check_new_batches", home, batches, "r7", warn=pytest.fail)
    assert WORKER._process is None  # no worker was started
    assert len(check.failing) == 1
