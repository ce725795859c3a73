"""JSON Lines of Telethon message objects, as API-based collectors write them.

One ``Message.to_dict()``-style object per line (``"_": "Message"``, ``id``, ``date``,
``message``, ``views``, ``forwards``, ``replies``, ``reactions``, ``fwd_from``, ``reply_to``,
``media``, ``edit_date``...), written with ``json.dumps(..., default=str)`` (dates as
"2025-05-10 12:00:00+00:00"), Telethon's ``to_json()`` (ISO dates) or 4CAT's serializer (the
type under ``_type``, dates as unix seconds, the channel under ``_chat``). These carry what web
previews lack: forward counts, reply counts and reactions per emoji.

Polars' NDJSON reader does the work on a well-formed file, into a fixed schema (fields not in it
are ignored), and everything after is column expressions. A bad line makes that reader fail the
whole file without saying which line, so only then is the file read again, in blocks halved
until the bad lines are found (see _read_lines): each line that cannot be read becomes a reject
with its line number, the others land. A Message object names no channel username (``peer_id``
has only the numeric id), so a file without 4CAT's ``_chat`` needs ``--channel``.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import orjson
import polars as pl

from orchestration.ingest.parsing.common import (
    EXCERPT_CHARS,
    INT64_MAX,
    INT64_MIN,
    REASON_CHARS,
    ParsedFile,
    shown,
)
from orchestration.schemas import (
    RAW_HEADER_SCHEMA,
    RAW_POST_SCHEMA,
    RAW_SERVICE_SCHEMA,
    REACTIONS,
    REJECT_SCHEMA,
    UTC_TIME,
    conform,
)

SOURCE_FORMAT = "telethon_jsonl"
_SNIFF_BYTES = 65_536
_SNIFF_LINES = 20
# the type tag of a message object: Telethon's "_", 4CAT's "_type"
_MESSAGE_MARK_RE = re.compile(rb'"_(?:type)?"\s*:\s*"Message(?:Service|Empty)?"')
# a block of lines that fails is halved until it is this small, then checked line by line
_FEW_LINES = 64
_MAX_UNIX = 253_402_300_799  # 9999-12-31: a larger time is not a date


class NoChannelName(Exception):
    """No line names its channel's username and no --channel was given."""


class NoMessages(Exception):
    """Not one line of the file is a message that can be read."""


def looks_like_telethon_jsonl(data: bytes) -> bool:
    """True when the file's lines are JSON objects tagged as Telethon messages.

    The first non-blank line must open an object, and one of the first lines must be an object
    with a message's type tag; a Desktop export (one document, its messages untagged) never is.
    """
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"{"):
        return False
    lines = (line.strip() for line in head.split(b"\n")[:_SNIFF_LINES])
    return any(line.startswith(b"{") and _MESSAGE_MARK_RE.search(line) for line in lines)


def _tagged(fields: dict) -> pl.Struct:
    """A Telethon object's struct: its type tag under either name, and the fields read."""
    return pl.Struct({"_": pl.String, "_type": pl.String, **fields})


_PEER = _tagged({"channel_id": pl.Int64, "user_id": pl.Int64, "chat_id": pl.Int64})


def _read_schema(time_type: pl.DataType) -> dict:
    """The fields read from each line; `time_type` String (ISO dates) or Float64 (unix)."""
    return {
        "_": pl.String,
        "_type": pl.String,
        "id": pl.Int64,
        "peer_id": _PEER,
        "date": time_type,
        "edit_date": time_type,
        "message": pl.String,
        "post_author": pl.String,
        "views": pl.Int64,
        "forwards": pl.Int64,
        "replies": _tagged({"replies": pl.Int64}),
        "reactions": _tagged(
            {
                "results": pl.List(
                    _tagged(
                        {
                            "reaction": _tagged({"emoticon": pl.String, "document_id": pl.Int64}),
                            "count": pl.Int64,
                        }
                    )
                )
            }
        ),
        "fwd_from": _tagged({"from_id": _PEER, "from_name": pl.String, "channel_post": pl.Int64}),
        "reply_to": _tagged({"reply_to_msg_id": pl.Int64, "reply_to_peer_id": _PEER}),
        "media": _tagged({"document": pl.Struct({"mime_type": pl.String})}),
        "entities": pl.List(_tagged({"url": pl.String})),
        "action": _tagged({}),
        "_chat": pl.Struct({"username": pl.String, "title": pl.String}),
    }


