"""Scraped pages land together, a batch per ``land_pages`` pages: a backfill is a handful of
raw batches, and the layers built from them hold what page-by-page landing gives, each page's
range, landing time and view counts included. A crawl killed mid-way claims only what landed."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from support.fake_telegram import FakeTelegram, Fault, make_channel

from orchestration.config import Home
from orchestration.entities.build import build_entities
from orchestration.ingest.raw_store import PageRange, RawStore
from orchestration.ingest.scraping import (
    PreviewClient,
    ScrapeSettings,
    channel_key,
    load_state,
    scrape_channel,
)
from orchestration.normalize.store import (
    BATCH_TABLES,
    ENTITY_BATCH_TABLES,
    NormalizedStore,
    build_normalized,
)
from orchestration.warehouse.batches import batch_statuses, pending_work, remove

RAW_TABLES = ("posts", "headers", "service", "rejects", "files")


def settings(server, **overrides) -> ScrapeSettings:
    base = server.url_for("/").rstrip("/")
    return ScrapeSettings(base_url=base, delay_seconds=0, timeout_seconds=2, **overrides)


def spoiled(page: str) -> str:
    """One post published in the future (a record rule judges it by its page's landing time)
    and one view count beyond 64 bits (a parse reject)."""
    page = page.replace('<time datetime="20', '<time datetime="29', 1)
    views = page.rindex('tgme_widget_message_views">') + len('tgme_widget_message_views">')
    return page[:views] + "9" * 25 + page[page.index("<", views) :]


def _without_batch_ids(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.drop("batch_id", strict=False)
    return frame.sort(
        [name for name, dtype in frame.schema.items() if not dtype.is_nested()], nulls_last=True
    )


def test_a_backfill_lands_as_few_batches_and_builds_the_same_layers(server, tmp_path):
    channel = make_channel("mfa_russia", 130, seed=21, pin_at=100)  # 7 pages
    fake = FakeTelegram(channel)
    fake.install(server)
    fake.faults.append(Fault("rewrite", before=channel.page_chain()[-3][0].id, rewrite=spoiled))
    compacted, paged = Home(tmp_path / "compacted"), Home(tmp_path / "paged")
    with PreviewClient(settings(server, land_pages=3)) as client:
        report = scrape_channel("mfa_russia", home=compacted, client=client, full=True)
    assert report.ok and report.pages_landed == 7 == len(channel.page_chain())

    files = RawStore(compacted.raw).scan("files").collect()
    assert files.group_by("batch_id").len()["len"].sort().to_list() == [1, 3, 3]
    statuses = batch_statuses(compacted)
    assert statuses.height == 3 and statuses["posts"].sum() == files["records_read"].sum() - 1
    assert statuses["source_file"].str.contains(r"\(and 2 more\)").sum() == 2
    # the same pages, each landed alone at the same time: what landing page by page wrote
    alone = RawStore(paged.raw)
    for row in files.iter_rows(named=True):
        page = alone.prepare_page(
            Path(row["source_file"]),
            channel="mfa_russia",
            covered=PageRange(row["covered_channel"], row["covered_from_id"], row["covered_to_id"]),
            ingested_at=row["ingested_at"],
        )
        assert page is not None
        alone.land_pages([page])
    assert len(alone.landed_batches()) == 7

    for home in (compacted, paged):
        store = NormalizedStore(home.normalized)
        build_normalized(RawStore(home.raw), store)
        build_entities(store)
    for table in RAW_TABLES:
        one, other = (RawStore(home.raw).scan(table).collect() for home in (compacted, paged))
        assert _without_batch_ids(one).equals(_without_batch_ids(other)), table
    # per post; the persons and leaders a batch names are per batch, the same over the layer
    for table in (*BATCH_TABLES, "country_mentions", "leader_mentions", "diplomatic_events"):
        one, other = (
            NormalizedStore(home.normalized).scan(table).collect() for home in (compacted, paged)
        )
        assert one.height or table in ENTITY_BATCH_TABLES, table
        assert _without_batch_ids(one).equals(_without_batch_ids(other)), table
    for table in ("channel_persons", "leaders"):
        one, other = (
            NormalizedStore(home.normalized).read_reference(table) for home in (compacted, paged)
        )
        assert _without_batch_ids(one).equals(_without_batch_ids(other)), table
    # per page: its range and landing time (coverage), and the views it showed, at that time
    pages = NormalizedStore(compacted.normalized).scan("ingested_files").collect()
    assert pages["ingested_at"].n_unique() == 7 and pages["covered_from_id"].n_unique() == 7
    views = NormalizedStore(compacted.normalized).scan("post_views").collect()
    assert set(views["observed_at"]) == set(pages["ingested_at"])
    rejects = NormalizedStore(compacted.normalized).scan("rejects").collect()
    assert set(rejects["rule"]) == {"published_in_future", "unparseable_record"}


def test_pages_already_landed_inside_a_batch_do_not_land_again(server, tmp_path):
    channel = make_channel("MID_Russia", 90, seed=22, end=None)
    FakeTelegram(channel).install(server)
    home = Home(tmp_path / "home")
    with PreviewClient(settings(server)) as client:
        first = scrape_channel("MID_Russia", home=home, client=client, full=True)
        again = scrape_channel("MID_Russia", home=home, client=client, full=True)
    assert first.pages_landed == 5 and len(RawStore(home.raw).landed_batches()) == 1
    # nothing changed on the server: the same bytes, recognised inside the batch of five
    assert again.ok and again.pages_fetched >= 1 and again.pages_landed == 0
    assert len(RawStore(home.raw).landed_batches()) == 1
    saved = sorted(home.scrape.pages_dir(channel_key("MID_Russia")).glob("*.html"))
    assert len(saved) == 5
    # a page of that batch given to `tgwh run` (copied under another name) is no new batch
    copy = tmp_path / "saved_by_hand.html"
    copy.write_bytes(saved[0].read_bytes())
    assert not pending_work(home, [copy]).new_files
    report = RawStore(home.raw).ingest([copy])
    assert report.landed == [] and report.unchanged == [str(copy)]
    assert len(RawStore(home.raw).landed_batches()) == 1

    # the batch is what one landing wrote: removing it removes its five pages, said so
    (batch,) = RawStore(home.raw).landed_batches()
    record = remove(home, batch, "test")
    assert record["source_file"].endswith("(and 4 more)") and not RawStore(home.raw).batch_ids()


def test_pages_land_at_least_every_land_seconds(server, tmp_path):
    channel = make_channel("MAErusse", 90, seed=24)
    FakeTelegram(channel).install(server)
    home = Home(tmp_path / "home")
    with PreviewClient(settings(server, land_seconds=0)) as client:
        report = scrape_channel("MAErusse", home=home, client=client, full=True)
    assert report.ok and len(RawStore(home.raw).landed_batches()) == report.pages_landed == 5


CRAWL = """
import sys
from orchestration.config import Home
from pathlib import Path
from orchestration.ingest.scraping import PreviewClient, ScrapeSettings, scrape_channel
settings = ScrapeSettings(base_url=sys.argv[1], delay_seconds=0, timeout_seconds=2, land_pages=3)
with PreviewClient(settings) as client:
    scrape_channel("mfa_russia", home=Home(Path(sys.argv[2])), client=client, full=True)
"""


@pytest.mark.parametrize(
    "point",
    [
        "scrape.page_waiting#5",  # pages 1-3 landed, 4 and 5 waiting
        "raw.before_files_record#2",  # pages 4-6 written but for their files/ rows
    ],
)
def test_a_crawl_killed_mid_way_claims_only_what_landed(server, tmp_path, point):
    channel = make_channel("mfa_russia", 230, seed=23)
    fake = FakeTelegram(channel)
    fake.install(server)
    home = Home(tmp_path / "home")
    killed = subprocess.run(
        [sys.executable, "-c", CRAWL, server.url_for("/").rstrip("/"), str(home.root)],
        env={**os.environ, "TGWH_FAILPOINT": point},
        capture_output=True,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    raw = RawStore(home.raw)
    files = raw.scan("files").collect()
    assert files.height == 3 and len(raw.landed_batches()) == 1  # the first batch only
    # a complete batch holds exactly the pages it names, and the state claims exactly those
    assert set(raw.scan("posts").collect()["source_file"]) == set(files["source_file"])
    state = load_state(home.scrape.state_file("mfa_russia"), "mfa_russia")
    assert state.covered == [(files["covered_from_id"].min(), files["covered_to_id"].max())]

    with PreviewClient(settings(server, land_pages=3)) as client:
        report = scrape_channel("mfa_russia", home=home, client=client, full=True)
    assert report.ok and report.history_complete
    posts = RawStore(home.raw).scan("posts").collect()
    assert posts["message_id"].is_unique().all() and set(posts["message_id"]) == channel.post_ids
