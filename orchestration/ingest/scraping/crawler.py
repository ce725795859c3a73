"""Crawl a channel's web preview newest-first, landing every fetched page in the raw layer.

Each run:

1. fetches the newest page (new posts and a header snapshot), then walks back page by page
   through the last ``recent_days`` days, so the view counts of recent posts are observed again;
2. fills what is missing below: down to the newest range landed before (incremental), or to the
   channel's first post (a backfill: the first scrape of a channel, ``full=True``, and the runs
   after a backfill that stopped early), jumping over id ranges that have already landed.

A run ends after ``max_pages`` pages or ``crawl_deadline_seconds`` (ScrapeSettings, both on by
default); the next run resumes there. What lands is filed under the channel asked for: a page
that shows another channel's posts or header is refused, never landed under either name.

Every fetched page is written under ``<home>/scrape/pages/<channel>/`` and parsed at once; the
pages then land together as one raw batch (RawStore.land_pages, its ``files/`` table one row per
page with the page's range and landing time) every ``land_pages`` pages or ``land_seconds``
seconds and when the crawl ends, so a backfill of thousands of pages is a handful of batches, not
thousands. The crawl state on disk is saved only when no fetched page is waiting to land: a
crawl killed mid-way fetches the pages that had not landed again, and the state never claims a
range it does not hold. A page that cannot be trusted is kept under
``<home>/scrape/evidence/<channel>/`` and stops that channel's crawl for this run (the pages
before it land).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NoReturn

from filelock import FileLock
from filelock import Timeout as LockTimeout

from orchestration.common.durable import write_bytes_atomic
from orchestration.common.failpoints import failpoint
from orchestration.config import Home, ScrapeLayout
from orchestration.ingest.parsing import SourceFileError
from orchestration.ingest.parsing.web_preview import PageTooDeep
from orchestration.ingest.raw_store import PageRange, PreparedPage, RawStore
from orchestration.ingest.scraping.channels import channel_key, validate_channel_name
from orchestration.ingest.scraping.client import FetchedPage, PreviewClient
from orchestration.ingest.scraping.errors import (
    ChannelUnavailable,
    FetchFailed,
    ScrapeBusy,
    ScrapeError,
    UnusablePage,
)
from orchestration.ingest.scraping.page import PageSummary, summarize_page
from orchestration.ingest.scraping.settings import ScrapeSettings
from orchestration.ingest.scraping.state import ChannelState, load_state, save_state

log = logging.getLogger(__name__)
# Progress and outcome of each channel's run, for whoever shows them (the command line renders
# these records; in Dagster and library use nobody listens and they cost nothing). Each record
# carries ``scrape_event``: a ScrapeEvent.
progress_log = logging.getLogger("orchestration.ingest.scraping.progress")

Progress = Callable[[str, int, int], None]
DEFAULT_RECENT_DAYS = 7


@dataclass(frozen=True)
class ScrapeEvent:
    kind: str  # "start" | "page" | "finish"
    channel: str
    pages: int = 0
    posts: int = 0  # post rows landed so far
    elapsed_seconds: float = 0.0
    backfill: bool = False
    report: ChannelReport | None = None  # with "finish"


@dataclass
class ChannelReport:
    """What one channel's scrape did: for logs, Dagster metadata and the command line."""

    channel: str
    pages_fetched: int = 0
    pages_landed: int = 0  # pages whose content was new to the raw layer
    posts_landed: int = 0  # post rows landed (re-observations of known posts included)
    new_posts: int = 0  # posts whose id had not landed before
    highest_id: int | None = None
    history_complete: bool = False
    frontier_before: int | None = None  # where a full backfill would resume
    unavailable: bool = False  # the channel does not exist or is not public
    backfill: bool = False  # this run walked on towards the first post
    stopped: str | None = None  # why the run ended early (page budget, deadline): not an error
    elapsed_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    evidence: list[Path] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)  # page files landed this run
    failure: ScrapeError | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_for_failure(self) -> None:
        """Re-raise what stopped the crawl (for callers that want a failed run, e.g. Dagster)."""
        if self.failure is not None:
            raise self.failure


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def _write_new_file(path: Path, data: bytes) -> Path:
    """Write atomically under ``path``, or a numbered sibling: never overwrite a kept page."""
    stem, suffix, counter = path.stem, path.suffix, 1
    while path.exists():
        counter += 1
        path = path.with_name(f"{stem}-{counter}{suffix}")
    write_bytes_atomic(path, data)
    return path


