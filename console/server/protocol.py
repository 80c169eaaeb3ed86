"""uvicorn's httptools protocol, with Cirro's answer to what it refuses before the app sees it.

httptools (llhttp, in C) rather than h11 (pure Python): under 20 clients it parses and frames a
request for about a third less of serve's CPU (bench/serve_load.py, docs/architecture.md). uvicorn
answers a request it cannot parse (a malformed request line or header, a request target that is
not ASCII) with a plain-text 400; here that 400 has Cirro's ``{"error": ...}`` body. httptools has
no limit on the request line and headers, so this protocol holds them to
:data:`~console.server.limits.MAX_HEAD_BYTES`: counted exactly as the parser hands them over, and,
for a head that never ends (one endless header, which the parser buffers until it ends), by the
bytes received while it is open. A head must also arrive within
:data:`~console.server.limits.HEAD_DEADLINE` (a 408 after that), and at most
:data:`~console.server.limits.MAX_CONNECTIONS` connections stay open: past that the one whose
head has been arriving longest is closed, so a client dripping headers on many connections can
neither hold them for good nor use up the file descriptors the simulation saves with. This
overrides uvicorn internals (``send_400_response``, ``connection_made``, ``data_received`` and
parser callbacks), so uvicorn is kept below 1.0 in pyproject.toml.
"""

from __future__ import annotations

import asyncio
import resource
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from console.server.limits import HEAD_DEADLINE, MAX_CONNECTIONS, MAX_HEAD_BYTES, error_body

INVALID = (f"Invalid HTTP request: malformed, or its request line and headers are larger than "
           f"{MAX_HEAD_BYTES} bytes")
HEAD_TIMEOUT = f"Request line and headers not received within {HEAD_DEADLINE:g} s"


def connection_limit() -> int:
    """MAX_CONNECTIONS, or half the file descriptors this process may open if that is fewer."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return MAX_CONNECTIONS if soft == resource.RLIM_INFINITY else min(MAX_CONNECTIONS, soft // 2)


class HeadTooLarge(Exception):
    """Raised from a parser callback; httptools turns it into a parser error (a 400)."""


class CirroHttpToolsProtocol(HttpToolsProtocol):
    _limit = connection_limit()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_open = True  # between a message's start and its headers' end
        self._head_bytes = 0  # of the open head, as the parser handed them over
        self._received_in_head = 0  # bytes received while the head was open
        self._head_since: float | None = None  # when the open head's wait began
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()
        if len(self.connections) > self._limit:
            waiting = [c for c in self.connections
                       if isinstance(c, CirroHttpToolsProtocol) and c._head_since is not None]
            if waiting:
                oldest = min(waiting, key=lambda c: c._head_since or 0.0)
                oldest._refuse(b"503 Service Unavailable",
                               f"Too many connections (at most {self._limit}): this one's "
                               f"request had not arrived")

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_arrived()
        super().connection_lost(exc)

    def _await_head(self) -> None:
        if self._head_timer is None:
            self._head_since = self.loop.time()
            self._head_timer = self.loop.call_later(HEAD_DEADLINE, self._refuse,
                                                    b"408 Request Timeout", HEAD_TIMEOUT)

    def _head_arrived(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self._head_since = None

    def data_received(self, data: bytes) -> None:
        if self._head_open:
            self._received_in_head += len(data)
        super().data_received(data)
        if (self._head_open and self._received_in_head > MAX_HEAD_BYTES
                and not self.transport.is_closing()):
            self.send_400_response(INVALID)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_open, self._head_bytes = True, 0
        self._await_head()  # the next request on a kept-alive connection

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)  # ": " and the line's end
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._head_open, self._received_in_head = False, 0
        self._head_arrived()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._head_open, self._received_in_head = True, 0

    def _count(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > MAX_HEAD_BYTES:
            raise HeadTooLarge(INVALID)

    def send_400_response(self, msg: str) -> None:
        self._refuse(b"400 Bad Request", INVALID)

    def _refuse(self, status: bytes, message: str) -> None:
        """Answer ``status`` with Cirro's error body and close (before any answer was begun)."""
        self._head_arrived()
        if self.transport.is_closing():
            return
        body = error_body(message)
        self.transport.write(b"".join((
            b"HTTP/1.1 ", status, b"\r\ncontent-type: application/json\r\n",
            b"content-length: ", str(len(body)).encode(), b"\r\nconnection: close\r\n\r\n",
            body)))
        self.transport.close()
