"""The crawler against a fake t.me over real HTTP on 127.0.0.1: backfill, incremental runs,
view re-reads, retries, bad pages kept as evidence, unavailable channels, resumption."""

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import polars as pl
import pytest
from filelock import FileLock
from support.fake_telegram import PAGE_SIZE, FakeTelegram, Fault, make_channel

from orchestration.config import Home
from orchestration.ingest.raw_store import RawStore
from orchestration.ingest.scraping import (
    ChannelUnavailable,
    FetchFailed,
    InvalidChannelName,
    PreviewClient,
    ScrapeBusy,
    ScrapeSettings,
    UnusablePage,
    channel_key,
    load_state,
    scrape_channel,
    scrape_channels,
)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(server, sleeps, tmp_path):
    clients = []

    def make(**overrides) -> PreviewClient:
        options = {
            "base_url": server.url_for("/").rstrip("/"),
            "delay_seconds": 0,
            "timeout_seconds": 2,
            "max_attempts": 4,
            "max_wait_seconds": 30,
            "backoff_initial_seconds": 0.5,
            "backoff_jitter_seconds": 0.25,
        }
        settings = ScrapeSettings(**{**options, **overrides})
        client = PreviewClient(settings, sleep=sleeps.append, lock_dir=tmp_path / "locks")
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "home"


def raw(home: Path, table: str = "posts") -> pl.DataFrame:
    return RawStore(Home(home).raw).scan(table).collect()


def assert_landed_exactly_once(home: Path, fake: FakeTelegram) -> None:
    posts = raw(home)
    counts = posts.group_by(pl.col("channel").str.to_lowercase(), "message_id").len()
    assert counts["len"].max() == 1, "a post landed twice"
    for key, channel in fake.channels.items():
        landed = set(posts.filter(pl.col("channel").str.to_lowercase() == key)["message_id"])
        assert landed == channel.post_ids, f"{key}: missing {sorted(channel.post_ids - landed)}"


def assert_all_landed(home: Path, channel) -> None:
    posts = raw(home).filter(pl.col("channel") == channel.username)
    assert set(posts["message_id"]) == channel.post_ids


def recent_page_count(channel, days: float = 7) -> int:
    """Pages a run reads for the recent window: up to the first page with an older post."""
    cutoff = datetime.now(UTC) - timedelta(days=days)
    for number, page in enumerate(channel.page_chain(), start=1):
        if page and page[0].published_at < cutoff:
            return number
    return len(channel.page_chain())


