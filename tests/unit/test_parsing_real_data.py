"""Conformance of the parsers on the real files in ../shared/data/real (skipped when absent).

Expectations come from the files themselves (counted with plain regexes/json here) or from the
data README, not from the parsers' own output.
"""

import json
import re
from datetime import UTC, datetime
from decimal import Decimal

import polars as pl
import pytest
from selectolax.lexbor import LexborHTMLParser

from orchestration.ingest.parsing import SourceFileError, parse_file
from orchestration.ingest.parsing.web_preview import media_kinds_of


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _count(text: str) -> int:
    """Independent reading of Telegram's abbreviated counters for the checks below."""
    factor = {"K": 1000, "M": 1_000_000}.get(text[-1], 1)
    return int(Decimal(text.rstrip("KM")) * factor)


# ---------------------------------------------------------------- text copy (MFA, README: 12)


@pytest.fixture(scope="module")
def text_copy(real_data):
    path = real_data / "text_copy" / "000_6dbfd9b700bf4de4.txt"
    return path, parse_file(path)


def test_text_copy_yields_its_twelve_posts(text_copy):
    _, parsed = text_copy
    assert parsed.posts.height == 12
    assert parsed.rejects.height == 0
    # the header title is that of a channel this warehouse follows: its username is known
    assert parsed.posts["channel"].unique().to_list() == ["mfa_russia"]
    assert parsed.posts["content_key"].n_unique() == 12


def test_text_copy_header(text_copy):
    _, parsed = text_copy
    header = parsed.headers.row(0, named=True)
    assert header["title"] == "Russian MFA 🇷🇺"
    assert (
        header["subscribers"],
        header["photos"],
        header["videos"],
        header["files"],
        header["links"],
    ) == (52_900, 16_300, 1_370, 3, 16_900)
    assert header["description"].startswith("Official channel of the Russian MFA")
    assert header["description"].endswith("x.com/mfa_russia")


def test_text_copy_forwards_and_media_markers_are_fields(text_copy):
    path, parsed = text_copy
    lines = path.read_text(encoding="utf-8").splitlines()
    forwards = [
        _squash(line)[len("Forwarded from ") :]
        for line in lines
        if line.startswith("Forwarded from")
    ]
    assert sorted(forwards) == ["Kremlin. News", "Russian Mission Vienna"]
    assert sorted(parsed.posts["forwarded_from"].drop_nulls().to_list()) == forwards

    kinds = parsed.posts["media_kinds"].explode().drop_nulls().to_list()
    assert kinds.count("video_too_big") == lines.count("Media is too big")
    assert kinds.count("unsupported") == lines.count("This media is not supported in your browser")
    assert parsed.posts["media_count"].sum() == len(kinds)


def test_text_copy_reply_quote_points_at_an_earlier_post(text_copy):
    _, parsed = text_copy
    replies = parsed.posts.filter(pl.col("reply_to_text").is_not_null())
    assert replies.height == 1
    reply = replies.row(0, named=True)
    quote = _squash(reply["reply_to_text"]).removesuffix("…")
    earlier = parsed.posts.filter(pl.col("source_position") < reply["source_position"])
    matches = [text for text in earlier["text"] if _squash(text).startswith(quote)]
    assert len(matches) == 1 and matches[0].startswith("⚡️ Press statement by")
    assert reply["text"].startswith("🎙 Excerpt from the press statement")


def test_text_copy_no_marker_line_in_any_text(text_copy):
    _, parsed = text_copy
    reply_quote = parsed.posts["reply_to_text"].drop_nulls()[0]
    markers = {
        "This media is not supported in your browser",
        "Media is too big",
        "VIEW IN TELEGRAM",
        "Russian MFA 🇷🇺",
        reply_quote,
    }
    for text in parsed.posts["text"]:
        for line in text.split("\n"):
            assert line not in markers
            assert not line.startswith("Forwarded from")


def test_text_copy_every_body_line_lands_exactly_once(text_copy):
    """Conservation: the posts' lines plus the structural lines are the copy's body lines."""
    path, parsed = text_copy
    lines = path.read_text(encoding="utf-8").splitlines()
    body = [line for line in lines[lines.index("Download Telegram") + 1 :] if line.strip()]
    post_lines = [line for text in parsed.posts["text"] for line in text.split("\n") if line]
    structural = [
        line
        for line in body
        if line
        in (
            "This media is not supported in your browser",
            "Media is too big",
            "VIEW IN TELEGRAM",
            "Russian MFA 🇷🇺",
            parsed.posts["reply_to_text"].drop_nulls()[0],
        )
        or line.startswith("Forwarded from")
    ]
    assert sorted(post_lines + structural) == sorted(body)


