"""`tgwh scrape` and `tgwh channels`: follow live channels through their web previews."""

from __future__ import annotations

import contextlib
import logging
import re
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TextIO

import click
from rich.console import Console
from rich.status import Status
from rich.text import Text

from orchestration.app.commands.common import lock_wait_seconds, quiet_output
from orchestration.app.console import console, err_console
from orchestration.app.summary import NOT_PUBLISHED, summarize
from orchestration.app.tables import print_frame
from orchestration.common.writer_lock import WarehouseBusy
from orchestration.config import Home

if TYPE_CHECKING:
    from orchestration.ingest.scraping import ChannelReport


def _valid_name(name: str, hint: str = "NAME") -> str:
    from orchestration.ingest.scraping import InvalidChannelName, validate_channel_name

    try:
        return validate_channel_name(name)
    except InvalidChannelName as error:
        raise click.BadParameter(str(error), param_hint=hint) from None


def _followed(home: Home) -> list[str]:
    """The followed channels; a bad line in channels.txt is one error naming file and line."""
    from orchestration.ingest.scraping import InvalidChannelName, load_channels

    try:
        return load_channels(home)
    except InvalidChannelName as error:
        raise click.ClickException(f"{error}; fix or remove that line") from None


@click.group()
def channels() -> None:
    """The channels `tgwh scrape` and the schedule follow (kept in the home folder)."""


@channels.command("list")
def channels_list() -> None:
    """Show the followed channels and how far each has been scraped."""
    from orchestration.ingest.scraping import channel_key, load_state

    home = Home.from_env()
    rows = []
    for name in _followed(home):
        state = load_state(home.scrape.state_file(channel_key(name)), name)
        rows.append(
            {
                "channel": name,
                "highest_id": state.highest_id,
                "history_complete": state.history_complete,
                "updated_at": str(state.updated_at or ""),
            }
        )
    import polars as pl

    print_frame(pl.DataFrame(rows, schema_overrides={"highest_id": pl.Int64}))


@channels.command("add")
@click.argument("name")
def channels_add(name: str) -> None:
    """Follow a channel (a Telegram username, @name or a t.me link)."""
    from orchestration.ingest.scraping import InvalidChannelName, add_channel

    _valid_name(name)
    try:
        added = add_channel(Home.from_env(), name)
    except InvalidChannelName as error:  # a bad line in channels.txt, named with its number
        raise click.ClickException(f"{error}; fix or remove that line") from None
    console.print(f"following {name}" if added else f"{name} was already followed")


@channels.command("remove")
@click.argument("name")
def channels_remove(name: str) -> None:
    """Stop following a channel (what was scraped stays in the warehouse)."""
    from orchestration.ingest.scraping import remove_channel

    removed = remove_channel(Home.from_env(), _valid_name(name))
    console.print(f"no longer following {name}" if removed else f"{name} was not followed")


def duration(seconds: float) -> str:
    """12.3 s, 4 min 05 s, 1 h 02 min: elapsed time as people read it."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class ScrapeProgress(logging.Handler):
    """Shows the crawler's progress records (channel, pages, posts, elapsed time) and keeps
    each channel's final report. On a terminal one live line per channel; elsewhere (a log, a
    pipe, cron) plain lines: one when a channel starts, then one every ``interval`` seconds.
    Retry warnings are shown as they come; failures wait for the result lines."""

    def __init__(
        self,
        stream: TextIO,
        *,
        interval: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        live: bool | None = None,
    ):
        super().__init__(logging.INFO)
        self.stream = stream
        self.console = Console(file=stream, highlight=False)
        self.live = self.console.is_terminal if live is None else live
        self.interval = interval
        self.clock = clock
        self.reports: dict[str, ChannelReport] = {}
        self._status: Status | None = None
        self._last_line = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        try:
            event = getattr(record, "scrape_event", None)
            if event is None:
                if record.levelno >= logging.WARNING and not getattr(record, "in_report", False):
                    self.say(record.getMessage())
                return
            self._show(event)
        except Exception:  # noqa: BLE001 - a display problem must never stop a scrape
            self.handleError(record)

    def _show(self, event) -> None:
        line = (
            f"{event.channel}: {event.pages:,} pages, {event.posts:,} posts, "
            f"{duration(event.elapsed_seconds)}"
        )
        if event.kind == "start":
            what = "its whole history (first scrape or backfill)" if event.backfill else "new posts"
            self.say(f"{event.channel}: scraping {what}")
            self._last_line = self.clock()
            if self.live:
                self._status = Status(line, console=self.console)
                self._status.start()
        elif event.kind == "page":
            if self._status is not None:
                self._status.update(line)
            elif not self.live and self.clock() - self._last_line >= self.interval:
                self.say(line)
        elif event.kind == "finish":
            self._stop_status()
            if event.report is not None:
                from orchestration.ingest.scraping import channel_key

                self.reports[channel_key(event.channel)] = event.report

    def say(self, line: str) -> None:
        if self.live:
            self.console.print(Text(line))
        else:
            self.stream.write(line + "\n")
            self.stream.flush()
        self._last_line = self.clock()

    def _stop_status(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    @contextlib.contextmanager
    def listening(self) -> Iterator[ScrapeProgress]:
        """Receive the scraper's records (its loggers let INFO through meanwhile)."""
        logger = logging.getLogger("orchestration.ingest.scraping")
        level = logger.level
        logger.setLevel(logging.INFO)
        logger.addHandler(self)
        try:
            yield self
        finally:
            self._stop_status()
            logger.removeHandler(self)
            logger.setLevel(level)


