"""The scraper against a server that attacks it (tests/support/hostile_telegram.py, real sockets
on 127.0.0.1): each attack ends within small configured limits, with a clear reason, and
nothing it serves lands under a channel it was not asked for. No request leaves the machine."""

import time
from pathlib import Path

import polars as pl
import pytest
from support.fake_telegram import FakeTelegram, make_channel
from support.hostile_telegram import (
    HostileTelegram,
    announced_huge,
    closed_port,
    endless_body,
    endless_pagination,
    gzip_bomb,
    header_of,
    off_host_redirect,
    posts_of,
    redirect_chain,
    redirect_loop,
    slow_drip,
    slow_headers,
    stacked_gzip,
)

from orchestration.config import Home
from orchestration.ingest.raw_store import RawStore
from orchestration.ingest.scraping import (
    ChannelReport,
    FetchFailed,
    PreviewClient,
    ScrapeSettings,
    UnusablePage,
    channel_key,
    scrape_channel,
)

CAP = 256 * 1024  # bytes of one page here; a generated page of 20 posts is about 30 KB
DEADLINE = 1.0  # seconds of one request here


def limits(base_url: str, **overrides) -> ScrapeSettings:
    options = {
        "base_url": base_url,
        "delay_seconds": 0,
        "timeout_seconds": 2,
        "max_attempts": 2,
        "max_wait_seconds": 1,
        "backoff_initial_seconds": 0.01,
        "backoff_jitter_seconds": 0,
        "request_deadline_seconds": DEADLINE,
        "max_page_bytes": CAP,
        "max_pages": 50,
        "crawl_deadline_seconds": 10,
    }
    return ScrapeSettings(**{**options, **overrides})


def scrape(base_url: str, home: Path, channel: str, **overrides) -> ChannelReport:
    max_pages = overrides.pop("max_pages_argument", None)
    with PreviewClient(limits(base_url, **overrides), sleep=lambda _: None) as client:
        return scrape_channel(channel, home=Home(home), client=client, max_pages=max_pages)


def raw(home: Path, table: str) -> pl.DataFrame:
    return RawStore(Home(home).raw).scan(table).collect()


def nothing_landed(home: Path, channel: str) -> bool:
    state = Home(home).scrape.state_file(channel_key(channel))
    return not state.exists() and not (home / "raw").exists()


def failed_with(report: ChannelReport, kind: type, *phrases: str) -> bool:
    assert isinstance(report.failure, kind), report.errors
    message = report.failure.problem
    assert all(phrase in message for phrase in phrases), message
    # the reason in words, not an HTTP library's exception chained under it
    assert report.failure.__cause__ is None
    return True


@pytest.fixture
def fake() -> FakeTelegram:
    return FakeTelegram(make_channel("real_chan", 45, seed=1), make_channel("other_chan", 25))


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"


def test_an_endless_body_is_dropped_at_the_size_cap(home):
    with HostileTelegram({"endless": endless_body}) as server:
        started = time.monotonic()
        report = scrape(server.url, home, "endless")
    assert failed_with(report, FetchFailed, f"larger than the {CAP:,} bytes allowed")
    assert time.monotonic() - started < 3
    assert len(server.requests) == 1  # not worth a retry
    assert nothing_landed(home, "endless")


def test_a_gzip_bomb_is_dropped_once_it_inflates_past_the_cap(home):
    with HostileTelegram({"gzip_bomb": gzip_bomb}) as server:
        report = scrape(server.url, home, "gzip_bomb")
    assert failed_with(report, FetchFailed, "once decompressed", f"{CAP:,} bytes")
    # it read a few KB of the stream (socket buffers aside), not the 512 MB it would send
    assert server.bytes_sent and server.bytes_sent[0] < 16 * 1024 * 1024
    assert nothing_landed(home, "gzip_bomb")


def test_encodings_not_asked_for_and_announced_giants_are_refused_unread(home):
    with HostileTelegram({"stacked": stacked_gzip, "giant": announced_huge}) as server:
        stacked = scrape(server.url, home, "stacked")
        giant = scrape(server.url, home, "giant")
    assert failed_with(stacked, FetchFailed, "Content-Encoding 'gzip, gzip'")
    assert failed_with(giant, FetchFailed, "it announces 10,737,418,240")


@pytest.mark.parametrize("attack", [slow_drip, slow_headers], ids=["body", "headers"])
def test_a_server_dripping_bytes_is_cut_off_at_the_request_deadline(home, fake, attack):
    """Each byte arrives well within the read timeout (2 s), so only a deadline on the whole
    request ends it: 2 attempts of 1 s, not the 20 s the server would go on for."""
    with HostileTelegram({"real_chan": attack}, fake=fake, drip_seconds=0.1) as server:
        started = time.monotonic()
        report = scrape(server.url, home, "real_chan")
        elapsed = time.monotonic() - started
    assert failed_with(
        report, FetchFailed, "gave up after 2 attempt(s)", f"within the {DEADLINE:g} s allowed"
    )
    assert 2 * DEADLINE <= elapsed < 2 * DEADLINE + 3  # slack for a busy machine
    assert nothing_landed(home, "real_chan")


