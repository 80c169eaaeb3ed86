"""uvicorn's httptools protocol, with Cirro's answer to what it refuses before the app sees it.

httptools (llhttp, in C) rather than h11 (pure Python): under 20 clients it parses and frames a
request for about a third less of serve's CPU (bench/serve_load.py, docs/architecture.md). uvicorn
answers a request it cannot parse (a malformed request line or header, a request target that is
not ASCII) with a plain-text 400; here that 400 has Cirro's ``{"error": ...}`` body. httptools has
no limit on the request line and headers, so this protocol holds them to
:data:`~console.server.limits.MAX_HEAD_BYTES`: counted exactly as the parser hands them over, and,
for a head that never ends (one endless header, which the parser buffers until it ends), by the
bytes received while it is open. This overrides uvicorn internals (``send_400_response``,
``data_received`` and parser callbacks), so uvicorn is kept below 1.0 in pyproject.toml.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from console.server.limits import MAX_HEAD_BYTES, error_body

INVALID = (f"Invalid HTTP request: malformed, or its request line and headers are larger than "
           f"{MAX_HEAD_BYTES} bytes")


class HeadTooLarge(Exception):
    """Raised from a parser callback; httptools turns it into a parser error (a 400)."""


class CirroHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_open = True  # between a message's start and its headers' end
        self._head_bytes = 0  # of the open head, as the parser handed them over
        self._received_in_head = 0  # bytes received while the head was open

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

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)  # ": " and the line's end
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._head_open, self._received_in_head = False, 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._head_open, self._received_in_head = True, 0

    def _count(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > MAX_HEAD_BYTES:
            raise HeadTooLarge(INVALID)

    def send_400_response(self, msg: str) -> None:
        body = error_body(INVALID)
        self.transport.write(b"".join((
            b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n",
            b"content-length: ", str(len(body)).encode(), b"\r\nconnection: close\r\n\r\n",
            body)))
        self.transport.close()