def result_line(report: ChannelReport, name: str | None = None) -> Text:
    """One line per channel: what it did, or why not, in words."""
    line = Text(f"{name or report.channel}: ")
    if report.failure is not None:
        problem = report.failure.problem
        if report.unavailable:
            line.append("not available", style="red")
            return line.append(f": {problem}")
        line.append("FAILED", style="bold red")
        if report.pages_fetched:
            line.append(
                f" after {report.pages_fetched:,} pages ({report.new_posts:,} new posts landed "
                "before that)"
            )
        return line.append(f": {problem}")
    line.append("ok", style="green")
    line.append(
        f": {report.pages_fetched:,} pages, {report.new_posts:,} new posts, "
        f"{report.posts_landed:,} post rows landed, "
        + (
            "history complete"
            if report.history_complete
            else f"history before post {report.frontier_before} still to fetch"
        )
        + f" ({duration(report.elapsed_seconds)})"
    )
    if report.stopped:
        line.append(f"; stopped early: {report.stopped}, the next scrape goes on from there")
    return line


_EXCEPTION_NAME = re.compile(r"^(?:[A-Za-z_]\w*\.)+[A-Za-z_]\w*: ")


def _fallback_line(channel: str, outcome: dict) -> Text:
    """A channel the crawler never reported on (it failed before starting): Dagster's word."""
    if outcome.get("ok"):
        return Text(f"{channel}: ok: {outcome.get('pages_fetched', 0)} pages")
    problem = _EXCEPTION_NAME.sub("", str(outcome.get("error") or "the run failed"))
    problem = re.sub(rf"^{re.escape(channel)}: ", "", problem, flags=re.IGNORECASE)
    return Text(f"{channel}: ").append("FAILED", style="bold red").append(f": {problem}")


@click.command()
@click.argument("names", nargs=-1)
@click.option("--full", is_flag=True, help="Backfill: walk back to each channel's first post.")
@click.option(
    "--max-pages",
    type=click.IntRange(min=1),
    help="Stop each channel after N pages (resumable; default TGWH_SCRAPE_MAX_PAGES, 1000).",
)
@click.option("--recent-days", type=int, help="Re-read pages of posts this recent (views).")
def scrape(names: tuple[str, ...], full: bool, max_pages: int | None, recent_days: int | None):
    """Scrape NAMES (default: the followed channels) from t.me/s, then rebuild the warehouse.

    A channel's first scrape fetches its whole history (within the page budget; later runs go
    on where it stopped); after that each run fetches what is new and the last days again.
    """
    from orchestration.ingest.scraping import ScrapeSettings, channel_key

    try:
        home = Home.from_env()
        ScrapeSettings.from_env()  # a bad TGWH_SCRAPE_* value or base URL, before any run
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    channels_to_scrape = [_valid_name(n, "NAMES") for n in names] or _followed(home)
    from orchestration.app.runner import scrape_and_build  # Dagster: after the names are sound

    console.print(f"[bold]tgwh[/] home: {home.root}")
    console.print("scraping: " + ", ".join(channels_to_scrape))
    terminal = sys.stderr  # before Dagster's own chatter is sent to the log file
    progress = ScrapeProgress(terminal)
    with progress.listening(), quiet_output(home, verbose=False) as log_file:
        # Dagster logs each failed step with its traceback: into the log, not the terminal.
        with contextlib.redirect_stderr(sys.stdout):
            try:
                outcome = scrape_and_build(
                    home,
                    channels_to_scrape,
                    full=full,
                    max_pages=max_pages,
                    recent_days=recent_days,
                    lock_wait_seconds=lock_wait_seconds(),
                    on_wait=progress.say,
                )
            except WarehouseBusy as error:
                raise click.ClickException(str(error)) from error
    failed = False
    spelling = {channel_key(name): name for name in reversed(channels_to_scrape)}
    for key, dagster_report in outcome.scrapes.items():
        report = progress.reports.get(key)
        if report is not None:
            line = result_line(report, spelling.get(key))
            failed |= report.failure is not None
        else:
            line = _fallback_line(spelling.get(key, key), dagster_report)
        console.print(line, soft_wrap=True)  # one line, however long
        failed |= not dagster_report.get("ok")
    if failed:
        err_console.print(f"details of the failed channels: {log_file}", highlight=False)
    status = summarize(home, outcome.build, log_file)
    sys.exit(NOT_PUBLISHED if failed or status == NOT_PUBLISHED else status)
