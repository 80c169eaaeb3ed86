from __future__ import annotations

import pytest

from console.tui.app import CirroApp
from console.tui.widgets.forecast_line import ForecastLine
from .fakes import FakeBackend, sample_gigs

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def no_forecast_line(request, monkeypatch):
    """The wave monitor's background forecast is off unless a test asks for it
    (``@pytest.mark.forecast_line``): it costs seconds of CPU per gig opened."""
    if request.node.get_closest_marker("forecast_line") is None:
        monkeypatch.setattr(ForecastLine, "enabled", False)


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
