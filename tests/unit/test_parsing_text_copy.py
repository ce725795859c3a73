"""Text-copy parser on a project-written copy (tests/fixtures/parsing/text_copy*.txt)."""

import pytest
from support.paths import PARSING_FIXTURES

from orchestration.ingest.parsing import parse_file
from orchestration.ingest.parsing.text_copy import MEDIA_LABELS, is_post_boundary

FIXTURES = PARSING_FIXTURES


@pytest.fixture(scope="module")
def copy():
    return parse_file(FIXTURES / "text_copy.txt")


@pytest.fixture(scope="module")
def posts(copy):
    return copy.posts.to_dicts()


def test_header_block(copy):
    header = copy.headers.row(0, named=True)
    assert header["channel"] == "test_mfa"  # slug of the title, emoji dropped
    assert header["title"] == "Test MFA 🇷🇺"
    assert (
        header["subscribers"],
        header["photos"],
        header["videos"],
        header["files"],
        header["links"],
    ) == (52_900, 16_300, 1_370, 3, 16_900)
    assert header["description"].startswith("Official test channel of the MFA\n\n🔊 Sister")
    assert header["description"].endswith("x.com/mfa_test")
    assert "Download Telegram" not in header["description"]


def test_posts_are_split_where_the_copy_delimits_them(posts):
    first_lines = [post["text"].split("\n")[0] for post in posts]
    assert first_lines == [
        "🎗On May 9, the Embassy held an “Immortal Regiment” march.",
        "🇷🇺🇵🇸 President Putin met President Abbas (May 10, 2025)",
        "⚡️ A short news flash without hashtags.",
        "Journalists waiting for the press conference to start",
        "⚡️ Statement (May 11, 2025)",
        "🇷🇺🇿🇼 President Putin met President Mnangagwa",
        "🥀 Wreath-laying ceremony at Mauthausen",
        "🇷🇺🇹🇷 President Putin and President Erdogan held a telephone conversation.",
        "🎙 Excerpt from the press statement",
    ]
    assert [post["source_position"] for post in posts] == list(range(len(posts)))
    assert all(post["message_id"] is None and post["published_at"] is None for post in posts)


def test_media_labels_belong_to_the_post_below_them(posts):
    assert [post["media_kinds"] for post in posts] == [
        [],
        ["unsupported"],
        [],
        ["unsupported"],
        ["video_too_big"],
        [],
        [],
        [],
        [],
    ]
    assert [post["media_count"] for post in posts] == [0, 1, 0, 1, 1, 0, 0, 0, 0]


def test_forward_header_becomes_a_field(posts):
    assert [post["forwarded_from"] for post in posts] == [
        None,
        None,
        None,
        "Kremlin. News",
        None,
        None,
        None,
        None,
        None,
    ]


def test_reply_quote_becomes_reply_to_text(posts):
    reply = posts[-1]
    assert reply["reply_to_text"] == (
        "🇷🇺🇵🇸 President Putin met President Abbas (May 10, 2025) 💬 President Putin: "
        "Dear\xa0friend…"
    )
    assert reply["text"] == "🎙 Excerpt from the press statement\n\n👉 Full trannoscript"
    assert [post["reply_to_text"] is not None for post in posts].count(True) == 1


def test_list_lines_and_colon_lines_stay_inside_their_post(posts):
    assert posts[5]["text"] == (
        "🇷🇺🇿🇼 President Putin met President Mnangagwa\n\nKey points:\n🔹 trade is growing.\n"
        "🔹 460 students study in Russia.\n\n#RussiaZimbabwe"
    )


def test_footer_remnants_end_posts_and_carry_views(posts):
    assert posts[6]["views"] == 3_400 and posts[6]["is_edited"] is False
    assert posts[7]["views"] == 12_500 and posts[7]["is_edited"] is True


def test_no_structural_line_leaks_into_any_text(posts):
    structural = {label.lower() for label in MEDIA_LABELS} | {"view in telegram"}
    for post in posts:
        for line in post["text"].split("\n"):
            assert line.lower() not in structural
            assert not line.startswith("Forwarded from")
            assert "views" not in line and line != "May 11"
            assert line != "Test MFA 🇷🇺"


def test_text_is_not_corrected(posts):
    assert "Full trannoscript to be added later" in posts[4]["text"]


def test_channel_argument_names_a_copy_without_header():
    parsed = parse_file(FIXTURES / "text_copy_no_header.txt", channel="mfa_russia")
    assert parsed.headers.height == 0
    assert parsed.posts.select("channel", "forwarded_from").rows() == [
        ("mfa_russia", None),
        ("mfa_russia", "Russian Mission Vienna"),
    ]


@pytest.mark.parametrize(
    ("previous", "line", "expected"),
    [
        ("#Victory80 #ImmortalRegiment", "Any next line", True),
        ("Full transcript to be added later", "🇷🇺🇿🇼 President met", True),
        ("The talks ended.", "⚡️ Breaking", True),
        ("Key points:", "❗️ First point", False),
        ("🔹 first item.", "🔹 second item.", False),
        ("A sentence that goes on", "and continues here", False),
        ("Dear friend,", "💬 Welcome", False),
    ],
)
def test_post_boundary_rule(previous, line, expected):
    assert is_post_boundary(previous, line) is expected
