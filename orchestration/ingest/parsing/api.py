"""Entry points: read a source file, tell its format from its content, and parse it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from orchestration.ingest.parsing.common import (
    ParsedFile,
    SourceFileError,
    resolve_duplicate_ids,
    storable_path,
    to_parsed_file,
)
from orchestration.ingest.parsing.desktop_export import (
    NotAnExport,
    TooDeep,
    parse_desktop_export,
)
from orchestration.ingest.parsing.desktop_export_columnar import parse_desktop_export_columnar
from orchestration.ingest.parsing.desktop_export_stream import (
    STREAM_FROM_BYTES,
    parse_desktop_export_stream,
)
from orchestration.ingest.parsing.reading import open_source, read_bounded
from orchestration.ingest.parsing.telethon_jsonl import NoChannelName as NoTelethonChannel
from orchestration.ingest.parsing.telethon_jsonl import (
    NoMessages,
    looks_like_telethon_jsonl,
    parse_telethon_jsonl,
)
from orchestration.ingest.parsing.text_copy import (
    MEDIA_LABELS,
    VIEW_IN_TELEGRAM,
    CopyCutShort,
    NoChannelName,
    parse_text_copy,
)
from orchestration.ingest.parsing.web_preview import PageCutShort, PageTooDeep, parse_web_preview

_SNIFF_CHARS = 4096
_HTML_START_RE = re.compile(
    r"<(?:!doctype|html|head|body|div|section|main|header|a|span|meta|link|script|i)\b",
    re.IGNORECASE,
)
_WEB_PREVIEW_MARKS = ("tgme_widget_message", "tgme_channel_info")
# lines that only a copy of a Telegram web preview contains
_TEXT_COPY_MARKS_RE = re.compile(
    r"^(?:.+\s[–—-]\sTelegram"
    r"|[0-9][0-9.,]*\s?[KMB]?\s+(?:subscribers?|members?)"
    r"|Download Telegram"
    r"|Forwarded from\s.+"
    r"|" + "|".join(re.escape(label) for label in (*MEDIA_LABELS, VIEW_IN_TELEGRAM)) + r")\s*$",
    re.IGNORECASE | re.MULTILINE,
)


# byte-order marks of the Unicode encodings a text editor saves besides UTF-8 (longest first:
# the UTF-32 little-endian mark begins with the UTF-16 one)
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _wide_encoding(data: bytes) -> str | None:
    """ "utf-16" or "utf-32" when the data opens with that encoding's byte-order mark."""
    return next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)


def _nul_problem(data: bytes) -> str:
    """Why bytes with a NUL in them are not a source file, as precisely as they show it."""
    first = data.index(0)
    head = data[:4096]
    # ASCII text saved as UTF-16 without a byte-order mark: every other byte is a NUL
    for parity in (0, 1):
        half = head[parity::2]
        if len(half) >= 8 and half.count(0) >= 0.9 * len(half):
            return "UTF-16 text without a byte-order mark; expected UTF-8 (save the file as UTF-8)"
    if not data[first:].strip(b"\x00"):
        return (
            f"file ends in {len(data) - first:,} zero bytes from offset {first:,}: it was written "
            "incompletely or cut short"
        )
    return f"binary content (NUL byte at offset {first})"


def read_source_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The file's bytes, or SourceFileError when it cannot be read (missing, not a regular file,
    over the size limit), is empty, or is binary."""
    data = read_bounded(Path(path), max_bytes)
    if not data:
        raise SourceFileError(path, "empty file")
    if _wide_encoding(data) is None and b"\x00" in data:
        raise SourceFileError(path, _nul_problem(data))
    return data


def read_source_text(path: Path, max_bytes: int | None = None) -> str:
    """The file as text, or SourceFileError when it is missing, empty, binary or not Unicode."""
    return decode_source_text(path, read_source_bytes(path, max_bytes))


def decode_source_text(path: Path, data: bytes) -> str:
    """read_source_bytes' result as text (see decode_source), without the cut flag."""
    return decode_source(path, data)[0]


