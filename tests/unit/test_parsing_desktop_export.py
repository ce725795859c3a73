"""Desktop-export parser on project-written result.json files (tests/fixtures/parsing)."""

import gc
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal
from support.paths import PARSING_FIXTURES

from orchestration.bench.parsing import build_export
from orchestration.config import SAMPLE_DATA_DIR
from orchestration.ingest.parsing import ParsedFile, SourceFileError, parse_file
from orchestration.ingest.parsing.api import read_source_text
from orchestration.ingest.parsing.common import content_key, to_parsed_file
from orchestration.ingest.parsing.desktop_export import (
    Chat,
    MalformedMessage,
    flatten_text,
    parse_desktop_export_reference,
    storable_text,
)
from orchestration.ingest.parsing.desktop_export_columnar import (
    Columns,
    parse_desktop_export_columnar,
    read_fast,
)

FIXTURES = PARSING_FIXTURES


@pytest.fixture(scope="module")
def single():
    return parse_file(FIXTURES / "export_single.json")


@pytest.fixture(scope="module")
def posts_by_id(single):
    return {row["message_id"]: row for row in single.posts.to_dicts()}


def test_service_messages_are_kept_apart(single):
    source = json.loads((FIXTURES / "export_single.json").read_text())["messages"]
    service_ids = [m["id"] for m in source if m["type"] == "service"]
    assert single.service["message_id"].to_list() == service_ids
    assert single.service["action"].to_list() == ["create_channel", "pin_message"]
    assert single.service["actor"].unique().to_list() == ["Test MFA"]
    assert single.posts.height == len(source) - len(service_ids)
    assert single.rejects.height == 0


def test_chat_name_is_the_channel_unless_overridden(single):
    assert single.posts["channel"].unique().to_list() == ["test_mfa"]
    assert single.headers.select("channel", "title").rows() == [("test_mfa", "Test MFA")]
    overridden = parse_file(FIXTURES / "export_single.json", channel="mfa_test")
    assert overridden.posts["channel"].unique().to_list() == ["mfa_test"]
    assert overridden.posts["channel_title"].unique().to_list() == ["Test MFA"]


def test_unix_time_wins_over_the_local_date_string(posts_by_id):
    # "date" says 14:00 (the exporter's UTC+3 clock); date_unixtime 1746874800 is 11:00 UTC
    post = posts_by_id[3]
    assert post["published_at"] == datetime(2025, 5, 10, 11, 0, tzinfo=UTC)
    assert post["edited_at"] == datetime(2025, 5, 10, 11, 30, tzinfo=UTC)
    assert post["is_edited"] is True
    assert posts_by_id[2]["is_edited"] is False and posts_by_id[2]["edited_at"] is None


def test_entity_list_is_flattened_with_links(posts_by_id):
    post = posts_by_id[3]
    assert post["text"] == (
        "Putin met Abbas\n\nDetails on the Kremlin site and https://mid.ru/en/1\n\n"
        "#RussiaPalestine @MID_Russia"
    )
    assert post["links"] == ["http://kremlin.ru/events/president/news/1", "https://mid.ru/en/1"]
    assert post["author"] == "Press Office"
    assert post["reactions_total"] == 15
    assert post["media_kinds"] == ["photo"] and post["media_count"] == 1


def test_reply_forward_and_media_types(posts_by_id):
    video = posts_by_id[4]
    assert video["reply_to_message_id"] == 3
    assert video["forwarded_from"] == "Kremlin. News"
    assert video["media_kinds"] == ["video"]
    poll = posts_by_id[5]
    assert poll["media_kinds"] == ["poll"]
    assert poll["poll_question"] == "Which summit matters most?"
    assert poll["text"] is None
    document = posts_by_id[6]
    assert document["media_kinds"] == ["document"]
    # a reply to another chat's message: its id would point at the wrong post here
    assert document["reply_to_message_id"] is None


def test_bad_messages_are_rejected_and_the_good_ones_land():
    parsed = parse_file(FIXTURES / "export_bad_message.json")
    assert parsed.posts["message_id"].to_list() == [10, 16]
    assert parsed.posts["text"].to_list() == ["First good message", "Last good message with bold"]
    rejects = parsed.rejects.to_dicts()
    assert [r["source_position"] for r in rejects] == [1, 2, 3, 4, 5]
    reasons = [r["reason"] for r in rejects]
    assert reasons[0] == "missing id"
    assert "id is str" in reasons[1]
    assert "text is int" in reasons[2]
    assert "date_unixtime" in reasons[3]
    assert "expected an object" in reasons[4]
    assert "This message lost its id" in rejects[0]["excerpt"]