def test_full_backfill_then_incremental_runs(server, make_client, home):
    channels = [
        make_channel("mfa_russia", 230, seed=1, pin_at=200),
        make_channel("MID_Russia", 170, seed=2, pin_at=100, first_id=5000),
        make_channel("MAErusse", 100, seed=3),
    ]
    fake = FakeTelegram(*channels)
    fake.install(server)
    client = make_client()
    progress: list[tuple[str, int, int]] = []

    reports = scrape_channels(
        [c.username for c in channels],
        home=Home(home),
        client=client,
        full=True,
        progress=lambda *args: progress.append(args),
    )

    assert [r.channel for r in reports] == ["mfa_russia", "MID_Russia", "MAErusse"]
    for report, channel in zip(reports, channels, strict=True):
        assert report.ok, report.errors
        assert report.history_complete and report.frontier_before is None
        assert report.highest_id == channel.messages[-1].id
        assert report.new_posts == len(channel.post_ids)
        # every page once, no more: the chain of "load more" links
        assert fake.requests_for(channel.username) == [
            None,
            *[page[0].id for page in channel.page_chain()[:-1]],
        ]
        assert report.pages_fetched == report.pages_landed == len(channel.page_chain())
        state = load_state(Home(home).scrape.state_file(channel_key(channel.username)), "x")
        assert state.covered == [(1, channel.messages[-1].id)]
    assert_landed_exactly_once(home, fake)
    assert sum(len(c.post_ids) for c in channels) == raw(home).height
    service = raw(home, "service")
    assert {"pin_message", "create_channel"} <= set(service["action"])
    assert raw(home, "headers").filter(pl.col("channel") == "MID_Russia").height >= 1
    assert progress[-1] == ("MAErusse", reports[2].pages_fetched, reports[2].posts_landed)
    assert set(fake.user_agents) == {client.settings.user_agent}
    assert client.settings.user_agent.startswith("tgwh/")

    # Second run, nothing new: only the newest page and the pages of the last 7 days are read;
    # their views have grown, so each read lands a new observation of those posts.
    fake.requests.clear()
    fake.tick()
    reports = scrape_channels([c.username for c in channels], home=Home(home), client=client)
    for report, channel in zip(reports, channels, strict=True):
        assert report.ok and report.new_posts == 0
        window = recent_page_count(channel)
        assert window < len(channel.page_chain())
        assert len(fake.requests_for(channel.username)) == window == report.pages_fetched
    posts = raw(home)
    observations = posts.group_by("channel", "message_id").agg(
        pl.len().alias("n"), pl.col("views").n_unique().alias("views_seen"), "published_at"
    )
    recent = observations.filter(
        pl.col("published_at").list.first() >= datetime.now(UTC) - timedelta(days=6)
    )
    assert recent.height > 0 and (recent["n"] == 2).all() and (recent["views_seen"] == 2).all()
    old = observations.filter(
        pl.col("published_at").list.first() < datetime.now(UTC) - timedelta(days=30)
    )
    assert old.height > 0 and (old["n"] == 1).all()
    headers = raw(home, "headers").filter(pl.col("channel") == "mfa_russia")
    assert headers["observed_at"].n_unique() >= 2  # one snapshot per run at least

    # New posts between runs are picked up, gaps and albums included.
    fake.requests.clear()
    mfa = channels[0]
    added = mfa.add_messages(
        45,
        rng=__import__("random").Random(9),
        end=datetime.now(UTC) - timedelta(minutes=5),
        spacing=timedelta(minutes=20),
    )
    report = scrape_channel("mfa_russia", home=Home(home), client=client)
    assert report.ok and report.new_posts == len(added)
    assert report.highest_id == mfa.messages[-1].id
    assert_all_landed(home, mfa)
    assert len(fake.requests_for("mfa_russia")) == recent_page_count(mfa)


def test_incremental_run_connects_down_to_what_landed_before(server, make_client, home):
    """Many new posts, all older than the recent window: the run walks down until it meets
    the posts landed before, and stops there."""
    channel = make_channel("mfa_russia", 60, seed=4, end=datetime.now(UTC) - timedelta(days=90))
    fake = FakeTelegram(channel)
    fake.install(server)
    client = make_client()
    assert scrape_channel("mfa_russia", home=Home(home), client=client, full=True).ok
    channel.add_messages(
        75,
        rng=__import__("random").Random(5),
        end=datetime.now(UTC) - timedelta(days=30),
        spacing=timedelta(hours=3),
    )
    fake.requests.clear()
    report = scrape_channel("mfa_russia", home=Home(home), client=client, recent_days=7)
    assert report.ok and report.new_posts == 75 and report.history_complete
    assert_all_landed(home, channel)
    old_top = channel.messages[59].id
    chain = channel.page_chain()
    # pages down to the first one reaching a post landed before, and not one more
    needed = next(i for i, page in enumerate(chain, 1) if page[0].id <= old_top)
    assert len(fake.requests_for("mfa_russia")) == needed
    # only that connecting page's old posts were observed a second time
    posts = raw(home)
    twice = posts.group_by("message_id").len().filter(pl.col("len") > 1)["message_id"]
    assert set(twice) <= {m.id for m in chain[needed - 1]}
    assert all(message_id <= old_top for message_id in twice)


