"""Snapshot tests of every view at 80x24: the demo simulation (fixed seed, clock paused at its
start), one poll, the header's "last poll" age and the preview's timing frozen at 0, so that a
screenshot shows nothing of the wall clock and comes out the same on every run."""

from __future__ import annotations

import asyncio
import types
from collections.abc import Callable, Iterator

import pytest
from serve_process import copy_sim

from console.backends.local import LocalBackend
from console.query import preview
from console.tui import app as app_module
from console.tui.app import CirroApp
from console.tui.widgets import status_header
from console.tui.widgets.forecast_line import ForecastLine

SIZE = (80, 24)


@pytest.fixture(scope="session")
def demo_backend(demo_dir, tmp_path_factory) -> Iterator[LocalBackend]:
    """One demo for every snapshot: no test changes it (none confirms a change, and the clock
    stays paused), and opening it is the larger part of a test's time."""
    backend = LocalBackend.open(copy_sim(demo_dir, tmp_path_factory.mktemp("snap") / "sim"))
    yield backend
    asyncio.run(backend.close())


@pytest.fixture
def demo_app(demo_backend, monkeypatch) -> Callable[..., CirroApp]:
    frozen = types.SimpleNamespace(monotonic=lambda: 0.0, time=lambda: 1_772_445_600.0)
    monkeypatch.setattr(app_module, "time", frozen)
    monkeypatch.setattr(status_header, "time", frozen)
    # The query preview says how long it took: always 0 ms here.
    monkeypatch.setattr(preview, "time", types.SimpleNamespace(perf_counter=lambda: 0.0))
    # The forecast runs in another process and lands whenever it is done: not in a picture that
    # must come out the same every run (tests/tui/test_waves_forecast.py reads its line and band).
    monkeypatch.setattr(ForecastLine, "enabled", False)

    def make(theme: str = "cirro-dark") -> CirroApp:
        # One poll only: nothing moves by itself.
        app = CirroApp(demo_backend, theme=theme, speed=60, poll_seconds=3600)
        app.clock.paused = True
        return app

    return make


async def settle(pilot, rounds: int = 3) -> None:
    """Until the poll, the view's readings and the row builds are done and painted."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def first_poll(pilot) -> None:
    for _ in range(200):
        if pilot.app.snapshot is not None:
            break
        await pilot.pause(0.02)
    else:
        raise AssertionError("the first poll never answered")
    await settle(pilot)
