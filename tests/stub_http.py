"""A scripted HTTP/1.1 server on loopback for fault tests: each request gets the next scripted
answer (a status with a body, a slow answer, a dropped connection, a broken body)."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Answer:
    status: int = 200
    body: Any = None              # JSON-encoded unless raw is set
    raw: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False            # close the connection without answering
    drip: float = 0.0             # seconds between the bytes of the answer


@dataclass
class Seen:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


class StubServer:
    def __init__(self, script: list[Answer],
                 route: Callable[[Seen], Answer] | None = None) -> None:
        self.script = list(script)
        # Answers by request instead of by arrival order, for concurrent requests.
        self.route = route
        self.seen: list[Seen] = []
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task] = set()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/api/v2"

    async def __aenter__(self) -> StubServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        # Answers still dripping or delayed end now, while their loop still runs.
        for task in self._handlers:
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        task.add_done_callback(self._handlers.discard)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {k.strip().lower(): v.strip()
                       for k, _, v in (line.partition(":") for line in lines[1:] if line)}
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            self.seen.append(Seen(method, target, headers, body))
            if self.route is not None:
                answer = self.route(self.seen[-1])
            else:
                answer = self.script.pop(0) if self.script else Answer(500, {"error": "script ended"})
            if answer.delay:
                await asyncio.sleep(answer.delay)
            if answer.drop:
                return
            payload = answer.raw if answer.raw is not None else json.dumps(answer.body).encode()
            extra = "".join(f"{k}: {v}\r\n" for k, v in answer.headers.items())
            message = (f"HTTP/1.1 {answer.status} X\r\nContent-Type: application/json\r\n"
                       f"Content-Length: {len(payload)}\r\nConnection: close\r\n{extra}\r\n"
                       ).encode() + payload
            if not answer.drip:
                writer.write(message)
                await writer.drain()
            for i in range(len(message) if answer.drip else 0):
                writer.write(message[i:i + 1])
                await writer.drain()
                await asyncio.sleep(answer.drip)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


class ThreadedStub:
    """A StubServer on its own event loop in a thread, for code that runs ``asyncio.run`` itself
    (the CLI)."""

    def __init__(self, script: list[Answer]) -> None:
        self.stub = StubServer(script)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> StubServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.stub.__aenter__(), self._loop).result(5)
        return self.stub

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.stub.__aexit__(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()
