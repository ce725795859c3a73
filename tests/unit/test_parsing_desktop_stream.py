"""Big Desktop exports read one message at a time (desktop_export_stream): the same frames as the
reference reader, or None where the whole-file path must decide."""

import gc
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal
from support.paths import PARSING_FIXTURES

from orchestration.bench.parsing import build_export
from orchestration.config import SAMPLE_DATA_DIR
from orchestration.ingest.parsing import ParsedFile, parse_file
from orchestration.ingest.parsing import api as parsing_api
from orchestration.ingest.parsing import desktop_export_stream as stream
from orchestration.ingest.parsing.api import read_source_text
from orchestration.ingest.parsing.common import to_parsed_file
from orchestration.ingest.parsing.desktop_export import parse_desktop_export_reference

OBSERVED_AT = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
FRAMES = ("posts", "headers", "service", "rejects")


def streamed(path: Path, channel: str | None = None) -> ParsedFile | None:
    with path.open("rb") as handle:
        return stream.parse_desktop_export_stream(handle, channel, OBSERVED_AT, str(path))


def reference_frames(path: Path, channel: str | None = None) -> ParsedFile:
    records = parse_desktop_export_reference(read_source_text(path), channel, OBSERVED_AT)
    return to_parsed_file("desktop_export", str(path), records)


def assert_streams_like_the_reference(path: Path, channel: str | None = None) -> ParsedFile:
    got = streamed(path, channel)
    assert got is not None, f"the streaming reader refused {path}"
    want = reference_frames(path, channel)
    for name in FRAMES:
        assert getattr(got, name).schema == getattr(want, name).schema, name
        assert_frame_equal(getattr(got, name), getattr(want, name), check_exact=True)
    return got


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    """Chunks of 7 messages: every file here spans several, and a chunk edge falls anywhere."""
    monkeypatch.setattr(stream, "CHUNK_MESSAGES", 7)


