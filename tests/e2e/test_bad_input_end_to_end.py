"""What users see when input is bad: clear errors, nothing lost, bad data never published."""

import hashlib
import json
import shutil
import time
from pathlib import Path

import duckdb
import pytest
from support.cli import query, tgwh
from support.homes import copy_home, shared_home

from orchestration.config import BUNDLED_EXPECTATIONS_DIR, SAMPLE_DATA_DIR

GOOD_EXPORT = SAMPLE_DATA_DIR / "desktop_export" / "MAERusia" / "result.json"


@pytest.fixture(scope="session")
def good_home(tmp_path_factory) -> Path:
    """A warehouse published from one good export (shared: copy it before writing)."""
    return shared_home(tmp_path_factory, "good-export", lambda h: tgwh(h, "run", str(GOOD_EXPORT)))


@pytest.fixture
def home(good_home, tmp_path) -> Path:
    return copy_home(good_home, tmp_path / "home")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bad_files_are_named_and_kept_while_good_ones_land(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "good.json").write_bytes(GOOD_EXPORT.read_bytes())
    (inputs / "empty.txt").write_text("")
    (inputs / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (inputs / "truncated.json").write_text(GOOD_EXPORT.read_text()[:700])
    home = tmp_path / "home"

    result = tgwh(home, "run", str(inputs))

    for name in ("empty.txt", "binary.html", "truncated.json"):
        assert name in result.stderr, result.stderr
    assert "1 landed" in result.stdout and "3 failed" in result.stdout
    posts = query(home, "select count(*) n from marts.fct_posts")[0]["n"]
    assert posts == 11  # every post of the good export
    rejects = query(
        home, "select source_file, source_position, reason from audit.rejects order by 1"
    )
    assert [Path(r["source_file"]).name for r in rejects] == [
        "binary.html",
        "empty.txt",
        "truncated.json",
    ]
    assert all(r["source_position"] == -1 and r["reason"] for r in rejects)
    assert "truncated" in rejects[2]["reason"]


def test_a_failed_critical_expectation_leaves_the_published_warehouse_alone(home, tmp_path):
    published = home / "warehouse" / "tgwh.duckdb"
    before = sha256(published)

    export = json.loads(GOOD_EXPORT.read_text())
    future = int(time.time()) + 30 * 24 * 3600  # a post dated a month from now
    export["messages"].append(
        {
            "id": 99999,
            "type": "message",
            "date": "2099-01-01T00:00:00",
            "date_unixtime": str(future),
            "from": "MAE Rusia",
            "from_id": "channel1159780422",
            "text": "Un mensaje del futuro.",
            "text_entities": [{"type": "plain", "text": "Un mensaje del futuro."}],
        }
    )
    bad = tmp_path / "future.json"
    bad.write_text(json.dumps(export, ensure_ascii=False))

    result = tgwh(home, "run", str(bad), check=False)

    assert result.returncode != 0
    assert "gx_normalized_posts" in result.stdout and "BLOCKING" in result.stdout
    assert "did not publish" in result.stderr
    assert sha256(published) == before
    future_posts = query(home, "select count(*) n from marts.fct_posts where message_id = 99999")
    assert future_posts[0]["n"] == 0


def test_a_failed_mart_expectation_keeps_the_candidate_and_names_the_check(home, tmp_path):
    """A stricter suite of the user's own fails on the marts: nothing is published, the
    candidate is kept with a report, and `tgwh rollback` is still there for older builds."""
    published = home / "warehouse" / "tgwh.duckdb"
    before = sha256(published)

    strict = tmp_path / "strict_expectations"
    shutil.copytree(BUNDLED_EXPECTATIONS_DIR, strict)
    suite = json.loads((strict / "fct_posts.json").read_text())
    suite["expectations"].append(
        {
            "type": "expect_table_row_count_to_be_between",
            "kwargs": {"min_value": 1000},
            "meta": {"critical": True, "why": "test: at least 1,000 posts"},
        }
    )
    (strict / "fct_posts.json").write_text(json.dumps(suite))
    other = SAMPLE_DATA_DIR / "web_preview" / "MAErusse.html"
    result = tgwh(home, "run", str(other), check=False, env={"TGWH_EXPECTATIONS_DIR": str(strict)})

    assert result.returncode != 0
    assert "gx_fct_posts" in result.stdout and "BLOCKING" in result.stdout
    assert sha256(published) == before
    (kept,) = (home / "warehouse" / "failed").iterdir()
    assert "report.md" in result.stderr and str(kept) in result.stderr
    report = (kept / "report.md").read_text()
    assert "gx_fct_posts" in report and "expect_table_row_count_to_be_between" in report
    candidate_posts = duckdb.connect(str(kept / "candidate.duckdb"), read_only=True).execute(
        "select count(*) from marts.fct_posts"
    )
    assert candidate_posts.fetchall()[0][0] == 11 + 8  # the new posts are in the candidate


def test_rollback_goes_back_one_published_build(home, tmp_path):
    tgwh(home, "run", str(SAMPLE_DATA_DIR / "web_preview" / "MAErusse.html"))
    assert query(home, "select count(*) n from marts.fct_posts")[0]["n"] == 19
    result = tgwh(home, "rollback")
    assert "now the build" in result.stdout
    assert query(home, "select count(*) n from marts.fct_posts")[0]["n"] == 11
    refused = tgwh(home, "rollback", check=False)
    assert refused.returncode != 0 and "nothing to roll back to" in refused.stderr