@contextmanager
def _channel_lock(layout: ScrapeLayout, channel: str):
    """One scrape per channel at a time: a second one fails fast instead of racing the state."""
    layout.locks_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(layout.locks_dir / f"channel-{channel_key(channel)}.lock"), timeout=0)
    try:
        lock.acquire()
    except LockTimeout:
        raise ScrapeBusy(channel, "another scrape of this channel is running") from None
    try:
        yield
    finally:
        lock.release()


def _page_range(page: PageSummary, before: int | None) -> tuple[int, int] | None:
    """The inclusive message-id range a page shows whole: from its lowest post (or id 1 when
    nothing is older) up to the id below ``before`` (or its highest post on the newest page).
    None for a newest page without posts: a channel with nothing in it yet."""
    if page.message_ids:
        low = page.lowest_id if page.older_before is not None else 1
        high = before - 1 if before is not None else page.highest_id
        assert low is not None and high is not None
        return low, high
    if before is not None:
        return (1, before - 1) if before > 1 else None  # nothing older: the start of history
    return None


class _StopCrawl(Exception):
    """The page budget is spent or the crawl's deadline has come."""


@dataclass
class _Waiting:
    """Fetched pages parsed and not landed yet: they land together as one batch."""

    pages: list[tuple[PreparedPage, Path, bool]] = field(default_factory=list)  # has a header
    message_ids: set[int] = field(default_factory=set)
    contents: set[str] = field(default_factory=set)
    since: float = 0.0  # monotonic time of the first page

    def holds(self, page: PreparedPage) -> bool:
        """The very same bytes are waiting already."""
        return page.pending.content_sha256 in self.contents

    def overlaps(self, page: PreparedPage) -> bool:
        """A post of the page is on a waiting page: one batch never holds two copies of a
        post, so each copy stays a version of its own, as when pages land one by one."""
        return not self.message_ids.isdisjoint(page.message_ids)

    def add(self, page: PreparedPage, path: Path, has_header: bool) -> None:
        if not self.pages:
            self.since = time.monotonic()
        self.pages.append((page, path, has_header))
        self.message_ids |= page.message_ids
        self.contents.add(page.pending.content_sha256)


