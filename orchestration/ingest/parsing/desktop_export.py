"""Telegram Desktop JSON exports (result.json) -> raw post, header and service records.

Both export forms are read: a single chat ({"name", "type", "id", "messages"}) and a whole
account ({"chats": {"list": [...]}}), where every chat becomes its own channel.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime

from orchestration.ingest.parsing.common import (
    INT64_MAX,
    INT64_MIN,
    Records,
    channel_for_title,
    content_key,
    reject,
    shown,
    utc_from_unix,
)

# media_type values of the export -> our media kinds
_MEDIA_TYPES = {
    "video_file": "video",
    "animation": "gif",
    "voice_message": "voice",
    "audio_file": "audio",
    "video_message": "round_video",
    "sticker": "sticker",
}


_SURROGATE = re.compile("[\ud800-\udfff]")


def storable_text(text: str) -> str:
    """Text with lone UTF-16 surrogates (JSON "\\ud800" escapes) made storable.

    Kept, not rejected: Telegram counts entity offsets in UTF-16 units, so a lone surrogate is
    an emoji cut at an entity edge, one bad character in an otherwise good post. Halves that
    meet again (split across two entities) are paired back into their character; a half alone
    becomes U+FFFD, as a UTF-8 decoder does with a bad byte. Without this, UTF-8 encoding (the
    content hash, Polars, Parquet) fails on the whole file.
    """
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


class MalformedMessage(ValueError):
    """One message cannot be read; it becomes a reject, the rest of the file still parses."""


class NotAnExport(ValueError):
    """The JSON is valid but is not a Telegram Desktop export (a file-level problem)."""


class TooDeep(ValueError):
    """The JSON nests deeper than it can be read (a file-level problem)."""

    def __init__(self) -> None:
        super().__init__(
            "JSON nested too deeply to read (over about a thousand levels; a Telegram Desktop "
            "export nests fewer than ten)"
        )


class OversizedInteger(str):
    """A JSON integer of more digits than Python converts (sys.get_int_max_str_digits), kept
    as its digits: its message becomes a reject instead of the file failing to load."""


def _integer(digits: str) -> int | OversizedInteger:
    limit = sys.get_int_max_str_digits()
    return OversizedInteger(digits) if limit and len(digits) > limit else int(digits)


def load_export_json(text: str | bytes) -> object:
    """json.loads for whatever a file holds: an integer of thousands of digits becomes an
    OversizedInteger (the retry with a parse_int hook costs a Python call per integer, so only
    such files pay it); nesting past the recursion limit raises TooDeep."""
    try:
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise
        except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
            return json.loads(text, parse_int=_integer)
    except RecursionError:
        raise TooDeep from None


def _out_of_range(key: str, value: object) -> MalformedMessage:
    return MalformedMessage(f"{key} out of range (beyond 64 bits): {shown(value)}")


def flatten_text(value: object) -> tuple[str, list[str]]:
    """Export text (a string, or strings mixed with entity objects) -> plain text and its links."""
    if isinstance(value, str):
        return storable_text(value), []
    if not isinstance(value, list):
        raise MalformedMessage(f"text is {type(value).__name__}, expected a string or a list")
    parts: list[str] = []
    links: list[str] = []
    for index, item in enumerate(value):
        if isinstance(item, str):
            parts.append(item)
            continue
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise MalformedMessage(f"text entity {index} is not an object with a string text")
        entity_text = item["text"]
        parts.append(entity_text)
        kind = item.get("type")
        if kind == "text_link" and isinstance(item.get("href"), str):
            links.append(storable_text(item["href"]))
        elif kind == "link":
            links.append(storable_text(entity_text))
    # joined before cleaning: an emoji split across two entities pairs up again
    return storable_text("".join(parts)), links


def _time(message: dict, unix_key: str, iso_key: str) -> datetime | None:
    """Prefer the unix field (true UTC); the ISO field is the exporter's local time, read as UTC."""
    unix = message.get(unix_key)
    if unix is not None:
        try:
            return utc_from_unix(unix)
        except (TypeError, ValueError, OverflowError, OSError):
            raise MalformedMessage(f"{unix_key} is not a unix time: {shown(repr(unix))}") from None
    iso = message.get(iso_key)
    if iso is None:
        return None
    try:
        moment = datetime.fromisoformat(iso)
        # astimezone overflows for an offset time at the very ends of year 1 or 9999
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (TypeError, ValueError, OverflowError):
        raise MalformedMessage(f"{iso_key} is not an ISO time: {shown(repr(iso))}") from None