def test_account_export_makes_one_channel_per_chat():
    parsed = parse_file(FIXTURES / "export_account.json", channel="ignored_for_many_chats")
    assert parsed.headers["channel"].to_list() == ["test_mfa", "test_mid"]
    assert parsed.posts.select("channel", "message_id").rows() == [
        ("test_mfa", 1),
        ("test_mfa", 2),
        ("test_mid", 1),
    ]
    assert parsed.posts["source_position"].to_list() == [0, 1, 2]
    assert parsed.service.select("channel", "action").rows() == [("test_mid", "pin_message")]


def test_flatten_text_rejects_entities_without_text():
    assert flatten_text(["a", {"type": "bold", "text": "b"}]) == ("ab", [])
    with pytest.raises(MalformedMessage):
        flatten_text(["a", {"type": "bold"}])
    with pytest.raises(MalformedMessage):
        flatten_text(["a", 3])


# ------------------------------------------- columnar fast path == per-message reference

OBSERVED_AT = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
SAMPLE_EXPORTS = SAMPLE_DATA_DIR / "desktop_export"


def reference_frames(path: Path, channel: str | None = None) -> ParsedFile:
    """What the per-message reference reader makes of a file (the old parse_file path)."""
    records = parse_desktop_export_reference(read_source_text(path), channel, OBSERVED_AT)
    return to_parsed_file("desktop_export", str(path), records)


def assert_same_frames(path: Path, channel: str | None = None) -> ParsedFile:
    """The fast path must take the file and give exactly the reference's four frames."""
    fast = parse_desktop_export_columnar(path.read_bytes(), channel, OBSERVED_AT, str(path))
    assert fast is not None, f"fast path refused {path}"
    reference = reference_frames(path, channel)
    for name in ("posts", "headers", "service", "rejects"):
        got, want = getattr(fast, name), getattr(reference, name)
        assert got.schema == want.schema, name
        assert_frame_equal(got, want, check_exact=True)
    assert fast.source_format == reference.source_format
    via_parse_file = parse_file(path, channel=channel, observed_at=OBSERVED_AT)
    assert_frame_equal(via_parse_file.posts, reference.posts, check_exact=True)
    assert_frame_equal(via_parse_file.rejects, reference.rejects, check_exact=True)
    return fast


@pytest.mark.parametrize(
    "path",
    [
        FIXTURES / "export_single.json",
        FIXTURES / "export_account.json",
        FIXTURES / "export_bad_message.json",
        SAMPLE_EXPORTS / "MAERusia" / "result.json",
        SAMPLE_EXPORTS / "full_account" / "result.json",
    ],
    ids=lambda path: f"{path.parent.name}/{path.name}",
)
@pytest.mark.parametrize("channel", [None, "override"])
def test_fast_path_equals_reference_on_fixtures(path, channel):
    assert_same_frames(path, channel)


def test_fast_path_equals_reference_on_the_real_export(real_data):
    path = real_data / "desktop_export" / "trantor_library_TG101.result.json"
    fast = assert_same_frames(path)
    assert fast.posts.height > 900
    # the real export's messages are all plain: none goes to the reference reader
    document = json.loads(path.read_text(encoding="utf-8"))
    chat, columns = Chat(document, None), Columns()
    for position, message in enumerate(document["messages"]):
        read_fast(message, chat, position, columns)
    assert len(columns.post_position) == fast.posts.height


def test_fast_path_reads_realistic_messages_itself(tmp_path):
    """The benchmark's export (entity lists, media, forwards, replies, edits, reactions)."""
    document = build_export(600, seed=3)
    path = tmp_path / "result.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    fast = assert_same_frames(path)
    assert fast.posts.height + fast.service.height == 600
    assert fast.posts["links"].list.len().sum() > 50
    assert fast.posts["is_edited"].sum() > 50
    chat, columns = Chat(document, None), Columns()
    for position, message in enumerate(document["messages"]):
        read_fast(message, chat, position, columns)  # raises Unusual if it were odd


