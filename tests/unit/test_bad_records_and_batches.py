"""Bad data never blocks the warehouse and nothing is lost: impossible records go to the rejects
with their rule, batches that fail a blocking check are set aside (and released or removed)."""

from datetime import UTC, datetime, timedelta

import duckdb
import polars as pl
import pytest

from orchestration.config import SAMPLE_DATA_DIR, Home
from orchestration.ingest.raw_store import RawStore
from orchestration.normalize.quarantine import Quarantine, QuarantineReport
from orchestration.normalize.rules import split_by_record_rules
from orchestration.normalize.store import NormalizedStore, build_normalized
from orchestration.validate.normalized import MOSTLY_MINIMUM_ROWS, batches_failing
from orchestration.validate.results import ExpectationResult, SuiteResult
from orchestration.warehouse.batches import UnknownBatch, batch_statuses, remove, resolve
from orchestration.warehouse.lifecycle import WarehouseBuild
from orchestration.warehouse.stamp import stamp_build

LANDED = datetime(2025, 5, 12, 9, tzinfo=UTC)
EXPORT = SAMPLE_DATA_DIR / "desktop_export" / "MAERusia" / "result.json"
PAGE = SAMPLE_DATA_DIR / "web_preview" / "MAErusse.html"


def posts(**columns) -> pl.DataFrame:
    count = len(next(iter(columns.values())))
    base = {
        "post_key": [f"c/{i}" for i in range(1, count + 1)],
        "message_id": list(range(1, count + 1)),
        "published_at": [LANDED - timedelta(days=1)] * count,
        "views": [10] * count,
        "text": ["a post"] * count,
        "source_file": ["/in/f.json"] * count,
        "source_format": ["desktop_export"] * count,
    }
    frame = pl.DataFrame(base | columns)
    return frame.with_columns(pl.col("published_at").cast(pl.Datetime("us", "UTC")))


def test_impossible_records_are_set_aside_with_their_rule_and_the_rest_kept():
    frame = posts(
        published_at=[
            LANDED - timedelta(days=1),
            LANDED + timedelta(days=30),  # after its file was collected
            LANDED + timedelta(minutes=10),  # within the clock drift allowed
            LANDED,
        ],
        views=[5, 5, 5, -3],
        message_id=[1, 2, 3, 4],
    )
    kept, rejected = split_by_record_rules(frame, LANDED)
    assert kept["post_key"].to_list() == ["c/1", "c/3"]
    assert dict(zip(rejected["post_key"], rejected["rule"], strict=True)) == {
        "c/2": "published_in_future",
        "c/4": "negative_views",
    }
    assert rejected.filter(pl.col("post_key") == "c/2")["reason"][0].startswith(
        "published at 2025-06-11"
    )
    assert rejected["source_file"].to_list() == ["/in/f.json"] * 2


def test_without_a_landing_time_no_post_is_in_the_future():
    kept, rejected = split_by_record_rules(
        posts(published_at=[datetime(2099, 1, 1, tzinfo=UTC)]), None
    )
    assert (kept.height, rejected.height) == (1, 0)


def result(expectation, column, unexpected, mostly=None, critical=True):
    return ExpectationResult(
        expectation=expectation,
        column=column,
        critical=critical,
        success=False,
        observed="",
        why="",
        failing_rows=len(unexpected),
        mostly=mostly,
        unexpected=unexpected,
    )


def test_failing_rows_name_the_batches_to_set_aside():
    frame = pl.DataFrame({"post_key": ["a/1", "a/2", "b/1"], "batch_id": ["A", "A", "B"]})
    suite = SuiteResult(
        "normalized_posts",
        success=False,
        critical_success=False,
        results=[
            result(
                "expect_column_values_to_match_regex",
                "channel",
                [{"post_key": "a/2", "batch_id": "A", "channel": "Bad Name"}],
            ),
            result(
                "expect_column_values_to_match_regex",
                "post_key",
                [{"post_key": "b/1", "batch_id": "B"}],
                critical=False,  # warnings never set a batch aside
            ),
        ],
    )
    failing = batches_failing(suite, frame)
    assert list(failing) == ["A"]
    (reason,) = failing["A"]
    assert (reason["failing_rows"], reason["rows"]) == (1, 2)
    assert reason["examples"] == [{"post_key": "a/2", "value": "Bad Name"}]


