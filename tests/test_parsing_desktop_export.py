"""Desktop-export parser on project-written result.json files (tests/fixtures/parsing)."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orchestration.parsing import parse_file
from orchestration.parsing.desktop_export import MalformedMessage, flatten_text

FIXTURES = Path(__file__).parent / "fixtures" / "parsing"


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
