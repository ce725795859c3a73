"""Telegram Desktop JSON exports (single-chat result.json form) of synthetic posts.

Shaped like the real export in shared/data/real/desktop_export and the sample in
orchestration/sample_data/desktop_export: keys in Desktop's order, `date` in the exporter's
local time with `date_unixtime` as a string, `text` a string or a list of strings and entity
objects plus the matching `text_entities`, indent 1, non-ASCII kept. An album is exported as
its first item only (its other ids stay unused), so one post is one message.

Files are written chunk by chunk, one open file per channel, so memory stays flat.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import orjson

from orchestration.bench.synthetic import vocabulary as vocab
from orchestration.bench.synthetic.posts import Post, SyntheticSpec, channel_list, posts_in_range

_DEPTH = 12


def _reindent(data: bytes, extra: int) -> bytes:
    """orjson's 2-space indent -> Desktop's 1-space indent, shifted right by `extra` levels.

    JSON strings never hold a raw newline, so the spaces after each newline are indentation:
    numpy drops the surplus ones in a few vectorized passes (bytes.replace per level was the
    slowest part of writing an export).
    """
    array = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(array == 10)
    last = array.size - 1
    leading = np.zeros(newlines.size, np.int64)
    running = np.ones(newlines.size, bool)
    for step in range(1, 2 * _DEPTH + 1):
        running &= array[np.minimum(newlines + step, last)] == 32
        if not running.any():
            break
        leading += running
    drop = np.maximum(leading // 2 - extra, 0)
    keep = np.ones(array.size, bool)
    total = int(drop.sum())
    if total:
        starts = np.repeat(newlines + 1, drop)
        within = np.arange(total) - np.repeat(np.cumsum(drop) - drop, drop)
        keep[starts + within] = False
    return array[keep].tobytes()


def _local(unixtime: int, offset_hours: int) -> str:
    moment = dt.datetime.fromtimestamp(unixtime + offset_hours * 3600, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def local_times(unixtimes: list[int], offset_hours: int) -> list[str]:
    """ISO local times of many unix times at once ("2025-05-10T11:45:10")."""
    shifted = np.asarray(unixtimes, dtype=np.int64) + offset_hours * 3600
    return np.datetime_as_string(shifted.astype("datetime64[s]")).tolist()


def _stamp(local: str) -> str:
    """Desktop's media file-name stamp from an ISO local time: "10-05-2025_11-45-10"."""
    return f"{local[8:10]}-{local[5:7]}-{local[0:4]}_{local[11:13]}-{local[14:16]}-{local[17:19]}"


def chat_id(channel_no: int) -> int:
    return 1_100_000_000 + 7_919 * (channel_no + 1)


def text_fields(post: Post) -> tuple[object, list[dict]]:
    """Desktop's `text` (plain string when there are no entities) and `text_entities`."""
    if not post.segments:
        return "", []
    entities = []
    text: list[object] = []
    for kind, piece, href in post.segments:
        entity = {"type": kind, "text": piece}
        if href is not None:
            entity["href"] = href
        entities.append(entity)
        text.append(piece if kind == "plain" else entity)
    if len(text) == 1 and isinstance(text[0], str):
        return text[0], entities
    return text, entities


