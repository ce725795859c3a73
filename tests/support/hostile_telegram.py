"""A t.me/s stand-in that attacks the scraper: one misbehaviour per channel name.

A small threaded HTTP server on 127.0.0.1 written on plain sockets, because the attacks need
control a framework does not give: headers sent a byte at a time, bodies without end, a gzip
stream that inflates a thousandfold. Channels without a misbehaviour are served as the
FakeTelegram beside it serves them. Every endless answer stops by itself after ``max_seconds``
or ``max_bytes`` (or when the client hangs up, or the server stops), so a scraper that fails to
protect itself makes a test fail, never hang.
"""

from __future__ import annotations

import gzip
import socket
import socketserver
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from support.fake_telegram import FakeChannel, FakeMessage, FakeTelegram, render_page

PAGE_POSTS = 20


@dataclass
class Exchange:
    """One request, and the means to answer it within the server's bounds."""

    server: HostileTelegram
    connection: socket.socket
    path: str
    query: dict[str, list[str]]
    channel: str  # as in the path
    before: int | None
    started: float = field(default_factory=time.monotonic)
    sent: int = 0

    @property
    def may_go_on(self) -> bool:
        return (
            not self.server.stopping.is_set()
            and time.monotonic() - self.started < self.server.max_seconds
            and self.sent < self.server.max_bytes
        )

    def send(self, data: bytes) -> None:
        """Raises OSError once the client has hung up (the handler then just ends)."""
        self.connection.sendall(data)
        self.sent += len(data)

    def head(self, status: str = "200 OK", **headers: str) -> bytes:
        lines = [f"HTTP/1.1 {status}", "Connection: close"]
        lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def answer(self, body: bytes | str, status: str = "200 OK", **headers: str) -> None:
        data = body.encode() if isinstance(body, str) else body
        headers.setdefault("Content_Type", "text/html; charset=utf-8")
        self.send(self.head(status, Content_Length=str(len(data)), **headers) + data)

    def pause(self, seconds: float) -> None:
        self.server.stopping.wait(seconds)


Behaviour = Callable[[Exchange], None]


# -- the misbehaviours ---------------------------------------------------------------------------


def endless_body(exchange: Exchange) -> None:
    """200 with no length, then markup that never ends."""
    exchange.send(exchange.head(Content_Type="text/html"))
    exchange.send(b"<!DOCTYPE html><html><body>")
    chunk = b"<p>" + b"x" * 65_533
    while exchange.may_go_on:
        exchange.send(chunk)


def gzip_bomb(exchange: Exchange) -> None:
    """A gzip body of zeros: each KB on the wire inflates to about a MB, without end."""
    exchange.send(exchange.head(Content_Type="text/html", Content_Encoding="gzip"))
    deflate = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    exchange.send(deflate.compress(b"<!DOCTYPE html><html><body>"))
    zeros = bytes(1024 * 1024)
    while exchange.may_go_on:
        exchange.send(deflate.compress(zeros) + deflate.flush(zlib.Z_SYNC_FLUSH))


def stacked_gzip(exchange: Exchange) -> None:
    """Content-Encoding: gzip, gzip (a bomb of bombs); the client asked for one gzip only."""
    page = gzip.compress(gzip.compress(b"<!DOCTYPE html><html></html>"))
    exchange.answer(page, Content_Encoding="gzip, gzip")


def announced_huge(exchange: Exchange) -> None:
    """Announces a body of 10 GB (and would send it)."""
    exchange.send(exchange.head(Content_Type="text/html", Content_Length=str(10 * 1024**3)))
    while exchange.may_go_on:
        exchange.send(b"x" * 65_536)


def slow_drip(exchange: Exchange) -> None:
    """A real page's headers, then its body one byte at a time: every read succeeds, so no
    read timeout ever fires."""
    body = exchange.server.page_for(exchange).encode()
    exchange.send(exchange.head(Content_Type="text/html", Content_Length=str(len(body))))
    for byte in body:
        if not exchange.may_go_on:
            return
        exchange.send(bytes([byte]))
        exchange.pause(exchange.server.drip_seconds)


def slow_headers(exchange: Exchange) -> None:
    """The status line and headers themselves, a byte at a time."""
    for byte in exchange.head(Content_Type="text/html", Content_Length="100"):
        if not exchange.may_go_on:
            return
        exchange.send(bytes([byte]))
        exchange.pause(exchange.server.drip_seconds)


def off_host_redirect(exchange: Exchange) -> None:
    """302 to the same path on another host (the ``elsewhere`` server, which serves a valid
    page for any channel there: a scraper that follows would land its posts)."""
    target = f"{exchange.server.elsewhere}{exchange.path}"
    exchange.answer("", "302 Found", Location=target)


