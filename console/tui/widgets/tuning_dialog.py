"""The form behind ``m`` in the wave monitor: multiplier, frequency and seats of one gig.

:func:`console.monitor.tuning.tuning_update` turns the text of each field into an update (or an
error naming the field), so the parsing is tested without a screen. The form stays open on an
error, with what was typed, and closes only with a form that reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from console.models import Gig
from console.monitor.tuning import TUNABLE, TuningError, current_values, tuning_update
from console.tui.widgets.dialogs import DIALOG_CSS
from console.tui.widgets.key_footer import KeyFooter


class TuningDialog(ModalScreen[dict[str, str] | None]):
    """``enter`` in any field submits the form; ``escape`` cancels."""

    BINDINGS: ClassVar = [("escape", "cancel", "Cancel")]
    DEFAULT_CSS = DIALOG_CSS.format(name="TuningDialog") + """
    TuningDialog .dialog-error { display: none; }
    TuningDialog .dialog-error.-shown { display: block; }
    """

    def __init__(self, gig: Gig, typed: Mapping[str, str] | None = None, error: str = "") -> None:
        super().__init__()
        self.gig = gig
        self.values = {**current_values(gig), **(typed or {})}
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Gig {self.gig.id}: applies from the next tick", classes="dialog-title")
            for name, label in TUNABLE:
                yield Label(label)
                yield Input(self.values[name], id=f"tune-{name}", compact=True)  # one line each
            yield Label("", classes="dialog-error", markup=False)
            yield Label("enter saves · escape cancels")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.error:
            self.show_error(self.error)

    def form(self) -> dict[str, str]:
        return {name: self.query_one(f"#tune-{name}", Input).value for name, _ in TUNABLE}

    def show_error(self, message: str) -> None:
        error = self.query_one(".dialog-error", Label)
        error.update(message)
        error.add_class("-shown")
        field = next((name for name, _ in TUNABLE if message.startswith(name)), None)
        if field is not None:
            self.query_one(f"#tune-{field}", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        form = self.form()
        try:
            tuning_update(self.gig, form)
        except TuningError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(form)

    def action_cancel(self) -> None:
        self.dismiss(None)
