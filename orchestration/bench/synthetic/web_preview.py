"""Saved t.me/s/<channel> web-preview pages of synthetic posts.

The markup follows the real pages in shared/data/real/web_preview and the sample pages: channel
header with counters, one `tgme_widget_message` per post with `data-post`, author, forwarded
header, reply quote, media (photo, video, "Media is too big", album, document, GIF, voice, round
video, sticker, poll), text with emoji, links and hashtags, link preview, footer with views
("12.4K"), "edited", signature and time; pins as service messages. Without the page chrome
(scripts, SVG icons, CDN tokens) that no parser reads.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from pathlib import Path

from orchestration.bench.synthetic import vocabulary as vocab
from orchestration.bench.synthetic.desktop import range_label
from orchestration.bench.synthetic.posts import Post, SyntheticSpec, channel_list, posts_in_range

_EMOJI_RE = re.compile("([\U0001f1e6-\U0001f1ff]{2}|[\U0001f300-\U0001faff\u2600-\u27bf]\ufe0f?)")


def format_views(views: int) -> str:
    """Telegram's counter style: 905, 1.2K, 12.4K, 171.9K, 1.2M (one decimal, kept when .0)."""
    if views < 1000:
        return str(views)
    if views < 1_000_000:
        return f"{views // 100 / 10:.1f}K"
    return f"{views // 100_000 / 10:.1f}M"


def _emoji_html(match: re.Match) -> str:
    emoji = match.group(1)
    code = "".join(f"{b:02X}" for b in emoji.rstrip("\ufe0f").encode())
    return (
        f'<i class="emoji" style="background-image:url(\'//telegram.org/img/emoji/40/'
        f"{code}.png')\"><b>{emoji}</b></i>"
    )


def _html_text(piece: str) -> str:
    escaped = html.escape(piece, quote=True).replace("\n", "<br/>")
    return _EMOJI_RE.sub(_emoji_html, escaped) if not escaped.isascii() else escaped


def text_html(post: Post) -> str:
    parts = []
    for kind, piece, href in post.segments:
        inner = _html_text(piece)
        if kind == "plain":
            parts.append(inner)
        elif kind == "bold":
            parts.append(f"<b>{inner}</b>")
        elif kind == "hashtag":
            parts.append(f'<a href="?q=%23{html.escape(piece[1:])}">{inner}</a>')
        elif kind == "mention":
            parts.append(f'<a href="https://t.me/{piece[1:]}">{inner}</a>')
        elif kind == "link":
            parts.append(
                f'<a href="{html.escape(piece)}" target="_blank" rel="noopener">{inner}</a>'
            )
        else:  # text_link
            parts.append(
                f'<a href="{html.escape(href)}" target="_blank" rel="noopener">{inner}</a>'
            )
    return "".join(parts)


def _cdn(post: Post, salt: int) -> str:
    return (
        f"https://cdn4.telegram-cdn.org/file/{(post.detail * 2654435761 + salt) % 10**15:015d}.jpg"
    )


