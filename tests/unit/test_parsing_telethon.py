"""JSON Lines of Telethon message objects: what lands from a good file, and from a hostile one."""

import json
from datetime import UTC, datetime

import pytest
from support.paths import PARSING_FIXTURES

from orchestration.ingest.parsing import SourceFileError, detect_format, parse_file, telethon_jsonl
from orchestration.schemas import RAW_POST_SCHEMA, REJECT_SCHEMA

MESSAGES = (
    PARSING_FIXTURES / "telethon_messages.jsonl"
)  # Message.to_dict(), json.dumps(default=str)
FOURCAT = PARSING_FIXTURES / "telethon_4cat.ndjson"  # 4CAT's serializer: _type, unix dates, _chat
OBSERVED = datetime(2025, 5, 13, tzinfo=UTC)
LINES = MESSAGES.read_text(encoding="utf-8").splitlines()


def parse(path, channel="mfa_test"):
    return parse_file(path, channel=channel, observed_at=OBSERVED)


def write(tmp_path, lines, name="messages.jsonl", ending="\n"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + ending, encoding="utf-8")
    return path


def test_both_flavours_are_told_by_their_content():
    assert detect_format(MESSAGES) == "telethon_jsonl"
    assert detect_format(FOURCAT) == "telethon_jsonl"
    assert detect_format(PARSING_FIXTURES / "export_single.json") == "desktop_export"


def test_posts_carry_counts_reactions_forwards_replies_and_media():
    parsed = parse(MESSAGES)
    assert parsed.source_format == "telethon_jsonl"
    assert parsed.posts.schema == RAW_POST_SCHEMA
    assert parsed.rejects.height == 0
    posts = {row["message_id"]: row for row in parsed.posts.to_dicts()}
    assert sorted(posts) == [101, 102, 103, 105]

    first = posts[101]
    assert first["source_position"] == 0
    assert first["channel"] == "mfa_test"
    assert first["published_at"] == datetime(2025, 5, 10, 9, 15, tzinfo=UTC)
    assert (first["edited_at"], first["is_edited"]) == (
        datetime(2025, 5, 10, 9, 40, tzinfo=UTC),
        True,
    )
    assert (first["views"], first["forwards"], first["replies"]) == (15230, 87, 12)
    assert first["reactions"] == [
        {"emoji": "👍", "count": 40},
        {"emoji": "🔥", "count": 9},
        {"emoji": "custom:5368324170671202286", "count": 3},
    ]
    assert first["reactions_total"] == 52
    assert first["media_kinds"] == ["photo"] and first["media_count"] == 1
    assert first["links"] == ["https://mid.ru/en/press_service/"]

    forward = posts[102]
    assert forward["forwarded_from"] == "channel 1055555555"  # a channel names only its id
    assert forward["reactions"] == [{"emoji": "👍", "count": 5}, {"emoji": "paid", "count": 2}]
    assert forward["replies"] == 0

    reply = posts[103]
    assert reply["reply_to_message_id"] == 101
    assert reply["text"] is None and reply["media_kinds"] == ["video"]
    assert reply["replies"] is None and reply["reactions"] is None

    plain = posts[105]
    assert (plain["forwards"], plain["reactions_total"], plain["is_edited"]) == (None, None, False)

    (pin,) = parsed.service.to_dicts()
    assert (pin["message_id"], pin["action"], pin["source_position"]) == (104, "pin_message", 3)
    (header,) = parsed.headers.to_dicts()
    assert header["channel"] == "mfa_test"


def test_4cat_lines_name_their_channel_and_give_unix_dates():
    parsed = parse(FOURCAT, channel=None)
    posts = {row["message_id"]: row for row in parsed.posts.to_dicts()}
    assert {row["channel"] for row in posts.values()} == {"mfa_test"}
    assert posts[201]["published_at"] == datetime(2025, 5, 10, 9, 15, tzinfo=UTC)
    assert (posts[201]["forwards"], posts[201]["replies"]) == (4, 2)
    assert posts[201]["reactions"] == [{"emoji": "👏", "count": 11}]
    assert posts[202]["edited_at"] == datetime(2025, 5, 11, 10, 15, tzinfo=UTC)
    assert posts[202]["author"] == "Press service"
    assert parsed.headers["title"].to_list() == ["MFA Russia 🇷🇺"]


def test_a_file_without_channel_names_asks_for_one():
    with pytest.raises(SourceFileError, match="--channel"):
        parse(MESSAGES, channel=None)