def test_the_first_scrape_backfills_then_later_runs_are_incremental(server, make_client, home):
    """No --full needed: a channel never scraped before gets its whole history; a backfill
    stopped by the page budget goes on in the next runs; after that only what is new."""
    channel = make_channel("MAERusia", 150, seed=6)
    fake = FakeTelegram(channel)
    fake.install(server)
    state_file = Home(home).scrape.state_file(channel_key("MAERusia"))

    report = scrape_channel("MAERusia", home=Home(home), client=make_client(), max_pages=3)
    assert report.ok and report.backfill and not report.history_complete
    assert report.stopped == "page budget of 3 pages spent" and report.pages_fetched == 3
    assert load_state(state_file, "MAERusia").backfilling

    report = scrape_channel("MAERusia", home=Home(home), client=make_client())
    assert report.ok and report.backfill and report.history_complete and report.stopped is None
    assert_landed_exactly_once(home, fake)
    assert not load_state(state_file, "MAERusia").backfilling

    fake.requests.clear()
    report = scrape_channel("MAERusia", home=Home(home), client=make_client())
    assert report.ok and not report.backfill and report.new_posts == 0
    assert len(fake.requests) == report.pages_fetched == recent_page_count(channel)
    assert recent_page_count(channel) < len(channel.page_chain())


def test_429_with_retry_after_is_honoured(server, make_client, home, sleeps):
    channel = make_channel("mfa_russia", 30, seed=7)
    fake = FakeTelegram(channel)
    fake.install(server)
    fake.faults.append(Fault("status", status=429, headers={"Retry-After": "7"}))
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    fake.faults.append(Fault("status", status=429, headers={"Retry-After": when}))
    report = scrape_channel("mfa_russia", home=Home(home), client=make_client(), full=True)
    assert report.ok
    assert sleeps[0] == 7.0
    assert 17 <= sleeps[1] <= 20  # the HTTP date, less the time spent getting here
    assert len(sleeps) == 2
    assert_landed_exactly_once(home, fake)


def test_retry_after_longer_than_allowed_gives_up_at_once(server, make_client, home, sleeps):
    fake = FakeTelegram(make_channel("mfa_russia", 30, seed=7))
    fake.install(server)
    fake.faults.append(Fault("status", status=429, headers={"Retry-After": "3600"}))
    report = scrape_channel("mfa_russia", home=Home(home), client=make_client())
    assert isinstance(report.failure, FetchFailed)
    assert "longer than the 30 s allowed" in report.errors[0]
    assert len(fake.requests) == 1 and sleeps == []
    assert not Home(home).scrape.state_file(channel_key("mfa_russia")).exists()


def test_server_errors_then_success(server, make_client, home, sleeps):
    fake = FakeTelegram(make_channel("mfa_russia", 30, seed=8))
    fake.install(server)
    fake.faults.append(Fault("status", status=500, before=None, times=1))
    fake.faults.append(Fault("status", status=503, before=None, times=1))
    client = make_client()
    report = scrape_channel("mfa_russia", home=Home(home), client=client, full=True)
    assert report.ok
    assert fake.requests_for("mfa_russia")[:3] == [None, None, None]
    assert len(sleeps) == 2 and all(0 < s <= 30 for s in sleeps)
    assert sleeps[1] > sleeps[0] - 0.25  # exponential, give or take the jitter
    assert_landed_exactly_once(home, fake)


def test_persistent_errors_fail_the_channel_after_the_allowed_attempts(
    server, make_client, home, sleeps
):
    channel = make_channel("mfa_russia", 70, seed=8)
    fake = FakeTelegram(channel)
    fake.install(server)
    second = channel.page_chain()[0][0].id
    fake.faults.append(Fault("status", status=502, before=second, times=99))
    report = scrape_channel("mfa_russia", home=Home(home), client=make_client(), full=True)
    assert isinstance(report.failure, FetchFailed)
    assert "gave up after 4 attempt(s): HTTP 502" in report.errors[0]
    assert fake.requests_for("mfa_russia") == [None, second, second, second, second]
    assert report.frontier_before == second  # what landed stays; the rest waits for next run


def test_a_timeout_then_success(server, make_client, home):
    fake = FakeTelegram(make_channel("mfa_russia", 30, seed=9))
    fake.install(server)
    fake.faults.append(Fault("slow", before=None, seconds=1.5))
    client = make_client(timeout_seconds=0.5)
    report = scrape_channel("mfa_russia", home=Home(home), client=client, full=True)
    assert report.ok
    assert client.attempts == report.pages_fetched + 1
    assert_landed_exactly_once(home, fake)


