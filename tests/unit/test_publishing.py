"""Write-audit-publish: readers never blocked, failed builds kept aside, versions for rollback."""

import multiprocessing
import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.common.writer_lock import WarehouseBusy, writer_lock
from orchestration.config import LockLayout, WarehouseLayout
from orchestration.warehouse.query import run_query
from orchestration.warehouse.versions import FailedCheck, Warehouse


def build_candidate(warehouse: Warehouse, generation: int, rows: int = 50_000) -> None:
    """A candidate as a run leaves it: started from the published build, then rebuilt."""
    warehouse.start_candidate()
    with duckdb.connect(str(warehouse.candidate)) as connection:
        connection.execute("create schema if not exists marts")
        connection.execute(
            "create or replace table marts.fct_posts as select i as post_key, "
            f"{generation} as generation from range({rows}) t(i)"
        )
        connection.execute("checkpoint")


def generation_of(path: Path) -> int:
    return run_query(path, "select max(generation) g from marts.fct_posts").item()


def test_publish_keeps_versions_and_rollback_goes_back_one(tmp_path):
    warehouse = Warehouse(WarehouseLayout(tmp_path), keep_versions=3)
    for generation in range(1, 6):
        build_candidate(warehouse, generation, rows=10)
        warehouse.publish(run_id=f"run{generation:05d}")
        assert generation_of(warehouse.published) == generation
        assert not warehouse.candidate.exists()
    assert [generation_of(v) for v in warehouse.versions()] == [3, 4, 5]
    warehouse.rollback()
    assert generation_of(warehouse.published) == 4
    warehouse.rollback()
    assert generation_of(warehouse.published) == 3
    with pytest.raises(RuntimeError, match="nothing to roll back to"):
        warehouse.rollback()
    assert generation_of(warehouse.published) == 3


def test_a_crashed_candidate_is_discarded_and_the_next_starts_from_published(tmp_path):
    warehouse = Warehouse(WarehouseLayout(tmp_path))
    build_candidate(warehouse, 1, rows=10)
    warehouse.publish()
    build_candidate(warehouse, 2, rows=10)  # ... and the run dies before publishing
    assert generation_of(warehouse.published) == 1
    warehouse.start_candidate()
    with duckdb.connect(str(warehouse.candidate), read_only=True) as connection:
        assert connection.execute("select max(generation) from marts.fct_posts").fetchall() == [
            (1,)
        ]


def test_a_failed_audit_keeps_the_candidate_with_a_report(tmp_path):
    warehouse = Warehouse(WarehouseLayout(tmp_path))
    build_candidate(warehouse, 1, rows=10)
    warehouse.publish()
    build_candidate(warehouse, 2, rows=10)
    kept = warehouse.keep_failed_candidate(
        [FailedCheck("marts/fct_posts", "gx_fct_posts", "expect_column_values_to_be_unique")],
        run_id="abcdef1234",
    )
    assert generation_of(warehouse.published) == 1
    assert generation_of(kept / "candidate.duckdb") == 2
    report = (kept / "report.md").read_text()
    assert "gx_fct_posts" in report and str(warehouse.published) in report
    for run in range(5):
        build_candidate(warehouse, 3 + run, rows=10)
        warehouse.keep_failed_candidate([FailedCheck("a", "b")], run_id=f"run{run}")
    assert len(warehouse.failed_candidates()) == 3  # old failed candidates are pruned


def _read_continuously(path: str, ready, stop, results) -> None:
    """Open the published file read-only, again and again, until told to stop."""
    import duckdb

    reads = failures = 0
    seen = set()
    ready.set()
    while not stop.is_set():
        try:
            with duckdb.connect(path, read_only=True) as connection:
                seen.add(
                    connection.execute(
                        "select max(generation) g, count(*) n from marts.fct_posts"
                    ).fetchone()
                )
            reads += 1
        except Exception:  # noqa: BLE001 - any failed read counts against the guarantee
            failures += 1
    results.put((reads, failures, sorted(seen)))


