"""Big Telegram Desktop exports, read one message at a time: memory bounded by a chunk of
messages and the frames they become, not by the file.

The whole-file fast path (desktop_export_columnar) holds the file's bytes, then orjson's
objects for every message (about six times the file), then the frames: a 3 GB export of one
channel needed over 20 GB. Here ijson's C backend (yajl) hands over one message dict at a
time; each goes through the same fast loop (read_fast) into columns, the columns become
frames every CHUNK_MESSAGES messages, and the frames are concatenated at the end. Measured on
a 490 MB export: ijson reads it in 3.4 s with 13 MB of memory, orjson in 4.7-8.9 s with 2.9 GB.

Only what this reader vouches for is read here; anything else returns None and the caller
takes the whole-file path, which decides as before (and raises the precise error):
- not a single-chat export (an account export's "chats"), or its name and id not before its
  messages (Telegram Desktop writes them first), or "messages" not a list;
- invalid JSON anywhere, invalid UTF-8, a raw NUL, NaN, an integer past 64 bits (yajl refuses
  all of these where json reads some) or nesting past the recursion limit;
- a \\uD800-\\uDFFF escape anywhere: yajl turns a lone surrogate into "?", the reference keeps
  U+FFFD, so such files are left to it.
A message the fast loop does not vouch for (Unusual) goes to the reference reader, which reads
the same dict json would have given.
"""

from __future__ import annotations

import gc
import mmap
import re
from datetime import datetime
from typing import BinaryIO

import ijson
import polars as pl

from orchestration.ingest.parsing.common import ParsedFile, Records, to_parsed_file
from orchestration.ingest.parsing.desktop_export import (
    Chat,
    MalformedMessage,
    message_reject,
    read_message,
)
from orchestration.ingest.parsing.desktop_export_columnar import (
    BOM,
    JSON_SPACE,
    SOURCE_FORMAT,
    Columns,
    Unusual,
    merged_frames,
    posts_frame,
    read_fast,
    service_frame,
)
from orchestration.ingest.parsing.telethon_jsonl import looks_like_telethon_jsonl
from orchestration.schemas import RAW_POST_SCHEMA, RAW_SERVICE_SCHEMA

# Files from this size on are streamed; smaller ones take the whole-file path, which is as fast
# and whose memory (about seven times the file) is small at this size.
STREAM_FROM_BYTES = 64 << 20
# Messages turned into frames at a time: a chunk's Python objects are the memory this adds.
CHUNK_MESSAGES = 50_000
_READ_BUFFER = 1 << 20
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")
_SCALAR_EVENTS = frozenset({"string", "number", "boolean", "null"})


class _NotStreamable(Exception):
    """The file is not one this reader vouches for: the whole-file path decides."""


def _header(handle: BinaryIO, start: int) -> dict:
    """The export's top-level scalars that come before its "messages" list."""
    handle.seek(start)
    header: dict = {}
    key = None
    events = ijson.parse(handle, buf_size=64 << 10, use_float=True)
    for prefix, event, value in events:
        if prefix == "" and event == "map_key":
            if value == "messages":
                if next(events, (None, None, None))[1] != "start_array":
                    raise _NotStreamable
                break
            key = value
        elif prefix == key and event in _SCALAR_EVENTS:
            header[key] = value
    else:
        raise _NotStreamable  # no "messages" list: an account export, or not an export
    if "name" not in header or "id" not in header:
        raise _NotStreamable
    return header


def _opening(handle: BinaryIO) -> int:
    """Where the JSON starts (after a BOM), when the file opens like a single Desktop export."""
    head = handle.read(65_536)
    start = len(BOM) if head.startswith(BOM) else 0
    if not head[start:].lstrip(JSON_SPACE).startswith(b"{") or looks_like_telethon_jsonl(head):
        raise _NotStreamable
    return start


def _has_surrogate_escape(handle: BinaryIO) -> bool:
    with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
        return _SURROGATE_ESCAPE.search(view) is not None


def _frames(columns: Columns, source_file: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    return posts_frame(columns, source_file), service_frame(columns, source_file)


def _read_messages(
    handle: BinaryIO, start: int, chat: Chat, source_file: str, records: Records
) -> tuple[list[pl.DataFrame], list[pl.DataFrame]]:
    posts: list[pl.DataFrame] = []
    service: list[pl.DataFrame] = []
    columns = Columns()
    handle.seek(start)
    messages = ijson.items(handle, "messages.item", use_float=True, buf_size=_READ_BUFFER)
    for position, message in enumerate(messages):
        try:
            read_fast(message, chat, position, columns)
        except Unusual:
            try:
                read_message(message, chat, position, records)
            except MalformedMessage as problem:
                records.rejects.append(message_reject(position, problem, message))
        if (position + 1) % CHUNK_MESSAGES == 0:
            for frames, frame in zip((posts, service), _frames(columns, source_file), strict=True):
                frames.append(frame)
            columns = Columns()
    for frames, frame in zip((posts, service), _frames(columns, source_file), strict=True):
        frames.append(frame)
    return posts, service


def parse_desktop_export_stream(
    handle: BinaryIO, channel: str | None, observed_at: datetime, source_file: str
) -> ParsedFile | None:
    """The export's frames, equal to the whole-file path's; None when that path must decide.

    `handle` is the open file (see reading.open_source), read from its start.
    """
    collect_garbage = gc.isenabled()
    gc.disable()  # a chunk's fresh containers: the collector would rescan them again and again
    try:
        start = _opening(handle)
        if _has_surrogate_escape(handle):
            return None
        chat = Chat(_header(handle, start), channel)
        records = Records.empty()
        records.headers.append(
            {"channel": chat.channel, "title": chat.title, "observed_at": observed_at}
        )
        posts, service = _read_messages(handle, start, chat, source_file, records)
    except (_NotStreamable, ijson.JSONError, RecursionError, UnicodeDecodeError):
        return None
    finally:
        if collect_garbage:
            gc.enable()
    parsed = to_parsed_file(SOURCE_FORMAT, source_file, records)
    parsed.posts = merged_frames(pl.concat(posts, rechunk=False), parsed.posts, RAW_POST_SCHEMA)
    parsed.service = merged_frames(
        pl.concat(service, rechunk=False), parsed.service, RAW_SERVICE_SCHEMA
    )
    return parsed
