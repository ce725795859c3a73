"""Per-channel crawl state: which message-id ranges have landed, so runs resume without holes.

The state is a list of covered id ranges rather than a single high-water mark: a run that stops
part-way (killed, page budget spent, a bad page) leaves ranges with a gap between them, and the
next run knows exactly where the gap is. A range is recorded only after the page that covers it
has landed, and the file is replaced atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from orchestration.common.durable import write_text_atomic
from orchestration.ingest.scraping.errors import ScrapeError

STATE_VERSION = 1


@dataclass
class ChannelState:
    channel: str
    # Inclusive (low, high) message-id ranges all of whose posts have landed, newest first,
    # disjoint and not adjacent. A range reaching id 1 reaches the start of the history.
    covered: list[tuple[int, int]] = field(default_factory=list)
    known_empty: bool = False  # the newest page showed the channel without any post
    # A backfill down to the first post is under way: set by a channel's first scrape (or
    # --full), so later runs carry it on within their page budget until the history is whole.
    backfilling: bool = False
    last_header_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def never_scraped(self) -> bool:
        return not self.covered and not self.known_empty

    @property
    def top(self) -> tuple[int, int] | None:
        return self.covered[0] if self.covered else None

    @property
    def highest_id(self) -> int | None:
        return self.covered[0][1] if self.covered else None

    @property
    def frontier_before(self) -> int | None:
        """Where the backfill resumes: ``?before=`` the low end of the newest covered range."""
        if not self.covered or self.history_complete:
            return None
        return self.covered[0][0]

    @property
    def history_complete(self) -> bool:
        if not self.covered:
            return self.known_empty
        return self.covered[0][0] <= 1

    def is_covered(self, message_id: int) -> bool:
        return any(low <= message_id <= high for low, high in self.covered)

    def cover(self, low: int, high: int) -> None:
        """Record that every post with an id in [low, high] has landed; merge touching ranges."""
        if high < low:
            return
        ranges = sorted([*self.covered, (low, high)])
        merged: list[tuple[int, int]] = []
        for start, end in ranges:
            if merged and start <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self.covered = sorted(merged, reverse=True)
        self.known_empty = False

    def to_json(self) -> dict:
        return {
            "version": STATE_VERSION,
            "channel": self.channel,
            # derived, for people and the command line; only the fields below are read back
            "highest_id": self.highest_id,
            "frontier_before": self.frontier_before,
            "history_complete": self.history_complete,
            "covered": [list(pair) for pair in self.covered],
            "known_empty": self.known_empty,
            "backfilling": self.backfilling and not self.history_complete,
            "last_header_at": _iso(self.last_header_at),
            "updated_at": _iso(self.updated_at),
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def load_state(path: Path, channel: str) -> ChannelState:
    """The saved state, or a fresh one; a damaged file is an error naming it, never ignored
    (ignoring it would silently re-crawl or, worse, trust a wrong frontier)."""
    if not path.exists():
        return ChannelState(channel=channel)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        covered = [(int(low), int(high)) for low, high in data.get("covered", [])]
        state = ChannelState(
            channel=data.get("channel") or channel,
            last_header_at=_moment(data.get("last_header_at")),
            updated_at=_moment(data.get("updated_at")),
        )
        known_empty = bool(data.get("known_empty", False))
        backfilling = bool(data.get("backfilling", False))
    except (OSError, ValueError, TypeError, AttributeError) as problem:
        raise ScrapeError(
            channel, f"crawl state {path} is unreadable ({problem}); move it aside to re-crawl"
        ) from None
    for low, high in covered:
        state.cover(low, high)
    state.known_empty = known_empty and not state.covered
    state.backfilling = backfilling and not state.history_complete
    return state


def save_state(path: Path, state: ChannelState) -> None:
    state.updated_at = datetime.now(UTC)
    write_text_atomic(path, json.dumps(state.to_json(), indent=2) + "\n")
