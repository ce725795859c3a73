"""Polite HTTP for t.me/s pages: one request at a time per host, paced, retried with backoff.

Retries cover what is worth retrying (429, 5xx, timeouts, dropped connections), with
exponential backoff and jitter, honouring Retry-After (seconds or an HTTP date). A server that
asks for a longer wait than we allow is taken at its word: we give up rather than come back early.
"""

from __future__ import annotations

import email.utils
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from filelock import FileLock
from tenacity import RetryCallState, RetryError, Retrying, retry_if_exception_type
from tenacity.wait import wait_exponential_jitter

from orchestration.ingest.scraping.errors import ChannelUnavailable, FetchFailed
from orchestration.ingest.scraping.settings import ScrapeSettings, page_url

log = logging.getLogger(__name__)

Sleep = Callable[[float], None]


@dataclass(frozen=True)
class FetchedPage:
    channel: str
    before: int | None
    url: str  # as requested
    final_url: str  # after redirects
    status: int
    text: str
    fetched_at: datetime


class _RetryableStatus(Exception):
    def __init__(self, status: int, retry_after: float | None):
        self.status = status
        self.retry_after = retry_after
        super().__init__(f"HTTP {status}")


_RETRYABLE = (_RetryableStatus, httpx.TransportError, httpx.DecodingError)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds to wait: "120" or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class HostThrottle:
    """At most one request in flight per host, started at least ``delay`` after the last one.

    Threads share an in-process lock; with a lock folder, processes (Dagster runs one process
    per partition) also share a file lock and the time of the host's last request.
    """

    def __init__(self, delay: float, sleep: Sleep, lock_dir: Path | None = None):
        self.delay = delay
        self._sleep = sleep
        self._lock_dir = lock_dir
        self._guard = threading.Lock()
        self._thread_locks: dict[str, threading.Lock] = {}
        self._file_locks: dict[str, FileLock] = {}
        self._last: dict[str, float] = {}

    def _locks(self, host: str) -> tuple[threading.Lock, FileLock | None]:
        with self._guard:
            thread_lock = self._thread_locks.setdefault(host, threading.Lock())
            file_lock = None
            if self._lock_dir is not None:
                if host not in self._file_locks:
                    self._lock_dir.mkdir(parents=True, exist_ok=True)
                    self._file_locks[host] = FileLock(str(self._stamp_file(host)) + ".lock")
                file_lock = self._file_locks[host]
            return thread_lock, file_lock

    def _stamp_file(self, host: str) -> Path:
        assert self._lock_dir is not None
        return self._lock_dir / re.sub(r"[^A-Za-z0-9.-]", "_", host)

    def _read_last(self, host: str) -> float:
        last = self._last.get(host, 0.0)
        if self._lock_dir is not None:
            try:
                last = max(last, float(self._stamp_file(host).read_text().strip() or 0))
            except (OSError, ValueError):
                pass
        return last

    def _write_last(self, host: str, moment: float) -> None:
        self._last[host] = moment
        if self._lock_dir is not None:
            self._stamp_file(host).write_text(repr(moment))

    @contextmanager
    def slot(self, host: str) -> Iterator[Callable[[], None]]:
        """Hold the host; the yielded ``pace()`` waits out the delay before each request."""
        thread_lock, file_lock = self._locks(host)
        with thread_lock, file_lock if file_lock is not None else nullcontext():

            def pace() -> None:
                wait = self._read_last(host) + self.delay - time.time()
                if wait > 0:
                    self._sleep(wait)
                self._write_last(host, time.time())

            yield pace


