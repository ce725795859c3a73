"""What `tgwh scrape` shows a person: a bad channels.txt line named by file and line before any
request, progress as plain lines off a terminal, and one line per channel in words."""

import io
import itertools
import re
from pathlib import Path

import pytest
from support.cli import tgwh
from support.fake_telegram import FakeTelegram, make_channel
from support.hostile_telegram import HostileTelegram, closed_port

from orchestration.app.commands.scrape import ScrapeProgress, duration, result_line
from orchestration.config import Home
from orchestration.ingest.scraping import (
    ChannelReport,
    ChannelUnavailable,
    FetchFailed,
    PreviewClient,
    ScrapeSettings,
    scrape_channel,
)


@pytest.fixture
def bad_list(tmp_path) -> tuple[Path, Path]:
    home = tmp_path / "home"
    home.mkdir()
    (home / "channels.txt").write_text("mfa_russia\n# a comment\nevil chan/../../x\n")
    return home, home / "channels.txt"


def test_a_bad_line_in_channels_txt_is_one_error_naming_the_file_and_line(bad_list):
    home, path = bad_list
    problem = f"{path}, line 3: 'evil chan/../../x' is not a Telegram channel username"
    with HostileTelegram() as server:
        env = {"TGWH_TELEGRAM_BASE_URL": server.url}
        for command in (["scrape"], ["channels", "list"], ["channels", "add", "chan_delta"]):
            result = tgwh(home, *command, env=env, check=False)
            assert result.returncode == 1, command
            assert problem in result.stderr and "fix or remove that line" in result.stderr
            assert "Traceback" not in result.stderr + result.stdout
            assert "Usage:" not in result.stderr  # not a mistake in the command line
        assert server.requests == []
    refused = tgwh(home, "channels", "add", "x y", check=False)
    assert refused.returncode == 2 and "'x y' is not a Telegram channel username" in refused.stderr


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("TGWH_TELEGRAM_BASE_URL", "t.me", "the Telegram base URL must be http(s)://"),
        ("TGWH_SCRAPE_MAX_PAGES", "many", "TGWH_SCRAPE_MAX_PAGES must be a whole number"),
        ("TGWH_SCRAPE_REQUEST_DEADLINE", "0", "deadlines must be positive"),
    ],
)
def test_bad_scrape_settings_are_one_error_before_any_run(tmp_path, variable, value, problem):
    result = tgwh(tmp_path / "home", "scrape", "mfa_russia", env={variable: value}, check=False)
    assert result.returncode == 1 and problem in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "home" / "dagster").exists()


def limits(base_url: str, **overrides) -> ScrapeSettings:
    options = {"base_url": base_url, "delay_seconds": 0, "max_attempts": 2}
    return ScrapeSettings(**{**options, **overrides})


def test_progress_is_plain_lines_off_a_terminal(tmp_path):
    fake = FakeTelegram(make_channel("real_chan", 130, seed=3))
    stream = io.StringIO()
    ticks = itertools.count(step=4)  # 4 s a page on this clock: a line every third page
    progress = ScrapeProgress(stream, interval=10, clock=lambda: next(ticks))
    assert not progress.live
    with HostileTelegram(fake=fake) as server, progress.listening():
        with PreviewClient(limits(server.url), sleep=lambda _: None) as client:
            report = scrape_channel("real_chan", home=Home(tmp_path / "home"), client=client)
    assert report.ok and report.pages_fetched == 7
    lines = stream.getvalue().splitlines()
    assert lines[0] == "real_chan: scraping its whole history (first scrape or backfill)"
    assert len(lines) == 3
    for line in lines[1:]:
        assert re.fullmatch(r"real_chan: \d pages, \d+ posts, \d+\.\d s", line), line
    assert "\x1b" not in stream.getvalue() and "\r" not in stream.getvalue()
    assert progress.reports == {"real_chan": report}


def test_retries_show_as_they_come_and_failures_wait_for_the_result_line(tmp_path):
    stream = io.StringIO()
    progress = ScrapeProgress(stream)
    url = f"http://127.0.0.1:{closed_port()}"
    with progress.listening(), PreviewClient(limits(url), sleep=lambda _: None) as client:
        report = scrape_channel("real_chan", home=Home(tmp_path / "home"), client=client)
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("real_chan: scraping")
    where = url.removeprefix("http://")
    assert re.fullmatch(
        rf"{url}/s/real_chan: attempt 1 failed: {where} refused the connection "
        r"\(nothing listens there\); retrying in \d+\.\d s",
        lines[1],
    ), lines[1]
    assert len(lines) == 2  # the failure itself is the result line's to say
    assert result_line(report).plain == (
        f"real_chan: FAILED: {url}/s/real_chan: gave up after 2 attempt(s): "
        f"{where} refused the connection (nothing listens there)"
    )


def report(**fields) -> ChannelReport:
    return ChannelReport(channel="mfa_russia", elapsed_seconds=75.2, **fields)


def test_one_line_per_channel_in_words():
    done = report(pages_fetched=12, new_posts=35, posts_landed=240, history_complete=True)
    assert result_line(done, "MFA_Russia").plain == (
        "MFA_Russia: ok: 12 pages, 35 new posts, 240 post rows landed, history complete "
        "(1 min 15 s)"
    )
    stopped = report(
        pages_fetched=1000, new_posts=20_000, posts_landed=20_000, frontier_before=11_850,
        stopped="page budget of 1,000 pages spent",
    )  # fmt: skip
    assert result_line(stopped).plain == (
        "mfa_russia: ok: 1,000 pages, 20,000 new posts, 20,000 post rows landed, history before "
        "post 11850 still to fetch (1 min 15 s); stopped early: page budget of 1,000 pages "
        "spent, the next scrape goes on from there"
    )
    gone = report(unavailable=True, failure=ChannelUnavailable("mfa_russia", "no such channel"))
    assert result_line(gone).plain == "mfa_russia: not available: no such channel"
    cut = report(pages_fetched=3, new_posts=60, failure=FetchFailed("mfa_russia", "timed out"))
    assert result_line(cut).plain == (
        "mfa_russia: FAILED after 3 pages (60 new posts landed before that): timed out"
    )
    assert [duration(s) for s in (3.14, 75.2, 3725)] == ["3.1 s", "1 min 15 s", "1 h 02 min"]
