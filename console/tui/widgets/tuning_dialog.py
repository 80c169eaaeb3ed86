"""The form behind ``m`` in the wave monitor: multiplier, frequency and seats of one gig.

It returns the raw text of each field; :func:`console.monitor.tuning.tuning_update` turns that
into an update (or an error naming the field), so the parsing is tested without a screen.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label

from console.models import Gig
from console.monitor.tuning import TUNABLE, current_values
from console.tui.widgets.dialogs import DIALOG_CSS


class TuningDialog(ModalScreen[dict[str, str] | None]):
    """``enter`` in any field submits the form; ``escape`` cancels."""

    BINDINGS: ClassVar = [("escape", "cancel", "Cancel")]
    DEFAULT_CSS = DIALOG_CSS.format(name="TuningDialog")

    def __init__(self, gig: Gig) -> None:
        super().__init__()
        self.gig = gig

    def compose(self) -> ComposeResult:
        values = current_values(self.gig)
        with Vertical():
            yield Label(f"Gig {self.gig.id}: applies from the next tick", classes="dialog-title")
            for name, label in TUNABLE:
                yield Label(label)
                yield Input(values[name], id=f"tune-{name}", compact=True)  # one line each
            yield Label("enter saves · escape cancels")
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss({name: self.query_one(f"#tune-{name}", Input).value for name, _ in TUNABLE})

    def action_cancel(self) -> None:
        self.dismiss(None)
