"""The scraper's pure parts: channel names and lists, URLs, Retry-After, page shape, state."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from support.paths import REAL_DATA

from orchestration.config import Home
from orchestration.ingest.scraping import (
    ChannelState,
    InvalidChannelName,
    ScrapeError,
    ScrapeSettings,
    add_channel,
    default_channels,
    load_channels,
    load_state,
    page_url,
    remove_channel,
    retry_after_seconds,
    summarize_page,
    validate_channel_name,
)
from orchestration.ingest.scraping.channels import DEFAULT_CHANNELS_FILE
from orchestration.ingest.scraping.state import save_state


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("mfa_russia", "mfa_russia"),
        ("  MID_Russia\n", "MID_Russia"),
        ("@MAERusia", "MAERusia"),
        ("https://t.me/MAErusse", "MAErusse"),
        ("https://t.me/s/mfa_russia", "mfa_russia"),
        ("t.me/mfa_russia/31858", "mfa_russia"),
        ("abcde", "abcde"),
        ("a" * 32, "a" * 32),
    ],
)
def test_channel_names_accepted(raw, expected):
    assert validate_channel_name(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "abcd",  # too short
        "a" * 33,  # too long
        "1channel",  # must start with a letter
        "_channel",
        "mfa russia",
        "mfa-russia",
        "../../etc/passwd",
        "mfa_russia/../x",
        "mfa_russia?before=1",
        "канал_мид",
        "https://example.com/mfa_russia",
        "@",
    ],
)
def test_channel_names_refused(raw):
    with pytest.raises(InvalidChannelName, match="not a Telegram channel username"):
        validate_channel_name(raw)
    assert issubclass(InvalidChannelName, ValueError)


def test_defaults_apply_until_the_first_edit(tmp_path):
    assert load_channels(Home(tmp_path)) == ["mfa_russia", "MID_Russia", "MAERusia", "MAErusse"]
    assert default_channels() == load_channels(Home(tmp_path))
    assert not Home(tmp_path).channels_file.exists()


def test_add_and_remove_edit_the_home_copy_only(tmp_path):
    shipped = DEFAULT_CHANNELS_FILE.read_bytes()

    assert add_channel(Home(tmp_path), "@rusembusa") is True
    assert load_channels(Home(tmp_path)) == [*default_channels(), "rusembusa"]
    text = Home(tmp_path).channels_file.read_text()
    assert "# Public Telegram channels" in text  # comments of the defaults came along

    assert add_channel(Home(tmp_path), "MFA_RUSSIA") is False  # same channel, other case
    assert remove_channel(Home(tmp_path), "mid_russia") is True  # removed whatever its spelling
    assert remove_channel(Home(tmp_path), "mid_russia") is False
    assert load_channels(Home(tmp_path)) == ["mfa_russia", "MAERusia", "MAErusse", "rusembusa"]
    assert "# Public Telegram channels" in Home(tmp_path).channels_file.read_text()

    assert DEFAULT_CHANNELS_FILE.read_bytes() == shipped


def test_removing_a_default_creates_the_home_list(tmp_path):
    assert remove_channel(Home(tmp_path), "MAErusse") is True
    assert load_channels(Home(tmp_path)) == ["mfa_russia", "MID_Russia", "MAERusia"]


def test_invalid_names_never_reach_the_list(tmp_path):
    with pytest.raises(InvalidChannelName):
        add_channel(Home(tmp_path), "../escape")
    with pytest.raises(InvalidChannelName):
        remove_channel(Home(tmp_path), "no way")
    assert not Home(tmp_path).channels_file.exists()


def test_a_bad_line_is_reported_with_file_and_line(tmp_path):
    Home(tmp_path).channels_file.write_text("# mine\nmfa_russia\nmfa_russia  # dup\nnot valid!\n")
    with pytest.raises(InvalidChannelName, match=r"channels\.txt, line 4: 'not valid!'"):
        load_channels(Home(tmp_path))
    Home(tmp_path).channels_file.write_text("# mine\nmfa_russia\nMFA_Russia  # dup\n\nMID_Russia\n")
    assert load_channels(Home(tmp_path)) == ["mfa_russia", "MID_Russia"]


def test_page_url():
    assert page_url("https://t.me", "mfa_russia") == "https://t.me/s/mfa_russia"
    assert (
        page_url("https://t.me/", "mfa_russia", 31842) == "https://t.me/s/mfa_russia?before=31842"
    )


def test_settings_from_env(monkeypatch):
    monkeypatch.setenv("TGWH_TELEGRAM_BASE_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("TGWH_CONTACT", "archive@example.org")
    monkeypatch.setenv("TGWH_SCRAPE_DELAY", "2.5")
    monkeypatch.setenv("TGWH_SCRAPE_MAX_ATTEMPTS", "3")
    settings = ScrapeSettings.from_env()
    assert settings.base_url == "http://127.0.0.1:9"
    assert settings.user_agent.startswith("tgwh/")
    assert "contact: archive@example.org" in settings.user_agent
    assert (settings.delay_seconds, settings.max_attempts) == (2.5, 3)
    monkeypatch.setenv("TGWH_SCRAPE_DELAY", "soon")
    with pytest.raises(ValueError, match="TGWH_SCRAPE_DELAY"):
        ScrapeSettings.from_env()


def test_retry_after_in_seconds_or_as_a_date():
    now = datetime(2025, 5, 12, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True), now) == 0
    assert retry_after_seconds("whenever") is None
    assert retry_after_seconds(None) is None


def test_real_page_shape():
    page = REAL_DATA / "web_preview" / "full.html"
    if not page.exists():
        pytest.skip(f"real-data conformance suite not found at {REAL_DATA}")
    html = page.read_text(encoding="utf-8")
    summary = summarize_page(html)
    # full.html is the page before=71009 of @topwar_official: 12 posts, albums leave id gaps
    assert summary.message_ids[0] == 70989 and summary.message_ids[-1] == 71008
    assert len(summary.message_ids) == 12
    assert summary.older_before == 70989  # the "load more" anchor (data-before)
    assert summary.post_channels == {"topwar_official"}
    assert summary.has_header and summary.is_whole_document
    assert summary.oldest_published_at == datetime(2023, 2, 28, 7, 47, 53, tzinfo=UTC)
    assert not summarize_page(html[: len(html) // 2]).is_whole_document


def test_ids_beyond_64_bits_leave_the_page_shape_without_failing_it():
    post = '<div class="tgme_widget_message js-widget_message" data-post="mfa_russia/{}"></div>'
    html = (
        '<html><body><a class="tme_messages_more" data-before="{}"></a>{}{}{}</body></html>'
    ).format("9" * 5000, post.format(7), post.format(2**63), post.format("9" * 5000))
    summary = summarize_page(html)
    assert summary.message_ids == (7,)  # the others are the parser's rejects, with reasons
    assert summary.older_before is None and summary.older_link_out_of_range


def test_state_merges_ranges_and_survives_a_round_trip(tmp_path):
    state = ChannelState("mfa_russia")
    state.cover(81, 100)
    state.cover(40, 60)
    assert state.covered == [(81, 100), (40, 60)] and state.frontier_before == 81
    state.cover(61, 80)  # touching both: one range
    assert state.covered == [(40, 100)]
    assert not state.history_complete
    state.cover(1, 39)
    assert state.history_complete and state.frontier_before is None and state.highest_id == 100

    path = tmp_path / "state" / "mfa_russia.json"
    save_state(path, state)
    again = load_state(path, "mfa_russia")
    assert again.covered == [(1, 100)] and again.history_complete

    path.write_text("{ not json")
    with pytest.raises(ScrapeError, match="unreadable"):
        load_state(path, "mfa_russia")