def _media_html(post: Post, username: str) -> str:
    link = f"https://t.me/{username}/{post.message_id}"
    media = post.media
    if media == "photo":
        return (
            f'<a class="tgme_widget_message_photo_wrap" href="{link}" '
            f"style=\"width:800px;background-image:url('{_cdn(post, 1)}')\">"
            '<div class="tgme_widget_message_photo" style="padding-top:66.625%"></div></a>'
        )
    if media == "album":
        items = []
        for item in range(post.album):
            kind = "video" if item == post.album - 1 and post.detail % 4 == 0 else "photo"
            href = f"https://t.me/{username}/{post.message_id + item}?single"
            if kind == "photo":
                items.append(
                    f'<a class="tgme_widget_message_photo_wrap grouped_media_wrap blured '
                    f'js-message_photo" href="{href}" '
                    f"style=\"background-image:url('{_cdn(post, item)}')\">"
                    '<div class="grouped_media_helper"><div class="tgme_widget_message_photo '
                    'grouped_media"></div></div></a>'
                )
            else:
                items.append(
                    f'<a class="tgme_widget_message_video_player grouped_media_wrap blured '
                    f'js-message_video_player" href="{href}"><div class="grouped_media_helper">'
                    f'<video src="{_cdn(post, item)}" class="tgme_widget_message_video"></video>'
                    "</div></a>"
                )
        return (
            '<div class="tgme_widget_message_grouped_wrap js-message_grouped_wrap">'
            '<div class="tgme_widget_message_grouped js-message_grouped">'
            '<div class="tgme_widget_message_grouped_layer js-message_grouped_layer">'
            + "".join(items)
            + "</div></div></div>"
        )
    if media in ("video", "gif"):
        loop = " preload muted autoplay loop playsinline" if media == "gif" else ""
        return (
            f'<a class="tgme_widget_message_video_player js-message_video_player" href="{link}">'
            f'<div class="tgme_widget_message_video_wrap" style="width:1280px;padding-top:56.25%">'
            f'<video src="{_cdn(post, 2)}" class="tgme_widget_message_video js-message_video"'
            f' width="100%" height="100%"{loop}></video></div>'
            '<div class="message_media_not_supported_wrap">'
            '<div class="message_media_not_supported">'
            '<div class="message_media_not_supported_label">This media is not supported in your '
            'browser</div><span class="message_media_view_in_telegram">VIEW IN TELEGRAM</span>'
            "</div></div></a>"
        )
    if media == "video_too_big":
        return (
            f'<a class="tgme_widget_message_video_player not_supported js-message_video_player" '
            f'href="{link}"><div class="tgme_widget_message_video_wrap"></div>'
            '<div class="message_media_not_supported_wrap">'
            '<div class="message_media_not_supported">'
            '<div class="message_media_not_supported_label">Media is too big</div>'
            '<span class="message_media_view_in_telegram">VIEW IN TELEGRAM</span></div></div></a>'
        )
    if media == "document":
        name = vocab.DOCUMENT_NAMES[post.detail % len(vocab.DOCUMENT_NAMES)]
        return (
            f'<a class="tgme_widget_message_document_wrap" href="{link}">'
            '<div class="tgme_widget_message_document_icon accent_bg"></div>'
            '<div class="tgme_widget_message_document"><div class="tgme_widget_message_document_'
            f'title accent_color" dir="auto">{name}</div><div class="tgme_widget_message_document_'
            f'extra" dir="auto">{(post.detail % 3000) / 1000 + 0.1:.1f} MB</div></div></a>'
        )
    if media == "voice":
        return (
            f'<a class="tgme_widget_message_voice_player js-message_voice_player" href="{link}">'
            f'<audio class="tgme_widget_message_voice js-message_voice" src="{_cdn(post, 3)}">'
            "</audio></a>"
        )
    if media == "round_video":
        return (
            '<div class="tgme_widget_message_roundvideo_player js-message_roundvideo_player">'
            '<div class="tgme_widget_message_roundvideo_wrap"><video class="tgme_widget_message_'
            f'roundvideo js-message_roundvideo" src="{_cdn(post, 4)}" muted autoplay loop>'
            "</video></div></div>"
        )
    if media == "sticker":
        return (
            '<div class="message_media_not_supported_wrap media_not_supported_cont">'
            '<div class="message_media_not_supported"><div class="message_media_not_supported_'
            'label">This media is not supported in your browser</div></div></div>'
            '<div class="tgme_widget_message_sticker_wrap media_supported_cont">'
            '<div class="tgme_widget_message_tgsticker_wrap"></div></div>'
        )
    if media == "poll":
        question, answers = vocab.POLL_QUESTIONS[post.language]
        options = "".join(
            '<div class="tgme_widget_message_poll_option"><div class="tgme_widget_message_poll_'
            f'option_text">{html.escape(answer)}</div></div>'
            for answer in answers
        )
        return (
            '<div class="tgme_widget_message_poll js-poll"><div class="tgme_widget_message_poll_'
            f'question">{html.escape(question)}</div><div class="tgme_widget_message_poll_type">'
            f'Anonymous Poll</div><a class="tgme_widget_message_poll_options" href="{link}">'
            f"{options}</a></div>"
        )
    return ""


