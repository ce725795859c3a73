"""Text copies (select all + copy in a browser) of the synthetic web-preview pages.

Laid out like shared/data/real/text_copy and the sample copy: "Title – Telegram", the title,
counter lines, the description, "Download Telegram", then each post's bubble line by line:
"Forwarded from  X", a reply as the channel title plus a one-line quote ending in "…", media
labels with "VIEW IN TELEGRAM" for videos, then the text with blank lines between paragraphs and
no blank line between posts; no trailing newline.

A copy shows only what a page renders as text, so a post without text that is not a video (a
photo, a poll, a sticker) leaves no line at all and is absent from the copy: see
`text_copy_posts`.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.bench.synthetic import vocabulary as vocab
from orchestration.bench.synthetic.posts import Post, SyntheticSpec
from orchestration.bench.synthetic.web_preview import (
    format_views,
    write_channel_pages,
)

_LABELS = {
    "video": "This media is not supported in your browser",
    "gif": "This media is not supported in your browser",
    "round_video": "This media is not supported in your browser",
    "video_too_big": "Media is too big",
}
QUOTE_CHARS = 100


def in_text_copy(post: Post) -> bool:
    """Whether the post leaves any line in a copy."""
    return bool(post.text) or post.media in _LABELS


def text_copy_posts(posts: list[Post]) -> list[Post]:
    return [post for post in posts if in_text_copy(post)]


def reply_quote(post: Post) -> str:
    """The one-line quote a copy shows for a reply: the replied-to headline, cut, with "…"."""
    flat = " ".join((post.reply_text or "").split())
    return flat[:QUOTE_CHARS].rstrip() + "…"


def post_lines(post: Post, channel: vocab.Channel) -> list[str]:
    lines = []
    if post.forward is not None:
        lines.append(f"Forwarded from  {post.forward[1]}")
    if post.reply_to is not None:
        lines.append(channel.title)
        lines.append(reply_quote(post))
    if post.media in _LABELS:
        lines.append(_LABELS[post.media])
        lines.append("VIEW IN TELEGRAM")
    if post.text:
        lines.extend(post.text.split("\n"))
    return lines


def copy_text(channel: vocab.Channel, posts: list[Post], subscribers: int) -> str:
    lines = [
        f"{channel.title} – Telegram",
        channel.title,
        f"{format_views(subscribers)} subscribers",
        channel.description,
        "Download Telegram",
    ]
    for post in posts:
        lines.extend(post_lines(post, channel))
    return "\n".join(lines)


def write_text_copies(
    spec: SyntheticSpec, out_dir: Path, start: int = 0, stop: int | None = None
) -> list[Path]:
    """One copy per web-preview page (the same `spec.posts_per_page` posts of a channel):
    `<username>.<start>-<stop>.p<page>.txt`. A page whose posts all leave no line is skipped."""

    def render(channel: vocab.Channel, posts: list[Post], subscribers: int) -> str | None:
        shown = text_copy_posts(posts)
        return copy_text(channel, shown, subscribers) if shown else None

    return write_channel_pages(spec, out_dir, start, stop, "txt", render)