def _write(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _message(message_id, **fields):
    return {"id": message_id, "type": "message", "date_unixtime": "1746777900", **fields}


# Odd messages the fast loop hands to the reference reader, and rejects, in between plain ones
ODD_MESSAGES = [
    _message(1, text="plain"),
    {"type": "message", "date_unixtime": "1746777900", "text": "lost its id"},
    _message("3", text="string id"),
    _message(5.0, text="float id"),
    _message(7, text=42),
    _message(9, text=["a", 3]),
    {"id": 13, "type": "message", "date": "2025-05-10T14:00:00", "text": "ISO date only"},
    _message(15, date_unixtime="not-a-time"),
    _message(20, date_unixtime=1746777900.7, text="float time"),
    _message(22, edited="2025-05-10T15:00:00", text="ISO edit only"),
    "a message that is not an object",
    None,
    _message(32, reply_to_message_id=29, reply_to_peer_id="channel999", text="other chat"),
    _message(37, poll={"question": "Which?", "answers": []}),
    _message(40, poll={"question": 5}),
    _message(41, reactions=[{"count": 3}, {"count": True}, {"count": 2.5}, "x", {"n": 1}]),
    _message(46, author="Press", forwarded_from="Kremlin", text="both fine"),
    _message(47, media_type="voice_message", file="a.ogg"),
    {"id": 53, "type": "service", "date_unixtime": "1746777900", "action": "pin_message"},
    {"id": 54, "type": "service", "date_unixtime": "1746777900", "action": 7, "text": "odd"},
    _message(57, text=["link ", {"type": "link", "text": "https://mid.ru"}], text_entities=[]),
    _message(58, text="ünïcødé ✓ \u2028 line sep 🇷🇺", date_unixtime="0"),
    _message(2**63 - 1, text="largest Int64 id"),
    _message(1, text="plain, changed: the later version is kept"),
]


@pytest.mark.parametrize(
    "path",
    [
        PARSING_FIXTURES / "export_single.json",
        PARSING_FIXTURES / "export_bad_message.json",
        SAMPLE_DATA_DIR / "desktop_export" / "MAERusia" / "result.json",
    ],
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
@pytest.mark.parametrize("channel", [None, "override"])
def test_streamed_frames_equal_the_reference(path, channel):
    assert_streams_like_the_reference(path, channel)


def test_odd_messages_and_rejects_stream_like_the_reference(tmp_path):
    document = {"name": "Test MFA", "type": "public_channel", "id": 1500000001}
    path = _write(tmp_path / "result.json", {**document, "messages": ODD_MESSAGES})
    got = assert_streams_like_the_reference(path)
    assert got.rejects.height >= 8 and got.service.height == 1
    assert got.posts["source_position"].is_sorted()
    assert got.rejects["source_position"].is_sorted()


def test_realistic_messages_stream_like_the_reference(tmp_path):
    path = _write(tmp_path / "result.json", build_export(600, seed=5))
    got = assert_streams_like_the_reference(path)
    assert got.posts.height + got.service.height == 600
    assert got.posts["links"].list.len().sum() > 50


def test_the_real_export_streams_like_the_reference(real_data):
    got = assert_streams_like_the_reference(
        real_data / "desktop_export" / "trantor_library_TG101.result.json"
    )
    assert got.posts.height > 900


def test_byte_order_mark_and_leading_space(tmp_path):
    path = tmp_path / "result.json"
    path.write_bytes(b"\xef\xbb\xbf \n" + (PARSING_FIXTURES / "export_single.json").read_bytes())
    assert_streams_like_the_reference(path)


HEAD = b'{"name": "x", "type": "public_channel", "id": 1, "messages": ['
ONE = b'{"id": 1, "type": "message", "date_unixtime": "1", "text": "a"}'


@pytest.mark.parametrize(
    "content",
    [
        HEAD + ONE + b", " + ONE.replace(b'"a"', b'"\\ud800 lone"') + b"]}",
        HEAD + ONE + b', {"id": 2, "views": NaN}]}',
        HEAD + ONE + b', {"id": 18446744073709551616}]}',
        HEAD + ONE + b', {"id": 2, "text": "caf\xe9"}]}',
        HEAD + ONE + b', {"id": 2, "text": "a\x00b"}]}',
        HEAD + ONE + b", " + ONE,
        HEAD + ONE + b"]} trailing",
        b'{"messages": [' + ONE + b'], "name": "x", "id": 1}',
        b'{"name": "x", "id": 1, "messages": {"id": 1}}',
        b'{"about": "x", "chats": {"list": [{"name": "x", "id": 1, "messages": []}]}}',
        b"[" + ONE + b"]",
        (PARSING_FIXTURES / "telethon_messages.jsonl").read_bytes(),
    ],
    ids=[
        "surrogate escape",
        "NaN",
        "integer past 64 bits",
        "not UTF-8",
        "raw NUL",
        "cut short",
        "trailing garbage",
        "name after messages",
        "messages not a list",
        "account export",
        "a JSON array",
        "Telethon lines",
    ],
)
def test_what_it_does_not_vouch_for_is_left_to_the_whole_file_path(tmp_path, content):
    path = tmp_path / "result.json"
    path.write_bytes(content)
    assert streamed(path) is None


def test_parse_file_streams_big_exports_and_reads_others_whole(tmp_path, monkeypatch):
    """Over the threshold a streamable export is never read whole; an account export is."""
    single = PARSING_FIXTURES / "export_single.json"
    want = reference_frames(single)
    monkeypatch.setattr(parsing_api, "STREAM_FROM_BYTES", 0)
    whole_reads: list[Path] = []
    read_whole = parsing_api.read_source_bytes

    def counting(path, max_bytes=None):
        whole_reads.append(Path(path))
        return read_whole(path, max_bytes)

    monkeypatch.setattr(parsing_api, "read_source_bytes", counting)
    parsed = parse_file(single, observed_at=OBSERVED_AT)
    assert whole_reads == []
    assert_frame_equal(parsed.posts, want.posts, check_exact=True)
    account = PARSING_FIXTURES / "export_account.json"
    parsed = parse_file(account, observed_at=OBSERVED_AT)
    assert whole_reads == [account]
    assert parsed.headers.height >= 2


def test_duplicate_ids_are_resolved_on_the_streamed_path(tmp_path, monkeypatch):
    monkeypatch.setattr(parsing_api, "STREAM_FROM_BYTES", 0)
    document = {"name": "Test MFA", "type": "public_channel", "id": 1500000001}
    path = _write(tmp_path / "result.json", {**document, "messages": ODD_MESSAGES})
    parsed = parse_file(path, observed_at=OBSERVED_AT)
    texts = parsed.posts.filter(message_id=1)["text"].to_list()
    assert texts == ["plain, changed: the later version is kept"]
    assert any("later" in reason or "id 1" in reason for reason in parsed.rejects["reason"])


def test_the_garbage_collector_is_left_as_found():
    path = PARSING_FIXTURES / "export_single.json"
    assert gc.isenabled()
    streamed(path)
    assert gc.isenabled()
    gc.disable()
    try:
        streamed(path)
        assert not gc.isenabled()
    finally:
        gc.enable()