def _media_fields(post: Post, message: dict, local: str) -> None:
    media = post.media
    stamp = _stamp(local)
    n = post.message_id
    detail = post.detail
    if media in ("photo", "album"):
        message["photo"] = f"photos/photo_{n}@{stamp}.jpg"
        message["photo_file_size"] = 40_000 + detail % 200_000
        message["width"] = 1280
        message["height"] = 853
    elif media in ("video", "video_too_big", "gif", "round_video"):
        folder, kind, mime = {
            "video": ("video_files", "video_file", "video/mp4"),
            "video_too_big": ("video_files", "video_file", "video/mp4"),
            "gif": ("video_files", "animation", "video/mp4"),
            "round_video": ("round_video_messages", "video_message", "video/mp4"),
        }[media]
        name = f"{folder}/video_{n}@{stamp}.mp4"
        message["file"] = name
        message["file_size"] = (
            25_000_000 + detail % 400_000_000
            if media == "video_too_big"
            else 300_000 + detail % 20_000_000
        )
        message["thumbnail"] = name + "_thumb.jpg"
        message["thumbnail_file_size"] = 4_000 + detail % 9_000
        message["media_type"] = kind
        message["mime_type"] = mime
        message["duration_seconds"] = 5 + detail % 600
        message["width"] = 240 if media == "round_video" else 1280
        message["height"] = 240 if media == "round_video" else 720
    elif media == "document":
        name = vocab.DOCUMENT_NAMES[detail % len(vocab.DOCUMENT_NAMES)]
        message["file"] = f"files/{name}"
        message["file_name"] = name
        message["file_size"] = 50_000 + detail % 3_000_000
        message["mime_type"] = (
            "application/pdf"
            if name.endswith(".pdf")
            else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
    elif media == "voice":
        message["file"] = f"voice_messages/audio_{n}@{stamp}.ogg"
        message["file_size"] = 20_000 + detail % 900_000
        message["media_type"] = "voice_message"
        message["mime_type"] = "audio/ogg"
        message["duration_seconds"] = 3 + detail % 180
    elif media == "sticker":
        message["file"] = "stickers/sticker.webp"
        message["file_size"] = 16_000 + detail % 20_000
        message["thumbnail"] = "stickers/sticker.webp_thumb.jpg"
        message["thumbnail_file_size"] = 3_000 + detail % 2_000
        message["media_type"] = "sticker"
        message["sticker_emoji"] = "👍"
        message["mime_type"] = "image/webp"
        message["width"] = 512
        message["height"] = 512
    elif media == "poll":
        question, answers = vocab.POLL_QUESTIONS[post.language]
        votes = [(detail >> (4 * i)) % 300 for i in range(len(answers))]
        message["poll"] = {
            "question": question,
            "closed": False,
            "total_voters": sum(votes),
            "answers": [
                {"text": answer, "voters": v, "chosen": False}
                for answer, v in zip(answers, votes, strict=True)
            ],
        }


def desktop_messages(
    post: Post, title: str, peer: str, offset: int, local: str | None = None
) -> list[dict]:
    """The post's message (and a pin service message after it, when it has one).

    `local` is the post's local time when already computed (see local_times)."""
    local = local or _local(post.unixtime, offset)
    message: dict = {
        "id": post.message_id,
        "type": "message",
        "date": local,
        "date_unixtime": str(post.unixtime),
    }
    if post.edited_unixtime is not None:
        message["edited"] = _local(post.edited_unixtime, offset)
        message["edited_unixtime"] = str(post.edited_unixtime)
    message["from"] = title
    message["from_id"] = peer
    if post.author is not None:
        message["author"] = post.author
    if post.forward is not None:
        message["forwarded_from"] = post.forward[1]
        message["forwarded_from_id"] = f"channel{1_300_000_000 + len(post.forward[0]) * 7_777}"
    if post.reply_to is not None:
        message["reply_to_message_id"] = post.reply_to
    _media_fields(post, message, local)
    message["text"], message["text_entities"] = text_fields(post)
    if post.reactions:
        message["reactions"] = [
            {"type": "emoji", "count": count, "emoji": emoji} for emoji, count in post.reactions
        ]
    messages = [message]
    if post.pin_id is not None:
        messages.append(
            {
                "id": post.pin_id,
                "type": "service",
                "date": _local(post.unixtime + 30, offset),
                "date_unixtime": str(post.unixtime + 30),
                "actor": title,
                "actor_id": peer,
                "action": "pin_message",
                "message_id": post.message_id,
                "text": "",
                "text_entities": [],
            }
        )
    return messages


def _creation(title: str, peer: str, unixtime: int, offset: int) -> dict:
    return {
        "id": 1,
        "type": "service",
        "date": _local(unixtime, offset),
        "date_unixtime": str(unixtime),
        "actor": title,
        "actor_id": peer,
        "action": "create_channel",
        "title": title,
        "text": "",
        "text_entities": [],
    }


def range_label(start: int, stop: int) -> str:
    return f"{start:09d}-{stop:09d}"


class _ExportFile:
    """One channel's result.json, written incrementally."""

    def __init__(self, path: Path, channel_no: int, title: str):
        self.path = path
        self.handle = path.open("wb")
        head = {"name": title, "type": "public_channel", "id": chat_id(channel_no)}
        opening = orjson.dumps(head, option=orjson.OPT_INDENT_2)[:-2]  # drop "\n}"
        self.handle.write(_reindent(opening, 0) + b',\n "messages": [')
        self.empty = True

    def write(self, messages: list[dict]) -> None:
        body = orjson.dumps(messages, option=orjson.OPT_INDENT_2)[1:-2]  # inside "[\n ... \n]"
        self.handle.write((b"" if self.empty else b",") + _reindent(body, 1))
        self.empty = False

    def close(self) -> None:
        self.handle.write(b"\n ]\n}")
        self.handle.close()


def write_desktop_exports(
    spec: SyntheticSpec, out_dir: Path, start: int = 0, stop: int | None = None
) -> list[Path]:
    """One export per channel with posts in [start, stop): `<username>.<start>-<stop>.json`."""
    stop = spec.posts if stop is None else stop
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    channels = channel_list(spec)
    label = range_label(start, stop)
    offset = spec.export_utc_offset_hours
    files: dict[int, _ExportFile] = {}
    try:
        for posts in posts_in_range(spec, start, stop):
            grouped: dict[int, list[dict]] = {}
            locals_ = local_times([post.unixtime for post in posts], offset)
            for post, local in zip(posts, locals_, strict=True):
                channel = channels[post.channel]
                peer = f"channel{chat_id(post.channel)}"
                messages = grouped.setdefault(post.channel, [])
                if post.message_id == 2 and not messages:
                    messages.append(_creation(channel.title, peer, post.unixtime - 3600, offset))
                messages.extend(desktop_messages(post, channel.title, peer, offset, local))
            for channel_no in sorted(grouped):
                export = files.get(channel_no)
                if export is None:
                    path = out_dir / f"{channels[channel_no].username}.{label}.json"
                    export = files[channel_no] = _ExportFile(
                        path, channel_no, channels[channel_no].title
                    )
                export.write(grouped[channel_no])
    finally:
        for export in files.values():
            export.close()
    return sorted(export.path for export in files.values())
