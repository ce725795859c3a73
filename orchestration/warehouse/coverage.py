"""Per-channel completeness, read from audit.coverage: for the run's summary and the asset
check that warns about ids missing inside the ranges scraped pages showed whole."""

from __future__ import annotations

from pathlib import Path

import polars as pl

CHANNEL_COMPLETENESS_SQL = """
    select
        channel,
        min(lowest_message_id) as lowest_message_id,
        max(highest_message_id) as highest_message_id,
        sum(ids_seen)::bigint as ids_seen,
        sum(ids_never_seen)::bigint as ids_never_seen,
        sum(ids_missing_in_scraped_ranges)::bigint as ids_missing_in_scraped_ranges,
        list(strftime(month_start, '%Y-%m') order by month_start)
            filter (where ids_missing_in_scraped_ranges > 0) as months_with_scraped_gaps,
        sum(posts)::bigint as posts,
        sum(posts * share_with_views) / nullif(sum(posts), 0) as share_with_views
    from audit.coverage
    group by channel
    order by channel
"""


def channel_completeness(warehouse: Path) -> pl.DataFrame:
    """One row per channel: ids held and never seen, and those missing from scraped ranges."""
    from orchestration.warehouse.query import run_query

    return run_query(warehouse, CHANNEL_COMPLETENESS_SQL)


def completeness_line(row: dict) -> str:
    """One short line, ids from the lowest seen to the highest, then the history before::

        mfa_russia: ids 1-31,860: 31,500 seen (98.9%), 360 never seen (12 inside scraped
        pages' ranges)
        mfa_russia: ids 31,842-31,864: 23 seen (100.0%); ids 1-31,841 not collected

    A gap between two ids seen is a message deleted or missed; the ids below the lowest seen
    are history nobody collected (a scrape of recent pages, a partial export), which the
    summary says apart rather than as a completeness of 0.1%."""
    lowest, highest = row["lowest_message_id"], row["highest_message_id"]
    seen, before = row["ids_seen"], max(lowest - 1, 0)
    never = max(row["ids_never_seen"] - before, 0)  # inside the range collected
    share = seen / (seen + never) if seen + never else 1.0
    line = f"{row['channel']}: ids {lowest:,}-{highest:,}: {seen:,} seen ({share:.1%})"
    if never:
        line += f", {never:,} never seen"
    missing = row["ids_missing_in_scraped_ranges"]
    if missing:
        line += f" ({missing:,} inside scraped pages' ranges)"
    if before:
        line += f"; ids 1-{before:,} not collected"
    return line
