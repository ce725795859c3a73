"""What the crawler needs to know about one fetched page before trusting it.

The full parse into records is the raw store's job (orchestration.ingest.parsing); this is a quick
look at the page's shape: which message ids it holds, how old its oldest post is, whether it
points to older posts, and whether the document arrived whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from selectolax.lexbor import LexborHTMLParser

_DATA_POST_RE = re.compile(r"^([A-Za-z0-9_]+)/([0-9]+)$")
_BEFORE_RE = re.compile(r"[?&]before=([0-9]+)")
# A served page ends with </html> (and a "page generated in" comment): a cut transfer does not.
_DOCUMENT_END_RE = re.compile(r"</html\s*>", re.IGNORECASE)
_TAIL_CHARS = 4096


@dataclass(frozen=True)
class PageSummary:
    message_ids: tuple[int, ...]  # posts and service messages, as data-post gives them
    service_ids: frozenset[int]  # the ones that are service messages (pins, title changes)
    post_channels: frozenset[str]  # channel part of each data-post, lower-cased
    oldest_published_at: datetime | None
    has_header: bool  # the tgme_channel_info block a channel's preview always shows
    header_channel: str | None  # the @username the header names, as written (None: none)
    channel_spelling: str | None  # the page's own spelling of its channel (posts, else header)
    older_before: int | None  # the "load more" link's before=; None at the start of history
    is_whole_document: bool

    @property
    def lowest_id(self) -> int | None:
        return min(self.message_ids) if self.message_ids else None

    @property
    def highest_id(self) -> int | None:
        return max(self.message_ids) if self.message_ids else None


def _utc(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _older_before(tree: LexborHTMLParser) -> int | None:
    """The before= of the link to older posts: the "load more" anchor, else <link rel=prev>.

    Pages in the middle of history also carry a data-after link to newer posts; it is ignored.
    """
    more = tree.css_first("a.tme_messages_more[data-before]")
    if more is not None:
        value = (more.attrs.get("data-before") or "").strip()
        if value.isdigit():
            return int(value)
    for link in tree.css("link[rel=prev]"):
        match = _BEFORE_RE.search(link.attrs.get("href") or "")
        if match:
            return int(match.group(1))
    return None


def _header_channel(tree: LexborHTMLParser) -> str | None:
    """The username in the header (``@name``), exactly as written, whatever it holds."""
    node = tree.css_first(".tgme_channel_info .tgme_channel_info_header_username")
    if node is None:
        return None
    text = (node.text(deep=True) or "").strip().removeprefix("@").strip()
    return text or None


def summarize_page(html: str) -> PageSummary:
    tree = LexborHTMLParser(html)
    ids: list[int] = []
    service: set[int] = set()
    channels: set[str] = set()
    spelling: str | None = None
    oldest: datetime | None = None
    for message in tree.css("div.tgme_widget_message[data-post]"):
        match = _DATA_POST_RE.match((message.attrs.get("data-post") or "").strip())
        if match is None:
            continue  # the parser rejects it with a reason; it says nothing about paging
        spelling = spelling or match.group(1)
        channels.add(match.group(1).lower())
        ids.append(int(match.group(2)))
        if "service_message" in (message.attrs.get("class") or "").split():
            service.add(ids[-1])
        time = message.css_first(".tgme_widget_message_date time[datetime]") or message.css_first(
            "time[datetime]"
        )
        published = _utc(time.attrs.get("datetime")) if time is not None else None
        if published is not None and (oldest is None or published < oldest):
            oldest = published
    has_header = tree.css_first(".tgme_channel_info") is not None
    header_channel = _header_channel(tree) if has_header else None
    return PageSummary(
        message_ids=tuple(ids),
        service_ids=frozenset(service),
        post_channels=frozenset(channels),
        oldest_published_at=oldest,
        has_header=has_header,
        header_channel=header_channel,
        channel_spelling=spelling or header_channel,
        older_before=_older_before(tree),
        is_whole_document=bool(_DOCUMENT_END_RE.search(html[-_TAIL_CHARS:])),
    )
