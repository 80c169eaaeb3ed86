from __future__ import annotations

import pytest

from console.tui.app import CirroApp
from .fakes import FakeBackend, sample_gigs

SIZE = (80, 24)


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend(sample_gigs())


@pytest.fixture
def make_app(backend):
    def make(**kwargs) -> CirroApp:
        kwargs.setdefault("advance", backend.advance)
        kwargs.setdefault("poll_seconds", 30.0)  # tests poll explicitly
        return CirroApp(kwargs.pop("backend", backend), **kwargs)

    return make


async def listed(pilot, count: int | None = None) -> None:
    """Wait until the first poll has painted the gig list."""
    app = pilot.app
    for _ in range(50):
        await pilot.pause()
        if app.snapshot is not None and (count is None or len(app.snapshot.gigs) == count):
            return
    raise AssertionError("the gig list was never painted")