def test_text_copy_split_points(text_copy):
    _, parsed = text_copy
    texts = parsed.posts["text"].to_list()
    # a one-line post between a hashtag line and a forward header stays on its own
    assert any(
        t.startswith("⚡️ President of Russia Vladimir Putin held a meeting with Supreme")
        and "\n" not in t
        for t in texts
    )
    # a post ending without punctuation is not merged into the flag-led post after it
    statement = next(t for t in texts if t.startswith("⚡️ Russia's President"))
    assert statement.endswith("Full trannoscript to be added later")
    forwarded = parsed.posts.filter(pl.col("forwarded_from") == "Kremlin. News").row(0, named=True)
    assert forwarded["text"].startswith("Russian and foreign journalists")
    assert forwarded["media_kinds"] == ["unsupported"]


def test_text_copy_leaves_trannoscript_for_normalization(text_copy):
    path, parsed = text_copy
    in_file = path.read_text(encoding="utf-8").count("trannoscript")
    assert in_file > 0
    assert sum(text.count("trannoscript") for text in parsed.posts["text"]) == in_file


# ---------------------------------------------------------------- web preview, full page


@pytest.fixture(scope="module")
def full_page(real_data):
    path = real_data / "web_preview" / "full.html"
    return path.read_text(encoding="utf-8"), parse_file(path)


def test_full_page_posts_ids_times_views(full_page):
    html, parsed = full_page
    ids = [int(i) for i in re.findall(r'data-post="topwar_official/(\d+)"', html)]
    times = [
        datetime.fromisoformat(t).astimezone(UTC)
        for t in re.findall(r'<time\s+datetime="([^"]+)"', html)
    ]
    views = [_count(v) for v in re.findall(r'tgme_widget_message_views">([^<]+)<', html)]
    assert len(ids) == 12
    assert parsed.posts["message_id"].to_list() == ids
    assert parsed.posts["published_at"].to_list() == times
    assert parsed.posts["views"].to_list() == views
    assert parsed.posts["channel"].unique().to_list() == ["topwar_official"]
    assert parsed.posts["text"].null_count() == 0


def test_full_page_header_counters(full_page):
    html, parsed = full_page
    pairs = re.findall(
        r'counter_value">([^<]+)</span>\s*<span\s+class="counter_type">([^<]+)<', html
    )
    header = parsed.headers.row(0, named=True)
    assert header["channel"] == "topwar_official"
    assert header["title"] == "Военное обозрение"
    assert {kind: _count(value) for value, kind in pairs} == {
        kind: header[kind] for kind in ("subscribers", "photos", "videos", "files", "links")
    }


def test_full_page_forwards_albums_and_previews(full_page):
    html, parsed = full_page
    posts = {row["message_id"]: row for row in parsed.posts.to_dicts()}
    assert parsed.posts["forwarded_from"].drop_nulls().len() == html.count(
        'class="tgme_widget_message_forwarded_from '
    )
    assert posts[70992]["media_kinds"] == ["photo", "video"] and posts[70992]["media_count"] == 3
    assert posts[71000]["media_kinds"] == ["photo"] and posts[71000]["media_count"] == 6
    assert posts[71006]["media_kinds"] == ["video_too_big"]
    assert posts[71008]["media_kinds"] == ["video"]
    preview = posts[70996]
    assert preview["media_kinds"] == ["link_preview"]
    assert "Сообщают, что стелу" not in preview["text"]  # the preview's description
    assert preview["forwarded_from"] == "Военкор Ярем"
    assert preview["forwarded_from_link"] == "https://t.me/yaremshooter/1066"
    assert "\n\n" in preview["text"]  # <br/><br/> survived as a paragraph break


# ---------------------------------------------------------------- web preview, single posts

SINGLE_POSTS = {
    "message_link_preview.html": {"media_kinds": ["link_preview"]},
    "message_link_preview_text_only.html": {"media_kinds": ["link_preview"]},
    "message_link_preview_video.html": {"media_kinds": ["link_preview"], "is_edited": True},
    "message_media_file.html": {
        "media_kinds": ["document"],
        "forwarded_from": "Кремлёвская прачка",
        "forwarded_from_link": "https://t.me/kremlinprachka/20294",
    },
    "message_media_forwarded_from.html": {"media_kinds": ["photo"], "forwarded_from": "Пул N3"},
    "message_media_photo_and_video.html": {"media_kinds": ["video", "photo"], "media_count": 3},
    "message_media_round_video.html": {"media_kinds": ["round_video"], "text": None},
    "message_poll.html": {"media_kinds": ["poll"], "poll_question": "Как лучше?", "views": 1100},
    "message_sticker.html": {"media_kinds": ["sticker"], "views": 1},
    "message_text.html": {"media_kinds": [], "is_edited": False},
    "message_voice.html": {
        "media_kinds": ["voice"],
        "forwarded_from": "Спортивный Екб",
        "forwarded_from_link": None,
    },
    "message_with_from_author.html": {"media_kinds": [], "text": "test"},
}


