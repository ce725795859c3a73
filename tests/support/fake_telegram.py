"""Generated public channels and a t.me/s look-alike that serves them page by page.

The markup follows real web-preview pages (see /work/shared/data/real/web_preview/full.html):
the tgme_channel_info header with counters, tgme_widget_message_wrap blocks with data-post,
data-view, views and <time datetime>, albums in tgme_widget_message_grouped_wrap, pinned-message
service bubbles, the "load more" anchor with data-before and <link rel="prev"> to older posts, a
data-after anchor to newer ones on history pages, and the closing "page generated" comment.
"""

from __future__ import annotations

import base64
import html
import json
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from werkzeug import Request, Response

PAGE_SIZE = 20  # messages per page, like Telegram


@dataclass
class FakeMessage:
    id: int
    published_at: datetime
    text: str
    base_views: int
    kind: str = "text"  # text | photo | album | forward | service
    album_size: int = 0

    @property
    def is_service(self) -> bool:
        return self.kind == "service"


@dataclass
class FakeChannel:
    username: str
    title: str
    messages: list[FakeMessage] = field(default_factory=list)  # ascending ids
    subscribers: int = 52_900

    @property
    def post_ids(self) -> set[int]:
        return {m.id for m in self.messages if not m.is_service}

    @property
    def service_ids(self) -> set[int]:
        return {m.id for m in self.messages if m.is_service}

    @property
    def next_id(self) -> int:
        if not self.messages:
            return 1
        last = self.messages[-1]
        return last.id + max(last.album_size, 1)

    def page(self, before: int | None = None, size: int = PAGE_SIZE) -> list[FakeMessage]:
        """What /s/<channel>[?before=] shows: the ``size`` newest messages below ``before``."""
        eligible = [m for m in self.messages if before is None or m.id < before]
        return eligible[-size:]

    def has_older(self, page: list[FakeMessage]) -> bool:
        return bool(page) and self.messages[0].id < page[0].id

    def page_chain(self) -> list[list[FakeMessage]]:
        """Every page from the newest back to the first post, as a crawler following the
        "load more" link sees them."""
        pages, before = [], None
        while True:
            page = self.page(before)
            pages.append(page)
            if not self.has_older(page):
                return pages
            before = page[0].id

    def add_messages(
        self,
        count: int,
        *,
        rng: random.Random,
        end: datetime,
        spacing: timedelta,
        pin_at: int | None = None,
    ) -> list[FakeMessage]:
        """Append ``count`` messages, the last published at ``end``: albums (one post taking
        several ids), deleted posts (gaps), forwards, photos and, at ``pin_at``, a pin."""
        added = []
        next_id = self.next_id
        for index in range(count):
            published = end - spacing * (count - 1 - index)
            if pin_at is not None and index == pin_at and added:
                message = FakeMessage(
                    next_id,
                    published,
                    f"{self.title} pinned «{added[-1].text[:40]}…»",
                    0,
                    kind="service",
                )
            else:
                kind = rng.choices(["text", "photo", "album", "forward"], [6, 2, 1, 1])[0]
                album = rng.randint(2, 5) if kind == "album" else 0
                message = FakeMessage(
                    next_id,
                    published,
                    f"Statement {next_id} of {self.title}: talks on {rng.choice(TOPICS)}.",
                    rng.randint(800, 60_000),
                    kind=kind,
                    album_size=album,
                )
            added.append(message)
            next_id += max(message.album_size, 1)
            if rng.random() < 0.08:
                next_id += rng.randint(1, 3)  # deleted posts leave gaps
        self.messages.extend(added)
        return added


TOPICS = ["Syria", "the Arctic", "BRICS", "Iran", "grain exports", "the UN Security Council"]


