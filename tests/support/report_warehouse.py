"""Small published warehouses for the report tests: the marts columns the report reads (names
and SQL types as the dbt marts have them) in a real DuckDB file, filled with known counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl

HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
FIRST_DAY = date(2025, 5, 1)

SCHEMA = """
create schema marts;
create schema audit;
create table marts.fct_posts (post_key varchar, channel varchar, post_date date, views bigint);
create table marts.dim_channels (channel varchar, title varchar, post_count bigint,
    first_post_at timestamptz, last_post_at timestamptz, subscribers bigint);
create table marts.dim_countries (iso2 varchar, name varchar, post_count bigint);
create table marts.dim_leaders (leader_key varchar, name varchar, post_count bigint);
create table marts.fct_country_mentions (post_key varchar, iso2 varchar);
create table marts.fct_leader_mentions (post_key varchar, leader_key varchar);
create table marts.fct_post_views (channel varchar, age_at_observation interval, views bigint);
create table marts.fct_channel_snapshots (channel varchar, observed_at timestamptz,
    subscribers bigint);
create table audit.warehouse_build (built_at timestamptz, run_id varchar);
"""


def channel_posts(channels: int = 10, days: int = 5) -> list[tuple[str, str, date, int | None]]:
    """Channel ``c{i}`` posts ``channels - i`` times on each even day of ``days`` (none on odd
    days: a quiet day must fall to zero), each post seen ``100 * (i + 1)`` times."""
    rows = []
    for i in range(channels):
        for day in range(0, days, 2):
            for n in range(channels - i):
                key = f"c{i}/{day}-{n}"
                rows.append((key, f"c{i}", FIRST_DAY + timedelta(days=day), 100 * (i + 1)))
    return rows


def write_report_warehouse(
    path: Path, posts: list[tuple[str, str, date, int | None]] | None = None
) -> Path:
    """A published warehouse: ``posts`` (default ``channel_posts()``) and their channels
    (``c0`` titled ``HOSTILE_TITLE``), every post of ``c0`` mentioning France and Putin, every
    post of ``c1`` China, two view observations and two subscriber counts of ``c0``."""
    posts = channel_posts() if posts is None else posts
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as connection:
        connection.execute(SCHEMA)
        frame = pl.DataFrame(  # noqa: F841 (read by DuckDB's replacement scan)
            posts,
            schema={"post_key": pl.String, "channel": pl.String, "post_date": pl.Date,
                    "views": pl.Int64},
            orient="row",
        )  # fmt: skip
        connection.execute("insert into marts.fct_posts select * from frame")
        connection.execute(
            """
            insert into marts.dim_channels
            select channel, case channel when 'c0' then $title else 'Channel ' || channel end,
                   count(*), min(post_date)::timestamptz, max(post_date)::timestamptz,
                   case channel when 'c0' then 2000 end
            from marts.fct_posts group by channel
            """,
            {"title": HOSTILE_TITLE},
        )
        connection.execute(
            """
            insert into marts.fct_country_mentions
            select post_key, case channel when 'c0' then 'FR' else 'CN' end
            from marts.fct_posts where channel in ('c0', 'c1');
            insert into marts.fct_leader_mentions
            select post_key, 'vladimir-putin' from marts.fct_posts where channel = 'c0';
            insert into marts.dim_countries
            select 'FR', 'France', count(*) filter (where iso2 = 'FR')
            from marts.fct_country_mentions
            union all select 'CN', 'China', count(*) filter (where iso2 = 'CN')
            from marts.fct_country_mentions
            union all select 'DE', 'Germany', 0;
            insert into marts.dim_leaders
            select 'vladimir-putin', 'Vladimir Putin', count(*) from marts.fct_leader_mentions;
            insert into marts.fct_post_views values
                ('c0', interval 2 hour, 100), ('c0', interval 2 hour, 300),
                ('c0', interval 3 day, 900);
            insert into marts.fct_channel_snapshots values
                ('c0', '2025-05-01 08:00:00+00', 1000), ('c0', '2025-05-01 20:00:00+00', 1500),
                ('c0', '2025-05-03 09:00:00+00', 2000);
            """
        )
        connection.execute(
            "insert into audit.warehouse_build values (?, 'run-0001')",
            [datetime(2025, 5, 6, 12, tzinfo=UTC)],
        )
    return path
