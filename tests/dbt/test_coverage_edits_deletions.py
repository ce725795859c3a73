"""Coverage, edits and deletions from two real scrapes of a fake t.me on 127.0.0.1.

The first scrape walks a channel's whole history; between the scrapes the channel edits one
recent post and deletes another; the second scrape re-reads the recent pages. Pages land through
the real scraper, raw store, normalization and entity matching; dbt builds the warehouse, then
builds it again incrementally from the second scrape's pages, as a run after a publish does.
"""

from datetime import UTC, datetime, timedelta

import dagster as dg
import duckdb
import pytest
from pytest_httpserver import HTTPServer
from support.dbt_build import dbt_environment, rows, run_dbt
from support.fake_telegram import FakeTelegram, make_channel

from orchestration.config import Home
from orchestration.defs.checks import COVERAGE, coverage_gaps_in_scraped_ranges
from orchestration.defs.resources import HomeResource
from orchestration.entities.build import build_entities
from orchestration.ingest.raw_store import RawStore
from orchestration.ingest.scraping import PreviewClient, ScrapeSettings, scrape_channel
from orchestration.normalize.store import NormalizedStore, build_normalized
from orchestration.warehouse.coverage import channel_completeness, completeness_line
from orchestration.warehouse.lifecycle import DBT_BUILD
from orchestration.warehouse.stamp import stamp_build

CHANNEL = "coverage_test"


def occupied_ids(fake_channel) -> set[int]:
    """Every id a message holds: an album one per item."""
    return {
        message.id + offset
        for message in fake_channel.messages
        for offset in range(max(message.album_size, 1))
    }


def land(home: Home, server: HTTPServer) -> None:
    settings = ScrapeSettings(base_url=server.url_for("/").rstrip("/"), delay_seconds=0)
    with PreviewClient(settings, lock_dir=home.root / "locks") as client:
        report = scrape_channel(CHANNEL, home=home, client=client)
    assert report.ok, report.errors
    normalized = NormalizedStore(home.normalized)
    build_normalized(RawStore(home.raw), normalized)
    build_entities(normalized)


def dbt(home: Home, arguments: list[str]) -> None:
    result = run_dbt(arguments, dbt_environment(home.root), cwd=home.root)
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.fixture(scope="module")
def scraped(tmp_path_factory):
    """(home, the channel as first scraped, the edited post's id, the deleted post's id)."""
    channel = make_channel(
        CHANNEL, 45, seed=3, end=datetime.now(UTC) - timedelta(hours=1), spacing=timedelta(hours=3)
    )
    first = {m.id: m.text for m in channel.messages}
    history = occupied_ids(channel)
    fake = FakeTelegram(channel)
    home = Home(tmp_path_factory.mktemp("coverage") / "home").ensure()
    (home.root / "warehouse").mkdir(parents=True, exist_ok=True)
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        fake.install(server)
        land(home, server)
        dbt(home, ["run"])  # the models only: the second build runs the data tests
        warehouse = home.root / "warehouse" / "tgwh.duckdb"
        with duckdb.connect(str(warehouse)) as connection:
            stamp_build(connection, NormalizedStore(home.normalized).batches(), run_id="first")

        posts = [m for m in channel.messages if not m.is_service]
        edited, deleted = posts[-3], posts[-6]
        edited.text = "Corrected statement: the talks were postponed."
        channel.messages.remove(deleted)
        fake.tick()
        land(home, server)
        dbt(home, DBT_BUILD)
    finally:
        server.clear()
        server.stop()
    compiled = home.root / "dbt" / "target" / "compiled" / "tgwh" / "models" / "marts"
    assert "warehouse_build" in (compiled / "fct_post_deletions.sql").read_text()  # incremental
    return home, history, first, edited.id, deleted.id


@pytest.fixture(scope="module")
def warehouse(scraped):
    home = scraped[0]
    with duckdb.connect(str(home.root / "warehouse" / "tgwh.duckdb"), read_only=True) as db:
        yield db


def test_every_scraped_page_records_the_range_it_showed(warehouse):
    pages = rows(warehouse, "select * from audit.ingested_files order by ingested_at")
    assert pages and all(p["covered_channel"] == CHANNEL for p in pages)
    assert min(p["covered_from_id"] for p in pages) == 1
    assert all(p["covered_from_id"] <= p["covered_to_id"] for p in pages)


def test_coverage_counts_the_ids_never_used_inside_scraped_ranges(scraped, warehouse):
    home, history, *_ = scraped
    never_used = set(range(1, max(history) + 1)) - history
    assert never_used  # the fake channel leaves gaps, as deleted posts do
    (row,) = channel_completeness(home.root / "warehouse" / "tgwh.duckdb").to_dicts()
    assert row["ids_seen"] == len(history)  # the post deleted later was seen: it counts
    assert row["ids_never_seen"] == row["ids_missing_in_scraped_ranges"] == len(never_used)
    assert row["highest_message_id"] == max(history)
    assert completeness_line(row) == (
        f"{CHANNEL}: ids 1-{max(history)}: {len(history)} seen "
        f"({len(history) / max(history):.1%}), {len(never_used)} never seen "
        f"({len(never_used)} inside scraped pages' ranges)"
    )
    months = rows(warehouse, "select * from audit.coverage")
    assert (
        sum(m["posts"] for m in months)
        == rows(warehouse, "select count(*) as n from marts.fct_posts")[0]["n"]
    )
    assert all(m["share_with_views"] == 1.0 for m in months)


def test_the_coverage_check_warns_and_names_the_channel(scraped):
    home = scraped[0]
    result = dg.materialize(
        [dg.AssetSpec(COVERAGE), coverage_gaps_in_scraped_ranges],
        resources={"home": HomeResource(root=str(home.root))},
        selection=dg.AssetSelection.checks(coverage_gaps_in_scraped_ranges),
    )
    (evaluation,) = result.get_asset_check_evaluations()
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    (line,) = evaluation.metadata["failed_expectations"].value
    assert line.startswith(f"warning: {CHANNEL}: ")


def test_the_edit_is_found_with_both_versions(scraped, warehouse):
    _, _, first, edited_id, _ = scraped
    (edit,) = rows(warehouse, "select * from marts.fct_post_edits")
    assert edit["post_key"] == f"{CHANNEL}/{edited_id}"
    assert edit["change_kind"] == "text"
    assert edit["text_before"].startswith(first[edited_id])
    assert edit["text_after"].startswith("Corrected statement")
    assert edit["before_seen_at"] < edit["after_seen_at"]


def test_the_deleted_post_is_found_missing_from_the_second_scrape(scraped, warehouse):
    _, _, first, _, deleted_id = scraped
    (deletion,) = rows(warehouse, "select * from marts.fct_post_deletions")
    assert deletion["post_key"] == f"{CHANNEL}/{deleted_id}"
    assert deletion["last_text"].startswith(first[deleted_id])
    assert deletion["last_seen_at"] < deletion["found_missing_at"]
    (seen,) = rows(
        warehouse,
        "select max(ingested_at) as last from audit.ingested_files "
        f"where covered_from_id <= {deleted_id} and covered_to_id >= {deleted_id} "
        f"and ingested_at <= '{deletion['last_seen_at']}'",
    )
    assert seen["last"] == deletion["last_seen_at"]
