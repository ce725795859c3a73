"""How the scraper talks to Telegram: base URL, identity, pace and patience (env-configurable)."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import metadata

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
    """Knobs of the HTTP side. Defaults are polite for a handful of channels a day."""

    base_url: str = DEFAULT_BASE_URL
    user_agent: str = field(default_factory=default_user_agent)
    delay_seconds: float = 1.0  # between two requests to the same host, across processes
    timeout_seconds: float = 30.0
    max_attempts: int = 5  # per page, first try included
    max_wait_seconds: float = 120.0  # cap on one backoff wait; a longer Retry-After gives up
    backoff_initial_seconds: float = 1.0
    backoff_jitter_seconds: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.delay_seconds < 0 or self.max_wait_seconds < 0 or self.timeout_seconds <= 0:
            raise ValueError("delays and waits cannot be negative, timeouts must be positive")

    @classmethod
    def from_env(cls) -> ScrapeSettings:
        """TGWH_TELEGRAM_BASE_URL, TGWH_CONTACT (or TGWH_USER_AGENT), TGWH_SCRAPE_DELAY,
        TGWH_SCRAPE_TIMEOUT, TGWH_SCRAPE_MAX_ATTEMPTS, TGWH_SCRAPE_MAX_WAIT (read in config)."""
        scrape = settings().scrape
        return cls(
            base_url=scrape.base_url or DEFAULT_BASE_URL,
            user_agent=scrape.user_agent or default_user_agent(scrape.contact),
            delay_seconds=scrape.delay_seconds,
            timeout_seconds=scrape.timeout_seconds,
            max_attempts=scrape.max_attempts,
            max_wait_seconds=scrape.max_wait_seconds,
        )


def page_url(base: str, channel: str, before: int | None = None) -> str:
    """The web preview of a channel: its newest posts, or the posts older than ``before``."""
    url = f"{base.rstrip('/')}/s/{channel}"
    return f"{url}?before={int(before)}" if before is not None else url