def _message(message_id, **fields):
    return {"id": message_id, "type": "message", "date_unixtime": "1746777900", **fields}


MESSY_MESSAGES = [
    _message(1, text="plain"),
    {"type": "message", "date_unixtime": "1746777900", "text": "lost its id"},
    _message("3", text="string id"),
    _message(True, text="bool id"),
    _message(5.0, text="float id"),
    _message(7, text=42),
    _message(8, text=None),
    _message(9, text=["a", 3]),
    _message(10, text=["a", {"type": "bold"}]),
    _message(11, text=["a", {"type": "text_link", "text": "b", "href": 5}, "c"]),
    {"id": 12, "type": "message", "text": "no date at all"},
    {"id": 13, "type": "message", "date": "2025-05-10T14:00:00", "text": "ISO date only"},
    {"id": 14, "type": "message", "date": "yesterday", "text": "bad ISO date"},
    _message(15, date_unixtime="not-a-time"),
    _message(16, date_unixtime="99999999999999999", text="beyond year 9999"),
    _message(17, date_unixtime="-5", text="before 1970"),
    _message(18, date_unixtime=" 1746777900 ", text="spaces around"),
    _message(19, date_unixtime="1_746_777_900", text="underscores"),
    _message(20, date_unixtime=1746777900.7, text="float time"),
    _message(21, date_unixtime=1746777900, text="int time"),
    _message(22, edited="2025-05-10T15:00:00", text="ISO edit only"),
    _message(23, edited_unixtime="1746779000", edited="2025-05-10T15:00:00", text="edited"),
    _message(24, edited_unixtime="soon", text="bad edit time"),
    {"id": 25, "date_unixtime": "1746777900", "text": "no type"},
    {"id": 26, "type": 3, "date_unixtime": "1746777900", "text": "type not a string"},
    "a message that is not an object",
    ["nor", "is", "this"],
    None,
    _message(30, reply_to_message_id=29, text="reply here"),
    _message(31, reply_to_message_id=29, reply_to_peer_id="channel1500000001", text="same"),
    _message(32, reply_to_message_id=29, reply_to_peer_id="channel999", text="other chat"),
    _message(33, reply_to_message_id=29, reply_to_peer_id=1500000001, text="int peer"),
    _message(34, reply_to_message_id=29, reply_to_peer_id=["odd"], text="list peer"),
    _message(35, reply_to_message_id="29", text="string reply id"),
    _message(36, reply_to_message_id=False, text="bool reply id"),
    _message(37, poll={"question": "Which?", "answers": []}),
    _message(38, poll={"question": ["Which ", {"type": "bold", "text": "one"}, "?"]}),
    _message(39, poll="not an object"),
    _message(40, poll={"question": 5}),
    _message(41, reactions=[{"count": 3}, {"count": True}, {"count": 2.5}, "x", {"n": 1}]),
    _message(42, reactions={"count": 3}),
    _message(43, reactions=[]),
    _message(44, author=5, text="author not a string"),
    _message(45, forwarded_from=["x"], text="forwarded from a list"),
    _message(46, author="Press", forwarded_from="Kremlin", text="both fine"),
    _message(47, media_type="voice_message", file="a.ogg"),
    _message(48, media_type="something_new", file="a.bin"),
    _message(49, file="a.pdf"),
    _message(50, location_information={"latitude": 55.75, "longitude": 37.61}),
    _message(51, contact_information={"phone_number": "+7"}),
    _message(52, photo="p.jpg", text=""),
    {
        "id": 53,
        "type": "service",
        "date_unixtime": "1746777900",
        "action": "pin_message",
        "actor": "Test MFA",
        "text": "",
    },
    {"id": 54, "type": "service", "date_unixtime": "1746777900", "action": 7, "text": "odd"},
    {"id": 55, "type": "service", "date_unixtime": "1746777900", "actor": None, "text": ["x"]},
    {"id": 56, "type": "service", "date": "2025-05-10T14:00:00+03:00", "action": "edit_title"},
    _message(57, text=["link ", {"type": "link", "text": "https://mid.ru"}], text_entities=[]),
    _message(58, text="ünïcødé ✓ \u2028 line sep", date_unixtime="0"),
    _message(59, text="edited at zero", edited_unixtime=0),
    # integers Int64 cannot hold: orjson reads 2**63..2**64-1 as int, larger ones as floats
    _message(2**70, text="id beyond 64 bits"),
    _message(2**63, text="id just past Int64"),
    _message(-(2**70), text="negative id beyond 64 bits"),
    _message(2**63 - 1, text="largest Int64 id"),
    _message(63, reply_to_message_id=2**70, text="reply id beyond 64 bits"),
    _message(64, reply_to_message_id=2**63, reply_to_peer_id="channel999", text="other chat"),
    _message(65, date_unixtime=2**70, text="date beyond 64 bits"),
    _message(66, date_unixtime=str(2**70), text="date string beyond 64 bits"),
    _message(67, edited_unixtime=2**70, text="edit time beyond 64 bits"),
    _message(68, edited_unixtime=2**63, text="edit time just past Int64"),
    _message(69, reactions=[{"count": 2**70}], text="count beyond 64 bits"),
    _message(70, reactions=[{"count": 2**63}], text="count just past Int64"),
    _message(71, reactions=[{"count": 2**62}, {"count": 2**62 + 1}], text="sum past Int64"),
    _message(72, reactions=[{"count": -(2**63)}, {"count": -1}], text="sum below Int64"),
    {"id": 2**70, "type": "service", "date_unixtime": "1746777900", "action": "pin_message"},
    _message(74, media_type=["a list"], file="x.bin", text="unhashable media type"),
    _message(75, edited="0001-01-01T00:00:00+05:00", text="ISO edit before year 1 in UTC"),
]
# the reasons the cases beyond 64 bits above must get (each once per chat; the 2**70 id,
# of a post and of a service message, twice)
OUT_OF_RANGE_REASONS = [
    "id out of range (beyond 64 bits): 9223372036854775808",
    "id out of range (beyond 64 bits): -1180591620717411303424",
    "reply_to_message_id out of range (beyond 64 bits): 1180591620717411303424",
    "reply_to_message_id out of range (beyond 64 bits): 9223372036854775808",
    "date_unixtime is not a unix time: 1180591620717411303424",
    "date_unixtime is not a unix time: '1180591620717411303424'",
    "edited_unixtime is not a unix time: 1180591620717411303424",
    "edited_unixtime is not a unix time: 9223372036854775808",
    "reactions total out of range (beyond 64 bits): 1180591620717411303424",
    "reactions total out of range (beyond 64 bits): 9223372036854775808",
    "reactions total out of range (beyond 64 bits): 9223372036854775809",
    "reactions total out of range (beyond 64 bits): -9223372036854775809",
]


