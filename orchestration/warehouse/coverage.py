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
    """One short line: ``mfa_russia: 31,500 of ids 1-31,860 seen (98.9%), the lowest 1; 360
    never seen (12 inside scraped pages' ranges)``. Ids below the lowest seen count as never
    seen: the history before it was deleted or not collected."""
    seen, never = row["ids_seen"], row["ids_never_seen"]
    share = seen / (seen + never) if seen + never else 1.0
    line = (
        f"{row['channel']}: {seen:,} of ids 1-{row['highest_message_id']:,} seen ({share:.1%}), "
        f"the lowest {row['lowest_message_id']:,}; {never:,} never seen"
    )
    missing = row["ids_missing_in_scraped_ranges"]
    return line + (f" ({missing:,} inside scraped pages' ranges)" if missing else "")