def test_a_mostly_rule_judges_large_batches_alone_and_small_ones_together():
    big, small = MOSTLY_MINIMUM_ROWS, 5
    frame = pl.DataFrame(
        {
            "post_key": [f"x/{i}" for i in range(big + big + small)],
            "batch_id": ["BAD"] * big + ["FINE"] * big + ["SMALL"] * small,
        }
    )
    rows = lambda batch, n: [{"post_key": "k", "batch_id": batch}] * n  # noqa: E731
    mostly = "expect_column_values_to_not_be_in_set"
    suite = SuiteResult(
        "s",
        False,
        False,
        [
            result(
                mostly,
                "text_or_media_ok",
                rows("BAD", 20) + rows("FINE", 1) + rows("SMALL", 2),
                mostly=0.95,
            )
        ],
    )
    assert list(batches_failing(suite, frame)) == ["BAD"]  # FINE is within 5%, SMALL too small
    only_small = SuiteResult("s", False, False, [result(mostly, "c", rows("SMALL", 2), 0.95)])
    assert list(batches_failing(only_small, frame)) == ["SMALL"]  # nobody alone: all who failed


@pytest.fixture
def home(tmp_path) -> Home:
    home = Home(tmp_path / "home").ensure()
    RawStore(home.raw).ingest([EXPORT, PAGE])
    build_normalized(RawStore(home.raw), NormalizedStore(home.normalized))
    return home


def batch_of(home: Home, name: str) -> str:
    statuses = batch_statuses(home)
    return statuses.filter(pl.col("source_file").str.ends_with(name))["batch_id"][0]


def test_a_batch_set_aside_is_not_normalized_again_until_released(home):
    store, quarantine = NormalizedStore(home.normalized), Quarantine(home.normalized)
    bad = batch_of(home, "result.json")
    reasons = [{"expectation": "x", "column": None, "failing_rows": 1, "rows": 11}]
    quarantine.set_aside(QuarantineReport(bad, [str(EXPORT)], reasons, "run-1"))
    assert bad not in store.batches() and quarantine.batches() == {bad}
    assert build_normalized(RawStore(home.raw), store).new_batches == []
    statuses = dict(batch_statuses(home).select("batch_id", "status").iter_rows())
    assert statuses[bad] == "set aside" and set(statuses.values()) == {"set aside", "pending"}
    assert "tgwh batches release" in home.normalized.quarantined(bad).report_md.read_text()

    quarantine.release(bad)
    assert bad in store.batches() and bad in quarantine.released() and not quarantine.batches()
    assert dict(batch_statuses(home).select("batch_id", "status").iter_rows())[bad] == "released"


def test_a_removed_batch_is_gone_from_both_layers_with_a_record_and_forces_a_full_rebuild(home):
    store = NormalizedStore(home.normalized)
    gone, kept = batch_of(home, "result.json"), batch_of(home, "MAErusse.html")
    home.warehouse.root.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(home.warehouse.published)) as connection:
        connection.execute("create schema audit")
        stamp_build(connection, store.batches(), run_id="published-run")
    assert not WarehouseBuild(home).plan(store.batches()).full_refresh
    asked = WarehouseBuild(home).plan(store.batches(), full_refresh=True)  # --full-refresh
    assert asked.full_refresh and set(asked.unpublished_batches) == store.batches()

    assert resolve(home, gone[:10]) == gone
    record = remove(home, gone, "test data")
    assert (record["source_file"], record["reason"]) == (str(EXPORT), "test data")
    assert store.batches() == {kept} and gone not in RawStore(home.raw).batch_ids()
    assert RawStore(home.raw).removals()["batch_id"].to_list() == [gone]
    assert WarehouseBuild(home).plan(store.batches()).full_refresh  # its rows must go
    build_normalized(RawStore(home.raw), store)
    removed = pl.read_parquet(home.normalized.reference_file("removed_batches"))
    assert removed["batch_id"].to_list() == [gone]
    with pytest.raises(UnknownBatch):
        resolve(home, gone[:10])


def test_negative_forward_reply_or_reaction_counts_are_set_aside():
    reactions = pl.List(pl.Struct({"emoji": pl.String, "count": pl.Int64}))
    frame = posts(
        forwards=[3, -1, None, None],
        replies=[0, None, -2, None],
        reactions=pl.Series(
            [[{"emoji": "👍", "count": 2}], None, None, [{"emoji": "👍", "count": -5}]],
            dtype=reactions,
        ),
    )
    kept, rejected = split_by_record_rules(frame, LANDED)
    assert kept["post_key"].to_list() == ["c/1"]
    assert dict(zip(rejected["post_key"], rejected["reason"], strict=True)) == {
        "c/2": "forward count -1 is negative",
        "c/3": "reply count -2 is negative",
        "c/4": "a reaction count is negative",
    }
    assert set(rejected["rule"]) == {"negative_counts"}