def _time_type(data: bytes) -> pl.DataType:
    """Float64 when the first readable line gives its date as a number (4CAT), else String."""
    for line in data[:_SNIFF_BYTES].split(b"\n")[:_SNIFF_LINES]:
        try:
            message = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if type(message) is dict and "date" in message:
            date = message["date"]
            return pl.Float64 if type(date) in (int, float) else pl.String
    return pl.String


def parse_telethon_jsonl(
    data: bytes, channel: str | None, observed_at: datetime, source_file: str
) -> ParsedFile:
    """The file's posts, service messages, headers and rejects.

    `data` is UTF-8 (a caller re-encodes UTF-16 or UTF-32). `channel` names the channel of every
    line; without it each line's ``_chat.username`` does. NoChannelName or NoMessages when the
    file as a whole cannot land.
    """
    data = data.removeprefix(b"\xef\xbb\xbf")
    schema = _read_schema(_time_type(data))
    lines_of: list[bytes] | None = None
    rejects: list[dict] = []
    warnings: list[str] = []
    frame = None
    body = data.rstrip(b" \t\r\n")
    try:
        frame = pl.read_ndjson(data, schema=schema)
    except pl.exceptions.PolarsError:
        pass
    # Polars skips blank lines: only when it read as many rows as there are lines is row n
    # line n + 1 (otherwise the slow path numbers them)
    if frame is not None and frame.height == body.count(b"\n") + 1:
        frame = frame.with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("__line"))
    else:
        lines_of = data.split(b"\n")
        frame = _read_lines(lines_of, schema, rejects, warnings, ends_whole=data.endswith(b"\n"))

    posts, service, headers, problems = _frames(frame, channel, observed_at)
    if problems.height:
        lines_of = lines_of if lines_of is not None else data.split(b"\n")
        rejects += [
            _reject(line, problem, lines_of[line - 1])
            for line, problem in problems.iter_rows()  # only the rejected lines
        ]
    if posts.height == 0 and service.height == 0:
        if rejects and all("no channel" in r["reason"] for r in rejects) and channel is None:
            raise NoChannelName(
                "Telethon messages name no channel username (peer_id gives only its number): "
                "name the channel with --channel"
            )
        first = min(rejects, key=lambda r: r["source_position"])["reason"] if rejects else ""
        raise NoMessages(
            "no line of the file is a Telethon message that can be read"
            + (f" (first problem: {first})" if first else "")
        )
    stamp = (
        pl.lit(SOURCE_FORMAT, pl.String).alias("source_format"),
        pl.lit(source_file, pl.String).alias("source_file"),
    )
    reject_frame = pl.DataFrame(rejects, schema=REJECT_SCHEMA, orient="row").sort("source_position")
    return ParsedFile(
        source_format=SOURCE_FORMAT,
        posts=conform(posts.with_columns(*stamp), RAW_POST_SCHEMA),
        headers=conform(headers.with_columns(*stamp), RAW_HEADER_SCHEMA),
        service=conform(service.with_columns(*stamp), RAW_SERVICE_SCHEMA),
        rejects=conform(reject_frame.with_columns(*stamp), REJECT_SCHEMA),
        warnings=warnings,
    )


def _reject(line: int, problem: str, raw: bytes) -> dict:
    reason = f"line {line}: {problem}"
    if len(reason) > REASON_CHARS:
        reason = reason[: REASON_CHARS - 1] + "…"
    excerpt = raw[: EXCERPT_CHARS * 4].decode("utf-8", "replace")[:EXCERPT_CHARS]
    return {"source_position": line - 1, "reason": reason, "excerpt": excerpt}


# --- the slow path: a file Polars' reader refused as a whole ------------------------------------