def test_truncated_page_is_kept_as_evidence_and_not_passed(server, make_client, home):
    channel = make_channel("mfa_russia", 120, seed=10)
    fake = FakeTelegram(channel)
    fake.install(server)
    chain = channel.page_chain()
    bad_before = chain[2][0].id  # the fourth page
    fake.faults.append(Fault("truncate", before=bad_before))
    report = scrape_channel("mfa_russia", home=Home(home), client=make_client(), full=True)

    assert isinstance(report.failure, UnusablePage)
    assert "truncated" in report.errors[0]
    assert len(report.evidence) == 1 and report.evidence[0].exists()
    note = report.evidence[0].with_suffix(".json").read_text()
    assert f"before={bad_before}" in note and "truncated" in note
    assert report.pages_fetched == 4 and report.pages_landed == 3
    assert report.frontier_before == bad_before  # not past the hole
    landed = set(raw(home)["message_id"])
    assert landed == {m.id for page in chain[:3] for m in page if not m.is_service}

    report = scrape_channel("mfa_russia", home=Home(home), client=make_client(), full=True)
    assert report.ok and report.history_complete
    assert_landed_exactly_once(home, fake)


def test_page_of_another_shape_is_evidence(server, make_client, home):
    channel = make_channel("mfa_russia", 50, seed=11)
    fake = FakeTelegram(channel)
    fake.install(server)
    second = channel.page_chain()[0][0].id
    not_a_page = "<!DOCTYPE html><html><body><p>Service unavailable</p></body></html>"
    fake.faults.append(Fault("status", status=200, before=second, body=not_a_page))
    report = scrape_channel("mfa_russia", home=Home(home), client=make_client(), full=True)
    assert isinstance(report.failure, UnusablePage) and report.evidence
    assert "neither posts nor the channel header" in report.errors[0]
    assert report.frontier_before == second


def test_page_that_does_not_parse_is_moved_to_evidence(server, make_client, home):
    channel = make_channel("mfa_russia", 50, seed=11)
    fake = FakeTelegram(channel)
    fake.install(server)
    second = channel.page_chain()[0][0].id
    fake.faults.append(Fault("nul", before=second))
    report = scrape_channel("mfa_russia", home=Home(home), client=make_client(), full=True)
    assert isinstance(report.failure, UnusablePage)
    assert "does not parse: binary content" in report.errors[0]
    [kept] = report.evidence
    assert kept.parent == home / "scrape" / "evidence" / "mfa_russia" and kept.exists()
    assert not list((home / "scrape" / "pages" / "mfa_russia").glob(f"*-{second}.html"))
    rejects = raw(home, "rejects").filter(pl.col("source_position") == -1)
    assert rejects.height == 1 and "binary content" in rejects["reason"][0]
    assert report.frontier_before == second


def test_a_second_scrape_of_the_same_channel_fails_fast(server, make_client, home):
    fake = FakeTelegram(make_channel("mfa_russia", 25, seed=18))
    fake.install(server)
    layout = Home(home).scrape
    layout.locks_dir.mkdir(parents=True)
    with FileLock(str(layout.locks_dir / "channel-mfa_russia.lock")):
        report = scrape_channel("MFA_Russia", home=Home(home), client=make_client())
    assert isinstance(report.failure, ScrapeBusy) and fake.requests == []


def test_empty_channel(server, make_client, home):
    fake = FakeTelegram(make_channel("new_channel", 0))
    fake.install(server)
    report = scrape_channel("new_channel", home=Home(home), client=make_client(), full=True)
    assert report.ok and report.history_complete
    assert report.highest_id is None and report.posts_landed == 0
    assert fake.requests_for("new_channel") == [None]
    assert raw(home, "headers")["channel"].to_list() == ["new_channel"]


def test_missing_and_non_public_channels_do_not_stop_the_others(server, make_client, home):
    fake = FakeTelegram(make_channel("mfa_russia", 25, seed=12))
    fake.not_public.add("private_one")
    fake.blank.add("blank_page")
    fake.install(server)
    reports = scrape_channels(
        ["gone_channel", "private_one", "blank_page", "mfa_russia"],
        home=Home(home),
        client=make_client(),
    )
    gone, private, blank, mfa = reports
    assert gone.unavailable and "HTTP 404" in gone.errors[0]
    assert isinstance(gone.failure, ChannelUnavailable)
    assert private.unavailable and "no public web preview" in private.errors[0]
    assert blank.unavailable and "not a public channel" in blank.errors[0]
    with pytest.raises(ChannelUnavailable):
        blank.raise_for_failure()
    assert mfa.ok and mfa.history_complete
    layout = Home(home).scrape
    assert not layout.state_file(channel_key("gone_channel")).exists()


