"""A request that outlives the deadline is answered (422, Cirro's body), not left hanging."""

from __future__ import annotations

import threading

import httpx

from console.backends.local import LocalBackend
from console.monitor.scenario import scenario
from console.server import app as server_app


class Stuck(LocalBackend):
    """get_gig holds the simulation host until released."""

    def __init__(self, engine) -> None:
        super().__init__(engine)
        self.release = threading.Event()

    async def get_gig(self, gig_id: str):
        await self.host.call(lambda _: self.release.wait(timeout=30))
        return await super().get_gig(gig_id)


async def test_a_request_over_the_deadline_is_422(monkeypatch):
    monkeypatch.setattr(server_app, "REQUEST_DEADLINE", 0.2)
    backend = Stuck(scenario(workers=20)[0].release_engine())
    transport = httpx.ASGITransport(app=server_app.create_app(backend, None))
    async with httpx.AsyncClient(transport=transport, base_url="http://t/api/v2/") as client:
        try:
            stuck = await client.get("gigs/1")
        finally:
            backend.release.set()
    assert (stuck.status_code, stuck.json()) == (422, {"error": server_app.DEADLINE_PASSED})
