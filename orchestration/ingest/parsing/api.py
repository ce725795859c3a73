"""Entry points: read a source file, tell its format from its content, and parse it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from orchestration.ingest.parsing.common import ParsedFile, SourceFileError, to_parsed_file
from orchestration.ingest.parsing.desktop_export import NotAnExport, parse_desktop_export
from orchestration.ingest.parsing.desktop_export_columnar import parse_desktop_export_columnar
from orchestration.ingest.parsing.text_copy import (
    MEDIA_LABELS,
    VIEW_IN_TELEGRAM,
    NoChannelName,
    parse_text_copy,
)
from orchestration.ingest.parsing.web_preview import parse_web_preview

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


def read_source_bytes(path: Path) -> bytes:
    """The file's bytes, or SourceFileError when it is missing, empty or binary."""
    try:
        data = path.read_bytes()
    except OSError as problem:
        raise SourceFileError(path, f"cannot read file ({problem.strerror or problem})") from None
    if not data:
        raise SourceFileError(path, "empty file")
    if b"\x00" in data:
        raise SourceFileError(path, f"binary content (NUL byte at offset {data.index(0)})")
    return data


def read_source_text(path: Path) -> str:
    """The file as text, or SourceFileError when it is missing, empty, binary or not UTF-8."""
    return decode_source_text(path, read_source_bytes(path))


def decode_source_text(path: Path, data: bytes) -> str:
    """read_source_bytes' result as text, or SourceFileError when it is not UTF-8 or blank."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise SourceFileError(
            path, f"binary or non-UTF-8 content (undecodable byte at offset {problem.start})"
        ) from None
    if not text.strip():
        raise SourceFileError(path, "empty file (whitespace only)")
    return text


def sniff_format(text: str) -> str | None:
    """The source format a text looks like, or None when it is none of ours."""
    head = text.lstrip()[:_SNIFF_CHARS]
    if head.startswith("{"):
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


def detect_format(path: Path) -> str:
    """One of SOURCE_FORMATS, decided by the content (the extension is not trusted)."""
    path = Path(path)
    text = read_source_text(path)
    source_format = sniff_format(text)
    if source_format is None:
        raise SourceFileError(path, _unrecognized(text))
    return source_format


def parse_file(
    path: Path, channel: str | None = None, observed_at: datetime | None = None
) -> ParsedFile:
    """Parse one source file into raw posts, headers, service messages and rejects.

    `channel` overrides the channel name the file gives (or lacks, for text copies);
    `observed_at` stamps the header rows and defaults to now (UTC).
    """
    path = Path(path)
    observed_at = observed_at or datetime.now(UTC)
    if observed_at.tzinfo is None:
        observed_at = observed_at.replace(tzinfo=UTC)
    data = read_source_bytes(path)
    # Desktop exports straight from the bytes (no decode, no dict per row); None means the
    # file is not a plain well-formed export and the reference path below decides.
    parsed = parse_desktop_export_columnar(data, channel, observed_at, str(path))
    if parsed is not None:
        return parsed
    text = decode_source_text(path, data)
    source_format = sniff_format(text)
    if source_format is None:
        raise SourceFileError(path, _unrecognized(text))

    if source_format == "desktop_export":
        try:
            records = parse_desktop_export(text, channel, observed_at)
        except json.JSONDecodeError as problem:
            # The error sits on the file's last line (an unterminated string reports where the
            # string began): the file was cut short, not written wrong.
            on_last_line = "\n" not in text[problem.pos :].rstrip()
            truncated = " (file looks truncated)" if on_last_line else ""
            raise SourceFileError(
                path,
                f"invalid JSON{truncated}: {problem.msg} (line {problem.lineno}, "
                f"column {problem.colno})",
            ) from None
        except NotAnExport as problem:
            raise SourceFileError(path, f"not a Telegram Desktop export: {problem}") from None
    elif source_format == "web_preview":
        records, found_anything = parse_web_preview(text, channel, observed_at)
        if not found_anything:
            raise SourceFileError(path, "HTML page with no posts and no channel header")
    else:
        try:
            records = parse_text_copy(text, channel, observed_at)
        except NoChannelName as problem:
            raise SourceFileError(path, str(problem)) from None
        if not records.posts and not records.headers:
            raise SourceFileError(path, "text copy with no posts and no channel header")

    return to_parsed_file(source_format, str(path), records)
