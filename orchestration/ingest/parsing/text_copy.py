"""Text copied from a web-preview page (select all, copy) -> raw post and header records.

How such a copy is laid out (studied on the MFA copy in shared/data/real/text_copy):

* Header: an optional page-title line "X – Telegram", the title, counter lines ("52.9K
  subscribers", "16.3K photos", ...), description lines, then "Download Telegram".
* Every element of a message bubble lands on its own line, in bubble order: "Forwarded from X",
  the reply quote (replied-to author, then one line with the start of that post, often ending
  in "…"), media labels ("This media is not supported in your browser" / "Media is too big",
  each followed by "VIEW IN TELEGRAM"), then the post's text. So media labels belong to the
  post whose text FOLLOWS them.
* Inside a post, paragraphs are separated by blank lines (<br><br>). Between posts there is NO
  blank line: the next post starts on the very next line. Views/time footers ("52.9K views
  14:03") and day separators ("May 10") end a post when the copy kept them; this copy has none.

So a post ends at a structural line (forward header, reply quote, a media label after text, a
footer, a day separator) or at a single-newline step between two text lines that reads as a
post boundary: the previous line is a hashtag line (posts end with their hashtags), or the next
line opens with an emoji or flag (as the channel's posts do) while the previous line does not
announce a continuation (":" or ",") and the two are not items of one emoji-bulleted list.
Any other single-newline step stays inside the post (a <br> line break).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from orchestration.ingest.parsing.common import (
    Records,
    channel_for_title,
    content_key,
    parse_count,
    reject,
)

MEDIA_LABELS = {
    "this media is not supported in your browser": "unsupported",
    "media is too big": "video_too_big",
    "please open telegram to view this post": "unsupported",
}
VIEW_IN_TELEGRAM = "view in telegram"
HEADER_END_LINES = {"download telegram"}

_PAGE_TITLE_RE = re.compile(r"^(?P<title>.+?)\s+[–—-]\s+Telegram$")
_COUNTER_RE = re.compile(
    r"^(?P<value>[0-9][0-9.,]*\s?[KMB]?)\s+"
    r"(?P<kind>subscribers?|members?|photos?|videos?|files?|links?)$",
    re.IGNORECASE,
)
_COUNTER_COLUMNS = {
    "subscriber": "subscribers",
    "member": "subscribers",
    "photo": "photos",
    "video": "videos",
    "file": "files",
    "link": "links",
}
_FORWARDED_RE = re.compile(r"^Forwarded from\s+(?P<name>.+)$")
_FOOTER_RE = re.compile(
    r"^(?:(?P<views>[0-9][0-9.,]*[KMB]?)\s*views?)?\s*(?P<edited>edited)?\s*,?\s*"
    r"(?P<time>[0-9]{1,2}:[0-9]{2}(?:\s?[AP]M)?)?$",
    re.IGNORECASE,
)
_DAY_SEPARATOR_RE = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December) [0-9]{1,2}(?:, [0-9]{4})?$"
)
_HASHTAG_LINE_RE = re.compile(r"^#\w+(?:[\s,]+#\w+)*$")
_ELLIPSIS = ("…", "...")
# a line ending like this announces more of the same post (a list, a quote)
_CONTINUES = (":", ",", ";", "–", "—", "-")
# shortest quote (after normalising) accepted as the start of an earlier post
_MIN_QUOTE_CHARS = 12
_MAX_REPLY_AUTHOR_CHARS = 80


def _squash(line: str) -> str:
    """Whitespace-insensitive form (NBSP included) used only for matching, never stored."""
    return " ".join(line.split())


def _is_symbol(char: str) -> bool:
    return unicodedata.category(char) == "So"


def _lead(line: str) -> str:
    """The line's leading symbol (an emoji, or a flag's two regional indicators), else ""."""
    stripped = line.lstrip()
    if not stripped or not _is_symbol(stripped[0]):
        return ""
    if 0x1F1E6 <= ord(stripped[0]) <= 0x1F1FF:
        return "flag"
    return stripped[0]


def is_post_boundary(previous: str, line: str) -> bool:
    """Whether `line`, on the line right after `previous` (no blank between), opens a new post."""
    previous = previous.strip()
    if _HASHTAG_LINE_RE.match(previous):
        return True
    lead = _lead(line)
    if not lead or lead == _lead(previous):  # no emoji, or the next item of an emoji list
        return False
    return not previous.endswith(_CONTINUES)


@dataclass
class _Draft:
    forwarded_from: str | None = None
    reply_to_text: str | None = None
    media: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    views: int | None = None
    is_edited: bool = False

    def has_text(self) -> bool:
        return bool(self.lines)

    def is_empty(self) -> bool:
        return not (self.lines or self.media or self.forwarded_from or self.reply_to_text)

    def text(self) -> str | None:
        while self.lines and not self.lines[-1].strip():
            self.lines.pop()
        return "\n".join(self.lines) or None


@dataclass
class _Header:
    title: str | None = None
    description: str | None = None
    counters: dict = field(default_factory=dict)
    body_start: int = 0


def parse_header(lines: list[str]) -> _Header:
    """Find the channel header at the top; body_start is the first line after it."""
    header = _Header()
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    page_title = None
    if index < len(lines) and (match := _PAGE_TITLE_RE.match(lines[index].strip())):
        page_title = match.group("title").strip()
        index += 1

    counter_lines = [
        i for i in range(index, min(index + 12, len(lines))) if _COUNTER_RE.match(lines[i].strip())
    ]
    if not counter_lines and page_title is None:
        return header  # no header: the copy starts with posts
    if counter_lines:
        before = [i for i in range(index, counter_lines[0]) if lines[i].strip()]
        header.title = lines[before[-1]].strip() if before else page_title
        index = counter_lines[0]
        while index < len(lines):
            stripped = lines[index].strip()
            if match := _COUNTER_RE.match(stripped):
                kind = match.group("kind").lower().rstrip("s")
                header.counters[_COUNTER_COLUMNS[kind]] = parse_count(match.group("value"))
            elif stripped:
                break
            index += 1
    else:
        header.title = page_title
    header.body_start = index

    end = next(
        (i for i in range(index, len(lines)) if lines[i].strip().lower() in HEADER_END_LINES),
        None,
    )
    if end is not None:
        header.description = "\n".join(lines[index:end]).strip() or None
        header.body_start = end + 1
    return header


class _Splitter:
    """Walks the body lines once, closing a draft whenever a post boundary shows up."""

    def __init__(self, lines: list[str], title: str | None):
        self.lines = lines
        self.title = _squash(title) if title else None
        self.posts: list[_Draft] = []
        # earlier posts' text, squashed, by their first characters: for reply-quote matching
        self.earlier_texts: dict[str, list[str]] = {}
        self.draft = _Draft()

    def close(self) -> None:
        if not self.draft.is_empty():
            self.posts.append(self.draft)
            flat = _squash(self.draft.text() or "")
            self.earlier_texts.setdefault(flat[:_MIN_QUOTE_CHARS], []).append(flat)
        self.draft = _Draft()

    def _quotes_earlier_post(self, line: str) -> bool:
        quote = _squash(line)
        for ellipsis in _ELLIPSIS:
            quote = quote.removesuffix(ellipsis).rstrip()
        if len(quote) < _MIN_QUOTE_CHARS:
            return False
        candidates = self.earlier_texts.get(quote[:_MIN_QUOTE_CHARS], ())
        return any(flat.startswith(quote) for flat in candidates)

    def reply_quote_at(self, index: int) -> tuple[str, int] | None:
        """(quoted text, lines it spans) when a reply quote starts at `index`."""
        line = self.lines[index].strip()
        following = self.lines[index + 1].strip() if index + 1 < len(self.lines) else ""
        if following and len(line) <= _MAX_REPLY_AUTHOR_CHARS and not _classify(following):
            # author line + quote line
            by_channel = self.title is not None and _squash(line) == self.title
            if (by_channel and following.endswith(_ELLIPSIS)) or self._quotes_earlier_post(
                following
            ):
                return following, 2
        if line.endswith(_ELLIPSIS) and self._quotes_earlier_post(line):
            return line, 1
        return None

    def split(self) -> list[_Draft]:
        index = 0
        previous_structural = None
        while index < len(self.lines):
            raw = self.lines[index]
            line = raw.strip()
            kind, value = _classify(line) or (None, None)
            if not line:
                if self.draft.has_text():
                    self.draft.lines.append("")
                previous_structural = None
            elif kind == "view_in_telegram":
                if previous_structural != "media":  # a bare link: some media we cannot name
                    self._media("unsupported")
                previous_structural = None
            elif kind == "media":
                self._media(value)
                previous_structural = "media"
            elif kind == "forwarded":
                self.close()
                self.draft.forwarded_from = value
                previous_structural = "forwarded"
            elif kind == "footer":
                match = _FOOTER_RE.match(line)
                self.draft.views = parse_count(match.group("views"))
                self.draft.is_edited = bool(match.group("edited"))
                self.close()
                previous_structural = None
            elif kind == "day":
                self.close()
                previous_structural = None
            elif (reply := self.reply_quote_at(index)) is not None:
                quoted, span = reply
                if not (self.draft.is_empty() or previous_structural == "forwarded"):
                    self.close()
                self.draft.reply_to_text = quoted
                index += span
                previous_structural = "reply"
                continue
            else:
                last = self.draft.lines[-1] if self.draft.lines else ""
                if last.strip() and is_post_boundary(last, line):
                    self.close()
                self.draft.lines.append(raw.rstrip())
                previous_structural = None
            index += 1
        self.close()
        return self.posts

    def _media(self, kind: str) -> None:
        if self.draft.has_text():  # media sit above the text in a bubble: this is a new post
            self.close()
        self.draft.media.append(kind)


def _classify(line: str) -> tuple[str, str | None] | None:
    """Structural lines of the copy, or None for a line of post text."""
    squashed = _squash(line)
    lowered = squashed.lower()
    if lowered in MEDIA_LABELS:
        return "media", MEDIA_LABELS[lowered]
    if lowered == VIEW_IN_TELEGRAM:
        return "view_in_telegram", None
    if match := _FORWARDED_RE.match(squashed):
        return "forwarded", match.group("name").strip()
    if line and _FOOTER_RE.match(line) and any(ch.isdigit() for ch in line):
        return "footer", None
    if _DAY_SEPARATOR_RE.match(line):
        return "day", None
    return None


class NoChannelName(ValueError):
    """The copy has no header title and no channel was given: its posts could not be keyed."""


class CopyCutShort(ValueError):
    """The copy was cut before its first post ended: nothing in it can be trusted whole."""


def parse_text_copy(
    text: str, channel: str | None, observed_at: datetime, cut: bool = False
) -> Records:
    """Posts and the header of one copy.

    `cut`: the file ended inside a character, so it was cut short and its last post is cut
    off: that post becomes a reject, and the warning says after which post the copy stops. (A
    copy cut between two characters cannot be told from a whole one: it has no closing line.)
    """
    lines = text.splitlines()
    header = parse_header(lines)
    channel = channel or channel_for_title(header.title)
    if not channel:
        raise NoChannelName("no channel title in the copy's header; pass a channel name")
    records = Records.empty()
    if header.title is not None:
        records.headers.append(
            {
                "channel": channel,
                "title": header.title,
                "description": header.description,
                **header.counters,
                "observed_at": observed_at,
            }
        )
    drafts = _Splitter(lines[header.body_start :], header.title).split()
    if cut:
        if not drafts:
            raise CopyCutShort("file truncated before its first post (cut inside a character)")
        cut_draft = drafts.pop()
        kept = len(drafts)
        reason = (
            f"file truncated after post {kept} of the copy: post {kept + 1} is cut off "
            "(inside a character) and not kept"
            if kept
            else "file truncated inside its first post (cut inside a character): not kept"
        )
        records.rejects.append(reject(kept, reason, cut_draft.text() or ""))
        records.warnings.append(f"{reason}; anything after it is missing")
    for position, draft in enumerate(drafts):
        post_text = draft.text()
        records.posts.append(
            {
                "source_position": position,
                "channel": channel,
                "channel_title": header.title,
                "message_id": None,
                "content_key": content_key(channel, post_text),
                "published_at": None,
                "edited_at": None,
                "is_edited": draft.is_edited,
                "text": post_text,
                "views": draft.views,
                "forwarded_from": draft.forwarded_from,
                "reply_to_text": draft.reply_to_text,
                "media_kinds": list(dict.fromkeys(draft.media)),
                "media_count": len(draft.media),
                "links": [],
            }
        )
    return records
