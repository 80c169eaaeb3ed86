"""Modal dialogs: confirm a mutation, ask for a line of text, pick one of a few choices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from console.tui import actions
from console.tui.widgets.key_footer import KeyFooter

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 64; max-width: 100%; height: auto; max-height: 90%;
    border: round $primary; background: $surface; padding: 0 1;
}}
{name} Label {{ width: 100%; }}  /* wraps: a long gig title must not cut the question */
{name} .dialog-title {{ text-style: bold; }}
{name} .dialog-error {{ color: $text-error; }}
"""


class ConfirmDialog(ModalScreen[bool]):
    """Every mutation goes through here: ``y`` confirms, ``n`` or ``escape`` cancels."""

    BINDINGS: ClassVar = actions.bindings("dialog")
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmDialog")

    def __init__(self, title: str, detail: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="dialog-title", markup=False)
            if self.detail:
                yield Label(self.detail, markup=False)
            yield Label(self._keys_hint(), markup=False)
        yield KeyFooter()

    def _keys_hint(self) -> str:
        keymap = getattr(self.app, "keymap", {})
        parts = []
        for action_id in ("dialog.yes", "dialog.no"):
            action = actions.BY_ID[action_id]
            keys = "/".join(actions.key_label(k) for k in actions.effective_keys(action, keymap))
            parts.append(f"{keys}: {action.footer.lower()}")
        return "   ".join(parts)

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class PromptDialog(ModalScreen[str | None]):
    """One line of text (an export path); ``enter`` accepts, ``escape`` cancels."""

    BINDINGS: ClassVar = [("escape", "cancel", "Cancel")]
    DEFAULT_CSS = DIALOG_CSS.format(name="PromptDialog")

    def __init__(self, title: str, value: str = "", hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Input(self.value, id="prompt-input")
            if self.hint:
                yield Label(self.hint, markup=False)
        yield KeyFooter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one of ``choices`` (id, label) with the arrows or j/k and ``enter``."""

    BINDINGS: ClassVar = [
        ("escape", "cancel", "Cancel"),
        ("j", "move(1)", "Down"),
        ("k", "move(-1)", "Up"),
    ]
    DEFAULT_CSS = DIALOG_CSS.format(name="ChoiceDialog") + "ChoiceDialog OptionList { height: auto; max-height: 14; }"

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], current: str | None = None):
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(*(Option(Content(label), id=key) for key, label in self.choices))
        yield KeyFooter()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        keys = [key for key, _ in self.choices]
        if self.current in keys:
            options.highlighted = keys.index(self.current)

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        options.action_cursor_down() if delta > 0 else options.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