def test_killed_mid_backfill_resumes_from_the_frontier(server, make_client, home):
    channel = make_channel("MID_Russia", 210, seed=13, end=datetime.now(UTC) - timedelta(days=60))
    fake = FakeTelegram(channel)
    fake.install(server)

    class Killed(Exception):
        pass

    def kill_after_four(name, pages, posts):
        if pages == 4:
            raise Killed

    with pytest.raises(Killed):
        scrape_channel(
            "MID_Russia", home=Home(home), client=make_client(), full=True, progress=kill_after_four
        )
    chain = channel.page_chain()
    state = load_state(Home(home).scrape.state_file(channel_key("MID_Russia")), "MID_Russia")
    assert state.frontier_before == chain[3][0].id

    fake.requests.clear()
    report = scrape_channel("MID_Russia", home=Home(home), client=make_client(), full=True)
    assert report.ok and report.history_complete
    # the newest page once more (unchanged, so not landed again), then on from the frontier
    assert fake.requests_for("MID_Russia") == [None, *[page[0].id for page in chain[3:-1]]]
    assert report.pages_landed == len(chain) - 4
    assert_landed_exactly_once(home, fake)


def test_page_budget_runs_add_up_to_the_whole_history(server, make_client, home):
    channel = make_channel("MAErusse", 130, seed=14, end=datetime.now(UTC) - timedelta(days=60))
    fake = FakeTelegram(channel)
    fake.install(server)
    runs = 0
    while True:
        runs += 1
        report = scrape_channel(
            "MAErusse", home=Home(home), client=make_client(), full=True, max_pages=3
        )
        assert report.ok and report.pages_fetched <= 3
        if report.history_complete:
            break
        assert runs < 10
        # posts arrive between runs: the newest range and the backfill meet without holes
        channel.add_messages(
            25,
            rng=__import__("random").Random(runs),
            end=datetime.now(UTC) - timedelta(days=59 - runs),
            spacing=timedelta(minutes=30),
        )
    assert runs > 2
    state = load_state(Home(home).scrape.state_file(channel_key("MAErusse")), "MAErusse")
    assert state.covered == [(1, channel.messages[-1].id)]
    # no holes; posts seen again only on newest pages whose content changed between runs
    assert_all_landed(home, channel)


def test_invalid_names_are_refused_before_any_request(server, make_client, home):
    fake = FakeTelegram(make_channel("mfa_russia", 25, seed=15))
    fake.install(server)
    with pytest.raises(InvalidChannelName):
        scrape_channels(["mfa_russia", "../../etc"], home=Home(home), client=make_client())
    with pytest.raises(InvalidChannelName):
        scrape_channel("mfa russia", home=Home(home), client=make_client())
    assert fake.requests == [] and not home.exists()


def test_requests_are_paced(server, make_client, home, sleeps):
    channel = make_channel("mfa_russia", 70, seed=16)
    fake = FakeTelegram(channel)
    fake.install(server)
    report = scrape_channel(
        "mfa_russia", home=Home(home), client=make_client(delay_seconds=5.0), full=True
    )
    assert report.ok and report.pages_fetched == len(channel.page_chain())
    assert len(sleeps) == report.pages_fetched - 1  # a wait before every request but the first
    assert all(4.0 < s <= 5.0 for s in sleeps)


def test_pages_are_landed_files_in_the_home(server, make_client, home):
    channel = make_channel("MID_Russia", 45, seed=17)
    FakeTelegram(channel).install(server)
    report = scrape_channel("MID_Russia", home=Home(home), client=make_client(), full=True)
    folder = home / "scrape" / "pages" / "mid_russia"
    assert sorted(report.pages) == sorted(folder.glob("*.html"))
    assert any(p.name.endswith("-latest.html") for p in report.pages)
    files = raw(home, "files")
    assert set(files["source_file"]) == {str(p) for p in report.pages}
    assert len(list(folder.glob(".*tmp"))) == 0
    assert PAGE_SIZE == 20