class _ChannelCrawl:
    def __init__(
        self,
        channel: str,
        home: Home,
        layout: ScrapeLayout,
        client: PreviewClient,
        report: ChannelReport,
        *,
        full: bool,
        recent_days: float,
        max_pages: int | None,
        progress: Progress | None,
    ):
        self.channel = channel
        self.home = home
        self.layout = layout
        self.client = client
        self.report = report
        self.cutoff = datetime.now(UTC) - timedelta(days=recent_days)
        limits = client.settings
        self.max_pages = max_pages if max_pages is not None else limits.max_pages
        self.started = time.monotonic()
        self.deadline_seconds = limits.crawl_deadline_seconds
        self.stop_at = self.started + self.deadline_seconds
        self.progress = progress
        self.store = RawStore(home.raw)
        self.state_path = layout.state_file(channel_key(channel))
        self.state: ChannelState = load_state(self.state_path, channel)
        self.covered_before = ChannelState(channel, covered=list(self.state.covered))
        self.counted: set[int] = set()
        self.waiting = _Waiting()
        self.land_pages = limits.land_pages
        self.land_seconds = limits.land_seconds
        # A channel never scraped before gets its whole history, not only its last days.
        self.state.backfilling = full or self.state.backfilling or self.state.never_scraped
        report.backfill = self.state.backfilling

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    # -- the walk -----------------------------------------------------------------------------

    def run(self) -> None:
        self._announce("start")
        try:
            self._walk()
        except _StopCrawl as stop:
            self.report.stopped = str(stop)
            log.info("%s: %s", self.channel, stop)
        finally:
            # what was fetched before the end (a stop, a refused page, a failure) lands
            self._land_waiting()
            self._summarize()

    def _announce(self, kind: str) -> None:
        event = ScrapeEvent(
            kind,
            self.channel,
            pages=self.report.pages_fetched,
            posts=self.report.posts_landed,
            elapsed_seconds=self.elapsed,
            backfill=self.report.backfill,
        )
        progress_log.info(
            "%s: %d pages, %d posts, %.1f s",
            event.channel,
            event.pages,
            event.posts,
            event.elapsed_seconds,
            extra={"scrape_event": event},
        )

    def _walk(self) -> None:
        # 1. the newest page, then page by page while posts are recent (views still growing)
        page = self._visit(None)
        while page.message_ids and page.older_before is not None and self._is_recent(page):
            page = self._visit(page.lowest_id)
        # 2. what is missing below, skipping ranges that have landed already
        while True:
            top = self.state.top
            if top is None or self.state.history_complete:
                return
            if not self.state.backfilling and len(self.state.covered) == 1:
                return  # connected with everything landed before: the backfill is done
            self._visit(top[0])
            if self.state.top == top:  # a page below the range must extend it; never loop
                raise ScrapeError(
                    self.channel, f"the page before {top[0]} did not extend the landed range"
                )

    def _is_recent(self, page: PageSummary) -> bool:
        return page.oldest_published_at is not None and page.oldest_published_at >= self.cutoff

    def _visit(self, before: int | None) -> PageSummary:
        """Fetch, check, save and land one page, then record what it covers."""
        if self.report.pages_fetched >= self.max_pages:
            raise _StopCrawl(f"page budget of {self.max_pages:,} pages spent")
        if time.monotonic() >= self.stop_at:
            raise _StopCrawl(f"the crawl's deadline of {self.deadline_seconds:g} s has come")
        try:
            fetched = self.client.fetch(self.channel, before, stop_at=self.stop_at)
        except FetchFailed:
            if time.monotonic() >= self.stop_at - 1e-3:
                # The deadline came during the request and cut it short: the crawl stops as at
                # any deadline (this page is asked for again next time), not as a failure.
                raise _StopCrawl(
                    f"the crawl's deadline of {self.deadline_seconds:g} s has come"
                ) from None
            raise
        self.report.pages_fetched += 1
        try:
            summary = summarize_page(fetched.text)
        except PageTooDeep as error:
            self._keep_as_evidence(fetched, str(error))
        problem = self._problem_with(summary, before)
        if problem:
            self._keep_as_evidence(fetched, problem)
        path = _write_new_file(
            self.layout.pages_dir(channel_key(self.channel))
            / f"{_stamp(fetched.fetched_at)}-{before if before is not None else 'latest'}.html",
            fetched.text.encode("utf-8"),
        )
        covered = _page_range(summary, before)
        try:
            # Filed under the channel asked for, in the page's own spelling (checked above to
            # be that channel): nothing on the page can name another. The range it showed whole
            # goes into its row of the batch's files/ table, for coverage and deletions.
            prepared = self.store.prepare_page(
                path,
                channel=summary.channel_spelling or self.channel,
                covered=PageRange(channel_key(self.channel), *covered) if covered else None,
            )
        except SourceFileError as error:
            self._keep_as_evidence(fetched, f"does not parse: {error.problem}", move=path)
        if prepared is None or self.waiting.holds(prepared):
            path.unlink()  # the very same bytes landed before: nothing new to keep
        else:
            if self.waiting.overlaps(prepared):
                self._land_waiting()
            self.waiting.add(prepared, path, summary.has_header)
            self.report.posts_landed += prepared.posts
            failpoint("scrape.page_waiting")
        self._record_coverage(summary, before, covered)
        if self.state.history_complete:
            self.state.backfilling = False
        if self.waiting.pages and (
            len(self.waiting.pages) >= self.land_pages
            or time.monotonic() - self.waiting.since >= self.land_seconds
        ):
            self._land_waiting()
        elif not self.waiting.pages:
            save_state(self.state_path, self.state)
        self._announce("page")
        if self.progress is not None:
            self.progress(self.channel, self.report.pages_fetched, self.report.posts_landed)
        return summary

    def _land_waiting(self) -> None:
        """Land the waiting pages as one batch, then save the state that covers them: the
        state on disk never claims a page that has not landed."""
        waiting, self.waiting = self.waiting, _Waiting()
        if not waiting.pages:
            return
        try:
            records = self.store.land_pages([page for page, _, _ in waiting.pages])
        except SourceFileError as error:  # a frame Parquet refuses: the pages stay on disk
            self.report.posts_landed -= sum(page.posts for page, _, _ in waiting.pages)
            raise UnusablePage(self.channel, f"{error.path}: {error.problem}") from None
        for (_, path, has_header), record in zip(waiting.pages, records, strict=True):
            self.report.pages.append(path)
            self.report.pages_landed += 1
            if has_header:
                self.state.last_header_at = record["ingested_at"]
        save_state(self.state_path, self.state)

    def _problem_with(self, page: PageSummary, before: int | None) -> str | None:
        """Why a page cannot be trusted to say what it covers, or None."""
        if not page.is_whole_document:
            return "page is truncated (the document never closes with </html>)"
        if page.older_link_out_of_range:
            return "page's link to older posts names an id beyond 64 bits"
        if not page.message_ids and not page.has_header:
            if before is None:
                raise ChannelUnavailable(
                    self.channel,
                    "the web preview shows neither the channel header nor any post: "
                    "not a public channel",
                )
            return "page shows neither posts nor the channel header"
        if page.post_channels - {channel_key(self.channel)}:
            return f"page shows posts of another channel ({', '.join(sorted(page.post_channels))})"
        if page.header_channel is not None and (
            channel_key(page.header_channel) != channel_key(self.channel)
        ):
            return f"page shows the header of another channel ({page.header_channel!r})"
        if before is not None and page.message_ids and max(page.message_ids) >= before:
            return f"page asked for posts before {before} holds post {max(page.message_ids)}"
        if before is None and not page.message_ids and self.state.covered:
            return (
                "newest page shows no posts although posts up to "
                f"{self.state.highest_id} have landed before"
            )
        return None

    def _record_coverage(
        self, page: PageSummary, before: int | None, covered: tuple[int, int] | None
    ) -> None:
        if covered is not None:
            self.state.cover(*covered)
        elif before is None and not page.message_ids:
            self.state.known_empty = True  # a channel without posts (yet)
        for message_id in set(page.message_ids) - page.service_ids - self.counted:
            if not self.covered_before.is_covered(message_id):
                self.report.new_posts += 1
        self.counted.update(page.message_ids)

    def _keep_as_evidence(
        self, fetched: FetchedPage, problem: str, move: Path | None = None
    ) -> NoReturn:
        """Keep the page and why it was refused, report it, and stop this channel's crawl."""
        name = f"{_stamp(fetched.fetched_at)}-{fetched.before or 'latest'}"
        folder = self.layout.evidence_dir(channel_key(self.channel))
        if move is not None:
            folder.mkdir(parents=True, exist_ok=True)
            kept = folder / f"{name}.html"
            os.replace(move, kept)
        else:
            kept = _write_new_file(folder / f"{name}.html", fetched.text.encode("utf-8"))
        note = {
            "channel": self.channel,
            "saved_first_as": str(move) if move is not None else None,  # path in raw rejects
            "url": fetched.url,
            "final_url": fetched.final_url,
            "status": fetched.status,
            "fetched_at": fetched.fetched_at.isoformat(),
            "problem": problem,
        }
        _write_new_file(kept.with_suffix(".json"), json.dumps(note, indent=2).encode())
        self.report.evidence.append(kept)
        log.warning(
            "%s: %s: %s; kept as %s",
            self.channel,
            fetched.url,
            problem,
            kept,
            extra={"in_report": True},
        )
        raise UnusablePage(self.channel, f"{fetched.url}: {problem} (kept as {kept})")

    def _summarize(self) -> None:
        self.report.highest_id = self.state.highest_id
        self.report.history_complete = self.state.history_complete
        self.report.frontier_before = self.state.frontier_before
        self.report.elapsed_seconds = self.elapsed