def _read_lines(
    lines: list[bytes],
    schema: dict,
    rejects: list[dict],
    warnings: list[str],
    ends_whole: bool,
) -> pl.DataFrame:
    """The readable lines as one frame (with their line numbers); the others to `rejects`.

    Polars' reader says only that some line failed, so the file is read again in blocks of
    lines, a block that fails halved until it is small (a few bad lines cost a few reads each,
    the good lines are read by Polars as before); only the lines of a small failing block are
    looked at one by one, in Python, to say what is wrong with each.
    """
    # the non-blank lines by number (a pass over the lines' list, on this path only)
    numbers = [number for number, line in enumerate(lines, 1) if line.strip()]
    last = numbers[-1] if numbers else 0
    frames: list[pl.DataFrame] = []

    def read(block: list[int], refused: bool = False) -> None:
        frame = None if refused else _read_block([lines[n - 1] for n in block], block, schema)
        if frame is not None:
            frames.append(frame)
        elif len(block) > _FEW_LINES:
            middle = len(block) // 2
            read(block[:middle])
            read(block[middle:])
        else:
            frames.extend(_read_few(lines, block, schema, rejects, warnings, last, ends_whole))

    if numbers:
        read(numbers, refused=True)  # the whole file was refused already
    if not frames:
        return pl.DataFrame(schema={**schema, "__line": pl.Int64})
    return pl.concat(frames)


def _read_block(block: list[bytes], numbers: list[int], schema: dict) -> pl.DataFrame | None:
    """The block's lines read by Polars, one row each, or None when it refuses them."""
    try:
        frame = pl.read_ndjson(b"\n".join(block), schema=schema)
    except pl.exceptions.PolarsError:
        return None
    if frame.height != len(numbers):
        return None
    return frame.with_columns(pl.Series("__line", numbers, dtype=pl.Int64))


def _read_few(
    lines: list[bytes],
    numbers: list[int],
    schema: dict,
    rejects: list[dict],
    warnings: list[str],
    last: int,
    ends_whole: bool,
) -> list[pl.DataFrame]:
    """A small block that failed: each line checked (json, exact integers, so a value beyond
    64 bits is named as such); the lines that pass read together, else each alone."""
    good: list[int] = []
    for number in numbers:
        line = lines[number - 1]
        problem = _line_problem(line, schema)
        if problem is None:
            good.append(number)
            continue
        if number == last and not ends_whole and problem.startswith(("invalid JSON", "not UTF-8")):
            problem = f"cut short at the end of the file ({problem})"
            warnings.append(
                f"file truncated after line {number - 1}: line {number} is cut off and not kept"
            )
        rejects.append(_reject(number, problem, line))
    together = _read_block([lines[n - 1] for n in good], good, schema) if good else None
    if together is not None or not good:
        return [together] if together is not None else []
    frames = []
    for number in good:
        alone = _read_block([lines[number - 1]], [number], schema)
        if alone is None:
            rejects.append(
                _reject(number, "cannot be read into the message schema", lines[number - 1])
            )
        else:
            frames.append(alone)
    return frames