@pytest.mark.parametrize(("name", "expected"), sorted(SINGLE_POSTS.items()))
def test_single_post_pages(real_data, name, expected):
    path = real_data / "web_preview" / name
    html = path.read_text(encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.posts.height == 1
    post = parsed.posts.row(0, named=True)
    channel, message_id = re.search(r'data-post="([^/"]+)/(\d+)"', html).groups()
    assert (post["channel"], post["message_id"]) == (channel, int(message_id))
    for column, value in expected.items():
        assert post[column] == value, column


@pytest.mark.parametrize("name", ["message_sticker.html", "message_with_from_author.html"])
def test_author_signature(real_data, name):
    html = (real_data / "web_preview" / name).read_text(encoding="utf-8")
    signature = re.search(r"</i>([^<]+)</span>,&nbsp;", html).group(1)
    post = parse_file(real_data / "web_preview" / name).posts.row(0, named=True)
    assert post["author"].endswith(signature)


MEDIA_FRAGMENTS = {
    "media_photo.html": ["photo"],
    "media_video.html": ["video"],
    "media_video_gif.html": ["gif"],
    "media_video_too_big.html": ["video_too_big"],
    "media_cicrle_video.html": ["round_video"],
    "poll.html": ["poll"],
}


@pytest.mark.parametrize(("name", "kinds"), sorted(MEDIA_FRAGMENTS.items()))
def test_media_fragments_classify_but_are_not_pages(real_data, name, kinds):
    """The fragment files hold one media element, no message: the classifier reads them, but as
    files they carry no post and no header, which is a file-level error."""
    path = real_data / "web_preview" / name
    root = LexborHTMLParser(path.read_text(encoding="utf-8")).body.iter().__next__()
    assert media_kinds_of(root) == kinds
    with pytest.raises(SourceFileError, match="no posts and no channel header"):
        parse_file(path)


# ---------------------------------------------------------------- desktop export


@pytest.fixture(scope="module")
def export(real_data):
    path = real_data / "desktop_export" / "trantor_library_TG101.result.json"
    return json.loads(path.read_text(encoding="utf-8")), parse_file(path)


def test_export_messages_apart_from_service(export):
    source, parsed = export
    messages = source["messages"]
    service = [m for m in messages if m["type"] == "service"]
    assert parsed.rejects.height == 0
    assert parsed.service.height == len(service)
    assert parsed.posts.height == len(messages) - len(service)
    assert parsed.service["action"].to_list() == [m["action"] for m in service]
    assert parsed.posts["channel"].unique().to_list() == [source["name"]]


def test_export_times_and_edits(export):
    source, parsed = export
    posts = [m for m in source["messages"] if m["type"] != "service"]
    assert parsed.posts["published_at"].to_list() == [
        datetime.fromtimestamp(int(m["date_unixtime"]), tz=UTC) for m in posts
    ]
    assert parsed.posts["is_edited"].sum() == sum("edited_unixtime" in m for m in posts)


def test_export_entity_lists_are_flattened(export):
    source, parsed = export
    texts = dict(zip(parsed.posts["message_id"], parsed.posts["text"], strict=True))
    links = dict(zip(parsed.posts["message_id"], parsed.posts["links"], strict=True))
    entity_posts = [
        m for m in source["messages"] if m["type"] != "service" and isinstance(m["text"], list)
    ]
    assert len(entity_posts) > 100
    for message in entity_posts:
        plain = "".join(p if isinstance(p, str) else p["text"] for p in message["text"])
        assert texts[message["id"]] == (plain or None)
        hrefs = [
            p["href"] for p in message["text"] if isinstance(p, dict) and p["type"] == "text_link"
        ]
        assert all(href in links[message["id"]] for href in hrefs)


def test_export_polls_reactions_and_media(export):
    source, parsed = export
    rows = {row["message_id"]: row for row in parsed.posts.to_dicts()}
    for message in source["messages"]:
        if message["type"] == "service":
            continue
        row = rows[message["id"]]
        if "poll" in message:
            assert row["poll_question"] == message["poll"]["question"]
            assert row["media_kinds"] == ["poll"]
        if "reactions" in message:
            assert row["reactions_total"] == sum(r["count"] for r in message["reactions"])
        if "photo" in message:
            assert row["media_kinds"] == ["photo"]
        if message.get("author"):
            assert row["author"] == message["author"]