def test_each_landed_page_records_the_id_range_it_showed_whole(server, make_client, home):
    """The raw batch of a page names its channel and the ids it covers: from its lowest post
    (1 on the oldest page) to the id below the ``before`` asked for; every post of the page lies
    inside, and the ranges of a backfill join up into the whole history."""
    channel = make_channel("MID_Russia", 45, seed=4)
    fake = FakeTelegram(channel)
    fake.install(server)
    report = scrape_channel("MID_Russia", home=Home(home), client=make_client(), full=True)
    assert report.ok, report.errors

    files = raw(home, "files").sort("covered_to_id", descending=True)
    posts = raw(home)
    assert files["covered_channel"].unique().to_list() == ["mid_russia"]
    ranges = list(zip(files["covered_from_id"], files["covered_to_id"], strict=True))
    assert ranges[0][1] == channel.messages[-1].id and ranges[-1][0] == 1
    assert all(low == below + 1 for (_, below), (low, _) in zip(ranges[1:], ranges, strict=False))
    for source_file, low, high in files.select(
        "source_file", "covered_from_id", "covered_to_id"
    ).iter_rows():
        ids = posts.filter(pl.col("source_file") == source_file)["message_id"]
        assert ids.len() and low <= ids.min() and ids.max() <= high


HUGE_ID = "9" * 5000  # more digits than int() converts


def _unrepresentable(channel) -> Callable[[str], str]:
    """The page with a post id of thousands of digits, one of 2^63, and views past 64 bits."""
    name = channel.username
    huge, past_63, viewed = (m.id for m in channel.messages[-2:-5:-1])

    def rewrite(page: str) -> str:
        page = page.replace(f'data-post="{name}/{huge}"', f'data-post="{name}/{HUGE_ID}"')
        page = page.replace(f'data-post="{name}/{past_63}"', f'data-post="{name}/{2**63}"')
        at = page.index(f'data-post="{name}/{viewed}"')
        views = page.index('tgme_widget_message_views">', at) + len('tgme_widget_message_views">')
        return page[:views] + "9" * 25 + page[page.index("<", views) :]

    return rewrite


def test_unrepresentable_values_in_a_page_are_rejects_and_the_scrape_goes_on(
    server, make_client, home
):
    channel = make_channel("mfa_russia", 15, seed=12)  # one page
    fake = FakeTelegram(channel)
    fake.install(server)
    fake.faults.append(Fault("rewrite", before=None, times=99, rewrite=_unrepresentable(channel)))
    report = scrape_channel("mfa_russia", home=Home(home), client=make_client(), full=True)

    assert report.ok, report.errors
    assert report.pages_landed == 1 and not report.evidence
    landed = set(raw(home)["message_id"])
    spoiled = {m.id for m in channel.messages[-2:-5:-1]}
    assert landed == {m.id for m in channel.messages if not m.is_service} - spoiled
    reasons = raw(home, "rejects")["reason"].to_list()
    assert any(f"message id out of range (beyond 64 bits): {2**63}" in r for r in reasons)
    assert any("message id out of range (beyond 64 bits): 9999" in r for r in reasons)
    assert any("views out of range (beyond 64 bits)" in r for r in reasons)


def test_a_page_nested_absurdly_deep_is_evidence_refused_quickly(server, make_client, home):
    channel = make_channel("mfa_russia", 15, seed=13)
    fake = FakeTelegram(channel)
    fake.install(server)
    history = '<section class="tgme_channel_history js-message_history">'
    fake.faults.append(
        Fault("rewrite", before=None, rewrite=lambda page: page.replace(
            history, history + "<div>" * 200_000))
    )  # fmt: skip
    started = time.perf_counter()
    report = scrape_channel("mfa_russia", home=Home(home), client=make_client(), full=True)
    assert time.perf_counter() - started < 5
    assert isinstance(report.failure, UnusablePage), report.errors
    assert "HTML nested too deeply" in report.errors[0] and report.evidence
    assert not (home / "raw").exists() or raw(home).height == 0  # nothing of it landed