def _line_problem(line: bytes, schema: dict) -> str | None:
    """Why one line cannot be a record, or None."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as problem:
        return f"not UTF-8 (undecodable byte at offset {problem.start} of the line)"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as problem:
        return f"invalid JSON: {problem.msg} (column {problem.colno})"
    except ValueError:  # an integer of more digits than Python converts
        return "invalid JSON: a number of thousands of digits"
    except RecursionError:
        return "JSON nested too deeply"
    if type(value) is not dict:
        return f"a JSON {type(value).__name__}, not a Telethon message object"
    return _misfit(value, pl.Struct(schema), "")


def _misfit(value: object, dtype: pl.DataType, name: str) -> str | None:
    """Where a JSON value does not fit the read schema (integers beyond 64 bits included)."""
    if value is None:
        return None
    what = name or "the line"
    if dtype == pl.Int64:
        if type(value) is not int:
            return f"{what} is {type(value).__name__}, expected an integer"
        if not INT64_MIN <= value <= INT64_MAX:
            return f"{what} out of range (beyond 64 bits): {shown(value)}"
        return None
    if dtype == pl.Float64:
        ok = type(value) in (int, float)
        return None if ok else f"{what} is {type(value).__name__}, expected a number"
    if dtype == pl.String:
        return None  # Polars' reader takes any value as its JSON text
    if isinstance(dtype, pl.List):
        if type(value) is not list:
            return f"{what} is {type(value).__name__}, expected a list"
        for index, item in enumerate(value):
            problem = _misfit(item, dtype.inner, f"{name}[{index}]")
            if problem:
                return problem
        return None
    if isinstance(dtype, pl.Struct):
        if type(value) is not dict:
            return f"{what} is {type(value).__name__}, expected an object"
        for field in dtype.fields:
            problem = _misfit(
                value.get(field.name), field.dtype, f"{name}.{field.name}".lstrip(".")
            )
            if problem:
                return problem
    return None


# --- columns: everything below runs on whole frames --------------------------------------------


def _kind(column: pl.Expr) -> pl.Expr:
    return pl.coalesce(column.struct.field("_"), column.struct.field("_type"))


def _times(column: str, time_type: pl.DataType) -> pl.Expr:
    """A column of dates as UTC times; null where absent or not a time."""
    value = pl.col(column)
    if time_type == pl.Float64:
        in_range = value.is_between(0, _MAX_UNIX)
        micros = (value * 1_000_000).round().cast(pl.Int64, strict=False)
        return pl.when(in_range).then(micros).cast(UTC_TIME)
    text = value.str.strip_chars().str.replace(" ", "T", literal=True).str.replace(r"Z$", "+00:00")
    return text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%:z", time_zone="UTC", strict=False)


def _media_kind() -> pl.Expr:
    """MEDIA_KINDS from the media object's type (a document by its MIME type)."""
    media = _kind(pl.col("media"))
    mime = pl.col("media").struct.field("document").struct.field("mime_type")
    return (
        pl.when(media.is_null() | (media == "MessageMediaEmpty"))
        .then(None)
        .when(media == "MessageMediaPhoto")
        .then(pl.lit("photo"))
        .when(media == "MessageMediaDocument")
        .then(
            pl.when(mime == "video/mp4")
            .then(pl.lit("video"))
            .when(mime == "audio/ogg")
            .then(pl.lit("voice"))
            .when(mime.str.starts_with("audio/"))
            .then(pl.lit("audio"))
            .when(mime.is_in(["image/webp", "application/x-tgsticker", "video/webm"]))
            .then(pl.lit("sticker"))
            .when(mime == "image/gif")
            .then(pl.lit("gif"))
            .when(mime.str.starts_with("video/"))
            .then(pl.lit("video"))
            .otherwise(pl.lit("document"))
        )
        .when(media == "MessageMediaWebPage")
        .then(pl.lit("link_preview"))
        .when(media == "MessageMediaPoll")
        .then(pl.lit("poll"))
        .when(media.is_in(["MessageMediaGeo", "MessageMediaGeoLive", "MessageMediaVenue"]))
        .then(pl.lit("location"))
        .when(media == "MessageMediaContact")
        .then(pl.lit("contact"))
        .otherwise(pl.lit("unsupported"))
    )


def _reactions() -> pl.Expr:
    """REACTIONS: the emoji, "custom:<document id>" for a custom emoji, "paid" for Stars."""
    reaction = pl.element().struct.field("reaction")
    kind = pl.coalesce(reaction.struct.field("_"), reaction.struct.field("_type"))
    emoji = pl.coalesce(
        reaction.struct.field("emoticon"),
        pl.concat_str(pl.lit("custom:"), reaction.struct.field("document_id").cast(pl.String)),
        pl.when(kind == "ReactionPaid").then(pl.lit("paid")),
        kind,
    )
    return (
        pl.col("reactions")
        .struct.field("results")
        .list.eval(pl.struct(emoji.alias("emoji"), pl.element().struct.field("count")))
        .cast(REACTIONS)
    )


def _forward_origin() -> pl.Expr:
    """The forward's origin as its name, else the numeric peer the message gives."""
    forward = pl.col("fwd_from")
    origin = forward.struct.field("from_id")
    return pl.when(forward.is_not_null()).then(
        pl.coalesce(
            forward.struct.field("from_name"),
            pl.format("channel {}", origin.struct.field("channel_id")),
            pl.format("user {}", origin.struct.field("user_id")),
            pl.format("chat {}", origin.struct.field("chat_id")),
            pl.lit("hidden origin"),
        )
    )


