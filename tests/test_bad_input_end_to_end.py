"""What users see when input is bad: clear errors, nothing lost, bad data never published."""

import hashlib
import json
import time
from pathlib import Path

import pytest
from cli_helpers import query, tgwh

from orchestration.paths import SAMPLE_DATA_DIR

pytestmark = pytest.mark.slow

GOOD_EXPORT = SAMPLE_DATA_DIR / "desktop_export" / "MAERusia" / "result.json"


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


def test_a_failed_critical_expectation_leaves_the_published_warehouse_alone(tmp_path):
    home = tmp_path / "home"
    tgwh(home, "run", str(GOOD_EXPORT))
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
