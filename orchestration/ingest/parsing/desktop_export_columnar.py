"""Fast path for Telegram Desktop exports: orjson + one tight loop into columns + Polars.

Same frames as the per-message reference reader (desktop_export.parse_desktop_export_reference),
several times faster. What made the reference slow (profile of a 50k-message, 161 MB export):
decoding the whole file to str before parsing it, json.loads with the garbage collector
rescanning millions of fresh containers, a dict per row turned into a frame row by row
(list columns cost Polars ~6 us a row that way), and a datetime object per timestamp. Here
orjson parses the bytes with the collector paused, rows go into per-column lists, list columns
are built from flat values, and times, flags and counts are computed column-wise.

Anything unusual (a value of an unexpected type, an ISO date without its unix twin, a reject)
is not handled here: the message goes to the reference reader, read from the same bytes with
json.loads, so reject reasons and excerpts stay exactly the reference's. Anything file-level
(not UTF-8, invalid JSON, not an export) returns None and the caller takes the reference
path, which raises the precise error. So does a lone surrogate escape ("\\ud800") anywhere in
the file: orjson refuses the whole document, and the reference reader (json.loads, then
desktop_export.storable_text) keeps the text with U+FFFD in its place.
"""

from __future__ import annotations

import gc
import hashlib
from datetime import datetime

import orjson
import polars as pl

from orchestration.ingest.parsing.common import (
    ParsedFile,
    Records,
    to_parsed_file,
)
from orchestration.ingest.parsing.desktop_export import (
    INT64_MAX,
    INT64_MIN,
    Chat,
    MalformedMessage,
    NotAnExport,
    TooDeep,
    _chats,
    _media,
    _poll_question,
    chat_reject,
    load_export_json,
    message_reject,
    read_message,
)
from orchestration.schemas import (
    RAW_POST_SCHEMA,
    RAW_SERVICE_SCHEMA,
    REACTIONS,
    UTC_TIME,
    conform,
)

SOURCE_FORMAT = "desktop_export"
BOM = b"\xef\xbb\xbf"
JSON_SPACE = b" \t\n\r"
# datetime.fromtimestamp's range: larger or negative unix times go to the reference reader
_MAX_UNIX = 253_402_300_799


class Unusual(Exception):
    """A message the fast loop does not vouch for; the reference reader decides about it."""


def _unix(value: object) -> int:
    """A unix time the reference would read the same way (int(value)), else Unusual."""
    if type(value) is str:
        if not (value.isascii() and value.isdigit() and len(value) <= 12):
            raise Unusual
        value = int(value)
    elif type(value) is not int:
        raise Unusual
    if not 0 <= value <= _MAX_UNIX:
        raise Unusual
    return value


def _text(value: object) -> tuple[str, list[str]]:
    """desktop_export.flatten_text for the shapes exports have; anything else is Unusual."""
    if type(value) is str:
        return value, []
    if type(value) is not list:
        raise Unusual
    parts: list[str] = []
    links: list[str] = []
    for item in value:
        if type(item) is str:
            parts.append(item)
            continue
        if type(item) is not dict:
            raise Unusual
        entity_text = item.get("text")
        if type(entity_text) is not str:
            raise Unusual
        parts.append(entity_text)
        kind = item.get("type")
        if kind == "text_link":
            href = item.get("href")
            if type(href) is str:
                links.append(href)
        elif kind == "link":
            links.append(entity_text)
    return "".join(parts), links


def _optional_str(message: dict, key: str) -> str | None:
    value = message.get(key)
    if value is None or type(value) is str:
        return value
    raise Unusual


def _reactions_total(reactions: object) -> int | None:
    if reactions is None:
        return None
    if type(reactions) is not list:
        raise Unusual
    total = 0
    for reaction in reactions:
        if type(reaction) is dict:
            count = reaction.get("count")
            if type(count) is int:
                total += count
            elif type(count) is float:
                raise Unusual  # orjson reads integers past 64 bits as floats; json does not
    if not INT64_MIN <= total <= INT64_MAX:
        raise Unusual
    return total


