"""What can go wrong while scraping, as exceptions a caller can tell apart."""

from __future__ import annotations


class InvalidChannelName(ValueError):
    """A name that is not a Telegram username; refused before it reaches a URL or a path."""


class ScrapeError(Exception):
    """A problem with one channel's scrape; other channels carry on."""

    def __init__(self, channel: str, problem: str):
        self.channel = channel
        self.problem = problem
        super().__init__(f"{channel}: {problem}")


class ChannelUnavailable(ScrapeError):
    """The channel does not exist, or has no public web preview (private, a user, a bot)."""


class FetchFailed(ScrapeError):
    """A page could not be fetched, even after the retries allowed."""


class UnusablePage(ScrapeError):
    """A page was fetched but cannot be trusted (truncated, unparseable, unexpected shape)."""


class ScrapeBusy(ScrapeError):
    """Another process is scraping the same channel right now."""