def decode_source(path: Path, data: bytes) -> tuple[str, bool]:
    """(text, cut) from read_source_bytes' result; SourceFileError when not Unicode or blank.

    UTF-8 is expected; UTF-16 and UTF-32 are read when their byte-order mark says so. `cut` is
    True when the file ends inside a UTF-8 character: it was cut short, and the text is what
    came before that character (the parsers then say which posts were lost).
    """
    wide = _wide_encoding(data)
    cut = False
    if wide is not None:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError as problem:
            raise SourceFileError(
                path, f"not valid {wide.upper()} (bad data at byte offset {problem.start})"
            ) from None
        if "\x00" in text:
            raise SourceFileError(path, f"binary content ({wide.upper()} text with a NUL)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as problem:
            if problem.reason != "unexpected end of data" or problem.end != len(data):
                raise SourceFileError(
                    path,
                    f"binary or non-UTF-8 content (undecodable byte at offset {problem.start})",
                ) from None
            text, cut = data[: problem.start].decode("utf-8-sig"), True
    if not text.strip():
        raise SourceFileError(path, "empty file (whitespace only)")
    return text, cut


def sniff_format(text: str) -> str | None:
    """The source format a text looks like, or None when it is none of ours."""
    head = text.lstrip()[:_SNIFF_CHARS]
    if head.startswith("{"):
        if looks_like_telethon_jsonl(text[:65_536].encode("utf-8", "replace")):
            return "telethon_jsonl"
        return "desktop_export"
    if head.startswith("<") and _HTML_START_RE.match(head):
        return "web_preview" if any(mark in text for mark in _WEB_PREVIEW_MARKS) else None
    if _TEXT_COPY_MARKS_RE.search(text):
        return "text_copy"
    return None


def _unrecognized(text: str) -> str:
    head = text.lstrip()
    if head.startswith("["):
        return "unrecognized format: a JSON array, not a Telegram Desktop export"
    if head.startswith("<"):
        return "unrecognized format: HTML without Telegram web-preview markup"
    return "unrecognized format: plain text without any Telegram web-preview lines"


def detect_format(path: Path, max_bytes: int | None = None) -> str:
    """One of SOURCE_FORMATS, decided by the content (the extension is not trusted)."""
    path = Path(path)
    text = read_source_text(path, max_bytes)
    source_format = sniff_format(text)
    if source_format is None:
        raise SourceFileError(path, _unrecognized(text))
    return source_format


def parse_file(
    path: Path,
    channel: str | None = None,
    observed_at: datetime | None = None,
    max_bytes: int | None = None,
) -> ParsedFile:
    """Parse one source file into raw posts, headers, service messages and rejects.

    `channel` overrides the channel name the file gives (or lacks, for text copies);
    `observed_at` stamps the header rows and defaults to now (UTC); `max_bytes` is the size
    limit (default: TGWH_MAX_FILE_BYTES). A record that cannot be represented is a reject with
    its reason; a file that cannot be read raises SourceFileError. Several ids with different
    texts in one file keep the later one, the others become rejects that say so.
    """
    path = Path(path)
    observed_at = observed_at or datetime.now(UTC)
    if observed_at.tzinfo is None:
        observed_at = observed_at.replace(tzinfo=UTC)
    parsed = _streamed(path, channel, observed_at, max_bytes)
    if parsed is None:
        data = read_source_bytes(path, max_bytes)
        parsed = _parse_data(path, data, channel, observed_at)
    resolve_duplicate_ids(parsed)
    return parsed


def _streamed(
    path: Path, channel: str | None, observed_at: datetime, max_bytes: int | None
) -> ParsedFile | None:
    """A big Desktop export read one message at a time; None for every other file (and for
    an export that reader does not vouch for): those are read whole below."""
    try:
        if path.stat().st_size < STREAM_FROM_BYTES:
            return None
        with open_source(path, max_bytes) as handle:
            return parse_desktop_export_stream(handle, channel, observed_at, storable_path(path))
    except (OSError, SourceFileError):
        return None  # read whole below, which says what is wrong in words


def _parse_data(path: Path, data: bytes, channel: str | None, observed_at: datetime) -> ParsedFile:
    # Desktop exports straight from the bytes (no decode, no dict per row); None means the
    # file is not a plain well-formed export and the reference path below decides.
    if _wide_encoding(data) is None:
        if looks_like_telethon_jsonl(data):
            return _parse_telethon(path, data, channel, observed_at)
        try:
            parsed = parse_desktop_export_columnar(data, channel, observed_at, storable_path(path))
        except TooDeep as problem:  # its odd messages re-read with json, which nests less deep
            raise SourceFileError(path, str(problem)) from None
        if parsed is not None:
            return parsed
    text, cut = decode_source(path, data)
    source_format = sniff_format(text)
    if source_format is None:
        raise SourceFileError(path, _unrecognized(text))

    if source_format == "telethon_jsonl":  # a UTF-16 or UTF-32 file, decoded above
        return _parse_telethon(path, text.encode("utf-8"), channel, observed_at)
    if source_format == "desktop_export":
        try:
            records = parse_desktop_export(text, channel, observed_at)
        except json.JSONDecodeError as problem:
            # The error sits on the file's last line (an unterminated string reports where the
            # string began): the file was cut short, not written wrong.
            on_last_line = cut or "\n" not in text[problem.pos :].rstrip()
            truncated = " (file looks truncated)" if on_last_line else ""
            raise SourceFileError(
                path,
                f"invalid JSON{truncated}: {problem.msg} (line {problem.lineno}, "
                f"column {problem.colno})",
            ) from None
        except NotAnExport as problem:
            raise SourceFileError(path, f"not a Telegram Desktop export: {problem}") from None
        except TooDeep as problem:
            raise SourceFileError(path, str(problem)) from None
    elif source_format == "web_preview":
        try:
            records, found_anything = parse_web_preview(text, channel, observed_at, cut=cut)
        except (PageTooDeep, PageCutShort) as problem:
            raise SourceFileError(path, str(problem)) from None
        if not found_anything:
            raise SourceFileError(path, "HTML page with no posts and no channel header")
    else:
        try:
            records = parse_text_copy(text, channel, observed_at, cut=cut)
        except (NoChannelName, CopyCutShort) as problem:
            raise SourceFileError(path, str(problem)) from None
        if not records.posts and not records.headers:
            raise SourceFileError(path, "text copy with no posts and no channel header")

    return to_parsed_file(source_format, storable_path(path), records)


def _parse_telethon(
    path: Path, data: bytes, channel: str | None, observed_at: datetime
) -> ParsedFile:
    try:
        return parse_telethon_jsonl(data, channel, observed_at, storable_path(path))
    except (NoTelethonChannel, NoMessages) as problem:
        raise SourceFileError(path, str(problem)) from None
