"""How recently each followed channel was scraped: a channel whose scrape is overdue is stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl

from orchestration.config import Home
from orchestration.ingest.scraping.channels import channel_key, load_channels
from orchestration.ingest.scraping.state import load_state


def channel_freshness(
    home: Home, stale_after: timedelta, now: datetime | None = None
) -> pl.DataFrame:
    """One row per followed channel: when its crawl state last changed, how long ago, stale."""
    now = now or datetime.now(UTC)
    rows = []
    for name in load_channels(home):
        state = load_state(home.scrape.state_file(channel_key(name)), name)
        rows.append({"channel": name, "last_scraped_at": state.updated_at})
    frame = pl.DataFrame(
        rows, schema={"channel": pl.String, "last_scraped_at": pl.Datetime("us", "UTC")}
    )
    age = (pl.lit(now, pl.Datetime("us", "UTC")) - pl.col("last_scraped_at")).dt.total_hours()
    return frame.with_columns(
        age.alias("hours_since"),
        (pl.col("last_scraped_at").is_null() | (age > stale_after.total_seconds() / 3600)).alias(
            "stale"
        ),
    )
