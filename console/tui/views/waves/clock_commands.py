"""What the operator does to time from the wave monitor: step and jump (simulation, replay),
run a wave now, the poll interval of a remote gig, plain ASCII charts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual import work

from console.backends.controls import Rewind, SimulationControls
from console.backends.errors import BackendError
from console.monitor.poller import next_interval
from console.plural import plural
from console.tui.widgets.dialogs import PromptDialog


class ClockCommands:
    """Mixed into the wave monitor's screen; it talks to the app by its public methods only."""

    app: Any
    cirro: Any
    backend: Any
    gig_id: str | None
    notify: Any
    source: Any
    header: Any
    chart: Any
    _paint_status: Callable[[], None]

    # Clock ----------------------------------------------------------------------------------------
    def _need_sim(self, what: str) -> SimulationControls | None:
        sim = self.backend.simulation
        if sim is None:
            self.notify(f"{what}: only a simulation or a replay can do that", severity="warning")
        return sim

    def action_step(self) -> None:
        if (sim := self._need_sim("Step")) is not None:
            self._step(sim)

    @work(exclusive=True, group="waves-step")
    async def _step(self, sim: SimulationControls) -> None:
        try:
            at = await sim.step_to_next_wave()
        except BackendError as exc:
            self.notify(str(exc), severity="error")
            return
        if at is None:
            self.notify("Nothing left to happen: no further wave")
        self.cirro.poll_now()

    def _rewind(self, what: str) -> Rewind | None:
        sim = self.backend.simulation
        rewind = sim.rewind if sim is not None else None
        if rewind is None:
            self.notify(f"{what} works on a replay only", severity="warning")
        return rewind

    def action_step_back(self) -> None:
        if (rewind := self._rewind("Stepping back")) is not None:
            self._move(rewind.step_back())

    @work(exclusive=True, group="waves-step")
    async def _move(self, move: Awaitable[object]) -> None:
        try:
            await move
        except ValueError as exc:
            self.notify(str(exc), severity="error")
            return
        self.cirro.poll_now()

    def action_jump(self) -> None:
        if (rewind := self._rewind("Jumping")) is None:
            return
        frame, last = rewind.position

        def chosen(text: str | None) -> None:
            if text:
                self._move(rewind.jump_to(text))

        self.app.push_screen(PromptDialog(
            f"Jump to (frame 1-{last}, HH:MM[:SS] or a percentage)", str(frame)), chosen)

    def action_wave_now(self) -> None:
        if (gig_id := self.gig_id) is None:
            self.notify("Open a gig first (enter)", severity="warning")
            return
        sim = self._need_sim("Run a wave now")
        if sim is None or self.cirro.refuse_if_read_only("run a wave"):
            return

        def done(wave: Any) -> None:
            self.notify("No candidate left: no wave sent" if wave is None
                        else f"Wave {wave.n} invited {plural(wave.invited, 'worker')}")

        self.cirro.confirm_then(f"Run a wave of gig {gig_id} now?",
                                "Invites the next candidates at once, whatever the schedule.",
                                lambda: sim.run_wave_now(gig_id), done)

    # Polling and drawing --------------------------------------------------------------------------
    def action_poll_interval(self) -> None:
        source = self.source
        if source is None or source.poll_clock is None:
            self.notify("Only a remote gig is polled here; its clock drives the rest",
                        severity="warning")
            return
        interval = next_interval(source.poll_clock.interval)
        source.set_interval(interval)
        self.notify(f"Polling every {interval:g} s")
        self._paint_status()

    def action_refresh_now(self) -> None:
        source = self.source
        if source is None or not source.poll_now():
            self.cirro.poll_now()

    def action_toggle_ascii(self) -> None:
        header, chart = self.header, self.chart
        header.ascii_only = chart.ascii_only = not chart.ascii_only
        self.notify("ASCII charts" if chart.ascii_only else "Unicode charts")
