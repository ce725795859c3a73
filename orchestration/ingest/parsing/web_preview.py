"""Saved t.me/s/<channel> web-preview pages -> raw post, header and service records.

One pass over the direct children of each message bubble, dispatched on the element's first
class, so a post costs a handful of node visits rather than a dozen CSS searches.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from orchestration.ingest.parsing.common import (
    COUNT_OVERFLOW,
    INT64_MAX,
    Records,
    content_key,
    excerpt,
    out_of_int64,
    parse_count,
    reject,
    shown,
)

# <br> becomes this private-use character before parsing, so it survives whitespace collapsing
# (the saved pages are re-indented: source newlines are layout, only <br> is a line break).
BR_MARK = "\ue000"
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_DATA_POST_RE = re.compile(r"^([A-Za-z0-9_]+)/([0-9]+)$")
_TRAILING_COUNT_RE = re.compile(r"([0-9][0-9.,]*[KMB]?)\s*$")
_MESSAGE_ID_IN_URL_RE = re.compile(r"/([0-9]+)(?:[?#].*)?$")
_INT64_DIGITS = len(str(INT64_MAX))

# Deeply nested block elements cost the HTML parser quadratic time (each start tag looks down
# the stack of open elements: 100,000 nested divs took two minutes), and nested messages cost
# this parser quadratic time too (each one's text holds all the others'), so a page nesting
# block elements deeper than any real page does (t.me pages: about a dozen) is refused before
# it is parsed. Nesting is bounded by the number of "<", so a page with at most
# _SCAN_ABOVE_TAGS of them (one C-speed count, 30 us) is not scanned: even nested that deep
# it parses in under a second, and a page of 20 posts has 1,300-1,700. Larger pages (a long
# scroll saved whole) pay the scan, about a sixth of their parse.
MAX_BLOCK_DEPTH = 512
_SCAN_ABOVE_TAGS = 2000
_BLOCK_TAG_RE = re.compile(
    r"<(/?)(?:address|article|aside|blockquote|center|details|dialog|dir|div|dl|fieldset|"
    r"figcaption|figure|footer|form|h[1-6]|header|hgroup|listing|main|menu|nav|ol|pre|search|"
    r"section|summary|ul)(?![\w-])",
    re.IGNORECASE,
)
_DEPTH_STEP = {"": 1, "/": -1}
# A whole page ends with </html> (and a "page generated in" comment); a cut one does not.
_DOCUMENT_START_RE = re.compile(r"\s*(?:<!doctype|<html)\b", re.IGNORECASE)
_DOCUMENT_END_RE = re.compile(r"</html\s*>", re.IGNORECASE)
_TAIL_CHARS = 16 * 1024


class PageTooDeep(ValueError):
    """The page nests block elements deeper than MAX_BLOCK_DEPTH (a file-level problem)."""


class PageCutShort(ValueError):
    """The page was cut before its first post: nothing in it can be trusted whole."""


def check_depth(text: str) -> None:
    """Raise PageTooDeep when block elements nest deeper than MAX_BLOCK_DEPTH.

    A linear scan of the start and end tags; a stray end tag never takes the depth below zero,
    as the parser ignores it too (so closing tags first cannot hide the nesting after them).
    """
    if text.count("<") <= _SCAN_ABOVE_TAGS:
        return
    depth = 0
    for match in _BLOCK_TAG_RE.finditer(text):
        depth = max(depth + _DEPTH_STEP[match.group(1)], 0)
        if depth > MAX_BLOCK_DEPTH:
            raise PageTooDeep(
                f"HTML nested too deeply: more than {MAX_BLOCK_DEPTH} levels of block elements "
                f"(at character {match.start():,}); a t.me page nests about a dozen"
            )


def page_is_cut(text: str) -> bool:
    """Whether the page stops before its end: a document without its closing </html>, or a
    saved fragment (one post's markup) with divs left open."""
    if _DOCUMENT_START_RE.match(text):
        tail = max(0, len(text) - _TAIL_CHARS)
        if text.rfind("</html", tail) >= 0:  # the common case, without a regex
            return False
        return _DOCUMENT_END_RE.search(text, tail) is None
    return text.count("<div") > text.count("</div")


_SERVICE_ACTIONS = (
    ("pinned", "pin_message"),
    ("created", "create_channel"),
    ("photo", "edit_group_photo"),
    ("renamed", "edit_group_title"),
    ("name changed", "edit_group_title"),
    ("title", "edit_group_title"),
    ("video chat", "group_call"),
    ("live stream", "group_call"),
)


# Unicode spaces a browser keeps (it collapses only ASCII whitespace) but str.split() would eat:
# when present they are swapped for private-use stand-ins around the split, then put back.
_KEPT_SPACES = (
    "\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_KEPT_SPACE_RE = re.compile(f"[{_KEPT_SPACES}]")
_PROTECT = str.maketrans({c: chr(0xE100 + i) for i, c in enumerate(_KEPT_SPACES)})
_RESTORE = str.maketrans({chr(0xE100 + i): c for i, c in enumerate(_KEPT_SPACES)})


def rendered_text(raw: str | None) -> str | None:
    """Rendered text of a node: layout whitespace collapsed, <br> marks turned into newlines.

    split()/join() rather than a whitespace regex: several times faster on non-ASCII text.
    """
    if not raw:
        return None
    if not raw.isascii() and _KEPT_SPACE_RE.search(raw):
        text = " ".join(raw.translate(_PROTECT).split()).translate(_RESTORE)
    else:
        text = " ".join(raw.split())
    if BR_MARK in text:
        text = text.replace(" " + BR_MARK, BR_MARK).replace(BR_MARK + " ", BR_MARK)
        text = text.replace(BR_MARK, "\n").strip("\n")
    return text or None


def _node_text(node: LexborNode | None) -> str | None:
    return rendered_text(node.text(deep=True)) if node is not None else None


def _first_class(node: LexborNode) -> str:
    classes = node.attrs.get("class")
    return classes.split(None, 1)[0] if classes else ""


def _find(node: LexborNode, wanted: frozenset[str]) -> dict[str, LexborNode]:
    """First descendant for each wanted first-class, in one walk (cheaper than CSS per field)."""
    found: dict[str, LexborNode] = {}
    for sub in node.traverse():
        classes = sub.attrs.get("class")
        if classes:
            first = classes.split(None, 1)[0]
            if first in wanted and first not in found:
                found[first] = sub
    return found


def _find_one(node: LexborNode, wanted: str) -> LexborNode | None:
    for sub in node.traverse():
        if _first_class(sub) == wanted:
            return sub
    return None


def _absolute_url(href: str | None) -> str | None:
    if not href:
        return None
    if href.startswith(("https://", "http://")):
        return href
    if href.startswith("//"):
        return "https:" + href
    return None


def _utc(value: str | None) -> datetime | None:
    """ISO time from a time[datetime] attribute, as UTC; raises ValueError when malformed."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # an offset time at the very ends of year 1 or 9999
        raise ValueError(f"time out of range: {shown(value)}") from None


def video_kind(player: LexborNode) -> str:
    """A video player is a plain video, a GIF (looping, muted) or one too big for the preview."""
    for sub in player.traverse():
        if sub.tag == "video":
            attrs = sub.attrs
            return "gif" if ("loop" in attrs or "autoplay" in attrs) else "video"
        if _first_class(sub) == "message_media_not_supported_label":
            if "too big" in (sub.text() or "").lower():
                return "video_too_big"
    return "video"


def _document_kind(document: LexborNode) -> str:
    icon = _find_one(document, "tgme_widget_message_document_icon")
    if icon is not None and "audio" in (icon.attrs.get("class") or "").split():
        return "audio"
    return "document"


# first class of a media element -> function giving its kind
_MEDIA_ELEMENTS = {
    "tgme_widget_message_photo_wrap": lambda node: "photo",
    "tgme_widget_message_video_player": video_kind,
    "tgme_widget_message_roundvideo_player": lambda node: "round_video",
    "tgme_widget_message_voice_player": lambda node: "voice",
    "tgme_widget_message_document_wrap": _document_kind,
    "tgme_widget_message_sticker_wrap": lambda node: "sticker",
    "tgme_widget_message_videosticker_wrap": lambda node: "sticker",
    "tgme_widget_message_location_wrap": lambda node: "location",
    "tgme_widget_message_contact_wrap": lambda node: "contact",
}


def media_kinds_of(node: LexborNode) -> list[str]:
    """Kinds of the media items a single media element (or album) holds, one entry per item."""
    first = _first_class(node)
    if first == "tgme_widget_message_grouped_wrap":
        kinds = []
        for item in node.traverse():
            classes = item.attrs.get("class") or ""
            if "grouped_media_wrap" in classes.split():
                classify = _MEDIA_ELEMENTS.get(classes.split(None, 1)[0])
                kinds.append(classify(item) if classify else "unsupported")
        return kinds
    if first == "tgme_widget_message_poll":
        return ["poll"]
    classify = _MEDIA_ELEMENTS.get(first)
    return [classify(node)] if classify else []


def _distinct(kinds: list[str]) -> list[str]:
    return list(dict.fromkeys(kinds))


def _service_action(text: str | None) -> str:
    lowered = (text or "").lower()
    for needle, action in _SERVICE_ACTIONS:
        if needle in lowered:
            return action
    return "other"


class _Post:
    """Fields gathered while walking one bubble."""

    __slots__ = (
        "channel_title",
        "text",
        "links",
        "forwarded_from",
        "forwarded_from_link",
        "reply_to_message_id",
        "reply_to_text",
        "media",
        "extra_kinds",
        "visible_unsupported",
        "poll_question",
        "views",
        "published_at",
        "is_edited",
        "author",
        "reactions_total",
    )

    def __init__(self) -> None:
        self.channel_title = self.text = self.forwarded_from = self.forwarded_from_link = None
        self.reply_to_message_id = self.reply_to_text = self.poll_question = None
        self.views = self.published_at = self.author = self.reactions_total = None
        self.links: list[str] = []
        self.media: list[str] = []  # one entry per counted item
        self.extra_kinds: list[str] = []  # kinds that are not items (link previews)
        self.visible_unsupported = False
        self.is_edited = False


_FOOTER_PARTS = frozenset(
    {
        "tgme_widget_message_views",
        "time",
        "tgme_widget_message_meta",
        "tgme_widget_message_from_author",
        "tgme_widget_message_reactions",
    }
)
_REPLY_PARTS = frozenset({"tgme_widget_message_text", "tgme_widget_message_metatext"})
_REACTION = "tgme_reaction"


def _read_footer(footer: LexborNode, post: _Post) -> None:
    parts = _find(footer, _FOOTER_PARTS)
    if (views := parts.get("tgme_widget_message_views")) is not None:
        post.views = parse_count(views.text())
    if (time := parts.get("time")) is not None:
        post.published_at = _utc(time.attrs.get("datetime"))
    if (author := parts.get("tgme_widget_message_from_author")) is not None:
        post.author = _node_text(author)
    if (meta := parts.get("tgme_widget_message_meta")) is not None:
        post.is_edited = "edited" in (meta.text(deep=False) or "")
    if (reactions := parts.get("tgme_widget_message_reactions")) is not None:
        _read_reactions(reactions, post)


def _read_reactions(reactions: LexborNode, post: _Post) -> None:
    total = 0
    for reaction in reactions.traverse():
        if _first_class(reaction) == _REACTION:
            match = _TRAILING_COUNT_RE.search(reaction.text(deep=True) or "")
            total += (parse_count(match.group(1)) if match else None) or 0
    post.reactions_total = total


def _read_reply(reply: LexborNode, post: _Post) -> None:
    match = _MESSAGE_ID_IN_URL_RE.search(reply.attrs.get("href") or "")
    if match:
        post.reply_to_message_id = _message_id(match.group(1), "reply_to_message_id")
    parts = _find(reply, _REPLY_PARTS)
    quoted = parts.get("tgme_widget_message_text") or parts.get("tgme_widget_message_metatext")
    post.reply_to_text = _node_text(quoted)


def _read_text(node: LexborNode, post: _Post) -> None:
    post.text = _node_text(node)
    for sub in node.traverse():
        if sub.tag == "a":
            url = _absolute_url(sub.attrs.get("href"))
            if url:
                post.links.append(url)


def _read_bubble(bubble: LexborNode, post: _Post, title_known: bool = False) -> None:
    for child in bubble.iter():
        first = _first_class(child)
        if first == "tgme_widget_message_text":
            if post.text is None:
                _read_text(child, post)
        elif first == "tgme_widget_message_footer":
            _read_footer(child, post)
        elif first == "tgme_widget_message_author" and not title_known:
            post.channel_title = _node_text(_find_one(child, "tgme_widget_message_owner_name"))
        elif first == "tgme_widget_message_forwarded_from":
            name = _find_one(child, "tgme_widget_message_forwarded_from_name")
            post.forwarded_from = _node_text(name)
            if name is not None:
                post.forwarded_from_link = _absolute_url(name.attrs.get("href"))
        elif first == "tgme_widget_message_reply":
            _read_reply(child, post)
        elif first == "tgme_widget_message_link_preview":
            post.extra_kinds.append("link_preview")
        elif first == "tgme_widget_message_poll":
            post.media.append("poll")
            question = _find_one(child, "tgme_widget_message_poll_question")
            post.poll_question = _node_text(question)
        elif first == "tgme_widget_message_reactions":
            _read_reactions(child, post)
        elif first == "message_media_not_supported_wrap":
            # the ".media_not_supported_cont" variant is a fallback the page keeps hidden
            if "media_not_supported_cont" not in (child.attrs.get("class") or ""):
                post.visible_unsupported = True
        elif first in _MEDIA_ELEMENTS or first == "tgme_widget_message_grouped_wrap":
            post.media.extend(media_kinds_of(child))


def _message_id(digits: str, name: str = "message id") -> int:
    """An id from its digits; ValueError beyond 64 bits (int() of thousands of digits would
    raise a less helpful one, and a frame cannot hold more than 64)."""
    if len(digits.lstrip("0")) > _INT64_DIGITS or int(digits) > INT64_MAX:
        raise ValueError(f"{name} out of range (beyond 64 bits): {shown(digits)}")
    return int(digits)


def _counter_problem(post: _Post) -> str | None:
    """Why the post's counters cannot be stored, or None."""
    for name, value in (("views", post.views), ("reactions_total", post.reactions_total)):
        if out_of_int64(value):
            described = "more than 19 digits" if value is COUNT_OVERFLOW else shown(value)
            return f"{name} out of range (beyond 64 bits): {described}"
    return None


def _bubble_of(message: LexborNode) -> LexborNode:
    for child in message.iter():
        if _first_class(child) == "tgme_widget_message_bubble":
            return child
    return message


_HEADER_SELECTOR = (
    ".tgme_channel_info_header_username, .tgme_channel_info_header_title, "
    ".tgme_channel_info_description, .counter_value, .counter_type"
)


def _parse_header(tree: LexborHTMLParser) -> dict | None:
    """The channel header: title, username, description and the counters (value, type pairs)."""
    info = tree.css_first(".tgme_channel_info")
    if info is None:
        return None
    parts: dict[str, LexborNode] = {}
    values: list[LexborNode] = []
    types: list[LexborNode] = []
    for node in info.css(_HEADER_SELECTOR):
        first = _first_class(node)
        if first == "counter_value":
            values.append(node)
        elif first == "counter_type":
            types.append(node)
        else:
            parts.setdefault(first, node)
    username = _node_text(parts.get("tgme_channel_info_header_username"))
    header = {
        "channel": username.lstrip("@") if username else None,
        "title": _node_text(parts.get("tgme_channel_info_header_title")),
        "description": _node_text(parts.get("tgme_channel_info_description")),
    }
    for value, kind in zip(values, types, strict=False):
        column = _COUNTER_COLUMNS.get((_node_text(kind) or "").lower())
        if column:
            header[column] = parse_count(_node_text(value))
    return header


_COUNTER_COLUMNS = {
    "subscriber": "subscribers",
    "subscribers": "subscribers",
    "member": "subscribers",
    "members": "subscribers",
    "photo": "photos",
    "photos": "photos",
    "video": "videos",
    "videos": "videos",
    "file": "files",
    "files": "files",
    "link": "links",
    "links": "links",
}


def _page_channel(tree: LexborHTMLParser) -> str | None:
    """The page's own username when the header lacks it (t.me/s pages carry it in tgme_main)."""
    main = tree.css_first("main.tgme_main")
    url = (main.attrs.get("data-url") or "") if main is not None else ""
    return url.strip("/") or None


def parse_web_preview(
    text: str, channel: str | None, observed_at: datetime, cut: bool = False
) -> tuple[Records, bool]:
    """Parse one page. Returns the records and whether the page had any post or header at all.

    `cut`: the file ended inside a character, so it was cut short whatever its markup says. A
    cut page keeps the posts it holds whole; the post the cut went through becomes a reject,
    and a reject row (with a warning) says after which post the page stops. Raises PageTooDeep
    for absurd nesting and PageCutShort for a page cut before its first post.
    """
    check_depth(text)
    cut = cut or page_is_cut(text)
    tree = LexborHTMLParser(_BR_RE.sub(BR_MARK, text))
    records = Records.empty()
    header = _parse_header(tree)
    messages = tree.css("div.tgme_widget_message")
    # every post's owner name repeats the header title: read it only when there is no header
    title_known = bool(header and header.get("title"))
    names: list[str] = []  # each message's data-post, for saying where a cut page stops

    for position, message in enumerate(messages):
        data_post = message.attrs.get("data-post") or ""
        names.append(data_post.strip())
        match = _DATA_POST_RE.match(data_post.strip())
        if match is None:
            reason = f"message without a valid data-post (got {shown(data_post)})"
            records.rejects.append(reject(position, reason, message.html or ""))
            continue
        post_channel = channel or match.group(1)
        try:
            message_id = _message_id(match.group(2))
        except ValueError as problem:
            records.rejects.append(reject(position, str(problem), message.html or ""))
            continue
        post = _Post()
        try:
            _read_bubble(_bubble_of(message), post, title_known)
        except ValueError as problem:  # malformed datetime, an id beyond 64 bits and the like
            records.rejects.append(
                reject(position, f"unreadable post: {problem}", message.html or "")
            )
            continue

        if "service_message" in (message.attrs.get("class") or "").split():
            records.service.append(
                {
                    "source_position": position,
                    "channel": post_channel,
                    "message_id": message_id,
                    "published_at": post.published_at,
                    "action": _service_action(post.text),
                    "actor": None,
                    "text": post.text,
                }
            )
            continue

        if (problem := _counter_problem(post)) is not None:
            records.rejects.append(reject(position, problem, message.html or ""))
            continue
        kinds = _distinct(post.media)
        if post.visible_unsupported and not post.media:
            kinds.append("unsupported")
        kinds.extend(post.extra_kinds)
        records.posts.append(
            {
                "source_position": position,
                "channel": post_channel,
                "channel_title": post.channel_title or (header or {}).get("title"),
                "message_id": message_id,
                "content_key": content_key(post_channel, post.text),
                "published_at": post.published_at,
                "edited_at": None,
                "is_edited": post.is_edited,
                "text": post.text,
                "author": post.author,
                "views": post.views,
                "forwarded_from": post.forwarded_from,
                "forwarded_from_link": post.forwarded_from_link,
                "reply_to_message_id": post.reply_to_message_id,
                "reply_to_text": post.reply_to_text,
                "media_kinds": kinds,
                "media_count": len(post.media)
                + (1 if post.visible_unsupported and not post.media else 0),
                "links": post.links,
                "poll_question": post.poll_question,
                "reactions_total": post.reactions_total,
            }
        )

    if cut:
        if not messages:
            raise PageCutShort(
                "file truncated before its first post (the channel header, perhaps cut "
                "too, is all it holds)"
            )
        _mark_cut(records, names, text, len(messages))

    if header is not None:
        header["channel"] = (
            channel
            or header["channel"]
            or _page_channel(tree)
            or (records.posts[0]["channel"] if records.posts else None)
        )
        header["observed_at"] = observed_at
        records.headers.append(header)

    found_anything = bool(messages) or header is not None
    return records, found_anything


def _mark_cut(records: Records, names: list[str], text: str, count: int) -> None:
    """Say where a cut page stops: the last message, when the cut went through it (it has no
    time: its footer, which follows the text and media, never arrived), becomes a reject;
    otherwise a reject row after the last message says that whatever followed is missing."""
    last = count - 1
    for rows in (records.posts, records.service):
        if rows and rows[-1]["source_position"] == last and rows[-1]["published_at"] is None:
            cut_row = rows.pop()
            before = f"after post {names[last - 1]}" if last else "inside its first post"
            reason = f"file truncated {before}: post {names[last]} is cut off and not kept"
            records.rejects.append(reject(last, reason, cut_row.get("text") or ""))
            records.warnings.append(
                f"{reason}; {last} message(s) before it were read, any after it are missing"
            )
            return
    reason = f"file truncated after post {names[last]}: whatever followed it is missing"
    records.rejects.append(
        {"source_position": count, "reason": reason, "excerpt": excerpt(text[-200:])}
    )
    records.warnings.append(f"{reason} ({count} message(s) read)")
