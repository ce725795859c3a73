"""Killing a run at any moment loses nothing and corrupts nothing.

Each case (one per failpoint, so a failure names it) starts from a published warehouse, adds
one file and runs the build killed (SIGKILL, no cleanup) at one of 21 points spread over every
stage: ingestion, normalization, entities, dbt, validation, publish. After the kill the
published warehouse must still open and be consistent, and the raw layer must hold no partial
Parquet file. Then the user runs the same command again, and the result must equal a build
that was never interrupted:

- killed before dbt ran, the next run's first stages are run here, in this process, through the
  same pure functions the assets call: the raw and normalized layers must equal those of the
  same stages run once, uninterrupted, on the same home (built in this process too: no case
  waits for a whole build), and the published warehouse must not claim to hold the new batch
  (so the next run builds it; dbt's tests prove a build equals the reference from equal inputs);
- killed in dbt, validation or publishing, the next run is a whole `tgwh run`, and the
  warehouse must equal the uninterrupted one table by table (see RECOVERED below).
"""

import hashlib
import json
import os
import signal
import time
from pathlib import Path

import duckdb
import polars as pl
import psutil
import pytest
from support.cli import tgwh, warehouse_snapshot
from support.crash import run_killed_at, start_command
from support.homes import copy_home, shared_home

from orchestration.config import Home
from orchestration.defs.dbt import DBT_STOP_SECONDS
from orchestration.entities.build import build_entities
from orchestration.ingest.raw_store import RawStore
from orchestration.normalize.store import (
    BATCH_TABLES,
    ENTITY_BATCH_TABLES,
    NormalizedStore,
    build_normalized,
)
from orchestration.warehouse.lifecycle import WarehouseBuild
from orchestration.warehouse.versions import Warehouse

# Per new file, the Parquet writes of a run are: 5 raw tables (hits 1-5), 6 normalized tables
# (6-11), the layer's removed-batches table (12), 3 entity tables and 2 reference tables
# (13-17); normalized.table_written counts the same writes from the normalized ones (1-12).
BEFORE_DBT = [
    "run.locked",
    "parquet.temp_written#1",
    "raw.before_files_record#1",
    "parquet.temp_written#5",
    "raw.between_files#1",
    "parquet.temp_written#7",
    "normalized.table_written#1",
    "normalized.table_written#3",
    "normalized.table_written#5",
    "normalized.table_written#7",
    "gx.normalized_validated",
    "parquet.temp_written#13",
    "normalized.table_written#8",
    "normalized.table_written#10",
    "normalized.table_written#12",
]
# Killed here, the home is left in one of four states, each recovered by a real `tgwh run`: a
# candidate copied but not built; a candidate built (and maybe audited) but not published; a
# version linked but not renamed over the published file; published but not yet pruned. The
# points after dbt.built that leave the same state as it are checked to leave exactly that
# state (the published file untouched, a leftover candidate that the next run discards); the
# recovery from it is dbt.built's.
RECOVERED = ["dbt.candidate_started", "dbt.built", "publish.linked", "publish.replaced"]
LEAVE_DBT_BUILT_STATE = ["gx.docs_built", "publish.checkpointed"]
TIMES = ("ingested_at", "observed_at")


def export_file(folder: Path, number: int) -> Path:
    """A small Desktop export with its own message ids, countries and leaders."""
    messages = [
        {
            "id": number * 100 + k + 1,
            "type": "message",
            "date": "2025-05-10T10:00:00",
            "date_unixtime": str(1746871200 + number * 3600 + k),
            "from": "Crash Test",
            "from_id": "channel777",
            "text": f"Run {number}, post {k}: Sergey Lavrov met the Foreign Minister of India "
            f"in Moscow. 🇷🇺🇮🇳 #RussiaIndia",
            "text_entities": [],
        }
        for k in range(3)
    ]
    path = folder / f"export_{number:02d}.json"
    chat = {"name": "Crash Test", "type": "public_channel", "id": 777, "messages": messages}
    path.write_text(json.dumps(chat))
    return path


@pytest.fixture(scope="session")
def inputs(tmp_path_factory) -> list[Path]:
    """The one file each run adds, at one path for every worker: the warehouse records each
    post's source file, so the paths must agree."""

    def write(folder: Path) -> None:
        folder.mkdir(parents=True)
        export_file(folder, 1)

    return [shared_home(tmp_path_factory, "crash-inputs", write)]


@pytest.fixture(scope="session")
def base(sample_home) -> Path:
    """A published warehouse: the bundled sample's (built once for the session, never
    written: each case copies it)."""
    return sample_home


@pytest.fixture(scope="session")
def reference(inputs, base, tmp_path_factory) -> Path:
    """The base home after one more file, built without interruption."""

    def build(home: Path) -> None:
        copy_home(base, home)
        tgwh(home, "run", *map(str, inputs))

    return shared_home(tmp_path_factory, "crash-reference", build)


@pytest.fixture(scope="session")
def reference_layers(inputs, base, tmp_path_factory) -> Path:
    """The base home after the first stages of a run of one more file, uninterrupted, through
    the pure functions the assets call (the layers that the cases killed before dbt recover)."""

    def build(home: Path) -> None:
        copy_home(base, home)
        next_run_first_stages(home, inputs)

    return shared_home(tmp_path_factory, "crash-reference-layers", build)


def next_run_first_stages(home: Path, sources: list[Path]) -> NormalizedStore:
    """What a run does before dbt: land, normalize, match entities."""
    raw, store = RawStore(Home(home).raw), NormalizedStore(Home(home).normalized)
    raw.ingest(sources)
    build_normalized(raw, store)
    build_entities(store)
    return store