def test_a_good_file_is_read_by_polars_without_a_loop_over_its_lines(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the line-by-line path ran on a well-formed file")

    monkeypatch.setattr(telethon_jsonl, "_read_lines", refuse)
    assert parse(MESSAGES).posts.height == 4


def _with_id(line: str, value: str) -> str:
    return line.replace('"id": 105', f'"id": {value}', 1)


def test_bad_lines_are_rejects_with_their_line_numbers_and_the_others_land(tmp_path):
    lines = [
        LINES[0],
        '{"_": "Message", "id": 106, "date": ',  # invalid JSON
        _with_id(LINES[4], "18446744073709551616"),  # beyond 64 bits
        _with_id(LINES[4], str(2**63)),
        _with_id(LINES[4], "9" * 5000),
        "[1, 2, 3]",
        LINES[4].replace('"views": 2100', '"views": "many"'),
        '{"_": "MessageEmpty", "id": 107, "peer_id": null}',
        LINES[4].replace('"date": "2025-05-12 10:30:00+00:00"', '"date": "yesterday"'),
        LINES[1],
    ]
    parsed = parse(write(tmp_path, lines))
    assert parsed.posts["message_id"].to_list() == [101, 102]
    assert parsed.posts["source_position"].to_list() == [0, 9]
    assert parsed.rejects.schema == REJECT_SCHEMA
    reasons = dict(zip(parsed.rejects["source_position"], parsed.rejects["reason"], strict=True))
    assert sorted(reasons) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert reasons[1].startswith("line 2: invalid JSON")
    assert reasons[2] == "line 3: id out of range (beyond 64 bits): 18446744073709551616"
    assert reasons[3] == f"line 4: id out of range (beyond 64 bits): {2**63}"
    assert reasons[4].startswith("line 5: invalid JSON: a number of thousands of digits")
    assert reasons[5] == "line 6: a JSON list, not a Telethon message object"
    assert reasons[6] == "line 7: views is str, expected an integer"
    assert "MessageEmpty" in reasons[7]
    assert reasons[8] == "line 9: date is not a time: yesterday"
    assert parsed.rejects["excerpt"][0].startswith('{"_": "Message", "id": 106')


def test_blank_lines_keep_line_numbers(tmp_path):
    parsed = parse(write(tmp_path, ["", LINES[0], "   ", LINES[4]]))
    assert parsed.posts["source_position"].to_list() == [1, 3]
    assert parsed.rejects.height == 0


def test_a_file_cut_inside_its_last_line_keeps_the_lines_before(tmp_path):
    path = write(tmp_path, [LINES[0], LINES[4][:60]], ending="")
    parsed = parse(path)
    assert parsed.posts["message_id"].to_list() == [101]
    assert parsed.rejects["reason"][0].startswith("line 2: cut short at the end of the file")
    assert parsed.warnings == ["file truncated after line 1: line 2 is cut off and not kept"]


def test_a_file_of_nothing_readable_is_rejected_by_name(tmp_path):
    path = write(tmp_path, ['{"_": "Message", "id": 1, "date": ', '{"_": "Message", "id": x}'])
    with pytest.raises(SourceFileError, match="no line of the file is a Telethon message") as error:
        parse(path)
    assert error.value.path == path
    assert "line 1: invalid JSON" in error.value.problem


def test_utf16_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "wide.jsonl"
    path.write_bytes("\n".join(LINES).encode("utf-16"))
    assert parse(path).posts.height == 4


def test_a_reactions_total_beyond_64_bits_rejects_its_line(tmp_path):
    message = json.loads(LINES[0])
    for result in message["reactions"]["results"]:
        result["count"] = 2**62
    parsed = parse(write(tmp_path, [json.dumps(message), LINES[4]]))
    assert parsed.posts["message_id"].to_list() == [105]
    assert parsed.rejects["reason"].to_list() == [
        "line 1: reactions total out of range (beyond 64 bits)"
    ]


@pytest.mark.parametrize("value", [2**63, 2**64, -(2**63) - 1, 10**30])
def test_an_id_beyond_64_bits_alone_in_a_good_file_rejects_its_line(tmp_path, value):
    parsed = parse(write(tmp_path, [LINES[0], _with_id(LINES[4], str(value))]))
    assert parsed.posts["message_id"].to_list() == [101]
    assert parsed.rejects["reason"].to_list() == [
        f"line 2: id out of range (beyond 64 bits): {value}"
    ]


def test_bad_lines_among_many_are_found_by_halving_and_every_other_line_lands(tmp_path):
    lines = [_with_id(LINES[4], str(1000 + n)) for n in range(300)]
    lines[4] = "{broken"
    lines[250] = _with_id(LINES[4], str(2**64))
    parsed = parse(write(tmp_path, lines))
    assert parsed.posts.height == 298
    assert parsed.posts["source_position"].to_list() == [n for n in range(300) if n not in (4, 250)]
    assert parsed.posts["message_id"].to_list() == [
        1000 + n for n in range(300) if n not in (4, 250)
    ]
    assert [reason.split(":")[0] for reason in parsed.rejects["reason"]] == ["line 5", "line 251"]