class Columns:
    """Per-column lists of the posts and service messages the fast loop accepted."""

    def __init__(self) -> None:
        self.post_position: list[int] = []
        self.post_channel: list[str | None] = []
        self.post_title: list[str | None] = []
        self.post_id: list[int] = []
        self.post_published: list[int] = []
        self.post_edited: list[int | None] = []
        self.post_text: list[str | None] = []
        self.post_author: list[str | None] = []
        self.post_forwarded: list[str | None] = []
        self.post_reply_to: list[int | None] = []
        # list columns as flat values and the row each belongs to: Polars builds those in
        # milliseconds, a list of Python lists costs it ~6 us a row
        self.media_rows: list[int] = []
        self.media_values: list[str] = []
        self.link_rows: list[int] = []
        self.link_values: list[str] = []
        self.post_poll: list[str | None] = []
        self.post_reactions: list[int | None] = []
        self.service_position: list[int] = []
        self.service_channel: list[str | None] = []
        self.service_id: list[int] = []
        self.service_published: list[int] = []
        self.service_action: list[str | None] = []
        self.service_actor: list[str | None] = []
        self.service_text: list[str | None] = []


def read_fast(message: object, chat: Chat, position: int, columns: Columns) -> None:
    """desktop_export.read_message into columns; raises Unusual rather than deciding odd cases.

    Every value is computed before anything is appended, so a raise leaves no partial row.
    """
    if type(message) is not dict:
        raise Unusual
    message_id = message.get("id")
    kind = message.get("type")
    if type(message_id) is not int or type(kind) is not str:
        raise Unusual
    # orjson reads 2**63..2**64-1 as int (beyond that, a float): Int64 cannot hold them
    if not INT64_MIN <= message_id <= INT64_MAX:
        raise Unusual
    published = _unix(message.get("date_unixtime"))
    text, links = _text(message.get("text", ""))

    if kind == "service":
        action = _optional_str(message, "action")
        actor = _optional_str(message, "actor")
        columns.service_position.append(position)
        columns.service_channel.append(chat.channel)
        columns.service_id.append(message_id)
        columns.service_published.append(published)
        columns.service_action.append(action)
        columns.service_actor.append(actor)
        columns.service_text.append(text or None)
        return

    reply_to = message.get("reply_to_message_id")
    if reply_to is not None:
        if type(reply_to) is not int or not INT64_MIN <= reply_to <= INT64_MAX:
            raise Unusual
        peer = message.get("reply_to_peer_id")
        if peer is not None:
            if type(peer) is not str and type(peer) is not int:
                raise Unusual
            if chat.peer and not str(peer).endswith(chat.peer):
                reply_to = None  # a reply to another chat's message
    edited_unix = message.get("edited_unixtime")
    if edited_unix is None:
        if message.get("edited") is not None:
            raise Unusual  # only the ISO time: the reference reads it
        edited = None
    else:
        edited = _unix(edited_unix)
    author = _optional_str(message, "author")
    forwarded_from = _optional_str(message, "forwarded_from")
    media = _media(message)
    if "poll" in message:
        try:
            poll_question = _poll_question(message)
        except MalformedMessage:
            raise Unusual from None
    else:
        poll_question = None
    reactions_total = _reactions_total(message.get("reactions"))

    if media:
        columns.media_rows.extend([len(columns.post_position)] * len(media))
        columns.media_values.extend(media)
    if links:
        columns.link_rows.extend([len(columns.post_position)] * len(links))
        columns.link_values.extend(links)
    columns.post_position.append(position)
    columns.post_channel.append(chat.channel)
    columns.post_title.append(chat.title)
    columns.post_id.append(message_id)
    columns.post_published.append(published)
    columns.post_edited.append(edited)
    columns.post_text.append(text or None)
    columns.post_author.append(author)
    columns.post_forwarded.append(forwarded_from)
    columns.post_reply_to.append(reply_to)
    columns.post_poll.append(poll_question)
    columns.post_reactions.append(reactions_total)


def _utc(seconds: pl.Expr) -> pl.Expr:
    return (seconds.cast(pl.Int64) * 1_000_000).cast(UTC_TIME)