def make_channel(
    username: str,
    count: int,
    *,
    seed: int = 0,
    end: datetime | None = None,
    spacing: timedelta = timedelta(hours=5),
    first_id: int = 1,
    pin_at: int | None = None,
) -> FakeChannel:
    rng = random.Random(seed)
    channel = FakeChannel(username, f"{username.replace('_', ' ').title()} Channel")
    if count:
        channel.messages.append(
            FakeMessage(
                first_id,
                (end or datetime.now(UTC)) - spacing * count,
                "Channel created",
                0,
                kind="service",
            )
        )
        channel.add_messages(
            count - 1,
            rng=rng,
            end=end or datetime.now(UTC) - timedelta(hours=1),
            spacing=spacing,
            pin_at=pin_at,
        )
    return channel


def _count(value: int) -> str:
    if value < 1000:
        return str(value)
    return f"{value / 1000:.1f}K" if value < 1_000_000 else f"{value / 1_000_000:.1f}M"


def _data_view(channel: FakeChannel, message: FakeMessage, tick: int) -> str:
    blob = {"c": -1_000_000_000 - len(channel.username), "p": message.id, "t": tick, "h": "0"}
    return base64.urlsafe_b64encode(json.dumps(blob).encode()).decode().rstrip("=")


def _time(message: FakeMessage) -> str:
    stamp = message.published_at.replace(microsecond=0).isoformat()
    return f'<time datetime="{stamp}" class="time">{message.published_at:%H:%M}</time>'


def _media(channel: FakeChannel, message: FakeMessage) -> str:
    link = f"https://t.me/{channel.username}/{message.id}"
    photo = (
        '<a class="tgme_widget_message_photo_wrap{extra} js-message_photo" href="{href}" '
        "style=\"width:800px;background-image:url('https://cdn4.telegram-cdn.org/file/x.jpg')\">"
        '<div class="tgme_widget_message_photo{inner}" style="padding-top:58%"></div></a>'
    )
    if message.kind == "photo":
        return photo.format(extra="", href=link, inner="")
    if message.kind == "album":
        items = "".join(
            photo.format(
                extra=" grouped_media_wrap blured", href=f"{link}?single", inner=" grouped_media"
            )
            for _ in range(message.album_size)
        )
        return (
            '<div class="tgme_widget_message_grouped_wrap js-message_grouped_wrap" '
            'data-margin-w="2" data-margin-h="2" style="width:453px;">'
            '<div class="tgme_widget_message_grouped js-message_grouped">'
            '<div class="tgme_widget_message_grouped_layer js-message_grouped_layer">'
            f"{items}</div></div></div>"
        )
    return ""


def render_message(channel: FakeChannel, message: FakeMessage, views: int, tick: int) -> str:
    data = (
        f'data-post="{channel.username}/{message.id}" '
        f'data-view="{_data_view(channel, message, tick)}"'
    )
    date = (
        '<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" '
        f'href="https://t.me/{channel.username}/{message.id}">{_time(message)}</a></span>'
    )
    if message.is_service:
        return (
            '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
            f'<div class="tgme_widget_message service_message js-widget_message" {data}>'
            '<div class="tgme_widget_message_bubble">'
            f'<div class="tgme_widget_message_text js-message_text" dir="auto">'
            f"{html.escape(message.text)}</div>"
            '<div class="tgme_widget_message_footer compact js-message_footer">'
            f'<div class="tgme_widget_message_info short js-message_info">{date}</div>'
            "</div></div></div></div>"
        )
    forward = ""
    if message.kind == "forward":
        forward = (
            '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from '
            '<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/MID_Russia/1">'
            '<span dir="auto">MID Russia</span></a></div>'
        )
    return (
        '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
        f'<div class="tgme_widget_message text_not_supported_wrap js-widget_message" {data}>'
        '<div class="tgme_widget_message_user"><a href="https://t.me/'
        f'{channel.username}"><i class="tgme_widget_message_user_photo bgcolor1" '
        'data-content="R"></i></a></div>'
        '<div class="tgme_widget_message_bubble">'
        '<i class="tgme_widget_message_bubble_tail"></i>'
        '<div class="tgme_widget_message_author accent_color">'
        f'<a class="tgme_widget_message_owner_name" href="https://t.me/{channel.username}">'
        f'<span dir="auto">{html.escape(channel.title)}</span></a></div>'
        f"{forward}{_media(channel, message)}"
        '<div class="tgme_widget_message_text js-message_text" dir="auto">'
        f'{html.escape(message.text)}<br/><a href="?q=%23MFA">#MFA</a></div>'
        '<div class="tgme_widget_message_footer compact js-message_footer">'
        '<div class="tgme_widget_message_info short js-message_info">'
        f'<span class="tgme_widget_message_views">{_count(views)}</span>'
        f'<span class="copyonly"> views</span>{date}</div></div></div></div></div>'
    )