def _write(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_fast_path_equals_reference_on_a_messy_single_chat(tmp_path):
    document = {"name": "Test MFA", "type": "public_channel", "id": 1500000001}
    document["messages"] = MESSY_MESSAGES
    fast = assert_same_frames(_write(tmp_path / "result.json", document))
    assert fast.rejects.height > 15 and fast.posts.height > 20 and fast.service.height == 3
    assert fast.rejects["source_position"].is_sorted()
    assert fast.posts["source_position"].is_sorted()
    reasons = fast.rejects["reason"].to_list()
    for reason in OUT_OF_RANGE_REASONS:
        assert reasons.count(reason) == 1, reason
    assert reasons.count("id out of range (beyond 64 bits): 1180591620717411303424") == 2
    assert sum(reason.startswith("id out of range") for reason in reasons) == 4
    posts = {row["message_id"]: row for row in fast.posts.to_dicts()}
    assert posts[2**63 - 1]["text"] == "largest Int64 id"
    assert posts[74]["media_kinds"] == ["document"]
    assert "edited is not an ISO time" in " ".join(reasons)


# Lone UTF-16 surrogates ("\\ud800" escapes) in every string field the parser keeps. orjson
# refuses such a file as a whole, so it is the reference reader's; before storable_text, one of
# them failed the whole file (UnicodeEncodeError in the content hash or in Polars).
SURROGATE_MESSAGES = [
    _message(1, text="plain"),
    _message(2, text="cut emoji \ud83d here"),
    _message(3, text=["split ", {"type": "bold", "text": "\ud83d"}, "\ude00 emoji"]),
    _message(4, text="low half \ude00 alone", author="Press \udc00 Office"),
    _message(5, text="fwd", forwarded_from="Kremlin \ud800"),
    _message(6, poll={"question": ["Which \udbff", {"type": "bold", "text": "one"}]}),
    _message(
        7, text=["see ", {"type": "text_link", "text": "x\ud800", "href": "https://a/\udfff"}]
    ),
    _message(8, text=["link ", {"type": "link", "text": "https://b/\ud800"}]),
    {
        "id": 9,
        "type": "service",
        "date_unixtime": "1746777900",
        "actor": "MFA \ud800",
        "action": "pin\udc00",
        "text": "pinned \ud800",
    },
    _message("10\ud800", text="string id with a surrogate: a reject"),
    _message(11, text=5, author="\ud800 rejected anyway"),
    _message(2**70, text="beyond 64 bits \ud800"),
]


@pytest.mark.parametrize("channel", [None, "override"])
def test_lone_surrogates_are_replaced_not_fatal(tmp_path, channel):
    document = {"name": "Test \ud800 MFA", "type": "public_channel", "id": 1500000001}
    document["messages"] = SURROGATE_MESSAGES
    path = tmp_path / "result.json"
    path.write_text(json.dumps(document, indent=1), encoding="ascii")  # escapes as "\\ud800"
    assert parse_desktop_export_columnar(path.read_bytes(), channel, OBSERVED_AT, str(path)) is None
    parsed = parse_file(path, channel=channel, observed_at=OBSERVED_AT)
    reference = reference_frames(path, channel)
    for name in ("posts", "headers", "service", "rejects"):
        assert_frame_equal(getattr(parsed, name), getattr(reference, name), check_exact=True)

    posts = {row["message_id"]: row for row in parsed.posts.to_dicts()}
    assert sorted(posts) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert posts[2]["text"] == "cut emoji \ufffd here"
    assert posts[3]["text"] == "split \U0001f600 emoji"  # the halves met again
    assert posts[4]["text"] == "low half \ufffd alone"
    assert posts[4]["author"] == "Press \ufffd Office"
    assert posts[5]["forwarded_from"] == "Kremlin \ufffd"
    assert posts[6]["poll_question"] == "Which \ufffdone"
    assert posts[7]["text"] == "see x\ufffd" and posts[7]["links"] == ["https://a/\ufffd"]
    assert posts[8]["links"] == ["https://b/\ufffd"]
    assert parsed.headers["title"].to_list() == ["Test \ufffd MFA"]
    assert parsed.posts["channel_title"].unique().to_list() == ["Test \ufffd MFA"]
    assert parsed.posts["channel"].unique().to_list() == [channel or "test_mfa"]
    # the content key hashes the stored text, so it is the key of the cleaned text
    assert posts[2]["content_key"] == content_key(channel or "test_mfa", posts[2]["text"])
    assert parsed.posts["content_key"].n_unique() == len(posts)
    service = parsed.service.to_dicts()
    assert [(row["actor"], row["action"], row["text"]) for row in service] == [
        ("MFA \ufffd", "pin\ufffd", "pinned \ufffd")
    ]
    rejects = parsed.rejects.to_dicts()
    assert [row["source_position"] for row in rejects] == [9, 10, 11]
    assert "id is str" in rejects[0]["reason"] and "10\ufffd" in rejects[0]["excerpt"]
    assert "\ufffd rejected anyway" in rejects[1]["excerpt"]
    assert rejects[2]["reason"].startswith("id out of range")


def test_a_chat_without_messages_and_a_surrogate_is_a_storable_reject(tmp_path):
    chats = [
        {"name": "Broken \ud800", "id": 2},
        {"name": "Good", "id": 3, "messages": SURROGATE_MESSAGES[:2]},
        {"id": "x\udc00", "messages": SURROGATE_MESSAGES[:1]},
    ]
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"chats": {"list": chats}}), encoding="ascii")
    parsed = parse_file(path, observed_at=OBSERVED_AT)
    assert parsed.rejects["reason"].to_list() == ["chat 0 has no 'messages' list"]
    assert "Broken \ufffd" in parsed.rejects["excerpt"][0]
    assert parsed.headers["channel"].to_list() == ["good", "chatx\ufffd"]
    assert parsed.posts["text"].to_list() == ["plain", "cut emoji \ufffd here", "plain"]


