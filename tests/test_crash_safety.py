"""Killing a run at any moment loses nothing and corrupts nothing.

Runs are SIGKILLed at 22 points spread over every stage (ingestion, normalization, entities,
dbt, validation, publish). After each kill the published warehouse must still open and be
consistent, and the raw layer must hold no partial Parquet file; the next run (the user simply
runs the same command again) must complete and give the same warehouse as a run that was
never interrupted.
"""

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
from cli_helpers import query, tgwh, warehouse_snapshot

from orchestration.paths import SAMPLE_DATA_DIR
from orchestration.publishing import Warehouse

pytestmark = pytest.mark.slow

# Each run lands one new file, so every stage has work to do. Per new file, the Parquet writes
# are: 5 raw tables (hits 1-5), 6 normalized tables (6-11), 4 entity tables (12-15).
FAILPOINTS = [
    "run.locked",
    "parquet.temp_written#1",
    "raw.before_files_record#1",
    "parquet.temp_written#5",
    "raw.between_files#1",
    "parquet.temp_written#7",
    "normalized.table_written#1",
    "normalized.table_written#3",
    "normalized.table_written#5",
    "gx.normalized_validated",
    "parquet.temp_written#12",
    "normalized.table_written#7",
    "normalized.table_written#9",
    "dbt.candidate_started",
    "dbt.built",
    "gx.marts_validated",
    "gx.docs_built",
    "publish.checkpointed",
    "publish.linked",
    "publish.replaced",
    "raw.before_files_record#1",
    "publish.linked",
]


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


def assert_consistent(home: Path) -> None:
    published = home / "warehouse" / "tgwh.duckdb"
    if published.exists():
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
        assert Warehouse(home / "warehouse").current_version() is not None
    for parquet in (home / "raw").rglob("*.parquet"):
        pl.read_parquet(parquet)  # no partial file under a final name


def test_killed_runs_lose_nothing_and_the_next_run_completes(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "sample.json").write_bytes(
        (SAMPLE_DATA_DIR / "desktop_export" / "MAERusia" / "result.json").read_bytes()
    )
    home = tmp_path / "home"
    killed = 0
    for number, point in enumerate(FAILPOINTS):
        export_file(inputs, number)
        result = tgwh(home, "run", str(inputs), check=False, env={"TGWH_FAILPOINT": point})
        assert result.returncode == -9, (point, result.returncode, result.stderr[-2000:])
        killed += 1
        assert_consistent(home)
    assert killed >= 20

    tgwh(home, "run", str(inputs))  # the same command again, undisturbed
    assert_consistent(home)
    leftovers = [p for p in home.rglob(".*.tmp")]
    assert leftovers == []

    reference = tmp_path / "reference"
    tgwh(reference, "run", str(inputs))
    assert warehouse_snapshot(home) == warehouse_snapshot(reference)
    posts = query(home, "select count(*) n, count(distinct post_key) d from marts.fct_posts")[0]
    assert posts["n"] == posts["d"] == 11 + 3 * len(FAILPOINTS)
    print(f"{killed} runs killed; the warehouse after recovery equals an uninterrupted build")