def render_page(
    channel: FakeChannel,
    before: int | None,
    views: Callable[[FakeMessage], int],
    tick: int = 0,
) -> str:
    page = channel.page(before)
    name = channel.username
    older = channel.has_older(page)
    newer = before is not None and page and channel.messages[-1].id > page[-1].id
    links = ""
    if older:
        links += f'<link rel="prev" href="/s/{name}?before={page[0].id}">\n'
    if newer:
        links += f'<link rel="next" href="/s/{name}?after={page[-1].id}">\n'
    canonical = f"/s/{name}" + (f"?before={before}" if before is not None else "")
    more = (
        '<div class="tgme_widget_message_centered js-messages_more_wrap">'
        f'<a href="/s/{name}?before={page[0].id}" class="tme_messages_more js-messages_more" '
        f'data-before="{page[0].id}"></a></div>'
        if older
        else ""
    )
    after = (
        '<div class="tgme_widget_message_centered js-messages_more_wrap">'
        f'<a href="/s/{name}?after={page[-1].id}" class="tme_messages_more js-messages_more" '
        f'data-after="{page[-1].id}"></a></div>'
        if newer
        else ""
    )
    body = "".join(render_message(channel, m, views(m), tick) for m in page)
    photos = sum(1 for m in channel.messages if m.kind in ("photo", "album"))
    return f"""<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    <title>{html.escape(channel.title)} – Telegram</title>
    <meta property="og:title" content="{html.escape(channel.title)}">
    {links}<link rel="canonical" href="{canonical}">
</head>
<body class="widget_frame_base tgme_webpreview emoji_image thin_box_shadow tme_mode">
<header class="tgme_header search_collapsed">
    <div class="tgme_container">
        <div class="tgme_header_right_column">
            <section class="tgme_right_column">
                <div class="tgme_channel_info">
                    <div class="tgme_channel_info_header">
                        <div class="tgme_channel_info_header_title_wrap">
                            <div class="tgme_channel_info_header_title"><span dir="auto">{
        html.escape(channel.title)
    }</span></div>
                        </div>
                        <div class="tgme_channel_info_header_username"><a href="https://t.me/{
        name
    }">@{name}</a></div>
                    </div>
                    <div class="tgme_channel_info_counters">
                        <div class="tgme_channel_info_counter"><span class="counter_value">{
        _count(channel.subscribers + tick)
    }</span> <span class="counter_type">subscribers</span></div>
                        <div class="tgme_channel_info_counter"><span class="counter_value">{
        photos
    }</span> <span class="counter_type">photos</span></div>
                    </div>
                    <div class="tgme_channel_info_description">Official channel<br/>News</div>
                </div>
            </section>
        </div>
    </div>
</header>
<main class="tgme_main" data-url="/{name}">
    <div class="tgme_container">
        <section class="tgme_channel_history js-message_history">
            {more}{body}{after}
        </section>
    </div>
</main>
<script>TWeb.init();</script>
</body>
</html>
<!-- page generated in 12.34ms -->
"""