@pytest.fixture
def case(inputs, base, tmp_path) -> tuple[list[Path], Path]:
    """(what the run ingests, a copy of the base home)."""
    return list(inputs), copy_home(base, tmp_path / "home")


def assert_consistent(home: Path) -> None:
    published = home / "warehouse" / "tgwh.duckdb"
    with duckdb.connect(str(published), read_only=True) as connection:
        posts, keys = connection.execute(
            "select count(*), count(distinct post_key) from marts.fct_posts"
        ).fetchall()[0]
        assert posts == keys > 0
        orphans = connection.execute(
            "select count(*) from marts.fct_country_mentions m "
            "anti join marts.fct_posts p using (post_key)"
        ).fetchall()[0][0]
        assert orphans == 0
    assert Warehouse(Home(home).warehouse).current_version() is not None
    for parquet in (home / "raw").rglob("*.parquet"):
        pl.read_parquet(parquet)  # no partial file under a final name


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def layer_tables(home: Path) -> dict[str, pl.DataFrame]:
    store = NormalizedStore(Home(home).normalized)
    tables = {}
    for name in [*BATCH_TABLES, *ENTITY_BATCH_TABLES]:
        frame = store.scan(name).collect()
        frame = frame.drop([c for c in frame.columns if c in TIMES])
        tables[name] = frame.sort(pl.all(), nulls_last=True)
    for name in ("countries", "leaders"):
        tables[name] = store.read_reference(name)
    return tables


@pytest.mark.parametrize("failpoint", BEFORE_DBT)
def test_killed_before_dbt_the_next_run_builds_the_same_layers(failpoint, case, reference_layers):
    sources, home = case
    assert run_killed_at(home, sources, failpoint) == -9, failpoint
    assert_consistent(home)

    store = next_run_first_stages(home, sources)  # what the next run's first stages do

    reference_batches = RawStore(Home(reference_layers).raw).batch_ids()
    assert sorted(RawStore(Home(home).raw).batch_ids()) == sorted(reference_batches)
    expected = layer_tables(reference_layers)
    for name, frame in layer_tables(home).items():
        assert frame.equals(expected[name]), (failpoint, name)
    plan = WarehouseBuild(Home(home)).plan(store.batches())
    assert not plan.up_to_date and not plan.full_refresh, failpoint
    assert len(plan.unpublished_batches) == 1, failpoint
    assert [p for p in home.rglob(".*.tmp")] == [], failpoint


@pytest.mark.parametrize("failpoint", RECOVERED)
def test_killed_in_dbt_validation_or_publishing_the_next_run_equals_an_uninterrupted_one(
    failpoint, case, reference
):
    sources, home = case
    assert run_killed_at(home, sources, failpoint) == -9, failpoint
    assert_consistent(home)

    tgwh(home, "run", *map(str, sources))  # the same command again, undisturbed
    assert_consistent(home)
    assert [p for p in home.rglob(".*.tmp")] == [], failpoint
    assert not (home / "warehouse" / "candidate.duckdb").exists(), failpoint
    assert warehouse_snapshot(home) == warehouse_snapshot(reference), failpoint


@pytest.mark.parametrize("failpoint", LEAVE_DBT_BUILT_STATE)
def test_killed_after_the_build_the_published_warehouse_is_untouched(failpoint, case, base):
    sources, home = case
    assert run_killed_at(home, sources, failpoint) == -9, failpoint
    assert_consistent(home)
    published = home / "warehouse" / "tgwh.duckdb"
    assert sha256(published) == sha256(base / "warehouse" / "tgwh.duckdb"), failpoint
    assert (home / "warehouse" / "candidate.duckdb").exists(), failpoint  # the next run drops it
    files = Warehouse(Home(home).warehouse)
    assert files.current_version() == len(files.versions()) - 1, failpoint  # no newer version


def is_dbt(process: psutil.Process) -> bool:
    """Is this the run's `dbt build`? A short-lived child (a `tail` of Dagster's compute logs)
    may have ended, or be a zombie, by the time its command line is read: not dbt."""
    try:
        command = process.cmdline()
    except psutil.Error:
        return False
    return "build" in command and any("dbt" in part for part in command)


@pytest.mark.parametrize("signal_number", [signal.SIGTERM], ids=["SIGTERM"])
def test_a_stopped_run_stops_its_dbt_build_and_leaves_the_published_warehouse(
    signal_number, inputs, base, tmp_path
):
    """SIGTERM (a service manager, `kill`) while dbt builds: dbt is told to stop, killed if it
    does not within DBT_STOP_SECONDS, and the command says so. (SIGINT takes the same path:
    Dagster maps SIGTERM to its SIGINT handler.)"""
    sources, home = list(inputs), copy_home(base, tmp_path / "home")
    published = sha256(home / "warehouse" / "tgwh.duckdb")
    output = tmp_path / "output.txt"
    run = start_command(home, ["run", *map(str, sources)], output)
    started, dbt = time.monotonic(), []
    while not dbt and run.is_alive() and time.monotonic() - started < 300:
        dbt = [child for child in psutil.Process(run.pid).children(recursive=True) if is_dbt(child)]
        time.sleep(0.1)
    assert dbt, output.read_text()
    os.kill(run.pid, signal_number)
    signalled = time.monotonic()
    _, alive = psutil.wait_procs(dbt, timeout=DBT_STOP_SECONDS + 10)
    dbt_ended = time.monotonic() - signalled
    run.join(30)
    said = output.read_text()
    assert not alive and dbt_ended < DBT_STOP_SECONDS + 10, said  # dagster-dbt alone: 25 s
    assert run.exitcode == 130, said
    assert "interrupted in tgwh_dbt_models, before publishing" in said
    assert "Traceback" not in said
    assert sha256(home / "warehouse" / "tgwh.duckdb") == published
    assert_consistent(home)
