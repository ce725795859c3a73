"""What the report shows, read from the published warehouse: small aggregates only.

Every figure is aggregated by DuckDB over the marts (a few queries, each a scan or a join with
a group-by), so the report costs little next to a build at any size; the charts then draw a
few hundred points. The warehouse is opened read-only: users may be querying it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from orchestration.warehouse.query import WarehouseMissing

TOP = 8  # lines per chart: more are unreadable; the rest of the channels are summed
# Posts are counted per day over short ranges, per week or month over long ones, so a chart
# holds at most a few hundred points whatever the history.
DAILY_UP_TO_DAYS = 120
WEEKLY_UP_TO_DAYS = 3 * 366
USERNAME = re.compile(r"[A-Za-z0-9_]{1,64}")


@dataclass(frozen=True)
class Series:
    """One line of a chart: its label and its points."""

    label: str
    x: list
    y: list[float]
    key: str = ""  # what the label names (a channel's key, an ISO code, a leader's key)


@dataclass(frozen=True)
class WarehouseFigures:
    """The headline numbers of the published warehouse (and of its materialization's metadata)."""

    posts: int
    channels: int
    countries_mentioned: int
    leaders_mentioned: int
    views: int | None  # the latest view count of every post, summed (None: no post has one)
    first_post: date | None
    last_post: date | None
    built_at: datetime | None
    built_by_run: str

    def as_metadata(self) -> dict[str, int]:
        return {
            "posts": self.posts,
            "channels": self.channels,
            "countries_mentioned": self.countries_mentioned,
            "leaders_mentioned": self.leaders_mentioned,
        }


@dataclass(frozen=True)
class Channel:
    key: str
    title: str
    posts: int
    first_post: datetime | None
    last_post: datetime | None
    subscribers: int | None

    @property
    def url(self) -> str | None:
        """Its public page, when the key is a username (keys come from files strangers wrote)."""
        return f"https://t.me/{self.key}" if USERNAME.fullmatch(self.key) else None


@dataclass(frozen=True)
class ReportData:
    figures: WarehouseFigures
    channels: list[Channel]  # most posts first
    unit: str  # what one point of the time charts counts: "day", "week" or "month"
    posts: list[Series]  # per channel (the top ones; "other channels" sums the rest)
    countries: list[Series]  # posts mentioning each of the top countries
    leaders: list[Series]  # posts mentioning each of the top leaders
    views: list[Series]  # median views by the post's age when observed (hours), per channel
    subscribers: list[Series]  # per channel, one point per day observed


def open_published(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.exists():  # connecting would create an empty file
        raise WarehouseMissing(f"no published warehouse at {warehouse}: run `tgwh run` first")
    return duckdb.connect(str(warehouse), read_only=True)


def warehouse_figures(connection: duckdb.DuckDBPyConnection) -> WarehouseFigures:
    posts, channels, first, last, views = connection.execute(
        "select count(*), count(distinct channel), min(post_date), max(post_date), "
        "sum(views)::bigint from marts.fct_posts"
    ).fetchone()
    # the dimensions count the posts mentioning each country and leader already
    (countries,) = connection.execute(
        "select count(*) from marts.dim_countries where post_count > 0"
    ).fetchone()
    (leaders,) = connection.execute(
        "select count(*) from marts.dim_leaders where post_count > 0"
    ).fetchone()
    stamp = connection.execute(
        "select built_at, run_id from audit.warehouse_build order by built_at desc limit 1"
    ).fetchone()
    return WarehouseFigures(
        posts=posts,
        channels=channels,
        countries_mentioned=countries,
        leaders_mentioned=leaders,
        views=views,
        first_post=first,
        last_post=last,
        built_at=stamp[0] if stamp else None,
        built_by_run=stamp[1] if stamp else "",
    )


def published_figures(warehouse: Path) -> WarehouseFigures:
    with open_published(warehouse) as connection:
        return warehouse_figures(connection)


def time_unit(first: date | None, last: date | None) -> str:
    if first is None or last is None or (last - first).days <= DAILY_UP_TO_DAYS:
        return "day"
    return "week" if (last - first).days <= WEEKLY_UP_TO_DAYS else "month"


def _series(frame: pl.DataFrame, labels: dict[str, str], order: list[str]) -> list[Series]:
    """Long rows (key, x, y) -> one Series per key, in ``order``."""
    grouped = {key: part for (key,), part in frame.partition_by("key", as_dict=True).items()}
    return [
        Series(labels.get(key, key), grouped[key]["x"].to_list(), grouped[key]["y"].to_list(), key)
        for key in order
        if key in grouped
    ]


def _frame(connection: duckdb.DuckDBPyConnection, sql: str, params=None) -> pl.DataFrame:
    return pl.from_arrow(connection.sql(sql, params=params).to_arrow_table())


def _per_period(
    connection: duckdb.DuckDBPyConnection,
    counts: str,
    unit: str,
    first: date,
    last: date,
    top: list[str],
) -> pl.DataFrame:
    """``counts`` (key, period, posts) as posts per day over each period from first to last:
    zero where none, so a line falls to zero on a quiet day instead of bridging it, and a
    period the history covers in part (its first or last week or month) averaged over the
    days it covers, so a line does not plunge at the end of the history."""
    return _frame(
        connection,
        f"""
        with counts as ({counts}),
        starts as (
            select unnest(generate_series(
                date_trunc('{unit}', $first::date), date_trunc('{unit}', $last::date),
                interval 1 {unit}
            ))::date as x
        ),
        periods as (
            select x, least((x + interval 1 {unit})::date - 1, $last::date)
                      - greatest(x, $first::date) + 1 as days
            from starts
        ),
        keys as (select distinct key from counts)
        select keys.key, periods.x, coalesce(counts.posts, 0) / periods.days as y
        from keys cross join periods
        left join counts on counts.key = keys.key and counts.period = periods.x
        order by keys.key, periods.x
        """,
        {"first": first, "last": last, "top": top},
    )


def _channels(connection: duckdb.DuckDBPyConnection) -> list[Channel]:
    rows = connection.execute(
        "select channel, coalesce(title, channel), coalesce(post_count, 0), first_post_at, "
        "last_post_at, subscribers from marts.dim_channels order by post_count desc, channel"
    ).fetchall()
    return [Channel(*row) for row in rows]


def _posts(connection, channels: list[Channel], unit: str, first: date, last: date):
    top = [c.key for c in channels[:TOP]]
    others = len(channels) - len(top)
    other_label = f"{others} other channel{'s' if others > 1 else ''}"
    frame = _per_period(
        connection,
        f"""
        select case when list_contains($top::varchar[], channel) then channel else '' end as key,
               date_trunc('{unit}', post_date)::date as period, count(*) as posts
        from marts.fct_posts where post_date is not null group by all
        """,
        unit,
        first,
        last,
        top,
    )
    return _series(frame, {"": other_label}, [*top, ""])


def _mentions(connection, fact: str, key: str, dimension: str, unit, first, last):
    top = connection.execute(
        f"select {key}, name from marts.{dimension} where post_count > 0 "
        f"order by post_count desc, {key} limit {TOP}"
    ).fetchall()
    keys = [k for k, _ in top]
    frame = _per_period(
        connection,
        f"""
        select m.{key} as key, date_trunc('{unit}', p.post_date)::date as period,
               count(*) as posts  -- a row per post and country (or leader)
        from marts.{fact} m join marts.fct_posts p on p.post_key = m.post_key
        where list_contains($top::varchar[], m.{key}) and p.post_date is not null
        group by all
        """,
        unit,
        first,
        last,
        keys,
    )
    return _series(frame, {k: name or k for k, name in top}, keys)


def _views(connection, channels: list[Channel]) -> list[Series]:
    # Observations bucketed by age on a log scale (doubling hours), the median of each bucket.
    frame = _frame(
        connection,
        """
        with observed as (
            select channel, epoch(age_at_observation) / 3600.0 as hours, views
            from marts.fct_post_views
            where views is not null and age_at_observation >= interval 0 second
        )
        select channel as key, median(hours) as x, median(views) as y
        from observed group by channel, floor(log2(greatest(hours, 0.25)))
        order by channel, x
        """,
    )
    observed = set(frame["key"].to_list())
    order = [c.key for c in channels if c.key in observed][:TOP]
    return _series(frame, {}, order)


def _subscribers(connection, channels: list[Channel]) -> list[Series]:
    frame = _frame(
        connection,
        """
        select channel as key, max(observed_at) as x, arg_max(subscribers, observed_at) as y
        from marts.fct_channel_snapshots where subscribers is not null
        group by channel, date_trunc('day', observed_at) order by channel, x
        """,
    )
    observed = set(frame["key"].to_list())
    by_subscribers = sorted(channels, key=lambda c: -(c.subscribers or 0))
    order = [c.key for c in by_subscribers if c.key in observed][:TOP]
    return _series(frame, {}, order)


def report_data(warehouse: Path) -> ReportData:
    with open_published(warehouse) as connection:
        figures = warehouse_figures(connection)
        channels = _channels(connection)
        unit = time_unit(figures.first_post, figures.last_post)
        span = (unit, figures.first_post, figures.last_post)
        dated = figures.first_post is not None
        return ReportData(
            figures=figures,
            channels=channels,
            unit=unit,
            posts=_posts(connection, channels, *span) if dated else [],
            countries=_mentions(connection, "fct_country_mentions", "iso2", "dim_countries", *span)
            if dated
            else [],
            leaders=_mentions(connection, "fct_leader_mentions", "leader_key", "dim_leaders", *span)
            if dated
            else [],
            views=_views(connection, channels),
            subscribers=_subscribers(connection, channels),
        )