def test_clean_text_pairs_halves_and_replaces_lone_ones():
    assert storable_text("plain ✓ \U0001f600") == "plain ✓ \U0001f600"
    assert storable_text("\ud83d\ude00") == "\U0001f600"
    assert storable_text("a\ud800b\udc00") == "a\ufffdb\ufffd"
    assert storable_text("\ude00\ud83d") == "\ufffd\ufffd"  # low before high is no pair
    assert flatten_text(["\ud83d", {"type": "bold", "text": "\ude00"}]) == ("\U0001f600", [])


def test_fast_path_equals_reference_on_a_messy_account_export(tmp_path):
    chats = [
        {"name": "Test MFA", "type": "public_channel", "id": 1, "messages": MESSY_MESSAGES},
        {"name": "No messages here", "type": "public_channel", "id": 2},
        "a chat that is not an object",
        {"name": "МИД России", "type": "public_channel", "id": 3, "messages": MESSY_MESSAGES},
        {"type": "private_channel", "id": 4, "messages": MESSY_MESSAGES[:3]},
        {"name": None, "messages": []},
    ]
    left = [{"name": "Left channel", "type": "public_channel", "id": 5, "messages": MESSY_MESSAGES}]
    document = {"about": "x", "chats": {"list": chats}, "left_chats": {"list": left}}
    fast = assert_same_frames(_write(tmp_path / "result.json", document), "ignored")
    assert fast.headers["channel"].n_unique() >= 4
    assert "chat 1 has no 'messages' list" in fast.rejects["reason"].to_list()


