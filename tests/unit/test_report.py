"""The report: its figures read from a real (small) published warehouse, its charts drawn, its
page escaped and offline, and the check history it keeps between runs."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from support.report_warehouse import FIRST_DAY, HOSTILE_TITLE, write_report_warehouse

from orchestration.report.charts import Chart, all_charts, plain_label
from orchestration.report.data import Channel, WarehouseMissing, report_data, time_unit
from orchestration.report.history import (
    CheckHistoryCorrupt,
    CheckRun,
    builds,
    read_history,
    record_runs,
)
from orchestration.report.page import render_page, write_report


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return write_report_warehouse(tmp_path_factory.mktemp("report") / "tgwh.duckdb")


@pytest.fixture(scope="module")
def data(warehouse):
    return report_data(warehouse)


def run(n: int, passed: int, evaluated: int = 10, blocking: int = 0) -> CheckRun:
    return CheckRun(
        run_id=f"run-{n}",
        finished_at=datetime(2025, 5, 1, tzinfo=UTC) + timedelta(days=n),
        evaluated=evaluated,
        passed=passed,
        failed_blocking=blocking,
        failed_warning=evaluated - passed - blocking,
    )


def test_headline_figures(data):
    figures = data.figures
    assert (figures.posts, figures.channels) == (165, 10)
    assert (figures.countries_mentioned, figures.leaders_mentioned) == (2, 1)  # not Germany
    assert figures.views == sum(100 * (i + 1) * (10 - i) * 3 for i in range(10))
    assert (figures.first_post, figures.last_post) == (FIRST_DAY, FIRST_DAY + timedelta(4))
    assert figures.built_by_run == "run-0001"


def test_posts_per_day_for_the_top_channels_and_the_rest_summed(data):
    assert data.unit == "day"
    assert [s.key for s in data.posts] == [f"c{i}" for i in range(8)] + [""]
    assert data.posts[-1].label == "2 other channels"
    days = [FIRST_DAY + timedelta(d) for d in range(5)]
    assert all(s.x == days for s in data.posts)
    assert data.posts[0].y == [10, 0, 10, 0, 10]  # a quiet day falls to zero
    assert data.posts[-1].y == [3, 0, 3, 0, 3]  # c8 (2 a day) and c9 (1)


def test_mentions_of_the_top_countries_and_leaders(data):
    assert [(s.key, s.label) for s in data.countries] == [("FR", "France"), ("CN", "China")]
    assert data.countries[1].y == [9, 0, 9, 0, 9]
    assert [(s.label, s.y) for s in data.leaders] == [("Vladimir Putin", [10, 0, 10, 0, 10])]


def test_views_by_age_and_subscribers_per_day(data):
    (views,) = data.views
    assert (views.key, views.x, views.y) == ("c0", [2.0, 72.0], [200.0, 900.0])  # medians
    (subscribers,) = data.subscribers
    assert subscribers.y == [1500, 2000]  # the last observation of each day


@pytest.mark.parametrize(
    ("days", "unit"), [(120, "day"), (121, "week"), (3 * 366, "week"), (3 * 366 + 1, "month")]
)
def test_long_histories_are_counted_per_week_or_month(days, unit):
    assert time_unit(FIRST_DAY, FIRST_DAY + timedelta(days)) == unit


@pytest.mark.parametrize("days", [200, 1200])
def test_a_period_the_history_covers_in_part_is_averaged_over_its_days(tmp_path, days):
    # one post every day, from a Thursday in mid-month: every week or month shows one post
    # per day, the first and last ones (covered in part) included
    first = date(2025, 5, 8)
    posts = [(f"c0/{d}", "c0", first + timedelta(d), None) for d in range(days)]
    data = report_data(write_report_warehouse(tmp_path / "tgwh.duckdb", posts))
    (series,) = data.posts
    assert data.unit == ("week" if days == 200 else "month")
    assert series.y == pytest.approx([1.0] * len(series.x))
    assert series.x[0] < first < series.x[1]


def test_an_absent_warehouse_is_named_and_not_created(tmp_path):
    with pytest.raises(WarehouseMissing, match="tgwh.duckdb"):
        report_data(tmp_path / "tgwh.duckdb")
    assert not (tmp_path / "tgwh.duckdb").exists()


class Resources(HTMLParser):
    """What a browser would fetch or run: scripts, stylesheets, images, frames, objects."""

    def __init__(self):
        super().__init__()
        self.fetched: list[str] = []
        self.scripts = 0
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.scripts += tag == "script"
        self._in_style = tag == "style"
        for name in ("src", "srcset", "data") if tag != "a" else ():
            if attributes.get(name):
                self.fetched.append(attributes[name])
        if tag == "link":
            self.fetched.append(attributes.get("href", ""))

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)

    def handle_endtag(self, tag):
        self._in_style = False


@pytest.fixture(scope="module")
def report(warehouse, tmp_path_factory):
    """The page drawn once for the tests that read it (drawing is most of their time)."""
    runs = [run(1, 10), run(2, 9), run(3, 7, blocking=2)]  # passed, warnings, blocked
    return write_report(warehouse, runs, tmp_path_factory.mktemp("docs") / "report.html")


def test_every_chart_is_drawn_as_a_png(report):
    assert [chart.name for chart in report.charts] == [
        "posts", "countries", "leaders", "views", "subscribers", "checks"
    ]  # fmt: skip
    assert all(chart.png.startswith(b"\x89PNG") for chart in report.charts)
    assert set(report.seconds) == {"read", "draw", "write"}


def test_the_page_escapes_what_the_warehouse_holds_and_opens_offline(report):
    page = report.page.read_text(encoding="utf-8")

    assert HOSTILE_TITLE not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    resources = Resources()
    resources.feed(page)
    assert resources.scripts == 0
    assert resources.fetched and all(
        src.startswith("data:image/png;base64,") for src in resources.fetched
    )
    assert "url(" not in "".join(resources.styles) and "@import" not in "".join(resources.styles)
    assert '<a href="https://t.me/c0">c0</a>' in page  # a link to the channel, not a fetch
    assert "7 / 10" in page  # the last run's checks
    assert report.bytes < 400_000


def test_a_channel_key_that_is_not_a_username_gets_no_link(data):
    hostile = Channel('x"><script>alert(1)</script>', HOSTILE_TITLE, 1, None, None, None)
    page = render_page(
        replace(data, channels=[hostile]),
        [Chart("posts", "Posts", "No dated posts yet.", None)],
        [],
        Path("/home/<b>/tgwh.duckdb"),
        datetime(2025, 5, 6, tzinfo=UTC),
    )
    assert "<script>" not in page and 'href="x' not in page and "<b>" not in page
    assert "x&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "No dated posts yet." in page


def test_an_empty_warehouse_says_so_instead_of_drawing(tmp_path):
    data = report_data(write_report_warehouse(tmp_path / "tgwh.duckdb", posts=[]))
    charts = all_charts(data, [])
    assert all(chart.png is None for chart in charts[:3]) and charts[-1].png is None
    assert charts[0].caption == "No dated posts yet."
    assert "checks" in charts[-1].name and "No run" in charts[-1].caption


def test_labels_are_one_plain_line_cut_short():
    assert plain_label("  a\n\tb  ") == "a b"
    assert plain_label("") == "(untitled)"
    long = plain_label("x" * 100)
    assert len(long) == 32 and long.endswith("…")


def test_the_check_history_keeps_one_line_per_run_in_order(tmp_path):
    path = tmp_path / "check_history.json"
    assert read_history(path).runs == ()
    record_runs(path, [run(2, 9), run(1, 10)], cursor="c1")
    history = record_runs(path, [run(2, 8)], cursor="")  # run 2 counted again: replaced
    assert [(r.run_id, r.passed) for r in history.runs] == [("run-1", 10), ("run-2", 8)]
    assert history.cursor == "c1"
    assert read_history(path) == history


def test_a_build_phase_and_its_ingest_run_are_one_build():
    ingest, other = run(1, 1, evaluated=1), run(2, 10)
    build = replace(run(3, 99, evaluated=100, blocking=1), completes="run-1")
    merged = builds([ingest, other, build])
    assert [(r.run_id, r.evaluated, r.passed, r.failed_blocking) for r in merged] == [
        ("run-2", 10, 10, 0),
        ("run-1", 101, 100, 1),  # finished when its build phase did: last
    ]
    assert merged[-1].finished_at == build.finished_at
    assert builds([build]) == [replace(build, run_id="run-1", completes="")]  # ingest not kept


def test_a_corrupt_check_history_names_its_file(tmp_path):
    path = tmp_path / "check_history.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CheckHistoryCorrupt, match="check_history.json"):
        read_history(path)
