"""Scraping live public channels from their web preview (https://t.me/s/<channel>).

Pure library code (no Dagster): the channel list, a polite HTTP client, and a crawler that lands
every fetched page in the raw layer and keeps per-channel state so runs fetch only what is new,
re-read recent pages for view counts, and resume a backfill where it stopped.
"""

from orchestration.ingest.scraping.channels import (
    add_channel,
    channel_key,
    default_channels,
    load_channels,
    remove_channel,
    validate_channel_name,
)
from orchestration.ingest.scraping.client import FetchedPage, PreviewClient, retry_after_seconds
from orchestration.ingest.scraping.crawler import (
    DEFAULT_RECENT_DAYS,
    ChannelReport,
    scrape_channel,
    scrape_channels,
)
from orchestration.ingest.scraping.errors import (
    ChannelUnavailable,
    FetchFailed,
    InvalidChannelName,
    ScrapeBusy,
    ScrapeError,
    UnusablePage,
)
from orchestration.ingest.scraping.page import PageSummary, summarize_page
from orchestration.ingest.scraping.settings import ScrapeSettings, default_user_agent, page_url
from orchestration.ingest.scraping.state import ChannelState, load_state

__all__ = [
    "DEFAULT_RECENT_DAYS",
    "ChannelReport",
    "ChannelState",
    "ChannelUnavailable",
    "FetchFailed",
    "FetchedPage",
    "InvalidChannelName",
    "PageSummary",
    "PreviewClient",
    "ScrapeBusy",
    "ScrapeError",
    "ScrapeSettings",
    "UnusablePage",
    "add_channel",
    "channel_key",
    "default_channels",
    "default_user_agent",
    "load_channels",
    "load_state",
    "page_url",
    "remove_channel",
    "retry_after_seconds",
    "scrape_channel",
    "scrape_channels",
    "summarize_page",
    "validate_channel_name",
]
