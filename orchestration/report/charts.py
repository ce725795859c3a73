"""The report's charts, drawn with matplotlib into PNG images (embedded in the page, and in the
Dagster UI's metadata, as data URIs: nothing to fetch, nothing to run in a browser).

Labels come from the warehouse, that is from files strangers wrote, so they are drawn as plain
text (no mathtext: a "$" in a channel's title would otherwise be parsed as a formula, and a
label starting with "_" would drop out of the legend), on one line, cut short when long.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import matplotlib

matplotlib.use("Agg")  # before anything draws: no display, no GUI toolkit

from matplotlib import dates as mdates  # noqa: E402
from matplotlib import rc_context  # noqa: E402
from matplotlib import ticker as mticker  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from orchestration.report.data import TOP, ReportData, Series  # noqa: E402
from orchestration.report.history import CheckRun  # noqa: E402

WIDTH, HEIGHT, DPI = 9.0, 3.6, 120  # inches: 1080 x 432 pixels, sharp at the page's 900 px
THUMBNAIL_WIDTH = 720  # pixels: the width of the Dagster UI's metadata panel, about
MIN_DATE_SPAN = timedelta(days=2)  # a date axis shows at least this much time
MARKERS_UP_TO = 40  # points per line; beyond, markers would hide the line
LABEL_CHARS = 32
OTHERS = "#9e9e9e"
PALETTE = [  # matplotlib's tab10 without its grey, which the "other channels" line wears
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#bcbd22", "#17becf",
]  # fmt: skip
STYLE = {
    "text.parse_math": False,
    "font.family": "DejaVu Sans",  # ships with matplotlib; Latin, Cyrillic, Greek
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#e0e0e0",
    "legend.frameon": False,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
}


@dataclass(frozen=True)
class Chart:
    name: str  # a slug: the file name and the anchor on the page
    title: str
    caption: str  # one sentence: what the chart shows
    png: bytes | None  # None: nothing to draw (``caption`` says why)


def plain_label(text: str) -> str:
    flat = re.sub(r"\s+", " ", text).strip() or "(untitled)"
    return flat if len(flat) <= LABEL_CHARS else flat[: LABEL_CHARS - 1] + "…"


def _figure() -> tuple[Figure, object]:
    figure = Figure(figsize=(WIDTH, HEIGHT), layout="constrained")
    return figure, figure.add_subplot()


def _png(figure: Figure) -> bytes:
    """The figure as a PNG of at most 256 colours: a third of the size for the same picture
    (flat colours, antialiased edges), which matters in the Dagster event log. The pixels are
    taken from the canvas as they are, not from a PNG decoded again."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    return _palette_png(image.convert("RGB"), colors=256)


def _palette_png(image: Image.Image, colors: int) -> bytes:
    out = io.BytesIO()
    image.quantize(colors=colors, method=Image.Quantize.FASTOCTREE).save(out, "PNG", optimize=True)
    return out.getvalue()