def test_a_redirect_to_another_host_is_refused_and_nothing_of_it_lands(home, fake):
    with HostileTelegram(fake=fake) as elsewhere:
        with HostileTelegram({"real_chan": off_host_redirect}, elsewhere=elsewhere.url) as server:
            report = scrape(server.url, home, "real_chan")
    assert failed_with(
        report, FetchFailed, f"redirects to {elsewhere.url}/s/real_chan", f"off {server.url}"
    )
    assert elsewhere.requests == []  # never asked
    assert nothing_landed(home, "real_chan")


def test_a_redirect_loop_and_an_endless_redirect_chain_end_with_a_reason(home):
    with HostileTelegram({"looping": redirect_loop, "chained": redirect_chain}) as server:
        loop = scrape(server.url, home, "looping")
        chain = scrape(server.url, home, "chained")
    base = f"{server.url}/s/looping"
    assert failed_with(loop, FetchFailed, f"redirect loop: {base} -> {base}?loop=1 -> {base}")
    assert len(server.requests_for("looping")) == 2
    assert failed_with(chain, FetchFailed, "more than 5 redirects")
    assert len(server.requests_for("chained")) == 6


def test_endless_pagination_stops_at_the_default_page_budget(home):
    """A history without a start: the budget of the settings applies when none is given."""
    with HostileTelegram({"endless_history": endless_pagination}) as server:
        report = scrape(server.url, home, "endless_history", max_pages=7)
    assert report.ok and report.stopped == "page budget of 7 pages spent"
    assert report.pages_fetched == len(server.requests) == 7
    assert report.frontier_before is not None  # the next run resumes, within its own budget
    assert ScrapeSettings().max_pages == 1000 and ScrapeSettings().crawl_deadline_seconds > 0


def test_endless_pagination_stops_at_the_crawl_deadline(home):
    with HostileTelegram({"endless_history": endless_pagination}) as server:
        started = time.monotonic()
        report = scrape(
            server.url, home, "endless_history", max_pages=10_000, crawl_deadline_seconds=1.0
        )
        elapsed = time.monotonic() - started
    assert report.ok and report.stopped == "the crawl's deadline of 1 s has come"
    assert 1 <= report.pages_fetched < 10_000 and elapsed < 4  # the server never ends


@pytest.mark.parametrize("claimed", ["evil chan/../../x", "other_chan"])
def test_a_header_of_another_channel_is_refused_and_files_nothing(home, fake, claimed):
    with HostileTelegram(fake=fake) as server:
        assert scrape(server.url, home, "real_chan").ok  # the real header, once
    headers_before = raw(home, "headers")
    assert set(headers_before["channel"]) == {"real_chan"}

    fake.tick()  # a new page: its bytes differ from the landed one
    with HostileTelegram({"real_chan": header_of(claimed)}, fake=fake) as server:
        report = scrape(server.url, home, "real_chan")
    assert failed_with(report, UnusablePage, f"header of another channel ({claimed!r})")
    [kept] = report.evidence
    assert kept.parent == home / "scrape" / "evidence" / "real_chan"
    assert raw(home, "headers").equals(headers_before)  # no new header, none for another name
    assert set(raw(home, "posts")["channel"]) == {"real_chan"}
    assert not [p for p in home.rglob("*") if "evil" in p.name or "other_chan" in p.name]


def test_posts_of_another_channel_at_its_address_are_refused(home, fake):
    with HostileTelegram({"real_chan": posts_of("other_chan")}, fake=fake) as server:
        report = scrape(server.url, home, "real_chan")
    assert failed_with(report, UnusablePage, "posts of another channel (other_chan)")
    assert nothing_landed(home, "real_chan")


def test_connection_refused_reads_as_such(home):
    url = f"http://127.0.0.1:{closed_port()}"
    report = scrape(url, home, "real_chan")
    assert failed_with(report, FetchFailed, "gave up after 2 attempt(s)", "refused the connection")
    assert nothing_landed(home, "real_chan")


def test_a_host_name_that_does_not_resolve_fails_at_once(home):
    with PreviewClient(limits("http://tgwh-hostile.invalid"), sleep=lambda _: None) as client:
        report = scrape_channel("real_chan", home=Home(home), client=client)
        assert client.attempts == 1  # a name that does not exist is not retried
    assert failed_with(report, FetchFailed, "cannot resolve tgwh-hostile.invalid: no such host")
    assert nothing_landed(home, "real_chan")
