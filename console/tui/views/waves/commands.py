"""What the operator does from the wave monitor: move the clock (simulation, replay), run a
wave, answer invitations as the Space would, tune the gig, set the poll interval."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual import work

from console.backends.controls import Rewind, SimulationControls
from console.backends.errors import BackendError
from console.models import Gig, InvitationAction
from console.monitor.poller import next_interval
from console.monitor.tuning import tuning_update
from console.plural import plural
from console.tui.gig_form import update_changes
from console.tui.widgets.dialogs import PromptDialog
from console.tui.widgets.tuning_dialog import TuningDialog

ACTION_VERBS = {"accept": "Accept", "reject": "Reject", "expire": "Expire", "reset": "Reset"}


class MonitorCommands:
    """Mixed into the wave monitor's screen; it talks to the app by its public methods only."""

    app: Any
    cirro: Any
    backend: Any
    gig_id: str | None
    monitor: Any
    pane: str
    notify: Any
    source: Any
    header: Any
    chart: Any
    invitations_table: Any
    _paint_tabs: Callable[[], None]
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

    # Invitations ----------------------------------------------------------------------------------
    def _invitations(self) -> Any:
        if self.gig_id is None or self.pane != "invitations":
            self.notify("Open a gig's invitations first (enter, then i)", severity="warning")
            return None
        return self.invitations_table

    def action_toggle_select(self) -> None:
        if (table := self._invitations()) is None or table.cursor_key is None:
            return
        table.toggle(table.cursor_key)
        table.action_cursor_down()
        self._paint_tabs()

    def action_select_all(self) -> None:
        if (table := self._invitations()) is not None:
            table.select_listed()
            self._paint_tabs()

    def action_respond(self, action: str) -> None:
        if (table := self._invitations()) is None:
            return
        if self.cirro.refuse_if_read_only(f"{action} invitations"):
            return
        invitations = self.monitor.invitations if self.monitor is not None else {}
        targets = sorted(table.selected) or ([table.cursor_key] if table.cursor_key else [])
        if not targets:
            self.notify("Select invitations first (space, or * for all listed)", severity="warning")
            return
        workers = ", ".join(invitations[i].user_id for i in targets[:5] if i in invitations)
        more = f" and {len(targets) - 5} more" if len(targets) > 5 else ""
        self.cirro.confirm_then(
            f"{ACTION_VERBS[action]} {len(targets)} invitation{'s' if len(targets) != 1 else ''}?",
            f"As the Space would: {workers}{more}",
            lambda: self._apply(InvitationAction(action), targets), self._applied)

    async def _apply(self, action: InvitationAction, targets: list[str]) -> tuple[int, list[str]]:
        """Every target in turn; one refusal (a 422) does not stop the others."""
        calls = {
            InvitationAction.ACCEPT: self.backend.accept_invitation,
            InvitationAction.REJECT: self.backend.reject_invitation,
            InvitationAction.EXPIRE: self.backend.expire_invitation,
            InvitationAction.RESET: self.backend.reset_invitation,
        }
        done, errors = 0, []
        for inv_id in targets:
            try:
                await calls[action](inv_id)
                done += 1
            except BackendError as exc:
                errors.append(str(exc))
        return done, errors

    def _applied(self, result: tuple[int, list[str]]) -> None:
        done, errors = result
        self.invitations_table.clear_selection()
        self._paint_tabs()
        if errors:
            self.notify(f"{done} done, {len(errors)} refused: {errors[0]}", severity="warning",
                        timeout=8)
        else:
            self.notify(f"{plural(done, 'invitation')} updated")
        if self.backend.simulation is None:
            self.action_refresh_now()  # show what the server applied without waiting a poll

    # Tuning ---------------------------------------------------------------------------------------
    def action_tune(self) -> None:
        snap = self.monitor.snapshot if self.monitor is not None else None
        if snap is None:
            self.notify("Open a gig first (enter)", severity="warning")
            return
        if not self.cirro.refuse_if_read_only("change the gig"):
            self._ask_tuning(snap.gig)

    def _ask_tuning(self, gig: Gig, typed: dict[str, str] | None = None, error: str = "") -> None:
        def submitted(form: dict[str, str] | None) -> None:
            if form is not None:
                self._tune(gig, form)

        self.app.push_screen(TuningDialog(gig, typed, error), submitted)

    def _tune(self, gig: Gig, form: dict[str, str]) -> None:
        """Confirm the form (the dialog checked it reads); a "no" or a refusal by the backend
        goes back to the form with what was typed."""
        update = tuning_update(gig, form)
        if update is None:
            self.notify("Nothing changed")
            return
        changes = update_changes(gig, update)
        self.cirro.confirm_then(
            f"Change gig {gig.id}?", "\n".join([*changes, "(from the next tick)"]),
            lambda: self.backend.update_gig(gig.id, update),
            lambda g: self.notify(f"Gig {g.id} changed: {'; '.join(changes)}"),
            failed=lambda message: self._ask_tuning(gig, form, message),
            declined=lambda: self._ask_tuning(gig, form))

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
