"""What the operator does to the gig from the wave monitor: select invitations and answer them
as the Space would, tune the gig."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from console.backends.errors import BackendError
from console.models import Gig, InvitationAction
from console.monitor.tuning import tuning_update
from console.plural import plural
from console.tui.gig_form import update_changes
from console.tui.widgets.tuning_dialog import TuningDialog

ACTION_VERBS = {"accept": "Accept", "reject": "Reject", "expire": "Expire", "reset": "Reset"}


class GigCommands:
    """Mixed into the wave monitor's screen; it talks to the app by its public methods only."""

    app: Any
    cirro: Any
    backend: Any
    gig_id: str | None
    monitor: Any
    pane: str
    notify: Any
    invitations_table: Any
    _paint_tabs: Callable[[], None]
    action_refresh_now: Callable[[], None]

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