@pytest.mark.parametrize(
    "content",
    [
        b'{"name": "x", "id": 18446744073709551616, "messages": [{"id": 1, "type": "message", '
        b'"date_unixtime": "1", "reply_to_message_id": 1, "reply_to_peer_id": "channel1"}]}',
        b'{"name": "x", "messages": [{"id": 1, "type": "message", "date_unixtime": "1", '
        b'"views": NaN}]}',
        b'{"name": "x", "messages": [{"id": 1, "type": "message", "date_unixtime": "1", '
        b'"from": "\\ud800 lone surrogate"}]}',
    ],
    ids=["chat id beyond 64 bits", "NaN", "lone surrogate"],
)
def test_what_orjson_reads_differently_goes_to_the_reference(tmp_path, content):
    path = tmp_path / "result.json"
    path.write_bytes(content)
    assert parse_desktop_export_columnar(content, None, OBSERVED_AT, str(path)) is None
    reference = reference_frames(path)
    parsed = parse_file(path, observed_at=OBSERVED_AT)
    assert_frame_equal(parsed.posts, reference.posts, check_exact=True)


def test_byte_order_mark_and_leading_space_are_read(tmp_path):
    source = (FIXTURES / "export_single.json").read_bytes()
    path = tmp_path / "result.json"
    path.write_bytes(b"\xef\xbb\xbf \n" + source)
    assert_same_frames(path)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"name": "x", "messages": [{"id": 1, "text": "caf\xe9"}]}', "non-UTF-8"),
        (b'{"name": "x", "messages": [{"id": 1, "text": "cut', "truncated"),
        (b'{"name": "x", "messages": [{"id": 1,, "text": "x"}]}\n\n', "(line 1, column 37)"),
        (b'{"name": "x", "list": []}', "neither a 'messages' list"),
        (b"\xef\xbb\xbf\xef\xbb\xbf{}", "unrecognized format"),
    ],
)
def test_file_level_errors_keep_their_messages(tmp_path, content, problem):
    path = tmp_path / "result.json"
    path.write_bytes(content)
    assert parse_desktop_export_columnar(content, None, OBSERVED_AT, str(path)) is None
    with pytest.raises(SourceFileError, match=re.escape(problem)):
        parse_file(path)


def test_the_garbage_collector_is_left_as_found(tmp_path):
    path = FIXTURES / "export_single.json"
    assert gc.isenabled()
    parse_desktop_export_columnar(path.read_bytes(), None, OBSERVED_AT, str(path))
    assert gc.isenabled()
    gc.disable()
    try:
        parse_desktop_export_columnar(path.read_bytes(), None, OBSERVED_AT, str(path))
        assert not gc.isenabled()
    finally:
        gc.enable()