def redirect_loop(exchange: Exchange) -> None:
    """/s/<name> -> /s/<name>?loop=1 -> /s/<name> -> ..."""
    name = exchange.channel
    target = f"/s/{name}" if "loop" in exchange.query else f"/s/{name}?loop=1"
    exchange.answer("", "302 Found", Location=target)


def redirect_chain(exchange: Exchange) -> None:
    """/s/<name>?hop=N -> ?hop=N+1, never the same address twice, never an end."""
    hop = int((exchange.query.get("hop") or ["0"])[0]) + 1
    exchange.answer("", "302 Found", Location=f"/s/{exchange.channel}?hop={hop}")


def endless_pagination(exchange: Exchange) -> None:
    """Pages of "recent" posts that always point to older ones: a history without a start."""
    top = exchange.before if exchange.before is not None else 1_000_000_000
    channel = FakeChannel(exchange.channel, f"{exchange.channel} Channel")
    now = datetime.now(UTC)
    first = top - PAGE_POSTS - 1
    for offset, message_id in enumerate(range(first, top)):
        published = now - timedelta(minutes=(top - message_id))
        text = f"Statement {message_id}: the history goes on."
        channel.messages.append(FakeMessage(message_id, published, text, 1000 + offset))
    exchange.answer(render_page(channel, top, lambda message: message.base_views))


def header_of(name: str) -> Behaviour:
    """The channel's real page, but its header names ``name``."""

    def behaviour(exchange: Exchange) -> None:
        page = exchange.server.page_for(exchange)
        real = exchange.channel
        page = page.replace(f">@{real}</a>", f">@{name}</a>")
        assert f">@{name}</a>" in page
        exchange.answer(page)

    return behaviour


def posts_of(name: str) -> Behaviour:
    """The page of another channel served at this channel's address."""

    def behaviour(exchange: Exchange) -> None:
        fake = exchange.server.fake
        assert fake is not None and name.lower() in fake.channels
        exchange.answer(render_page(fake.channels[name.lower()], exchange.before, fake.views))

    return behaviour


# -- the server --------------------------------------------------------------------------------


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        hostile = self.server.hostile
        connection: socket.socket = self.request
        connection.settimeout(5)
        try:
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65_536:
                data = connection.recv(4096)
                if not data:
                    return
                head += data
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            target = request_line.split(" ")[1] if request_line.count(" ") >= 2 else "/"
            hostile.handle(connection, target)
        except OSError:
            return  # the client hung up, as a protected client should


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    hostile: HostileTelegram


class HostileTelegram:
    """Serves ``behaviours`` (channel name, lower-case -> misbehaviour) on 127.0.0.1; other
    channels come from ``fake`` when given, else 404."""

    def __init__(
        self,
        behaviours: dict[str, Behaviour] | None = None,
        *,
        fake: FakeTelegram | None = None,
        elsewhere: str = "",
        max_seconds: float = 20.0,
        max_bytes: int = 512 * 1024 * 1024,
        drip_seconds: float = 0.2,
    ):
        self.behaviours = {k.lower(): v for k, v in (behaviours or {}).items()}
        self.fake = fake
        self.elsewhere = elsewhere
        self.max_seconds = max_seconds
        self.max_bytes = max_bytes
        self.drip_seconds = drip_seconds
        self.requests: list[str] = []  # request targets, in order
        self.bytes_sent: list[int] = []  # per answer, once it ended
        self.stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.hostile = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> HostileTelegram:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()
        # handler threads are daemons, which the server does not join: wait here until every
        # answer under way has ended (stopping tells them to), so bytes_sent is complete
        deadline = time.monotonic() + 5
        while len(self.bytes_sent) < len(self.requests) and time.monotonic() < deadline:
            time.sleep(0.01)
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def requests_for(self, channel: str) -> list[str]:
        return [r for r in self.requests if urlsplit(r).path.lower() == f"/s/{channel.lower()}"]

    def page_for(self, exchange: Exchange) -> str:
        assert self.fake is not None and exchange.channel.lower() in self.fake.channels
        channel = self.fake.channels[exchange.channel.lower()]
        return render_page(channel, exchange.before, self.fake.views, self.fake.ticks)

    def handle(self, connection: socket.socket, target: str) -> None:
        self.requests.append(target)
        parts = urlsplit(target)
        query = parse_qs(parts.query)
        segments = [s for s in parts.path.split("/") if s]
        name = segments[1] if len(segments) == 2 and segments[0] == "s" else ""
        raw_before = (query.get("before") or [""])[0]
        before = int(raw_before) if raw_before.isdigit() else None
        exchange = Exchange(self, connection, parts.path, query, name, before)
        behaviour = self.behaviours.get(name.lower())
        try:
            if behaviour is not None:
                behaviour(exchange)
            elif self.fake is not None and name.lower() in self.fake.channels:
                exchange.answer(self.page_for(exchange))
            else:
                exchange.answer("Not Found", "404 Not Found")
        finally:
            self.bytes_sent.append(exchange.sent)


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