def _content_keys(channels: list[str | None], texts: list[str | None]) -> list[str]:
    """common.content_key over whole columns (same sha256 prefix, without a call per row)."""
    sha256 = hashlib.sha256
    return [
        sha256(f"{channel or ''}\n{text or ''}".encode()).hexdigest()[:16]
        for channel, text in zip(channels, texts, strict=True)
    ]


def _string_lists(rows: list[int], values: list[str], height: int) -> pl.Series:
    """A List(String) column from flat values and their row numbers (rows without are [])."""
    string_list = pl.List(pl.String)
    if not values:
        return pl.Series([[]] * height, dtype=string_list)
    parts = (
        pl.DataFrame({"row": pl.Series(rows, dtype=pl.Int64), "value": values})
        .group_by("row", maintain_order=True)
        .agg("value")
    )
    every_row = pl.DataFrame({"row": pl.int_range(height, eager=True, dtype=pl.Int64)})
    joined = every_row.join(parts, on="row", how="left", maintain_order="left")
    return joined["value"].fill_null(pl.lit([], string_list))


def posts_frame(columns: Columns, source_file: str) -> pl.DataFrame:
    height = len(columns.post_position)
    frame = pl.DataFrame(
        [
            pl.Series("source_position", columns.post_position, pl.Int64),
            pl.Series("channel", columns.post_channel, pl.String),
            pl.Series("channel_title", columns.post_title, pl.String),
            pl.Series("message_id", columns.post_id, pl.Int64),
            pl.Series(
                "content_key", _content_keys(columns.post_channel, columns.post_text), pl.String
            ),
            pl.Series("published_at", columns.post_published, pl.Int64),
            pl.Series("edited_at", columns.post_edited, pl.Int64),
            pl.Series("text", columns.post_text, pl.String),
            pl.Series("author", columns.post_author, pl.String),
            pl.Series("forwarded_from", columns.post_forwarded, pl.String),
            pl.Series("reply_to_message_id", columns.post_reply_to, pl.Int64),
            _string_lists(columns.media_rows, columns.media_values, height).alias("media_kinds"),
            _string_lists(columns.link_rows, columns.link_values, height).alias("links"),
            pl.Series("poll_question", columns.post_poll, pl.String),
            pl.Series("reactions_total", columns.post_reactions, pl.Int64),
        ]
    )
    return frame.select(
        pl.lit(SOURCE_FORMAT, pl.String).alias("source_format"),
        pl.lit(source_file, pl.String).alias("source_file"),
        "source_position",
        "channel",
        "channel_title",
        "message_id",
        "content_key",
        _utc(pl.col("published_at")),
        _utc(pl.col("edited_at")),
        pl.col("edited_at").is_not_null().alias("is_edited"),
        "text",
        "author",
        pl.lit(None, pl.Int64).alias("views"),
        "forwarded_from",
        pl.lit(None, pl.String).alias("forwarded_from_link"),
        "reply_to_message_id",
        pl.lit(None, pl.String).alias("reply_to_text"),
        "media_kinds",
        pl.col("media_kinds").list.len().cast(pl.Int64).alias("media_count"),
        "links",
        "poll_question",
        "reactions_total",
        pl.lit(None, pl.Int64).alias("forwards"),
        pl.lit(None, pl.Int64).alias("replies"),
        pl.lit(None, REACTIONS).alias("reactions"),
    )


def service_frame(columns: Columns, source_file: str) -> pl.DataFrame:
    frame = pl.DataFrame(
        [
            pl.Series("source_position", columns.service_position, pl.Int64),
            pl.Series("channel", columns.service_channel, pl.String),
            pl.Series("message_id", columns.service_id, pl.Int64),
            pl.Series("published_at", columns.service_published, pl.Int64),
            pl.Series("action", columns.service_action, pl.String),
            pl.Series("actor", columns.service_actor, pl.String),
            pl.Series("text", columns.service_text, pl.String),
        ]
    )
    return frame.select(
        pl.lit(SOURCE_FORMAT, pl.String).alias("source_format"),
        pl.lit(source_file, pl.String).alias("source_file"),
        "source_position",
        "channel",
        "message_id",
        _utc(pl.col("published_at")),
        "action",
        "actor",
        "text",
    )