class PreviewClient:
    """Fetches t.me/s pages. Pass ``sleep`` to observe or skip waits (tests), ``transport``
    to route requests elsewhere."""

    def __init__(
        self,
        settings: ScrapeSettings | None = None,
        *,
        lock_dir: Path | None = None,
        sleep: Sleep = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ):
        self.settings = settings or ScrapeSettings.from_env()
        self._sleep = sleep
        self._throttle = HostThrottle(self.settings.delay_seconds, sleep, lock_dir)
        self._http = httpx.Client(
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept": "text/html,application/xhtml+xml",
                "Accept-Language": "en",
            },
            timeout=httpx.Timeout(self.settings.timeout_seconds),
            follow_redirects=True,
            transport=transport,
        )
        self._backoff = wait_exponential_jitter(
            multiplier=self.settings.backoff_initial_seconds,
            max=self.settings.max_wait_seconds,
            jitter=self.settings.backoff_jitter_seconds,
        )
        self.attempts = 0  # HTTP requests sent, retries included

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PreviewClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- retry policy -------------------------------------------------------------------------

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, _RetryableStatus) and error.retry_after is not None:
            return min(error.retry_after, self.settings.max_wait_seconds)
        return min(self._backoff(state), self.settings.max_wait_seconds)

    def _stop(self, state: RetryCallState) -> bool:
        if state.attempt_number >= self.settings.max_attempts:
            return True
        error = state.outcome.exception() if state.outcome else None
        return (
            isinstance(error, _RetryableStatus)
            and error.retry_after is not None
            and error.retry_after > self.settings.max_wait_seconds
        )

    @staticmethod
    def _log_retry(url: str, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0
        log.warning(
            "%s: attempt %d failed (%s); retrying in %.1f s",
            url,
            state.attempt_number,
            _describe(error),
            wait,
        )

    # -- fetching -----------------------------------------------------------------------------

    def _get_once(self, channel: str, url: str) -> httpx.Response:
        self.attempts += 1
        response = self._http.get(url)
        status = response.status_code
        if status == 429 or 500 <= status <= 599:
            retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            raise _RetryableStatus(status, retry_after)
        if status == 404:
            raise ChannelUnavailable(channel, f"no such channel ({url} answered HTTP 404)")
        if not 200 <= status <= 299:
            raise FetchFailed(channel, f"{url} answered HTTP {status}")
        if not response.url.path.lower().startswith("/s/"):
            raise ChannelUnavailable(
                channel,
                f"{url} redirects to {response.url}: no public web preview (a private channel, "
                "a user or bot, or an unused name)",
            )
        return response

    def fetch(self, channel: str, before: int | None = None) -> FetchedPage:
        """One page of ``channel`` (already a validated username); raises a ScrapeError."""
        url = page_url(self.settings.base_url, channel, before)
        retrying = Retrying(
            retry=retry_if_exception_type(_RETRYABLE),
            wait=self._wait,
            stop=self._stop,
            sleep=self._sleep,
            before_sleep=lambda state: self._log_retry(url, state),
            reraise=False,
        )
        with self._throttle.slot(httpx.URL(url).netloc.decode()) as pace:
            try:
                for attempt in retrying:
                    with attempt:
                        pace()
                        response = self._get_once(channel, url)
            except RetryError as failure:
                last = failure.last_attempt
                error = last.exception()
                raise FetchFailed(
                    channel,
                    f"{url}: gave up after {last.attempt_number} attempt(s): {_describe(error)}"
                    + _too_long_note(error, self.settings.max_wait_seconds),
                ) from error
        return FetchedPage(
            channel=channel,
            before=before,
            url=url,
            final_url=str(response.url),
            status=response.status_code,
            text=response.text,
            fetched_at=datetime.now(UTC),
        )


def _describe(error: BaseException | None) -> str:
    if isinstance(error, _RetryableStatus):
        after = f", Retry-After {error.retry_after:g} s" if error.retry_after is not None else ""
        return f"HTTP {error.status}{after}"
    if isinstance(error, httpx.TimeoutException):
        return f"timed out ({type(error).__name__})"
    if error is None:
        return "unknown error"
    return f"{type(error).__name__}: {error}"


def _too_long_note(error: BaseException | None, cap: float) -> str:
    if isinstance(error, _RetryableStatus) and (error.retry_after or 0) > cap:
        return f" (the server asked to wait longer than the {cap:g} s allowed; try again later)"
    return ""