def test_readers_are_never_blocked_while_runs_publish(tmp_path):
    """4 reader processes open the published file while 5 builds are published: no read fails
    and none sees a half-built table. (The readers start before the publishing, however long
    their interpreters take to start on a busy machine.)"""
    warehouse = Warehouse(WarehouseLayout(tmp_path))
    build_candidate(warehouse, 0)
    warehouse.publish()
    context = multiprocessing.get_context("spawn")
    results, stop = context.Queue(), context.Event()
    published = str(warehouse.published)
    ready = [context.Event() for _ in range(4)]
    readers = [
        context.Process(target=_read_continuously, args=(published, flag, stop, results))
        for flag in ready
    ]
    for reader in readers:
        reader.start()
    for flag in ready:
        assert flag.wait(timeout=120)
    for generation in range(1, 6):
        build_candidate(warehouse, generation)  # writes while readers read
        warehouse.publish()
        time.sleep(0.5)
    time.sleep(1)
    stop.set()
    outcomes = [results.get(timeout=60) for _ in readers]
    for reader in readers:
        reader.join(timeout=30)
    total_reads = sum(reads for reads, _, _ in outcomes)
    print(f"{total_reads} reads, {sum(f for _, f, _ in outcomes)} failed")
    assert all(failures == 0 for _, failures, _ in outcomes)
    assert all(reads > 0 for reads, _, _ in outcomes)
    every_snapshot = {tuple(snapshot) for *_, seen in outcomes for snapshot in seen}
    assert every_snapshot <= {(g, 50_000) for g in range(6)}  # never a half-built table
    assert (5, 50_000) in every_snapshot


def test_one_writer_at_a_time_and_a_dead_writer_leaves_no_stale_lock(tmp_path):
    context = multiprocessing.get_context("spawn")
    holder = context.Process(target=_hold_lock_then_die, args=(str(tmp_path),))
    holder.start()
    deadline = time.monotonic() + 30
    while not (tmp_path / "writer.lock.json").exists():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    waits = []
    with pytest.raises(WarehouseBusy, match="is still writing"):
        with writer_lock(LockLayout(tmp_path), wait_seconds=0.5, on_wait=waits.append):
            pass
    assert waits and "waiting" in waits[0]
    holder.join(timeout=30)  # killed with SIGKILL while holding the lock
    with writer_lock(LockLayout(tmp_path), wait_seconds=5):
        assert (tmp_path / "writer.lock.json").exists()


def _hold_lock_then_die(root: str) -> None:
    with writer_lock(LockLayout(Path(root)), run="holder"):
        time.sleep(2)
        os.kill(os.getpid(), 9)


def test_a_version_linked_by_a_run_killed_before_renaming_is_not_taken_for_published(tmp_path):
    warehouse = Warehouse(WarehouseLayout(tmp_path))
    for generation in (1, 2):
        build_candidate(warehouse, generation, rows=10)
        warehouse.publish()
    build_candidate(warehouse, 3, rows=10)
    os.link(warehouse.candidate, warehouse.versions_dir / "99999999T999999999999Z.duckdb")
    assert generation_of(warehouse.versions()[-1]) == 3  # the orphan sorts newest
    warehouse.rollback()
    assert generation_of(warehouse.published) == 1
    build_candidate(warehouse, 4, rows=10)
    warehouse.publish()
    assert [generation_of(v) for v in warehouse.versions()] == [1, 4]


def test_rollback_in_a_home_copied_without_hard_links(tmp_path):
    warehouse = Warehouse(WarehouseLayout(tmp_path / "home"), keep_versions=3)
    for generation in (1, 2, 3):
        build_candidate(warehouse, generation, rows=10)
        warehouse.publish()
    copied = tmp_path / "copy"
    shutil.copytree(tmp_path / "home", copied)  # each version its own file, no inode shared
    assert not any(v.samefile(copied / "tgwh.duckdb") for v in (copied / "versions").iterdir())
    warehouse = Warehouse(WarehouseLayout(copied), keep_versions=3)
    assert warehouse.current_version() == 2
    warehouse.rollback()
    assert generation_of(warehouse.published) == 2
    warehouse.rollback()
    assert generation_of(warehouse.published) == 1
    with pytest.raises(RuntimeError, match="nothing to roll back to"):
        warehouse.rollback()