def scrape_channel(
    channel: str,
    *,
    home: Home,
    client: PreviewClient | None = None,
    full: bool = False,
    recent_days: float = DEFAULT_RECENT_DAYS,
    max_pages: int | None = None,
    progress: Progress | None = None,
    settings: ScrapeSettings | None = None,
) -> ChannelReport:
    """Scrape one channel; problems with it are in the report (``failure``, ``errors``).

    Raises InvalidChannelName before any request for a name that is not a username. Exceptions
    from ``progress`` propagate (the state already holds every page landed until then).
    ``max_pages`` None takes the budget of the client's settings (``ScrapeSettings.max_pages``).
    """
    name = validate_channel_name(channel)
    layout = home.scrape
    report = ChannelReport(channel=name)
    own_client = client is None
    if client is None:
        client = PreviewClient(settings or ScrapeSettings.from_env(), lock_dir=layout.locks_dir)
    try:
        with _channel_lock(layout, name):
            crawl = _ChannelCrawl(
                name,
                home,
                layout,
                client,
                report,
                full=full,
                recent_days=recent_days,
                max_pages=max_pages,
                progress=progress,
            )
            crawl.run()
    except ScrapeError as error:
        report.failure = error
        report.errors.append(str(error))
        report.unavailable = isinstance(error, ChannelUnavailable)
        if not report.evidence:
            log.warning("%s", error, extra={"in_report": True})
    finally:
        if own_client:
            client.close()
    progress_log.info(
        "%s: finished",
        name,
        extra={
            "scrape_event": ScrapeEvent(
                "finish",
                name,
                pages=report.pages_fetched,
                posts=report.posts_landed,
                elapsed_seconds=report.elapsed_seconds,
                backfill=report.backfill,
                report=report,
            )
        },
    )
    return report


def scrape_channels(
    channels: Iterable[str],
    *,
    home: Home,
    client: PreviewClient | None = None,
    full: bool = False,
    recent_days: float = DEFAULT_RECENT_DAYS,
    max_pages: int | None = None,
    progress: Progress | None = None,
    settings: ScrapeSettings | None = None,
) -> list[ChannelReport]:
    """Scrape channels one after another, sharing one client (and its pacing).

    Every name is validated first, so a typo fails before any request; after that one
    channel's failure never stops the others.
    """
    names = [validate_channel_name(channel) for channel in channels]
    layout = home.scrape
    own_client = client is None
    if client is None:
        client = PreviewClient(settings or ScrapeSettings.from_env(), lock_dir=layout.locks_dir)
    try:
        return [
            scrape_channel(
                name,
                home=home,
                client=client,
                full=full,
                recent_days=recent_days,
                max_pages=max_pages,
                progress=progress,
            )
            for name in names
        ]
    finally:
        if own_client:
            client.close()
