"""File-level behaviour shared by all parsers: format sniffing, file errors, frame contracts."""

import hashlib
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from support.paths import PARSING_FIXTURES

from orchestration.ingest.parsing import ParsedFile, SourceFileError, detect_format, parse_file
from orchestration.ingest.parsing.common import channel_for_title, parse_count, slugify
from orchestration.schemas import (
    RAW_HEADER_SCHEMA,
    RAW_POST_SCHEMA,
    RAW_SERVICE_SCHEMA,
    REJECT_SCHEMA,
    SOURCE_FORMATS,
)

FIXTURES = PARSING_FIXTURES

GOOD_FILES = {
    "web_page.html": "web_preview",
    "web_broken_post.html": "web_preview",
    "export_single.json": "desktop_export",
    "export_account.json": "desktop_export",
    "export_bad_message.json": "desktop_export",
    "text_copy.txt": "text_copy",
    "text_copy_no_header.txt": "text_copy",
}


@pytest.mark.parametrize(("name", "expected"), sorted(GOOD_FILES.items()))
def test_detect_format_by_content(name, expected):
    assert expected in SOURCE_FORMATS
    assert detect_format(FIXTURES / name) == expected


@pytest.mark.parametrize(
    ("name", "disguise"),
    [
        ("web_page.html", "saved.txt"),
        ("export_single.json", "result.html"),
        ("text_copy.txt", "copy.json"),
    ],
)
def test_detect_format_ignores_the_extension(tmp_path, name, disguise):
    disguised = tmp_path / disguise
    shutil.copy(FIXTURES / name, disguised)
    assert detect_format(disguised) == GOOD_FILES[name]
    assert parse_file(disguised).source_format == GOOD_FILES[name]


@pytest.mark.parametrize(
    ("name", "problem_words"),
    [
        ("empty.txt", "empty file"),
        ("whitespace_only.txt", "empty file"),
        ("binary.png", "binary"),
        ("not_utf8.txt", "non-UTF-8"),
        ("export_truncated.json", "invalid JSON"),
        ("json_array.json", "unrecognized format"),
        ("not_telegram.txt", "unrecognized format"),
        ("not_telegram.html", "unrecognized format"),
        ("web_no_posts.html", "no posts and no channel header"),
        ("text_copy_no_header.txt", "pass a channel name"),
        ("no_such_file.html", "no such file"),
    ],
)
def test_file_level_failures_raise_source_file_error(name, problem_words):
    path = FIXTURES / name
    with pytest.raises(SourceFileError) as caught:
        parse_file(path)
    error = caught.value
    assert problem_words in error.problem
    assert error.path == path
    assert str(error) == f"{path}: {error.problem}"


def test_truncated_json_is_called_truncated():
    with pytest.raises(SourceFileError, match="truncated"):
        parse_file(FIXTURES / "export_truncated.json")


def test_detect_format_raises_on_unrecognized_content():
    with pytest.raises(SourceFileError, match="unrecognized format"):
        detect_format(FIXTURES / "not_telegram.txt")


def _assert_contract(parsed: ParsedFile, path: Path):
    for frame, schema in (
        (parsed.posts, RAW_POST_SCHEMA),
        (parsed.headers, RAW_HEADER_SCHEMA),
        (parsed.service, RAW_SERVICE_SCHEMA),
        (parsed.rejects, REJECT_SCHEMA),
    ):
        assert frame.schema == pl.Schema(schema)
        if frame.height:
            assert frame["source_file"].unique().to_list() == [str(path)]
            assert frame["source_format"].unique().to_list() == [parsed.source_format]


@pytest.mark.parametrize("name", sorted(GOOD_FILES))
def test_every_frame_matches_its_schema(name):
    path = FIXTURES / name
    channel = "mfa_test" if name == "text_copy_no_header.txt" else None
    _assert_contract(parse_file(path, channel=channel), path)


def test_observed_at_defaults_to_now_and_can_be_given():
    before = datetime.now(UTC)
    parsed = parse_file(FIXTURES / "web_page.html")
    observed = parsed.headers["observed_at"][0]
    assert before - timedelta(seconds=1) <= observed <= datetime.now(UTC)

    given = datetime(2025, 5, 11, 12, 0, tzinfo=UTC)
    parsed = parse_file(FIXTURES / "text_copy.txt", observed_at=given)
    assert parsed.headers["observed_at"].to_list() == [given]


@pytest.mark.parametrize("name", ["web_page.html", "export_single.json", "text_copy.txt"])
def test_content_key_is_sha256_of_channel_and_text(name):
    posts = parse_file(FIXTURES / name).posts
    for channel, text, key in posts.select("channel", "text", "content_key").iter_rows():
        expected = hashlib.sha256(f"{channel}\n{text or ''}".encode()).hexdigest()[:16]
        assert key == expected


def test_channel_argument_overrides_every_format():
    for name in ("web_page.html", "export_single.json", "text_copy.txt"):
        parsed = parse_file(FIXTURES / name, channel="override")
        assert parsed.posts["channel"].unique().to_list() == ["override"]
        assert parsed.headers["channel"].unique().to_list() == ["override"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("905", 905),
        ("52.9K", 52_900),
        ("1.37K", 1_370),
        ("1.2M", 1_200_000),
        ("109K", 109_000),
        ("16.9K", 16_900),
        ("1,204", 1_204),
        ("", None),
        ("n/a", None),
        (None, None),
    ],
)
def test_parse_count(text, expected):
    assert parse_count(text) == expected


def test_slugify_keeps_lowercase_words_of_any_script():
    assert slugify("Russian MFA 🇷🇺") == "russian_mfa"
    assert slugify("Кремль") == "кремль"
    assert slugify("  MID -- Russia!! ") == "mid_russia"
    assert slugify("🇷🇺 !!") is None


def test_known_channel_titles_give_their_username():
    assert channel_for_title("Russian MFA 🇷🇺") == "mfa_russia"
    assert channel_for_title("МИД России") == "MID_Russia"
    assert channel_for_title("Some Other Channel") == "some_other_channel"
    assert channel_for_title(None) is None