def _link_preview(post: Post) -> str:
    url = next(
        (href or piece for kind, piece, href in post.segments if kind in ("link", "text_link")),
        None,
    )
    if url is None or post.media is not None:
        return ""
    return (
        f'<a class="tgme_widget_message_link_preview" href="{html.escape(url)}">'
        '<div class="link_preview_site_name accent_color" dir="auto">The Ministry of Foreign '
        'Affairs of the Russian Federation</div><div class="link_preview_title" dir="auto">'
        f"{_html_text(post.text.split(chr(10), 1)[0])}</div></a>"
    )


def _iso(unixtime: int) -> tuple[str, str]:
    moment = dt.datetime.fromtimestamp(unixtime, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00"), moment.strftime("%H:%M")


def _owner(channel: vocab.Channel) -> str:
    return (
        '<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_'
        f'owner_name" href="https://t.me/{channel.username}"><span dir="auto">'
        f"{_html_text(channel.title)}</span></a></div>"
    )


def post_html(post: Post, channel: vocab.Channel) -> str:
    username = channel.username
    link = f"https://t.me/{username}/{post.message_id}"
    parts = [
        '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
        '<div class="tgme_widget_message text_not_supported_wrap js-widget_message" '
        f'data-post="{username}/{post.message_id}">'
        f'<div class="tgme_widget_message_user"><a href="https://t.me/{username}"></a></div>'
        '<div class="tgme_widget_message_bubble">',
        _owner(channel),
    ]
    if post.forward is not None:
        source, title = post.forward
        parts.append(
            '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from&nbsp;'
            '<a class="tgme_widget_message_forwarded_from_name" '
            f'href="https://t.me/{source}/{post.forward_post}"><span dir="auto">'
            f"{_html_text(title)}</span></a></div>"
        )
    if post.reply_to is not None:
        parts.append(
            f'<a class="tgme_widget_message_reply" href="https://t.me/{username}/{post.reply_to}">'
            '<div class="tgme_widget_message_author accent_color"><span class="tgme_widget_'
            f'message_author_name" dir="auto">{_html_text(channel.title)}</span></div>'
            '<div class="tgme_widget_message_text js-message_reply_text" dir="auto">'
            f"{_html_text(post.reply_text or '')}</div></a>"
        )
    parts.append(_media_html(post, username))
    if post.text:
        text = text_html(post)
        if post.media == "album":  # album captions sit in a nested text div
            text = f'<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>'
        parts.append(
            f'<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>'
        )
    parts.append(_link_preview(post))
    stamp, clock = _iso(post.unixtime)
    edited = "edited &nbsp;" if post.edited_unixtime is not None else ""
    author = (
        f'<span class="tgme_widget_message_from_author" dir="auto">{html.escape(post.author)}'
        "</span>,&nbsp;"
        if post.author
        else ""
    )
    parts.append(
        '<div class="tgme_widget_message_footer compact js-message_footer">'
        '<div class="tgme_widget_message_info short js-message_info">'
        f'<span class="tgme_widget_message_views">{format_views(post.views)}</span>'
        '<span class="copyonly"> views</span><span class="tgme_widget_message_meta">'
        f'{edited}{author}<a class="tgme_widget_message_date" href="{link}"><time '
        f'datetime="{stamp}" class="time">{clock}</time></a></span></div></div>'
        "</div></div></div>\n"
    )
    if post.pin_id is not None:
        headline = post.text.split("\n", 1)[0][:60] if post.text else ""
        pin_stamp, pin_clock = _iso(post.unixtime + 30)
        parts.append(
            '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
            '<div class="tgme_widget_message service_message js-widget_message" '
            f'data-post="{username}/{post.pin_id}"><div class="tgme_widget_message_bubble">'
            f'<div class="tgme_widget_message_text js-message_text" dir="auto">'
            f"{_html_text(channel.title)} pinned «{_html_text(headline)}…»</div>"
            '<div class="tgme_widget_message_footer compact js-message_footer">'
            '<div class="tgme_widget_message_info short js-message_info">'
            '<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" '
            f'href="https://t.me/{username}/{post.pin_id}"><time datetime="{pin_stamp}" '
            f'class="time">{pin_clock}</time></a></span></div></div></div></div></div>\n'
        )
    return "".join(parts)


def page_html(channel: vocab.Channel, posts: list[Post], subscribers: int) -> str:
    username = channel.username
    title = _html_text(channel.title)
    first = posts[0].message_id
    header = (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(channel.title)} – Telegram</title>\n"
        f'<meta property="og:title" content="{html.escape(channel.title)}">\n'
        f'<link rel="prev" href="/s/{username}?before={first}">\n'
        f'<link rel="canonical" href="/s/{username}">\n</head>\n'
        '<body class="widget_frame_base tgme_webpreview emoji_image">\n'
        '<header class="tgme_header"><div class="tgme_container"><div class="tgme_header_right_'
        'column"><section class="tgme_right_column"><div class="tgme_channel_info">'
        '<div class="tgme_channel_info_header"><div class="tgme_channel_info_header_title_wrap">'
        f'<div class="tgme_channel_info_header_title"><span dir="auto">{title}</span></div></div>'
        '<div class="tgme_channel_info_header_username">'
        f'<a href="https://t.me/{username}">@{username}</a></div></div>'
        '<div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter">'
        f'<span class="counter_value">{format_views(subscribers)}</span> '
        '<span class="counter_type">subscribers</span></div></div>'
        f'<div class="tgme_channel_info_description">{_html_text(channel.description)}</div>'
        "</div></section></div></div></header>\n"
        f'<main class="tgme_main" data-url="/{username}"><div class="tgme_container">'
        '<section class="tgme_channel_history js-message_history">\n'
        '<div class="tgme_widget_message_centered js-messages_more_wrap">'
        f'<a href="/s/{username}?before={first}" class="tme_messages_more js-messages_more" '
        f'data-before="{first}"></a></div>\n'
    )
    body = "".join(post_html(post, channel) for post in posts)
    return header + body + "</section></div></main>\n</body>\n</html>\n"