def _media(message: dict) -> list[str]:
    if "poll" in message:
        return ["poll"]
    if "photo" in message:
        return ["photo"]
    media_type = message.get("media_type")
    if media_type is not None:
        # an unknown kind, even a non-string one (a list would not even be a dict key)
        return [
            _MEDIA_TYPES.get(media_type, "document") if isinstance(media_type, str) else "document"
        ]
    if "file" in message:
        return ["document"]
    if "location_information" in message:
        return ["location"]
    if "contact_information" in message:
        return ["contact"]
    return []


def _poll_question(message: dict) -> str | None:
    poll = message.get("poll")
    if poll is None:
        return None
    if not isinstance(poll, dict):
        raise MalformedMessage("poll is not an object")
    question = poll.get("question")
    return flatten_text(question)[0] if question is not None else None


def _reactions_total(message: dict) -> int | None:
    reactions = message.get("reactions")
    if reactions is None:
        return None
    if not isinstance(reactions, list):
        raise MalformedMessage("reactions is not a list")
    total = 0
    for reaction in reactions:
        count = reaction.get("count") if isinstance(reaction, dict) else None
        if isinstance(count, int) and not isinstance(count, bool):
            total += count
    if not INT64_MIN <= total <= INT64_MAX:
        raise _out_of_range("reactions total", total)
    return total


def _optional_str(message: dict, key: str) -> str | None:
    value = message.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return storable_text(value)
    raise MalformedMessage(f"{key} is {type(value).__name__}, expected a string")


