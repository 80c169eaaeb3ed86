"""Backend calls in worker threads: queries hanging on a regex never take the whole pool."""

from __future__ import annotations

import asyncio
import threading

from console.server.offloop import QUERY_THREADS, OffLoop


class Hanging:
    """invitation_attempt blocks its thread until released; get_gig answers at once."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.running = 0
        self.most = 0
        self._count = threading.Lock()

    async def invitation_attempt(self) -> str:
        with self._count:
            self.running += 1
            self.most = max(self.most, self.running)
        self.release.wait(timeout=30)
        with self._count:
            self.running -= 1
        return "attempted"

    async def get_gig(self) -> str:
        return "gig"


async def test_hanging_queries_leave_threads_for_other_calls():
    target = Hanging()
    backend = OffLoop(target)
    # More than anyio's default pool of 40 threads.
    attempts = [asyncio.create_task(backend.invitation_attempt()) for _ in range(50)]
    try:
        assert await asyncio.wait_for(backend.get_gig(), timeout=10) == "gig"
    finally:
        target.release.set()
        results = await asyncio.gather(*attempts)
    assert results == ["attempted"] * 50
    assert target.most <= QUERY_THREADS