NOT_A_CHANNEL_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Telegram: Contact @{name}</title></head>
<body class="no_transition"><div class="tgme_page_wrap"><div class="tgme_page">
<div class="tgme_page_title"><span dir="auto">{name}</span></div>
<div class="tgme_page_description">If you have <strong>Telegram</strong>, you can contact
<a class="tgme_username_link" href="tg://resolve?domain={name}">@{name}</a> right away.</div>
</div></div></body></html>
"""


@dataclass
class Fault:
    """A canned misbehaviour for the next ``times`` requests that match."""

    kind: str  # status | slow | truncate | nul (a whole page with a NUL byte in it) | rewrite
    channel: str | None = None  # lower-case; None matches every channel
    before: int | None | str = "any"  # "any", None for the newest page, or an id
    times: int = 1
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    body: str = "busy"
    rewrite: Callable[[str], str] | None = None  # kind rewrite: the page served, edited

    def matches(self, channel: str, before: int | None) -> bool:
        return (
            self.times > 0
            and (self.channel is None or self.channel == channel)
            and (self.before == "any" or self.before == before)
        )


_CHANNEL_PATH = re.compile(r"^/s/([^/]+)/?$")
_PROFILE_PATH = re.compile(r"^/([^/]+)/?$")


class FakeTelegram:
    """The web preview of a few channels. Views grow with ``tick()`` for posts under a week."""

    def __init__(self, *channels: FakeChannel):
        self.channels = {c.username.lower(): c for c in channels}
        self.not_public: set[str] = set()  # /s/<name> redirects to /<name>
        self.blank: set[str] = set()  # /s/<name> answers 200 with a page that is no channel
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, int | None]] = []  # (channel lower-case, before)
        self.user_agents: list[str] = []
        self.ticks = 0
        self._lock = threading.Lock()

    def tick(self) -> None:
        self.ticks += 1

    def views(self, message: FakeMessage) -> int:
        age = datetime.now(UTC) - message.published_at
        growing = age < timedelta(days=7)
        return message.base_views + (self.ticks * 1500 if growing else 0)

    def requests_for(self, channel: str) -> list[int | None]:
        return [before for name, before in self.requests if name == channel.lower()]

    def install(self, server) -> None:  # a pytest_httpserver.HTTPServer
        server.expect_request(re.compile(r"^/.*$")).respond_with_handler(self.handle)

    def handle(self, request: Request) -> Response:
        with self._lock:
            return self._handle(request)

    def _handle(self, request: Request) -> Response:
        self.user_agents.append(request.headers.get("User-Agent", ""))
        channel_match = _CHANNEL_PATH.match(request.path)
        if channel_match is None:
            profile = _PROFILE_PATH.match(request.path)
            name = profile.group(1) if profile else "unknown"
            return Response(NOT_A_CHANNEL_PAGE.format(name=name), 200, mimetype="text/html")
        name = channel_match.group(1)
        key = name.lower()
        raw_before = request.args.get("before")
        before = int(raw_before) if raw_before and raw_before.isdigit() else None
        self.requests.append((key, before))
        for fault in self.faults:
            if fault.matches(key, before):
                fault.times -= 1
                if fault.kind == "status":
                    return Response(fault.body, fault.status, headers=fault.headers)
                if fault.kind == "slow":
                    self._lock.release()
                    try:
                        time.sleep(fault.seconds)
                    finally:
                        self._lock.acquire()
                    break
                if fault.kind == "truncate":
                    text = self._page(key, before)
                    return Response(text[: len(text) * 3 // 5], 200, mimetype="text/html")
                if fault.kind == "rewrite":
                    assert fault.rewrite is not None
                    text = fault.rewrite(self._page(key, before))
                    return Response(text, 200, mimetype="text/html")
                if fault.kind == "nul":
                    text = self._page(key, before).replace("</main>", "\x00</main>")
                    return Response(text, 200, mimetype="text/html")
        if key in self.not_public:
            return Response("", 302, headers={"Location": f"/{name}"})
        if key in self.blank:
            return Response(NOT_A_CHANNEL_PAGE.format(name=name), 200, mimetype="text/html")
        if key not in self.channels:
            return Response("Not Found", 404)
        return Response(self._page(key, before), 200, mimetype="text/html")

    def _page(self, key: str, before: int | None) -> str:
        return render_page(self.channels[key], before, self.views, self.ticks)
