"""Polite HTTP for t.me/s pages: one request at a time per host, paced, retried with backoff.

Retries cover what is worth retrying (429, 5xx, timeouts, dropped connections), with
exponential backoff and jitter, honouring Retry-After (seconds or an HTTP date). A server that
asks for a longer wait than we allow is taken at its word: we give up rather than come back early.

The server is not trusted: requests stay on the configured host (a redirect elsewhere is
refused, a redirect loop ends), a body is read as a stream and dropped once it, or what it
decompresses to, passes the size cap, and each request ends by its deadline however slowly the
server sends. Every failure is a ScrapeError whose message says what happened in words.
"""

from __future__ import annotations

import codecs
import email.utils
import errno
import logging
import re
import socket
import threading
import time
import zlib
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
from orchestration.ingest.scraping.settings import ScrapeSettings, origin_of, page_url
from orchestration.ingest.scraping.transport import DeadlineTransport, request_deadline

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


class _RetryableProblem(Exception):
    """A failed attempt worth another (a stalled server, a cut transfer), already in words."""


_RETRYABLE = (_RetryableStatus, _RetryableProblem, httpx.TransportError)
_REDIRECTS = (301, 302, 303, 307, 308)


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
    """Fetches t.me/s pages. Pass ``sleep`` to observe or skip waits (tests)."""

    def __init__(
        self,
        settings: ScrapeSettings | None = None,
        *,
        lock_dir: Path | None = None,
        sleep: Sleep = time.sleep,
    ):
        self.settings = settings or ScrapeSettings.from_env()
        self._sleep = sleep
        self._throttle = HostThrottle(self.settings.delay_seconds, sleep, lock_dir)
        self._http = httpx.Client(
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept": "text/html,application/xhtml+xml",
                "Accept-Language": "en",
                # what _read_body can inflate under its cap; anything else is refused
                "Accept-Encoding": "gzip",
            },
            timeout=httpx.Timeout(self.settings.timeout_seconds),
            follow_redirects=False,  # each hop is checked against the host (_get_once)
            transport=DeadlineTransport(),
        )
        self._backoff = wait_exponential_jitter(
            multiplier=self.settings.backoff_initial_seconds,
            max=self.settings.max_wait_seconds,
            jitter=self.settings.backoff_jitter_seconds,
        )
        self.attempts = 0  # HTTP requests sent, retries and redirect hops included

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

    def _stop(self, state: RetryCallState, stop_at: float | None) -> bool:
        if state.attempt_number >= self.settings.max_attempts:
            return True
        if stop_at is not None and time.monotonic() + state.upcoming_sleep >= stop_at:
            return True  # the crawl's deadline comes first
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
            "%s: attempt %d failed: %s; retrying in %.1f s",
            url,
            state.attempt_number,
            _describe(error),
            wait,
        )

    # -- fetching -----------------------------------------------------------------------------

    def _send(self, url: httpx.URL) -> httpx.Response:
        self.attempts += 1
        return self._http.send(self._http.build_request("GET", url), stream=True)

    def _get_once(
        self, channel: str, url: str, pace: Callable[[], None], stop_at: float | None
    ) -> tuple[httpx.URL, int, str]:
        """One attempt: (final URL, status, text), following redirects on the host only."""
        pace()
        limit = self.settings.request_deadline_seconds
        deadline = time.monotonic() + limit
        if stop_at is not None and stop_at < deadline:
            deadline, limit = stop_at, max(0.0, stop_at - time.monotonic())
        target, hops = httpx.URL(url), [httpx.URL(url)]
        try:
            with request_deadline(deadline):
                while True:
                    if len(hops) > 1:
                        pace()  # a redirect's next hop is a request like any other
                    response = self._send(target)
                    try:
                        if response.status_code in _REDIRECTS:
                            target = self._redirect_target(channel, response, hops)
                            hops.append(target)
                            continue
                        self._check_status(channel, str(target), response)
                        text = self._read_body(channel, str(target), response)
                        return target, response.status_code, text
                    finally:
                        response.close()
        except httpx.TimeoutException as error:
            if time.monotonic() >= deadline:
                raise _RetryableProblem(
                    f"no complete answer within the {limit:g} s allowed for one request "
                    "(a stalled or very slow server)"
                ) from None
            raise _RetryableProblem(f"timed out ({_timeout_kind(error)})") from None
        except httpx.TransportError as error:
            raise _connection_problem(channel, target, error) from None

    def _redirect_target(
        self, channel: str, response: httpx.Response, hops: list[httpx.URL]
    ) -> httpx.URL:
        here = hops[-1]
        location = response.headers.get("Location")
        if not location:
            raise FetchFailed(
                channel, f"{here} answered HTTP {response.status_code} without saying where to"
            )
        try:
            target = here.join(location.strip())
        except httpx.InvalidURL:
            raise FetchFailed(channel, f"{here} redirects to an unreadable address") from None
        if origin_of(target) != self.settings.origin:
            raise FetchFailed(
                channel,
                f"{here} redirects to {target}, off {self.settings.origin}: refused (pages are "
                "only read from the configured host, TGWH_TELEGRAM_BASE_URL)",
            )
        if not target.path.lower().startswith("/s/"):
            raise ChannelUnavailable(
                channel,
                f"{hops[0]} redirects to {target}: no public web preview (a private channel, "
                "a user or bot, or an unused name)",
            )
        if target in hops:
            chain = " -> ".join(str(hop) for hop in [*hops, target])
            raise FetchFailed(channel, f"redirect loop: {chain}")
        if len(hops) > self.settings.max_redirects:
            raise FetchFailed(
                channel,
                f"{hops[0]}: more than {self.settings.max_redirects} redirects "
                f"(the last to {target}); refused",
            )
        return target

    @staticmethod
    def _check_status(channel: str, url: str, response: httpx.Response) -> None:
        status = response.status_code
        if status == 429 or 500 <= status <= 599:
            retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            raise _RetryableStatus(status, retry_after)
        if status == 404:
            raise ChannelUnavailable(channel, f"no such channel ({url} answered HTTP 404)")
        if not 200 <= status <= 299:
            raise FetchFailed(channel, f"{url} answered HTTP {status}")

    def _read_body(self, channel: str, url: str, response: httpx.Response) -> str:
        """The body as text, read as a stream: refused once it, or what it decompresses to,
        passes ``max_page_bytes``. Decompression is ours (zlib with an output bound) because
        httpx inflates each chunk whole, and a few KB of gzip can inflate to gigabytes."""
        cap = self.settings.max_page_bytes
        too_large = f"{url}: the page is larger than the {cap:,} bytes allowed"
        declared = (response.headers.get("Content-Length") or "").strip()
        if declared.isdigit() and int(declared) > cap:
            raise FetchFailed(channel, f"{too_large} (it announces {int(declared):,}); not read")
        encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            inflate = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        elif encoding == "identity":
            inflate = None
        else:
            raise FetchFailed(
                channel, f"{url} answered in Content-Encoding {encoding!r}; only gzip was asked for"
            )
        parts: list[bytes] = []
        size = 0
        for chunk in response.iter_raw():
            if inflate is not None:
                if response.num_bytes_downloaded > cap:
                    raise FetchFailed(channel, f"{too_large} (compressed)")
                try:
                    chunk = inflate.decompress(chunk, cap - size + 1)
                except zlib.error as problem:
                    raise _RetryableProblem(f"the gzip body is corrupt ({problem})") from None
            size += len(chunk)
            if size > cap:
                what = " once decompressed" if inflate is not None else ""
                raise FetchFailed(channel, f"{too_large}{what}; not read further")
            parts.append(chunk)
        if inflate is not None and not inflate.eof:
            raise _RetryableProblem("the gzip body ends before the end of its stream")
        return b"".join(parts).decode(_charset(response), errors="replace")

    def fetch(
        self, channel: str, before: int | None = None, *, stop_at: float | None = None
    ) -> FetchedPage:
        """One page of ``channel`` (already a validated username); raises a ScrapeError.

        ``stop_at`` (time.monotonic()) is the crawl's deadline: no attempt runs past it.
        """
        url = page_url(self.settings.base_url, channel, before)
        retrying = Retrying(
            retry=retry_if_exception_type(_RETRYABLE),
            wait=self._wait,
            stop=lambda state: self._stop(state, stop_at),
            sleep=self._sleep,
            before_sleep=lambda state: self._log_retry(url, state),
            reraise=False,
        )
        with self._throttle.slot(httpx.URL(url).netloc.decode()) as pace:
            try:
                for attempt in retrying:
                    with attempt:
                        final_url, status, text = self._get_once(channel, url, pace, stop_at)
            except RetryError as failure:
                last = failure.last_attempt
                error = last.exception()
                cut = stop_at is not None and time.monotonic() >= stop_at - 1e-3
                raise FetchFailed(
                    channel,
                    f"{url}: gave up after {last.attempt_number} attempt(s): {_describe(error)}"
                    + _too_long_note(error, self.settings.max_wait_seconds)
                    + (" (the crawl's deadline has come)" if cut else ""),
                ) from None
        return FetchedPage(
            channel=channel,
            before=before,
            url=url,
            final_url=str(final_url),
            status=status,
            text=text,
            fetched_at=datetime.now(UTC),
        )


