"""How much one request may carry and how long it may take (the README lists these limits).

A 50 MB gig was accepted and made every later save 14x slower; an 8 MB body was read whole
before being refused. Bodies are refused by ``Content-Length`` before reading, and by counting
while a chunked body streams in; parsed JSON is held to a depth, a string length and a number of
items per array or object.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

MAX_BODY_BYTES = 1 << 20
# The request line and headers together; console/server/protocol.py answers 400 beyond it.
MAX_HEAD_BYTES = 64 << 10
MAX_DEPTH = 32
MAX_STRING_CHARS = 65_536
MAX_ITEMS = 10_000
# No request may take longer, wherever it waits (a slow client, the backend's lock, a query).
REQUEST_DEADLINE = 10.0
# A request's line and headers must have arrived this long after their first byte (or the
# connection): 800 clients dripping a header a second were held open for good, and 20,000 used
# up serve's file descriptors (console/server/protocol.py answers 408).
HEAD_DEADLINE = REQUEST_DEADLINE
# Connections open at once, at most; past that the one whose head has been arriving longest is
# closed. Kept to half the process's file descriptors: the store and the journal need some.
MAX_CONNECTIONS = 1000

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOO_LARGE = f"Request body is larger than {MAX_BODY_BYTES} bytes"


class BodyTooLarge(Exception):
    """Raised from ``receive`` once a streamed body passes the limit; the app answers 413."""

    status = 413

    def __init__(self) -> None:
        super().__init__(TOO_LARGE)
        self.message = TOO_LARGE


def error_body(message: str) -> bytes:
    return json.dumps({"error": message}).encode()


async def send_error(send: Send, status: int, message: str) -> None:
    body = error_body(message)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length" and value.isdigit():
            return int(value)
    return None


class BodyLimit:
    """ASGI middleware: 413 for a body over :data:`MAX_BODY_BYTES`, with Cirro's error body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _declared_length(scope)
        if length is not None and length > MAX_BODY_BYTES:
            await send_error(send, 413, TOO_LARGE)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:
                raise BodyTooLarge()
            return message

        await self.app(scope, counted, send)


def size_problem(value: Any) -> str | None:
    """Where and why a parsed JSON body is too large, or None. Iterative: no recursion limit."""
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        item, where, depth = stack.pop()
        at = f"{where}: " if where else ""
        if isinstance(item, str) and len(item) > MAX_STRING_CHARS:
            return f"{at}strings are limited to {MAX_STRING_CHARS} characters"
        if not isinstance(item, dict | list):
            continue
        if depth > MAX_DEPTH:
            return f"{at}JSON is limited to {MAX_DEPTH} levels of nesting"
        if len(item) > MAX_ITEMS:
            kind = "objects" if isinstance(item, dict) else "arrays"
            return f"{at}{kind} are limited to {MAX_ITEMS} items"
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        for key, child in pairs:
            if isinstance(key, str) and len(key) > MAX_STRING_CHARS:
                return f"{at}keys are limited to {MAX_STRING_CHARS} characters"
            stack.append((child, f"{where}.{key}" if where else str(key), depth + 1))
    return None
