"""How the scraper talks to Telegram: base URL, identity, pace and patience (env-configurable)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import metadata

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


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, got {value!r}") from None


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {value!r}") from None


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
        TGWH_SCRAPE_TIMEOUT, TGWH_SCRAPE_MAX_ATTEMPTS, TGWH_SCRAPE_MAX_WAIT."""
        contact = os.environ.get("TGWH_CONTACT", "").strip() or None
        return cls(
            base_url=os.environ.get("TGWH_TELEGRAM_BASE_URL", "").strip() or DEFAULT_BASE_URL,
            user_agent=os.environ.get("TGWH_USER_AGENT", "").strip() or default_user_agent(contact),
            delay_seconds=_env_float("TGWH_SCRAPE_DELAY", 1.0),
            timeout_seconds=_env_float("TGWH_SCRAPE_TIMEOUT", 30.0),
            max_attempts=_env_int("TGWH_SCRAPE_MAX_ATTEMPTS", 5),
            max_wait_seconds=_env_float("TGWH_SCRAPE_MAX_WAIT", 120.0),
        )


def page_url(base: str, channel: str, before: int | None = None) -> str:
    """The web preview of a channel: its newest posts, or the posts older than ``before``."""
    url = f"{base.rstrip('/')}/s/{channel}"
    return f"{url}?before={int(before)}" if before is not None else url
