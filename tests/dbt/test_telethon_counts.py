"""Telethon JSON Lines through the real parser, normalization and dbt: their forward, reply and
reaction counts reach marts.fct_posts, the latest landing's where a post landed twice, and the
posts of sources without them keep nulls."""

from datetime import UTC, datetime

import duckdb
import pytest
from support.dbt_build import build, parsed_sources, rows, statuses
from support.paths import PARSING_FIXTURES

from orchestration.config import SAMPLE_DATA_DIR

FIRST_LANDED = datetime(2025, 5, 20, tzinfo=UTC)
LATER_LANDED = datetime(2025, 5, 27, tzinfo=UTC)
FOURCAT = PARSING_FIXTURES / "telethon_4cat.ndjson"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    inputs = tmp_path_factory.mktemp("inputs")
    later = inputs / "later.ndjson"  # a week on: more forwards, replies and reactions
    later.write_text(
        FOURCAT.read_text(encoding="utf-8")
        .replace('"forwards": 4', '"forwards": 9')
        .replace('"replies": 2', '"replies": 5')
        .replace('"count": 11', '"count": 30'),
        encoding="utf-8",
    )
    sources = parsed_sources([FOURCAT, SAMPLE_DATA_DIR / "web_preview/MAErusse.html"], FIRST_LANDED)
    for name, extra in parsed_sources(
        [PARSING_FIXTURES / "telethon_messages.jsonl"], FIRST_LANDED, channel="mfa_test"
    ).items():
        sources[name] += extra
    for name, extra in parsed_sources([later], LATER_LANDED).items():
        sources[name] += extra
    result, run_results = build(home, sources, select="+fct_posts")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    failed = {k: v for k, v in statuses(run_results).items() if v not in ("success", "pass")}
    assert not failed
    connection = duckdb.connect(str(home / "warehouse" / "tgwh.duckdb"), read_only=True)
    yield connection
    connection.close()


def test_telethon_posts_reach_fct_posts_with_their_counts(warehouse):
    found = {
        row["post_key"]: row
        for row in rows(
            warehouse,
            "select post_key, source_format, views, forwards, replies, reactions, "
            "reactions_total, is_forward, reply_to_post_key from marts.fct_posts "
            "where channel = 'mfa_test'",
        )
    }
    assert set(found) == {f"mfa_test/{n}" for n in (101, 102, 103, 105, 201, 202)}
    first = found["mfa_test/101"]
    assert first["source_format"] == "telethon_jsonl"
    assert (first["views"], first["forwards"], first["replies"]) == (15230, 87, 12)
    assert first["reactions"] == [
        {"emoji": "👍", "count": 40},
        {"emoji": "🔥", "count": 9},
        {"emoji": "custom:5368324170671202286", "count": 3},
    ]
    assert first["reactions_total"] == 52
    assert found["mfa_test/102"]["is_forward"] is True
    assert found["mfa_test/103"]["reply_to_post_key"] == "mfa_test/101"
    assert found["mfa_test/105"]["forwards"] is None


def test_a_post_landed_twice_keeps_the_latest_counts(warehouse):
    (post,) = rows(
        warehouse,
        "select forwards, replies, reactions, reactions_total from marts.fct_posts "
        "where post_key = 'mfa_test/201'",
    )
    assert (post["forwards"], post["replies"], post["reactions_total"]) == (9, 5, 30)
    assert post["reactions"] == [{"emoji": "👏", "count": 30}]


def test_sources_without_the_counts_leave_them_null(warehouse):
    (counts,) = rows(
        warehouse,
        "select count(*) as posts, count(forwards) as forwards, count(replies) as replies, "
        "count(reactions) as reactions from marts.fct_posts where source_format = 'web_preview'",
    )
    assert counts["posts"] > 0
    assert (counts["forwards"], counts["replies"], counts["reactions"]) == (0, 0, 0)