def _charset(response: httpx.Response) -> str:
    name = response.charset_encoding or "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def _timeout_kind(error: httpx.TimeoutException) -> str:
    return {
        httpx.ConnectTimeout: "connecting",
        httpx.ReadTimeout: "waiting for data",
        httpx.WriteTimeout: "sending the request",
        httpx.PoolTimeout: "waiting for a connection",
    }.get(type(error), type(error).__name__)


def _os_error(error: BaseException) -> OSError | None:
    """The operating system's error under httpx's and httpcore's wrapping, if any."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError):
            return current
        current = current.__cause__ or current.__context__
    return None


_NO_SUCH_HOST = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}
_NETWORK_DOWN = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN}


def _connection_problem(channel: str, url: httpx.URL, error: httpx.TransportError) -> Exception:
    """A transport error in words: a FetchFailed when trying again cannot help (no such host
    name), else a retryable problem."""
    cause = _os_error(error)
    host = url.host
    where = f"{host}:{url.port}" if url.port else host
    if isinstance(cause, socket.gaierror):
        if cause.errno in _NO_SUCH_HOST:
            return FetchFailed(
                channel,
                f"cannot resolve {host}: no such host name (check the address, "
                "TGWH_TELEGRAM_BASE_URL, and the network)",
            )
        return _RetryableProblem(
            f"cannot resolve {host} ({cause.strerror}): is this machine online?"
        )
    if isinstance(cause, ConnectionRefusedError):
        return _RetryableProblem(f"{where} refused the connection (nothing listens there)")
    if isinstance(cause, OSError) and cause.errno in _NETWORK_DOWN:
        return _RetryableProblem(
            f"cannot reach {where} ({cause.strerror}): is this machine online?"
        )
    if isinstance(error, httpx.RemoteProtocolError):
        return _RetryableProblem(f"{where} broke the HTTP exchange ({error})")
    return _RetryableProblem(f"{type(error).__name__}: {error}")


def _describe(error: BaseException | None) -> str:
    if isinstance(error, _RetryableStatus):
        after = f", Retry-After {error.retry_after:g} s" if error.retry_after is not None else ""
        return f"HTTP {error.status}{after}"
    if isinstance(error, _RetryableProblem):
        return str(error)
    if isinstance(error, httpx.TimeoutException):
        return f"timed out ({_timeout_kind(error)})"
    if error is None:
        return "unknown error"
    return f"{type(error).__name__}: {error}"


def _too_long_note(error: BaseException | None, cap: float) -> str:
    if isinstance(error, _RetryableStatus) and (error.retry_after or 0) > cap:
        return f" (the server asked to wait longer than the {cap:g} s allowed; try again later)"
    return ""
