from __future__ import annotations

import asyncio

import pytest

from held_executor import wait_for  # noqa: F401  (the TUI tests import it from here)

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




def count_repaints(monkeypatch, widget_class) -> list:
    """The widgets of ``widget_class`` asked to repaint from now on (``refresh`` with repaint),
    one entry per call."""
    repaints: list = []
    refresh = widget_class.refresh

    def counted(self, *args, repaint=True, **kwargs):
        if repaint:
            repaints.append(self)
        return refresh(self, *args, repaint=repaint, **kwargs)

    monkeypatch.setattr(widget_class, "refresh", counted)
    return repaints


def screen_text(app) -> str:
    """The screen as the terminal shows it (notifications and dialogs included): one line of
    text per row of cells."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def toasts_text(app) -> str:
    """What the notifications on screen read, cut out of the screen by their regions (beside
    them the rows of the view go on, and would mix with their lines)."""
    strips = app.screen._compositor.render_strips()
    parts = []
    for toast in app.screen.query("Toast"):
        region = toast.region
        for y in range(region.y, region.y + region.height):
            parts.append(strips[y].crop(region.x, region.x + region.width).text)
    return flat("\n".join(parts))


def flat(text: str) -> str:
    """Screen text as one line: a notification's edges (▌) dropped, wrapped lines joined."""
    return " ".join(text.replace("▌", " ").split())


async def shows(pilot, wanted: str, seconds: float = 10.0) -> str:
    """Wait (up to ``seconds``) until ``wanted`` is on the screen (as :func:`flat` text); that
    text, whether or not it came."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        await pilot.pause()
        shown = flat(screen_text(pilot.app))
        if wanted in shown or loop.time() > deadline:
            return shown
        await pilot.pause(0.05)
