"""Pieces every parser shares: the result type, file-level errors, counters, keys, frames."""

from __future__ import annotations

import csv
import functools
import hashlib
import re
from dataclasses import dataclass, field
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
REASON_CHARS = 500  # a reason quotes the bad value; a value of megabytes is cut short
# Int64 columns: a larger integer would fail the whole frame, so it rejects its record.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


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
    # what was lost from a file that still landed (cut short, conflicting duplicates): each
    # also has its reject rows; these sentences are for the run's summary
    warnings: list[str] = field(default_factory=list)


@dataclass
class Records:
    """Plain-Python rows a format parser collects before they become frames."""

    posts: list[dict]
    headers: list[dict]
    service: list[dict]
    rejects: list[dict]
    warnings: list[str] = field(default_factory=list)  # see ParsedFile.warnings

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
    """The four frames of one file, its format and path stamped on every row.

    A row that no frame can hold (an integer beyond 64 bits a parser let through) becomes a
    reject here rather than failing the whole file.
    """
    for rows in (records.posts, records.headers, records.service, records.rejects):
        for row in rows:
            row["source_format"] = source_format
            row["source_file"] = source_file
    frames = {}
    for name, schema in (
        ("posts", RAW_POST_SCHEMA),
        ("headers", RAW_HEADER_SCHEMA),
        ("service", RAW_SERVICE_SCHEMA),
    ):
        rows = getattr(records, name)
        try:
            frames[name] = conformed_frame(rows, schema)
        except (pl.exceptions.PolarsError, OverflowError, TypeError, ValueError):
            kept = _reject_unrepresentable(rows, schema, name, records.rejects, source_format)
            frames[name] = conformed_frame(kept, schema)
    return ParsedFile(
        source_format=source_format,
        rejects=conformed_frame(records.rejects, REJECT_SCHEMA),
        warnings=list(records.warnings),
        **frames,
    )


def storable_path(path: Path | str) -> str:
    """The path as text that Parquet, Dagster and a terminal take: a file name that is not
    UTF-8 keeps its bad bytes as U+FFFD instead of failing every write of it."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def out_of_int64(value: object) -> bool:
    return isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX


def shown(value: object, chars: int = 40) -> str:
    """A value for a reason: as written, cut to `chars` characters with its length."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, int):
        try:
            text = str(value)
        except ValueError:  # more digits than Python prints
            return "an integer of thousands of digits"
    else:
        text = repr(value)
    if len(text) <= chars:
        return text
    return f"{text[:chars]}… ({len(text):,} characters)"


def _reject_unrepresentable(
    rows: list[dict], schema: dict, table: str, rejects: list[dict], source_format: str
) -> list[dict]:
    """The rows whose integers fit their Int64 columns; the others appended to `rejects`."""
    integer_columns = [name for name, dtype in schema.items() if dtype == pl.Int64]
    kept = []
    for row in rows:
        bad = [name for name in integer_columns if out_of_int64(row.get(name))]
        if not bad:
            kept.append(row)
            continue
        what = "channel header" if table == "headers" else "record"
        reason = f"{what}: " + "; ".join(
            f"{name} out of range (beyond 64 bits): {_count_shown(row[name])}" for name in bad
        )
        raw = " ".join(f"{key}={value!r}" for key, value in row.items() if value is not None)
        rejects.append(
            {
                **reject(row.get("source_position"), reason, raw),
                "source_format": source_format,
                "source_file": row.get("source_file"),
            }
        )
    return kept


def _count_shown(value: int) -> str:
    return "more than 19 digits" if value is COUNT_OVERFLOW else shown(value)


def resolve_duplicate_ids(parsed: ParsedFile) -> None:
    """Posts of one channel with the same id and different texts: the later one is kept.

    A file should hold each message once; where it holds two versions the later is taken as
    the newer (as normalization would), and each earlier version with another text becomes a
    reject saying so, so the choice is visible. Copies with the same text are left to
    normalization, which merges them. Columnar, and almost free when there is no duplicate.
    """
    posts = parsed.posts
    # a Python set: Polars' n_unique costs milliseconds on a page's 20 ids (thread pool start),
    # the set 50 ms on a million
    ids = posts.get_column("message_id").drop_nulls().to_list()
    if len(set(ids)) == len(ids):
        return
    ordered = posts.with_row_index("__row")
    last = (
        ordered.filter(pl.col("message_id").is_not_null())
        .group_by("channel", "message_id")
        .agg(pl.col("__row").max().alias("__kept_row"), pl.col("text").last().alias("__kept"))
    )
    with_kept = ordered.join(last, on=["channel", "message_id"], how="left", nulls_equal=True)
    dropped = with_kept.filter(
        pl.col("__kept_row").is_not_null()
        & (pl.col("__row") != pl.col("__kept_row"))
        & pl.col("text").ne_missing(pl.col("__kept"))
    )
    if dropped.height == 0:
        return
    kept_position = ordered.select("__row", pl.col("source_position").alias("__kept_position"))
    dropped = dropped.join(
        kept_position, left_on="__kept_row", right_on="__row", how="left", suffix="_kept"
    )
    reasons = dropped.select(
        pl.col("source_file"),
        pl.col("source_format"),
        pl.col("source_position"),
        pl.format(
            "duplicate id {} with different text; kept the later one (position {})",
            pl.col("message_id"),
            pl.col("__kept_position"),
        ).alias("reason"),
        pl.col("text").fill_null("").str.slice(0, EXCERPT_CHARS).alias("excerpt"),
    )
    parsed.rejects = pl.concat([parsed.rejects, conform(reasons, REJECT_SCHEMA)])
    parsed.posts = ordered.filter(~pl.col("__row").is_in(dropped["__row"].implode())).drop("__row")
    ids = dropped["message_id"].unique(maintain_order=True)
    listed = ", ".join(map(str, ids.head(5).to_list())) + (", ..." if ids.len() > 5 else "")
    parsed.warnings.append(
        f"{dropped.height} earlier version(s) of {ids.len()} duplicate message id(s) with "
        f"different text were not kept (ids {listed}); kept the later one of each"
    )


_COUNT_RE = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*([KkMmBb]?)\s*$")


class _CountOverflow(int):
    """parse_count's value for a counter of more digits than 64 bits hold (the exact value of
    a thousand-digit number is neither needed nor cheap): beyond Int64, so its record is
    rejected; told apart by identity (``value is COUNT_OVERFLOW``)."""


COUNT_OVERFLOW = _CountOverflow(2**64)
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
    if len(number) > 24:
        return COUNT_OVERFLOW
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
    if len(reason) > REASON_CHARS:
        reason = reason[: REASON_CHARS - 1] + "…"
    return {"source_position": position, "reason": reason, "excerpt": excerpt(raw)}


def utc_from_unix(value: int | str) -> datetime:
    return datetime.fromtimestamp(int(value), tz=UTC)