def _frames(
    frame: pl.DataFrame, channel: str | None, observed_at: datetime
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(posts, service, headers, problems: line and reason of each line that does not land)."""
    time_type = frame.schema["date"]
    kind = pl.coalesce("_", "_type")
    chat = pl.col("_chat")
    counts = (
        pl.col("reactions").struct.field("results").list.eval(pl.element().struct.field("count"))
    )
    reply_to = pl.col("reply_to")
    prepared = frame.with_columns(
        kind.alias("__kind"),
        (pl.lit(channel, pl.String) if channel else chat.struct.field("username")).alias("channel"),
        chat.struct.field("title").alias("channel_title"),
        _times("date", time_type).alias("published_at"),
        _times("edit_date", time_type).alias("edited_at"),
        counts.list.sum().alias("reactions_total"),
        # a sum past 64 bits wraps around; its float twin tells
        counts.list.eval(pl.element().cast(pl.Float64)).list.sum().alias("__reactions_float"),
    )
    problem = (
        pl.when(pl.col("__kind").is_null())
        .then(pl.lit("not a Telethon message (no _ or _type)"))
        .when(pl.col("__kind") == "MessageEmpty")
        .then(pl.lit("an empty message (MessageEmpty: deleted or not accessible)"))
        .when(~pl.col("__kind").is_in(["Message", "MessageService"]))
        .then(pl.format("not a Telethon message (_ is {})", pl.col("__kind").str.slice(0, 40)))
        .when(pl.col("id").is_null())
        .then(pl.lit("message has no id"))
        .when(pl.col("channel").is_null())
        .then(pl.lit("no channel username (no _chat.username): name the channel with --channel"))
        .when(pl.col("date").is_null())
        .then(pl.lit("message has no date"))
        .when(pl.col("published_at").is_null())
        .then(pl.format("date is not a time: {}", pl.col("date").cast(pl.String)))
        .when(pl.col("edit_date").is_not_null() & pl.col("edited_at").is_null())
        .then(pl.format("edit_date is not a time: {}", pl.col("edit_date").cast(pl.String)))
        .when(pl.col("__reactions_float").abs() > INT64_MAX)
        .then(pl.lit("reactions total out of range (beyond 64 bits)"))
    )
    checked = prepared.with_columns(problem.alias("__problem"))
    problems = checked.filter(pl.col("__problem").is_not_null()).select("__line", "__problem")
    kept = checked.filter(pl.col("__problem").is_null())
    position = (pl.col("__line") - 1).alias("source_position")

    messages = kept.filter(pl.col("__kind") == "Message")
    text = pl.col("message")
    media_kind = _media_kind()
    entity_kind = pl.coalesce(pl.element().struct.field("_"), pl.element().struct.field("_type"))
    same_chat_reply = reply_to.struct.field("reply_to_peer_id").is_null()
    posts = messages.select(
        position,
        "channel",
        "channel_title",
        pl.col("id").alias("message_id"),
        "published_at",
        "edited_at",
        pl.col("edited_at").is_not_null().alias("is_edited"),
        pl.when(text != "").then(text).alias("text"),
        pl.col("post_author").alias("author"),
        "views",
        _forward_origin().alias("forwarded_from"),
        pl.when(same_chat_reply)
        .then(reply_to.struct.field("reply_to_msg_id"))
        .alias("reply_to_message_id"),
        pl.when(media_kind.is_not_null())
        .then(pl.concat_list(media_kind))
        .otherwise(pl.lit([], pl.List(pl.String)))
        .alias("media_kinds"),
        media_kind.is_not_null().cast(pl.Int64).alias("media_count"),
        pl.col("entities")
        .list.eval(
            pl.element()
            .struct.field("url")
            .filter(entity_kind == "MessageEntityTextUrl")
            .drop_nulls()
        )
        .fill_null(pl.lit([], pl.List(pl.String)))
        .alias("links"),
        "reactions_total",
        "forwards",
        pl.col("replies").struct.field("replies").alias("replies"),
        _reactions().alias("reactions"),
    )

    actions = kept.filter(pl.col("__kind") == "MessageService")
    action = _kind(pl.col("action"))
    service = actions.select(
        position,
        "channel",
        pl.col("id").alias("message_id"),
        "published_at",
        action.str.strip_prefix("MessageAction")
        .str.replace_all(r"([a-z0-9])([A-Z])", "${1}_${2}")
        .str.to_lowercase()
        .alias("action"),
        pl.when(text != "").then(text).alias("text"),
    )

    headers = (
        kept.group_by("channel", maintain_order=True)
        .agg(pl.col("channel_title").drop_nulls().first().alias("title"))
        .with_columns(pl.lit(observed_at, UTC_TIME).alias("observed_at"))
    )
    return posts, service, headers, problems
