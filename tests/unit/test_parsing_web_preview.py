"""Web-preview parser on project-written pages (tests/fixtures/parsing/web_*.html)."""

from datetime import UTC, datetime

import pytest
from support.paths import PARSING_FIXTURES

from orchestration.ingest.parsing import parse_file
from orchestration.ingest.parsing.web_preview import BR_MARK, rendered_text

FIXTURES = PARSING_FIXTURES


@pytest.fixture(scope="module")
def page():
    return parse_file(FIXTURES / "web_page.html")


@pytest.fixture(scope="module")
def posts_by_id(page):
    return {row["message_id"]: row for row in page.posts.to_dicts()}


def test_header_fields_and_counters(page):
    assert page.headers.height == 1
    header = page.headers.row(0, named=True)
    assert header["channel"] == "mfa_test"
    assert header["title"] == "Test MFA 🇷🇺"
    assert header["description"] == "Official test channel\n\nSister channel: @mid_test"
    assert (
        header["subscribers"],
        header["photos"],
        header["videos"],
        header["files"],
        header["links"],
    ) == (52_900, 16_300, 1_370, 3, 16_900)


def test_service_message_goes_to_service_not_posts(page, posts_by_id):
    assert 100 not in posts_by_id
    assert page.service.height == 1
    service = page.service.row(0, named=True)
    assert (service["channel"], service["message_id"]) == ("mfa_test", 100)
    assert service["action"] == "edit_group_photo"
    assert service["text"] == "Channel photo updated"


def test_post_ids_positions_and_channel(page):
    assert page.posts["message_id"].to_list() == [101, 102, 103, 104, 107, 108, 109]
    assert page.posts["channel"].unique().to_list() == ["mfa_test"]
    assert page.posts["channel_title"].unique().to_list() == ["Test MFA 🇷🇺"]
    # positions count every message element of the file, the service message included
    assert page.posts["source_position"].to_list() == [1, 2, 3, 4, 5, 6, 7]


def test_text_breaks_links_time_views_edited(posts_by_id):
    post = posts_by_id[101]
    assert post["text"] == (
        "🇷🇺🇵🇸 President Putin met President Abbas (May 10, 2025)\n\n"
        "Read more on kremlin.ru and mid.ru\n\n#RussiaPalestine"
    )
    # absolute URLs only: the hashtag's "?q=" search link is not a link
    assert post["links"] == ["https://kremlin.ru/events/1", "https://mid.ru/en/1"]
    assert post["published_at"] == datetime(2025, 5, 10, 10, 30, tzinfo=UTC)
    assert post["views"] == 52_900
    assert post["is_edited"] is True
    assert post["media_kinds"] == ["photo"] and post["media_count"] == 1


def test_reply_quote_is_kept_apart_from_the_text(posts_by_id):
    post = posts_by_id[102]
    assert post["text"] == "Full transcript of the meeting"
    assert post["reply_to_message_id"] == 101
    assert post["reply_to_text"] == "🇷🇺🇵🇸 President Putin met President Abbas…"
    assert post["views"] == 905
    assert post["is_edited"] is False


def test_forward_and_link_preview(posts_by_id):
    post = posts_by_id[103]
    assert post["forwarded_from"] == "Kremlin. News"
    assert post["forwarded_from_link"] == "https://t.me/KremlinNews/555"
    assert post["text"] == "Statement: kremlin.ru/events/2"
    assert "PREVIEW" not in post["text"]
    assert post["media_kinds"] == ["link_preview"]
    assert post["media_count"] == 0  # a preview is not an attached media item
    assert post["views"] == 1_200_000


def test_album_counts_each_item_and_reads_the_nested_text(posts_by_id):
    post = posts_by_id[104]
    assert post["media_kinds"] == ["photo", "video"]
    assert post["media_count"] == 3
    assert post["text"] == "Album of the wreath-laying ceremony"


def test_poll_and_author_signature(posts_by_id):
    post = posts_by_id[107]
    assert post["media_kinds"] == ["poll"]
    assert post["poll_question"] == "Which summit matters most?"
    assert post["author"] == "Maria Z."
    assert post["text"] is None


def test_video_too_big_and_gif_with_reactions(posts_by_id):
    assert posts_by_id[108]["media_kinds"] == ["video_too_big"]
    gif = posts_by_id[109]
    assert gif["media_kinds"] == ["gif"]
    assert gif["reactions_total"] == 1_234


def test_broken_posts_become_rejects_and_the_rest_still_parse():
    path = FIXTURES / "web_broken_post.html"
    parsed = parse_file(path)
    assert parsed.posts["message_id"].to_list() == [201, 204]
    assert parsed.rejects["source_position"].to_list() == [1, 2]
    reasons = parsed.rejects["reason"].to_list()
    assert "data-post" in reasons[0]
    assert "unreadable post" in reasons[1]
    assert all(0 < len(excerpt) <= 200 for excerpt in parsed.rejects["excerpt"])
    # no header on this page: the channel title comes from the posts' owner name
    assert parsed.headers.height == 0
    assert parsed.posts["channel_title"][0] == "Test MFA"


def test_clean_text_collapses_layout_whitespace_but_keeps_breaks_and_nbsp():
    raw = f"  one\n      two{BR_MARK}\n   three\xa0four {BR_MARK}{BR_MARK} five  "
    assert rendered_text(raw) == "one two\nthree\xa0four\n\nfive"
    assert rendered_text("   \n ") is None