def _message_id(message: dict) -> int:
    if "id" not in message:
        raise MalformedMessage("missing id")
    value = message["id"]
    if isinstance(value, OversizedInteger):
        raise _out_of_range("id", value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedMessage(f"id is {type(value).__name__}, expected an integer")
    if not INT64_MIN <= value <= INT64_MAX:
        raise _out_of_range("id", value)
    return value


class Chat:
    __slots__ = ("channel", "title", "peer")

    def __init__(self, chat: dict, channel: str | None):
        self.title = storable_text(chat["name"]) if isinstance(chat.get("name"), str) else None
        chat_id = chat.get("id")
        self.channel = (
            channel
            or channel_for_title(self.title)
            or (storable_text(f"chat{chat_id}") if chat_id is not None else None)
        )
        # how replies to this same chat name their peer, e.g. "channel1878264527"
        self.peer = str(chat_id) if chat_id is not None else None


def read_message(message: object, chat: Chat, position: int, records: Records) -> None:
    if not isinstance(message, dict):
        raise MalformedMessage(f"message is {type(message).__name__}, expected an object")
    message_id = _message_id(message)
    kind = message.get("type")
    if not isinstance(kind, str):
        raise MalformedMessage("missing type" if kind is None else "type is not a string")
    published_at = _time(message, "date_unixtime", "date")
    if published_at is None:
        raise MalformedMessage("missing date")
    text, links = flatten_text(message.get("text", ""))

    if kind == "service":
        records.service.append(
            {
                "source_position": position,
                "channel": chat.channel,
                "message_id": message_id,
                "published_at": published_at,
                "action": _optional_str(message, "action"),
                "actor": _optional_str(message, "actor"),
                "text": text or None,
            }
        )
        return

    reply_to = message.get("reply_to_message_id")
    if reply_to is not None:
        if isinstance(reply_to, OversizedInteger):
            raise _out_of_range("reply_to_message_id", reply_to)
        if not isinstance(reply_to, int) or isinstance(reply_to, bool):
            raise MalformedMessage("reply_to_message_id is not an integer")
        if not INT64_MIN <= reply_to <= INT64_MAX:
            raise _out_of_range("reply_to_message_id", reply_to)
    peer = message.get("reply_to_peer_id")
    if (
        reply_to is not None
        and peer is not None
        and chat.peer
        and not str(peer).endswith(chat.peer)
    ):
        reply_to = None  # a reply to another chat's message: its id means nothing here
    edited_at = _time(message, "edited_unixtime", "edited")
    media = _media(message)
    records.posts.append(
        {
            "source_position": position,
            "channel": chat.channel,
            "channel_title": chat.title,
            "message_id": message_id,
            "content_key": content_key(chat.channel, text or None),
            "published_at": published_at,
            "edited_at": edited_at,
            "is_edited": edited_at is not None,
            "text": text or None,
            "author": _optional_str(message, "author"),
            "views": None,
            "forwarded_from": _optional_str(message, "forwarded_from"),
            "forwarded_from_link": None,
            "reply_to_message_id": reply_to,
            "reply_to_text": None,
            "media_kinds": media,
            "media_count": len(media),
            "links": links,
            "poll_question": _poll_question(message),
            "reactions_total": _reactions_total(message),
        }
    )


def _as_json(value: object) -> str:
    """The value as JSON for an excerpt; a placeholder when it nests too deeply to print."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except RecursionError:
        return f"<{type(value).__name__} nested too deeply to show>"


def message_reject(position: int, problem: MalformedMessage, message: object) -> dict:
    """The reject row of one message, its excerpt storable even if the message is not."""
    return reject(position, storable_text(str(problem)), storable_text(_as_json(message)))


def chat_reject(position: int, chat_index: int, raw_chat: object) -> dict:
    """The reject row of a chat without a 'messages' list."""
    raw = _as_json(raw_chat)[:200]
    return reject(position, f"chat {chat_index} has no 'messages' list", storable_text(raw))


def _chats(document: object) -> list[dict]:
    if not isinstance(document, dict):
        raise NotAnExport(f"top-level JSON is a {type(document).__name__}, not an export object")
    if "messages" in document:
        return [document]
    chats = document.get("chats")
    if isinstance(chats, dict) and isinstance(chats.get("list"), list):
        found = list(chats["list"])
        left = document.get("left_chats")
        if isinstance(left, dict) and isinstance(left.get("list"), list):
            found.extend(left["list"])
        return found
    raise NotAnExport("JSON has neither a 'messages' list nor a 'chats' list")


def parse_desktop_export_reference(
    text: str, channel: str | None, observed_at: datetime
) -> Records:
    """Parse a whole export. Raises json.JSONDecodeError, NotAnExport or TooDeep for file-level
    problems.

    `channel` names the channel of a single-chat export; an account export with several chats
    keeps each chat's own name. This per-message reader is the reference: the columnar fast
    path (desktop_export_columnar) must give the same frames, and hands it every odd message.
    """
    chats = _chats(load_export_json(text))
    records = Records.empty()
    position = 0
    for chat_index, raw_chat in enumerate(chats):
        messages = raw_chat.get("messages") if isinstance(raw_chat, dict) else None
        if not isinstance(messages, list):
            records.rejects.append(chat_reject(position, chat_index, raw_chat))
            continue
        chat = Chat(raw_chat, channel if len(chats) == 1 else None)
        records.headers.append(
            {
                "channel": chat.channel,
                "title": chat.title,
                "observed_at": observed_at,
            }
        )
        for message in messages:
            try:
                read_message(message, chat, position, records)
            except MalformedMessage as problem:
                records.rejects.append(message_reject(position, problem, message))
            position += 1
    return records


# the name api.py and older callers use
parse_desktop_export = parse_desktop_export_reference
