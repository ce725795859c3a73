"""`tgwh scrape` against a local server standing in for t.me: backfill, then only what is new;
a server that misbehaves gets one line per channel, not a traceback.

The servers (pytest-httpserver, and the hostile one of tests/support, on 127.0.0.1) serve
realistic multi-page channels generated from fixtures; no test reaches the internet.
"""

import random
from datetime import UTC, datetime, timedelta

import dagster as dg
import pytest
from pytest_httpserver import HTTPServer
from support.cli import query, tgwh
from support.fake_telegram import FakeTelegram, make_channel
from support.hostile_telegram import HostileTelegram, endless_body, header_of, redirect_loop


@pytest.fixture
def telegram():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    fake = FakeTelegram(
        # several pages each (20 posts a page), and each longer than the scraper's recent
        # window (7 days; a post every 5 hours), so a second scrape reads less than the first
        make_channel("chan_alpha", 85, seed=1, pin_at=30),
        make_channel("chan_bravo", 62, seed=2),
        make_channel("chan_gamma", 45, seed=3),
    )
    fake.install(server)
    yield fake, server.url_for("/").rstrip("/")
    server.clear()
    server.stop()


def scrape_env(base_url: str) -> dict:
    return {"TGWH_TELEGRAM_BASE_URL": base_url, "TGWH_SCRAPE_DELAY": "0"}


def posts_per_channel(home) -> dict[str, int]:
    rows = query(home, "select channel, count(*) n from marts.fct_posts group by 1")
    return {row["channel"]: row["n"] for row in rows}


def test_backfill_then_only_new_pages(telegram, tmp_path):
    fake, base_url = telegram
    home = tmp_path / "home"
    names = list(fake.channels)

    first = tgwh(home, "scrape", *names, env=scrape_env(base_url))  # a first scrape backfills
    assert "chan_alpha: ok" in first.stdout and "history complete" in first.stdout
    expected = {key: len(channel.post_ids) for key, channel in fake.channels.items()}
    assert sum(expected.values()) >= 180
    assert posts_per_channel(home) == expected
    requests_after_backfill = {key: len(fake.requests_for(key)) for key in names}

    alpha = fake.channels["chan_alpha"]
    alpha.add_messages(
        6, rng=random.Random(9), end=datetime.now(UTC), spacing=timedelta(minutes=10)
    )
    fake.tick()  # views grow between runs
    second = tgwh(home, "scrape", *names, env=scrape_env(base_url))
    assert "ok" in second.stdout
    expected["chan_alpha"] = len(alpha.post_ids)
    assert posts_per_channel(home) == expected
    for key in names:  # only the newest pages and the recent window, not the history again
        fetched = len(fake.requests_for(key)) - requests_after_backfill[key]
        assert 1 <= fetched < requests_after_backfill[key], (key, fetched)

    growth = query(
        home,
        "select count(*) n, count(views_gained) gained from marts.fct_post_views "
        "where channel = 'chan_alpha'",
    )[0]
    assert growth["gained"] > 0  # recent posts were observed twice
    snapshots = query(
        home, "select channel, count(*) n from marts.fct_channel_snapshots group by 1"
    )
    assert all(row["n"] >= 2 for row in snapshots) and len(snapshots) == 3


def test_failures_read_as_one_line_per_channel_and_the_others_land(tmp_path):
    home = tmp_path / "home"
    fake = FakeTelegram(make_channel("chan_gamma", 110, seed=3), make_channel("evil_header", 30))
    attacks = {
        "endless_chan": endless_body,
        "looping_chan": redirect_loop,
        "evil_header": header_of("evil chan/../../x"),
    }
    names = ["chan_gamma", "no_such_chan", *attacks]
    env = scrape_env("") | {
        "TGWH_SCRAPE_MAX_ATTEMPTS": "2",
        "TGWH_SCRAPE_MAX_PAGE_BYTES": "1000000",
    }
    with HostileTelegram(attacks, fake=fake) as server:
        env["TGWH_TELEGRAM_BASE_URL"] = server.url
        result = tgwh(home, "scrape", *names, env=env, check=False)
    assert result.returncode == 1
    lines = {line.split(":", 1)[0]: line for line in result.stdout.splitlines() if ": " in line}
    assert lines["chan_gamma"].startswith("chan_gamma: ok: ")
    assert "history complete" in lines["chan_gamma"]
    assert lines["no_such_chan"].startswith("no_such_chan: not available: no such channel")
    assert "larger than the 1,000,000 bytes allowed" in lines["endless_chan"]
    assert "FAILED: redirect loop: " in lines["looping_chan"]
    assert "header of another channel ('evil chan/../../x')" in lines["evil_header"]
    assert "Traceback" not in result.stdout + result.stderr
    assert "chan_gamma: scraping its whole history" in result.stderr  # progress, plain lines
    assert posts_per_channel(home) == {"chan_gamma": len(fake.channels["chan_gamma"].post_ids)}
    assert query(home, "select distinct channel from marts.fct_channel_snapshots") == [
        {"channel": "chan_gamma"}
    ]


def test_invalid_channel_names_are_refused_before_any_request(telegram, tmp_path):
    fake, base_url = telegram
    result = tgwh(tmp_path / "home", "scrape", "../etc", env=scrape_env(base_url), check=False)
    assert result.returncode == 2 and "not a Telegram channel username" in result.stderr
    assert all(not fake.requests_for(key) for key in fake.channels)


def test_channels_are_edited_in_the_home(tmp_path):
    home = tmp_path / "home"
    listed = tgwh(home, "channels", "list").stdout
    assert "mfa_russia" in listed and "MAErusse" in listed
    tgwh(home, "channels", "add", "@chan_delta")
    tgwh(home, "channels", "remove", "MAERusia")
    listed = tgwh(home, "channels", "list").stdout
    assert "chan_delta" in listed and "MAERusia" not in listed
    assert (home / "channels.txt").exists()
    refused = tgwh(home, "channels", "add", "x y", check=False)
    assert refused.returncode == 2


def test_the_schedule_requests_and_launches_one_run_per_channel(telegram, tmp_path, monkeypatch):
    from orchestration.defs.definitions import defs

    fake, base_url = telegram
    monkeypatch.setenv("TGWH_HOME", str(tmp_path / "home"))
    for name, value in scrape_env(base_url).items():
        monkeypatch.setenv(name, value)
    tgwh(tmp_path / "home", "channels", "add", "chan_gamma")
    schedule = defs.get_schedule_def("scrape_followed_channels")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(
            instance=instance, scheduled_execution_time=datetime(2026, 1, 1, 5, tzinfo=UTC)
        )
        requests = schedule(context)
        keys = sorted(r.partition_key for r in requests)
        assert keys == ["chan_gamma", "maerusia", "maerusse", "mfa_russia", "mid_russia"]
        assert set(instance.get_dynamic_partitions("telegram_channels")) == set(keys)
        (gamma,) = [r for r in requests if r.partition_key == "chan_gamma"]
        result = defs.resolve_job_def(schedule.job_name).execute_in_process(
            partition_key=gamma.partition_key, instance=instance, tags=gamma.tags
        )
        assert result.success
        (materialization,) = result.asset_materializations_for_node("raw__web_preview_pages")
        assert materialization.metadata["new_posts"].value > 0
        assert fake.requests_for("chan_gamma")