def thumbnail(png: bytes, width: int = THUMBNAIL_WIDTH) -> bytes:
    """A smaller copy of a chart, for places that keep every copy (Dagster's event log keeps
    each materialization's metadata): resampled, fewer colours."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    height = round(image.height * width / image.width)
    return _palette_png(image.resize((width, height), Image.Resampling.LANCZOS), colors=64)


def _legend(axes, lines: list, labels: list[str]) -> None:
    # handles and labels given together: no label is dropped for starting with "_"
    axes.legend(
        lines,
        [plain_label(label) for label in labels],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=9,
    )


def _dates(axes, series: list[Series]) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=9)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    # Observations made within a day (one scrape) would stretch to an axis of seconds.
    moments = [x for one in series for x in one.x]
    if moments and max(moments) - min(moments) < MIN_DATE_SPAN:
        axes.set_xlim(min(moments) - MIN_DATE_SPAN / 2, max(moments) + MIN_DATE_SPAN / 2)


def _counts(axes, unit: str) -> None:
    # whole posts per day; averages over weeks or months may fall between
    axes.yaxis.set_major_locator(mticker.MaxNLocator(min_n_ticks=3, integer=unit == "day"))
    axes.yaxis.set_major_formatter(mticker.FuncFormatter(lambda value, _: short_number(value)))
    axes.set_ylim(bottom=0)


def short_number(value: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}" if value != int(value) else f"{int(value)}"


def _lines(axes, series: list[Series], color: Callable[[Series], str], step: bool = False) -> None:
    lines = []
    for one in series:
        marker = "o" if len(one.x) <= MARKERS_UP_TO else None
        (line,) = axes.plot(
            one.x,
            one.y,
            color=color(one),
            marker=marker,
            markersize=4,
            linewidth=1.6,
            drawstyle="steps-post" if step else "default",
        )
        lines.append(line)
    _legend(axes, lines, [one.label for one in series])


def _draw(name: str, title: str, caption: str, draw: Callable[[object], None]) -> Chart:
    with rc_context(STYLE), warnings.catch_warnings():
        # a glyph the font lacks (emoji, CJK) is drawn as a box rather than warned about
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure, axes = _figure()
        draw(axes)
        return Chart(name, title, caption, _png(figure))


def channel_colors(data: ReportData) -> Callable[[Series], str]:
    """One colour per channel on every chart (by rank in posts); the summed rest in grey."""
    rank = {channel.key: i for i, channel in enumerate(data.channels)}

    def color(series: Series) -> str:
        if series.key not in rank:
            return OTHERS
        return PALETTE[rank[series.key] % len(PALETTE)]

    return color


def _in_order(series: Series, order: list[Series]) -> str:
    return PALETTE[order.index(series) % len(PALETTE)]


def averaged(unit: str) -> str:
    """How the time charts count, in words."""
    if unit == "day":
        return ""
    return f", averaged over each {unit} (a first or last {unit} over the days it covers)"


def per_day(unit: str) -> str:
    return "posts per day" if unit == "day" else f"posts per day ({unit}ly average)"


def posts_chart(data: ReportData) -> Chart:
    title = "Posts per day and channel"
    rest = max(len(data.channels) - TOP, 0)
    caption = (
        "Posts per day in each channel, by the date each post was published (or, for text "
        f"copies, the date it names){averaged(data.unit)}"
        + {0: ".", 1: "; the channel with fewest posts in grey."}.get(
            rest, f"; the {rest} channels with fewest posts summed in grey."
        )
    )
    if not data.posts:
        return Chart("posts", title, "No dated posts yet.", None)

    def draw(axes):
        _lines(axes, data.posts, channel_colors(data))
        _dates(axes, data.posts)
        _counts(axes, data.unit)
        axes.set_ylabel(per_day(data.unit))

    return _draw("posts", title, caption, draw)


def mentions_chart(name: str, what: str, series: list[Series], unit: str) -> Chart:
    title = f"{what.capitalize()} mentioned most, over time"
    if not series:
        return Chart(name, title, f"No post mentions a {what[:-1]} yet.", None)
    caption = (
        f"Posts per day that mention each of the {len(series)} {what} most posts mention"
        f"{averaged(unit)}."
    )

    def draw(axes):
        _lines(axes, series, lambda one: _in_order(one, series))
        _dates(axes, series)
        _counts(axes, unit)
        axes.set_ylabel(per_day(unit))

    return _draw(name, title, caption, draw)


AGE_TICKS = [(1, "1 h"), (6, "6 h"), (24, "1 day"), (72, "3 days"), (168, "1 week")] + [
    (720, "1 month"),
    (2160, "3 months"),
    (8760, "1 year"),
    (26280, "3 years"),
]


WIDE_RANGE = 30  # views spanning more than this factor go on a logarithmic axis


def age_label(hours: float) -> str:
    for size, unit in ((8760, "year"), (720, "month"), (24, "day"), (1, "hour")):
        if hours >= 2 * size or unit == "hour":
            count = round(hours / size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    raise AssertionError("unreachable")


def views_chart(data: ReportData) -> Chart:
    title = "Views by a post's age"
    if not data.views:
        return Chart(
            "views",
            title,
            "No view counts yet: web-preview pages and scrapes carry them, Desktop exports "
            "and text copies do not.",
            None,
        )
    caption = (
        "How views grow after publication: the median view count of a channel's posts when "
        "they were observed at each age (every scrape observes them again)."
    )

    def draw(axes):
        _lines(axes, data.views, channel_colors(data))
        ages = [x for one in data.views for x in one.x]
        low, high = max(min(ages) / 2, 0.1), max(ages) * 2
        axes.set_xscale("log")
        axes.set_xlim(low, high)
        ticks = [(h, label) for h, label in AGE_TICKS if low <= h <= high] or [
            (ages[0], age_label(ages[0]))
        ]
        axes.xaxis.set_major_locator(mticker.FixedLocator([h for h, _ in ticks]))
        axes.xaxis.set_major_formatter(mticker.FixedFormatter([label for _, label in ticks]))
        axes.xaxis.set_minor_locator(mticker.NullLocator())
        views = [y for one in data.views for y in one.y]
        if max(views) > WIDE_RANGE * max(min(views), 1):  # channels of very different sizes
            axes.set_yscale("log")
            axes.yaxis.set_major_locator(mticker.LogLocator(subs=(1.0, 2.0, 5.0)))
            axes.yaxis.set_minor_locator(mticker.NullLocator())
            axes.set_ylabel("median views (logarithmic)")
        else:
            axes.set_ylim(0, max(views) * 1.1)
            axes.set_ylabel("median views")
        axes.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: short_number(v)))
        axes.set_xlabel("age of the post when observed (logarithmic)")

    return _draw("views", title, caption, draw)


def subscribers_chart(data: ReportData) -> Chart:
    title = "Subscribers over time"
    if not data.subscribers:
        return Chart(
            "subscribers",
            title,
            "No subscriber counts yet: a channel's web-preview page shows them.",
            None,
        )
    caption = (
        "Subscribers of each channel as its web-preview header showed them, the last "
        "observation of each day; the line holds until the next observation."
    )

    def draw(axes):
        _lines(axes, data.subscribers, channel_colors(data), step=True)
        _dates(axes, data.subscribers)
        axes.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: short_number(v)))
        axes.set_ylabel("subscribers")

    return _draw("subscribers", title, caption, draw)


def run_kind(run: CheckRun) -> str:
    if run.failed_blocking:
        return "blocked"
    return "warnings failed" if run.failed_warning else "passed"


def checks_chart(runs: list[CheckRun]) -> Chart:
    title = "Checks passing, run by run"
    if not runs:
        return Chart("checks", title, "No run has evaluated a check yet.", None)
    caption = (
        "The share of the checks (dbt tests, Great Expectations suites) each run evaluated "
        "that passed; a red cross marks a run whose failed checks blocked it (nothing of it "
        "was published), an orange dot one with warnings."
    )

    def draw(axes):
        when = [run.finished_at for run in runs]
        share = [100 * run.passed_share for run in runs]
        axes.plot(when, share, color="#bdbdbd", linewidth=1.2, zorder=1, clip_on=False)
        kinds = [  # label, colour, marker
            ("passed", "#2ca02c", "o"),
            ("warnings failed", "#ff7f0e", "o"),
            ("blocked", "#d62728", "X"),
        ]
        handles, labels = [], []
        for label, color, marker in kinds:
            picked = [(w, s) for w, s, run in zip(when, share, runs, strict=True)
                      if run_kind(run) == label]  # fmt: skip
            if picked:
                handles.append(
                    axes.scatter(
                        *zip(*picked, strict=True), color=color, marker=marker, s=30, clip_on=False
                    )
                )
                labels.append(label)
        _legend(axes, handles, labels)
        _dates(axes, [Series("runs", when, share)])
        axes.set_ylim(max(0.0, min(share) - 5), 100)  # markers on the top edge are not clipped
        axes.yaxis.set_major_formatter(mticker.PercentFormatter(decimals=0))
        axes.set_ylabel("checks passed")

    return _draw("checks", title, caption, draw)


def all_charts(data: ReportData, runs: list[CheckRun]) -> list[Chart]:
    return [
        posts_chart(data),
        mentions_chart("countries", "countries", data.countries, data.unit),
        mentions_chart("leaders", "leaders", data.leaders, data.unit),
        views_chart(data),
        subscribers_chart(data),
        checks_chart(runs),
    ]
