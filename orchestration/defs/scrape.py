"""Live channels -> raw batches: each channel's web preview, scraped as a partition of its own."""

import dagster as dg

from orchestration.defs.keys import (
    CHANNEL_PARTITIONS,
    LIVE_CHANNELS,
    OWNERS,
    SCRAPE,
    SCRAPED_PAGES,
    stage_tags,
)
from orchestration.defs.resources import HomeResource
from orchestration.ingest.scraping import DEFAULT_RECENT_DAYS, scrape_channel

# One partition per followed channel, so a channel can be scraped or backfilled alone.
channel_partitions = dg.DynamicPartitionsDefinition(name=CHANNEL_PARTITIONS)

live_channels = dg.AssetSpec(
    LIVE_CHANNELS,
    description=(
        "Public channels' web previews (https://t.me/s/<channel>, or TGWH_TELEGRAM_BASE_URL), "
        "for the channels listed by `tgwh channels list`."
    ),
    group_name="sources",
    kinds={"telegram"},
    owners=list(OWNERS),
)


class ScrapeConfig(dg.Config):
    full: bool = False
    """Walk back to the channel's first post (a backfill), not only down to what has landed."""
    max_pages: int | None = None
    """Stop after this many pages; the next run resumes where this one stopped."""
    recent_days: int = DEFAULT_RECENT_DAYS
    """Re-read pages of posts this recent, so view counts keep growing in the warehouse."""


@dg.asset(
    key=SCRAPED_PAGES,
    deps=[LIVE_CHANNELS],
    partitions_def=channel_partitions,
    group_name="raw",
    op_tags=stage_tags(SCRAPE),
    kinds={"httpx", "parquet"},
    owners=list(OWNERS),
    description=(
        "A channel's web-preview pages, fetched politely (one request at a time, retries with "
        "backoff) and landed as raw batches: new posts, recent posts again (view growth) and "
        "the header (subscriber growth). State per channel lets each run fetch only what is "
        "new and a killed backfill resume without holes or duplicates."
    ),
)
def web_preview_pages(
    context: dg.AssetExecutionContext, config: ScrapeConfig, home: HomeResource
) -> dg.MaterializeResult:
    def progress(channel: str, pages: int, posts: int) -> None:
        context.log.info(f"{channel}: {pages} pages fetched, {posts} posts landed")

    report = scrape_channel(
        context.partition_key,
        home=home.home,
        full=config.full,
        max_pages=config.max_pages,
        recent_days=config.recent_days,
        progress=progress,
    )
    for problem in report.errors:
        context.log.warning(f"{report.channel}: {problem}")
    for evidence in report.evidence:
        context.log.warning(f"{report.channel}: page kept as evidence: {evidence}")
    report.raise_for_failure()
    return dg.MaterializeResult(
        metadata={
            "pages_fetched": report.pages_fetched,
            "pages_landed": report.pages_landed,
            "posts_landed": report.posts_landed,
            "new_posts": report.new_posts,
            "highest_id": report.highest_id or 0,
            "history_complete": report.history_complete,
            "evidence_files": len(report.evidence),
        }
    )