def merged_frames(fast: pl.DataFrame, odd: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """Both parts in file order, as the reference appends them."""
    if fast.columns != list(schema) or fast.dtypes != list(schema.values()):
        fast = conform(fast, schema)  # never so today; guards a schema change
    if odd.height == 0:
        return fast
    return pl.concat([fast, odd]).sort("source_position", maintain_order=True)


def _export_body(data: bytes) -> bytes | None:
    """The JSON text of what the reference would sniff as a Desktop export, else None."""
    body = data[len(BOM) :] if data.startswith(BOM) else data
    head = body[:64].lstrip(JSON_SPACE)
    if not head.startswith(b"{"):
        return None
    return body


def parse_desktop_export_columnar(
    data: bytes, channel: str | None, observed_at: datetime, source_file: str
) -> ParsedFile | None:
    """The file's frames, equal to the reference's; None when the reference must decide.

    `data` is the file's bytes (already checked non-empty and NUL-free by the caller). None is
    returned for anything file-level: not an export-looking JSON object, not UTF-8, invalid
    JSON, values orjson reads differently from json (see Unusual), no 'messages' or 'chats'.
    """
    body = _export_body(data)
    if body is None:
        return None
    collect_garbage = gc.isenabled()
    gc.disable()  # millions of fresh containers: the collector would rescan them again and again
    try:
        try:
            document = orjson.loads(body)  # checks UTF-8 as strictly as bytes.decode
        except orjson.JSONDecodeError:
            return None
        try:
            chats = _chats(document)
        except NotAnExport:
            return None
        columns = Columns()
        records = Records.empty()
        # (chat index, message index or None for the chat itself, position), in file order
        odd: list[tuple[int, int | None, int]] = []
        position = 0
        for chat_index, raw_chat in enumerate(chats):
            messages = raw_chat.get("messages") if type(raw_chat) is dict else None
            if type(messages) is not list:
                odd.append((chat_index, None, position))
                continue
            if type(raw_chat.get("id")) is float:
                return None  # maybe a 20-digit id orjson read as a float: the peer would differ
            chat = Chat(raw_chat, channel if len(chats) == 1 else None)
            records.headers.append(
                {"channel": chat.channel, "title": chat.title, "observed_at": observed_at}
            )
            for message_index, message in enumerate(messages):
                try:
                    read_fast(message, chat, position, columns)
                except Unusual:
                    odd.append((chat_index, message_index, position))
                position += 1
        del document, chats
        if odd:
            _read_odd(body, odd, channel, records)
        parsed = to_parsed_file(SOURCE_FORMAT, source_file, records)
        parsed.posts = merged_frames(
            posts_frame(columns, source_file), parsed.posts, RAW_POST_SCHEMA
        )
        parsed.service = merged_frames(
            service_frame(columns, source_file), parsed.service, RAW_SERVICE_SCHEMA
        )
        return parsed
    finally:
        if collect_garbage:
            gc.enable()


def _read_odd(
    body: bytes, odd: list[tuple[int, int | None, int]], channel: str | None, records: Records
) -> None:
    """The reference reader on the odd messages and chats, read from the untouched file."""
    try:
        chats = _chats(load_export_json(body))
    except TooDeep:
        # json nests less deep than orjson, which read this file: its values serve (they differ
        # from json's only for integers past 64 bits and lone surrogates)
        chats = _chats(orjson.loads(body))
    readers: dict[int, Chat] = {}
    for chat_index, message_index, position in odd:
        raw_chat = chats[chat_index]
        if message_index is None:
            records.rejects.append(chat_reject(position, chat_index, raw_chat))
            continue
        chat = readers.get(chat_index)
        if chat is None:
            chat = readers[chat_index] = Chat(raw_chat, channel if len(chats) == 1 else None)
        message = raw_chat["messages"][message_index]
        try:
            read_message(message, chat, position, records)
        except MalformedMessage as problem:
            records.rejects.append(message_reject(position, problem, message))
