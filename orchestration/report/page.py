"""The report page: one HTML file, charts embedded as data URIs, written whole or not at all.

Post texts and channel titles come from strangers, so the page is rendered by Jinja2 with
autoescaping on for every value, and links are built from channel keys that are usernames,
never taken from the data as they stand.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import jinja2

from orchestration.common.durable import write_text_atomic
from orchestration.report.charts import DPI, HEIGHT, WIDTH, Chart, all_charts
from orchestration.report.data import ReportData, report_data
from orchestration.report.history import CheckRun


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _day(value: date | datetime) -> str:
    return f"{value.day} {value:%b %Y}"


def _moment(value: datetime) -> str:
    return f"{_day(value)} {value.astimezone(UTC):%H:%M} UTC"


ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("orchestration.report", "templates"),
    autoescape=True,  # every value, whatever the template's name
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENVIRONMENT.filters.update(number="{:,}".format, day=_day, moment=_moment, data_uri=data_uri)


def render_page(
    data: ReportData, charts: list[Chart], runs: list[CheckRun], warehouse: Path, now: datetime
) -> str:
    figures = data.figures
    span = (figures.last_post - figures.first_post).days + 1 if figures.first_post else 0
    return ENVIRONMENT.get_template("report.html.j2").render(
        figures=figures,
        channels=data.channels,
        charts=charts,
        last_run=runs[-1] if runs else None,
        span_days=span,
        generated_at=now,
        warehouse=str(warehouse),
        image_width=round(WIDTH * DPI),
        image_height=round(HEIGHT * DPI),
    )


@dataclass(frozen=True)
class Report:
    page: Path
    data: ReportData
    charts: list[Chart]
    seconds: dict[str, float]  # "read", "draw", "write": where the time went

    @property
    def bytes(self) -> int:
        return self.page.stat().st_size


def write_report(warehouse: Path, runs: list[CheckRun], page: Path) -> Report:
    """Read the published ``warehouse``, draw the charts, write ``page`` atomically."""
    started = time.perf_counter()
    data = report_data(warehouse)
    read = time.perf_counter()
    charts = all_charts(data, runs)
    drawn = time.perf_counter()
    write_text_atomic(page, render_page(data, charts, runs, warehouse, datetime.now(UTC)))
    written = time.perf_counter()
    return Report(
        page,
        data,
        charts,
        {"read": read - started, "draw": drawn - read, "write": written - drawn},
    )