def subscribers_of(spec: SyntheticSpec, channel_no: int) -> int:
    from orchestration.bench.synthetic.posts import _views_medians

    return int(_views_medians(spec.channels)[channel_no] * 4)


def write_web_preview_pages(
    spec: SyntheticSpec, out_dir: Path, start: int = 0, stop: int | None = None
) -> list[Path]:
    """Pages of `spec.posts_per_page` consecutive posts of one channel, from the posts in
    [start, stop): `<username>.<start>-<stop>.p<page>.html`, pages numbered per channel."""
    return write_channel_pages(spec, out_dir, start, stop, "html", page_html)


def write_channel_pages(
    spec: SyntheticSpec,
    out_dir: Path,
    start: int,
    stop: int | None,
    suffix: str,
    render: Callable[[vocab.Channel, list[Post], int], str | None],
) -> list[Path]:
    """The posts in [start, stop), `spec.posts_per_page` consecutive posts of one channel per
    page, each page rendered by ``render`` (None: the page shows nothing and is not written)
    into `<username>.<start>-<stop>.p<page>.<suffix>`, pages numbered per channel."""
    stop = spec.posts if stop is None else stop
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    channels = channel_list(spec)
    label = range_label(start, stop)
    pending: dict[int, list[Post]] = {}
    pages: dict[int, int] = {}
    written: list[Path] = []

    def flush(channel_no: int) -> None:
        page = pages.get(channel_no, 0)
        pages[channel_no] = page + 1
        channel = channels[channel_no]
        text = render(channel, pending.pop(channel_no), subscribers_of(spec, channel_no))
        if text is None:
            return
        path = out_dir / f"{channel.username}.{label}.p{page:05d}.{suffix}"
        path.write_text(text, encoding="utf-8")
        written.append(path)

    for chunk in posts_in_range(spec, start, stop):
        for post in chunk:
            bucket = pending.setdefault(post.channel, [])
            bucket.append(post)
            if len(bucket) == spec.posts_per_page:
                flush(post.channel)
    for channel_no in sorted(pending):
        flush(channel_no)
    return sorted(written)
