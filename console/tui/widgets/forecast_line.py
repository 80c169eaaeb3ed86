"""The wave monitor's forecast line (``fills ~14:05 (P50) · 90% by 16:30 · 93% before end``)
and the band of accepted it hands to the chart.

Recomputed when the gig changes (its settings at once; its counts at most every
:data:`MIN_INTERVAL` seconds, while the clock runs they change all the time): the ranking runs
in a thread and the runs in one background process, so the console's loop never waits for it
and one core stays free for keys."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import Executor
from pathlib import Path
from typing import Any, ClassVar

from rich.markup import escape
from textual import work
from textual.message import Message

from console.forecast.executors import process_pool
from console.forecast.executors import run_plan_soon
from console.forecast.service import LiveForecast, live_plan, live_result, reading_of
from console.forecast.state import ForecastError, GigReading, state_from
from console.monitor.snapshot import GigSnapshot
from console.tui.widgets.fitted import Fitted
from console.waves import SimSettings

MIN_INTERVAL = 15.0
RUNS = 100
# Parts of ~10 runs (~40 ms each at 10,000 workers): a forecast cancelled (the fastest speed,
# another gig, the monitor closed) leaves at most one part running.
PARTS = 10
PREFIX = "forecast: "

# One background process for every monitor the console opens: starting one (numpy, scipy, the
# console's models) costs a second or more of CPU, which each gig opened would pay again.
_POOL: Executor | None = None


def _pool() -> Executor:
    global _POOL
    if _POOL is None:
        # forkserver: forking the console's threaded process could deadlock the child.
        _POOL = process_pool(1, start_method="forkserver", nice=10)
    return _POOL


def _drop_pool() -> None:
    global _POOL
    if _POOL is not None:
        _POOL.shutdown(wait=False, cancel_futures=True)
        _POOL = None


class ForecastLine(Fitted):
    # Why there is no forecast, and what would give one, read whole on 80 columns.
    DEFAULT_CSS = "ForecastLine { height: auto; }"
    wrap_last = True

    # The TUI tests of other features turn it off: each gig they open would cost seconds of
    # background CPU (and every settle would wait for it).
    enabled: ClassVar[bool] = True

    class Ready(Message):
        def __init__(self, result: LiveForecast) -> None:
            super().__init__()
            self.result = result

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("forecast: computing...", **kwargs)
        self.result: LiveForecast | None = None
        self._gig_key: tuple[str, str] | None = None
        self._counts: tuple[int, ...] | None = None
        self._started = 0.0
        self._busy = False
        self._pending: tuple[Any, GigSnapshot, SimSettings, Path | None] | None = None

    def _say(self, text: str) -> None:
        # Where the line does not fit (60 columns), its place under the gauge says what it is.
        self.show(escape(text), escape(text.removeprefix(PREFIX)))

    def gig_changed(self, backend: Any, snap: GigSnapshot, settings: SimSettings,
                    population_file: Path | None = None, fastest: bool = False) -> None:
        """Called at every reading of the watched gig; starts a forecast when it changed. At
        the fastest speed it holds: the gig moves on faster than a forecast is made, and the
        runs would take the CPU the simulation and the keys need."""
        if not self.enabled:
            return
        if fastest:
            self._gig_key = None  # forecast afresh once the speed comes down
            self.result = None
            self._pending = None
            if self._busy:  # a forecast begun before: its remaining steps do not start
                self.workers.cancel_group(self, "forecast-line")
                self._busy = False
            self._say("forecast: held at the fastest speed")
            return
        gig_key = (snap.gig.id, snap.gig.model_dump_json())
        counts = (snap.stats.invited, snap.stats.accepted, snap.stats.pending, snap.stats.expired)
        if gig_key != self._gig_key:
            self.result = None
            self._say("forecast: computing...")
        elif counts == self._counts or time.monotonic() - self._started < MIN_INTERVAL:
            return
        self._gig_key, self._counts = gig_key, counts
        self._pending = (backend, snap, settings, population_file)
        if not self._busy:
            self._compute()

    @work(group="forecast-line", exclusive=True)
    async def _compute(self) -> None:
        self._busy = True
        try:
            while self._pending is not None:
                backend, snap, settings, population_file = self._pending
                self._pending = None
                self._started = time.monotonic()
                try:
                    result = await self._forecast(reading_of(snap, settings), backend,
                                                  population_file, _pool())
                except ForecastError as exc:
                    self._say(f"forecast: {exc}")
                    continue
                except Exception as exc:  # noqa: BLE001 - a failed forecast must not end the console
                    self._say(f"forecast failed: {type(exc).__name__}: {exc}")
                    _drop_pool()  # a broken pool is not reused
                    continue
                if self._gig_key is None or self._gig_key[0] != snap.gig.id or not self.is_attached:
                    continue
                self.result = result
                self._say(f"forecast: {result.line}")
                self.post_message(self.Ready(result))
        finally:
            self._busy = False

    async def _forecast(self, reading: GigReading, backend: Any, population_file: Path | None,
                        executor: Executor) -> LiveForecast:
        """In steps on a thread (ranking and planning), the runs in the background process (no
        thread waits for them: cancelling this cancels what of them has not begun)."""
        state = await asyncio.to_thread(state_from, reading, backend, population_file)
        # The context's forecast_model, read when the console started.
        chosen, plan = await asyncio.to_thread(live_plan, state, self.app.forecast_model)
        outcome = await run_plan_soon(plan, RUNS, 0, executor, PARTS)
        return await asyncio.to_thread(live_result, state, chosen, plan, outcome)
