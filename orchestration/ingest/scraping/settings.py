"""How the scraper talks to Telegram: base URL, identity, pace and patience (env-configurable)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import metadata

import httpx

from orchestration.config import settings

DEFAULT_BASE_URL = "https://t.me"


def _version() -> str:
    try:
        return metadata.version("tgwh")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def default_user_agent(contact: str | None = None) -> str:
    """An honest identity: what we are and, when the operator gives one, how to reach them."""
    agent = f"tgwh/{_version()} (archiver of public Telegram channel web previews"
    return f"{agent}; contact: {contact})" if contact else f"{agent})"


@dataclass(frozen=True)
class ScrapeSettings:
    """Knobs of the HTTP side and the limits of one crawl. Defaults are polite for a handful
    of channels a day, and bound what a misbehaving server can cost: no page larger than
    ``max_page_bytes`` (decompressed), no request longer than ``request_deadline_seconds`` in
    all (a server dripping a byte at a time included), no channel's run longer than
    ``crawl_deadline_seconds`` or ``max_pages`` pages (the next run resumes)."""

    base_url: str = DEFAULT_BASE_URL
    user_agent: str = field(default_factory=default_user_agent)
    delay_seconds: float = 1.0  # between two requests to the same host, across processes
    timeout_seconds: float = 30.0  # connect, and each read or write
    max_attempts: int = 5  # per page, first try included
    max_wait_seconds: float = 120.0  # cap on one backoff wait; a longer Retry-After gives up
    backoff_initial_seconds: float = 1.0
    backoff_jitter_seconds: float = 1.0
    request_deadline_seconds: float = 60.0  # one attempt, redirects and the whole body included
    max_page_bytes: int = 8 * 1024 * 1024  # a t.me/s page of 20 posts is 50-300 KB
    max_redirects: int = 5  # on the configured host; a redirect elsewhere is refused
    max_pages: int = 1000  # pages per channel per run: a full backfill of 20,000 posts
    crawl_deadline_seconds: float = 3600.0  # one channel's run
    # Fetched pages land together as one raw batch, every ``land_pages`` pages or
    # ``land_seconds`` seconds (and when the crawl ends): a backfill of thousands of pages is
    # a handful of batches, and a killed crawl fetches at most that much again.
    land_pages: int = 250
    land_seconds: float = 300.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.delay_seconds < 0 or self.max_wait_seconds < 0 or self.timeout_seconds <= 0:
            raise ValueError("delays and waits cannot be negative, timeouts must be positive")
        if self.request_deadline_seconds <= 0 or self.crawl_deadline_seconds <= 0:
            raise ValueError("deadlines must be positive")
        if self.max_page_bytes < 1 or self.max_pages < 1 or self.max_redirects < 0:
            raise ValueError("the page size cap and the page budget must be at least 1")
        if self.land_pages < 1 or self.land_seconds < 0:
            raise ValueError("pages landed together must be at least 1, every 0 s or more")
        if httpx.URL(self.base_url).scheme not in ("http", "https"):
            raise ValueError(f"the Telegram base URL must be http(s)://..., got {self.base_url!r}")

    @property
    def origin(self) -> str:
        """scheme://host[:port] of the base URL: the only place requests may go."""
        return origin_of(httpx.URL(self.base_url))

    @classmethod
    def from_env(cls) -> ScrapeSettings:
        """TGWH_TELEGRAM_BASE_URL, TGWH_CONTACT (or TGWH_USER_AGENT), TGWH_SCRAPE_DELAY,
        TGWH_SCRAPE_TIMEOUT, TGWH_SCRAPE_MAX_ATTEMPTS, TGWH_SCRAPE_MAX_WAIT,
        TGWH_SCRAPE_REQUEST_DEADLINE, TGWH_SCRAPE_MAX_PAGE_BYTES, TGWH_SCRAPE_MAX_PAGES,
        TGWH_SCRAPE_CRAWL_DEADLINE, TGWH_SCRAPE_LAND_PAGES and TGWH_SCRAPE_LAND_SECONDS (read in
        config)."""
        scrape = settings().scrape
        return cls(
            base_url=scrape.base_url or DEFAULT_BASE_URL,
            user_agent=scrape.user_agent or default_user_agent(scrape.contact),
            delay_seconds=scrape.delay_seconds,
            timeout_seconds=scrape.timeout_seconds,
            max_attempts=scrape.max_attempts,
            max_wait_seconds=scrape.max_wait_seconds,
            request_deadline_seconds=scrape.request_deadline_seconds,
            max_page_bytes=scrape.max_page_bytes,
            max_pages=scrape.max_pages,
            crawl_deadline_seconds=scrape.crawl_deadline_seconds,
            land_pages=scrape.land_pages,
            land_seconds=scrape.land_seconds,
        )


def page_url(base: str, channel: str, before: int | None = None) -> str:
    """The web preview of a channel: its newest posts, or the posts older than ``before``."""
    url = f"{base.rstrip('/')}/s/{channel}"
    return f"{url}?before={int(before)}" if before is not None else url


def origin_of(url: httpx.URL) -> str:
    """scheme://host:port, the port spelled out, so http://h and http://h:80 are one origin."""
    port = url.port or {"http": 80, "https": 443}.get(url.scheme, 0)
    return f"{url.scheme}://{url.host.lower()}:{port}"
