"""What users see when input is bad: clear errors, nothing lost, bad data never published."""

import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path

import duckdb
import pytest
from support.cli import query, tgwh
from support.homes import copy_home, shared_home
from support.samples import GOOD_EXPORT, blank_export

from orchestration.config import BUNDLED_EXPECTATIONS_DIR, SAMPLE_DATA_DIR


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
    os.mkfifo(inputs / "pipe.json")  # read, it would block the run for ever
    page = (SAMPLE_DATA_DIR / "web_preview" / "MAErusse.html").read_text()
    cut_at = [match.start() for match in re.finditer('data-post="', page)][-1]
    (inputs / "cut.html").write_text(page[:cut_at])  # lands, without the last post
    home = tmp_path / "home"

    result = tgwh(home, "run", str(inputs), check=False)

    # published, but some files could not be ingested (or only in part): exit status 4
    assert result.returncode == 4, result.stdout[-2000:] + result.stderr[-2000:]
    for name in ("empty.txt", "binary.html", "truncated.json", "pipe.json", "cut.html"):
        assert name in result.stderr, result.stderr
    assert "2 landed (1 of them in part)" in result.stdout and "4 failed" in result.stdout
    assert "not a regular file: a FIFO" in result.stderr
    assert "file truncated after post" in result.stderr
    posts = query(home, "select count(*) n from marts.fct_posts where channel = 'maerusia'")
    assert posts[0]["n"] == 11  # every post of the good export
    rejects = query(
        home, "select source_file, source_position, reason from audit.rejects order by 1"
    )
    assert [Path(r["source_file"]).name for r in rejects] == [
        "binary.html",
        "cut.html",
        "empty.txt",
        "pipe.json",
        "truncated.json",
    ]
    whole_file = [r for r in rejects if Path(r["source_file"]).name != "cut.html"]
    assert all(r["source_position"] == -1 and r["reason"] for r in whole_file)
    assert "truncated" in rejects[4]["reason"]
    assert rejects[1]["reason"].startswith("file truncated after post")


def test_a_bad_batch_is_set_aside_the_rest_publishes_and_the_user_decides(home, tmp_path):
    """A file failing a blocking check never blocks the others; release builds it, remove
    drops it with a line in the audit; a post from the future is a reject, not a blocker.
    Then `tgwh rollback` walks back through the kept builds, one a call, until none is left."""
    export = json.loads(GOOD_EXPORT.read_text())
    export["messages"][1]["date_unixtime"] = str(int(time.time()) + 30 * 24 * 3600)
    future = tmp_path / "future.json"
    future.write_text(json.dumps(export, ensure_ascii=False))
    blank = blank_export(tmp_path)
    page = SAMPLE_DATA_DIR / "web_preview" / "MAErusse.html"

    result = tgwh(home, "run", str(blank), str(future), str(page), check=False)
    assert result.returncode == 3, result.stdout + result.stderr  # published, one set aside
    assert "set aside batch" in result.stderr and "blank.json" in result.stderr
    assert "no text and no media" in result.stderr and "tgwh batches release" in result.stderr
    assert "records not landed: 1 (published_in_future 1)" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    channels = {r["channel"] for r in query(home, "select distinct channel from marts.fct_posts")}
    assert "maerusse" in channels and "blank_channel" not in channels
    (reject,) = query(home, "select rule, post_key from audit.rejects")
    assert reject == {"rule": "published_in_future", "post_key": "maerusia/14210"}

    listed = tgwh(home, "batches", "list", "--status", "set aside").stdout
    batch = next(line.split()[1] for line in listed.splitlines() if "set aside" in line)
    assert "text_or_media_ok" in tgwh(home, "batches", "show", batch).stdout
    tgwh(home, "batches", "release", batch)
    assert tgwh(home, "run", str(blank)).returncode == 0  # released: built, the check warns
    assert query(home, "select count(*) n from marts.fct_posts where channel = 'blank_channel'")

    tgwh(home, "batches", "remove", batch, "--reason", "a broken export", "--yes")
    tgwh(home, "run", str(page))  # nothing new to land: rebuilds without it
    gone = query(home, "select count(*) n from marts.fct_posts where channel = 'blank_channel'")
    assert gone == [{"n": 0}]
    removed = query(home, "select batch_id, reason from audit.removed_batches")
    assert removed[0]["batch_id"].startswith(batch) and removed[0]["reason"] == "a broken export"

    # four builds published (the good export's, then three here); three are kept
    def blank_posts() -> int:
        sql = "select count(*) n from marts.fct_posts where channel = 'blank_channel'"
        return query(home, sql)[0]["n"]

    assert "now the build" in tgwh(home, "rollback").stdout
    assert blank_posts() > 0  # the build before the removal
    tgwh(home, "rollback")
    assert blank_posts() == 0  # the build before the release
    refused = tgwh(home, "rollback", check=False)
    assert refused.returncode != 0 and "nothing to roll back to" in refused.stderr


def test_when_every_new_batch_is_bad_nothing_is_published(home, tmp_path):
    published = home / "warehouse" / "tgwh.duckdb"
    before = sha256(published)
    result = tgwh(home, "run", str(blank_export(tmp_path)), check=False)
    assert result.returncode == 1
    assert "gx_normalized_posts" in result.stdout and "BLOCKING" in result.stdout
    assert "did not publish" in result.stderr and "set aside batch" in result.stderr
    assert "Stack Trace" not in result.stdout + result.stderr
    assert sha256(published) == before


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
