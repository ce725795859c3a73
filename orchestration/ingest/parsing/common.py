"""Pieces every parser shares: the result type, file-level errors, counters, keys, frames."""

from __future__ import annotations

import csv
import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from orchestration.config import REFERENCE_DIR
from orchestration.schemas import (
    RAW_HEADER_SCHEMA,
    RAW_POST_SCHEMA,
    RAW_SERVICE_SCHEMA,
    REJECT_SCHEMA,
    conform,
)

EXCERPT_CHARS = 200


class SourceFileError(Exception):
    """The file as a whole cannot be parsed (empty, binary, broken JSON, unknown format).

    Problems with single records are rejects, never this exception.
    """

    def __init__(self, path: Path | str, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


@dataclass
class ParsedFile:
    """What one source file yielded, each frame conformed to its raw schema."""

    source_format: str
    posts: pl.DataFrame
    headers: pl.DataFrame
    service: pl.DataFrame
    rejects: pl.DataFrame


@dataclass
class Records:
    """Plain-Python rows a format parser collects before they become frames."""

    posts: list[dict]
    headers: list[dict]
    service: list[dict]
    rejects: list[dict]

    @classmethod
    def empty(cls) -> Records:
        return cls([], [], [], [])


_EMPTY_FRAMES: dict[int, pl.DataFrame] = {}


def _empty(schema: dict) -> pl.DataFrame:
    """A fresh empty frame of the schema; clear() of a cached one is ~50x cheaper than a new one."""
    cached = _EMPTY_FRAMES.get(id(schema))
    if cached is None:
        cached = _EMPTY_FRAMES[id(schema)] = conform(pl.DataFrame(schema=schema), schema)
    return cached.clear()


def conformed_frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    """Rows -> a frame with exactly the schema's columns and types.

    Built straight on the schema (missing keys become nulls), which is already exact; conform()
    then runs only if it is not, because its per-column casts cost ~0.3 ms a frame, more than
    parsing a dozen posts.
    """
    if not rows:
        return _empty(schema)
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    if frame.columns == list(schema) and frame.dtypes == list(schema.values()):
        return frame
    return conform(frame, schema)


def to_parsed_file(source_format: str, source_file: str, records: Records) -> ParsedFile:
    """The four frames of one file, its format and path stamped on every row."""
    for rows in (records.posts, records.headers, records.service, records.rejects):
        for row in rows:
            row["source_format"] = source_format
            row["source_file"] = source_file
    return ParsedFile(
        source_format=source_format,
        posts=conformed_frame(records.posts, RAW_POST_SCHEMA),
        headers=conformed_frame(records.headers, RAW_HEADER_SCHEMA),
        service=conformed_frame(records.service, RAW_SERVICE_SCHEMA),
        rejects=conformed_frame(records.rejects, REJECT_SCHEMA),
    )


_COUNT_RE = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*([KkMmBb]?)\s*$")
_MULTIPLIER = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}


def parse_count(value: str | None) -> int | None:
    """Telegram's abbreviated counters: "905" -> 905, "52.9K" -> 52900, "1.2M" -> 1200000.

    Returns None for anything that is not such a counter, so an odd value never aborts a record.
    """
    if not value:
        return None
    value = value.replace("\xa0", "").replace(" ", "")
    match = _COUNT_RE.match(value)
    if not match:
        return None
    number, suffix = match.groups()
    multiplier = _MULTIPLIER[suffix.upper()]
    if multiplier == 1:
        # "1,204" is a thousands separator when there is no suffix
        return int(number.replace(",", "").replace(".", ""))
    return round(float(number.replace(",", ".")) * multiplier)


def content_key(channel: str | None, text: str | None) -> str:
    """Stable key from content: sha256 hex prefix of channel + newline + text."""
    payload = f"{channel or ''}\n{text or ''}".encode()
    return hashlib.sha256(payload).hexdigest()[:16]


_SLUG_DROP = re.compile(r"[\W_]+")
_TITLE_NOISE = re.compile(r"[^\w]+")
KNOWN_CHANNELS_CSV = REFERENCE_DIR / "channels.csv"


def _title_key(title: str) -> str:
    """Titles compared without emoji, punctuation, case or spacing ("Russian MFA 🇷🇺")."""
    return _TITLE_NOISE.sub(" ", title).strip().casefold()


@functools.cache
def _known_channels() -> dict[str, str]:
    with KNOWN_CHANNELS_CSV.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {_title_key(row["title"]): row["username"] for row in rows}


def channel_for_title(title: str | None) -> str | None:
    """The username of a known channel with this title, else a slug of the title."""
    if not title:
        return None
    return _known_channels().get(_title_key(title)) or slugify(title)


def slugify(title: str | None) -> str | None:
    """A channel name from a title: lower-case letters, digits and "_" (any script); emoji,
    punctuation and spaces become "_"."""
    if not title:
        return None
    slug = _SLUG_DROP.sub("_", title.casefold()).strip("_")
    return slug or None


def excerpt(text: str) -> str:
    return text[:EXCERPT_CHARS]


def reject(position: int | None, reason: str, raw: str) -> dict:
    return {"source_position": position, "reason": reason, "excerpt": excerpt(raw)}


def utc_from_unix(value: int | str) -> datetime:
    return datetime.fromtimestamp(int(value), tz=UTC)
