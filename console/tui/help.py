"""Help on ``?``/``F1``: every action of the registry with the keys in effect (after remaps)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from console.tui import actions

if TYPE_CHECKING:
    from console.tui.app import CirroApp


def help_table(keymap: dict[str, str], current_scopes: set[str]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column()
    for scope, scope_actions in actions.grouped().items():
        marker = "  (here)" if scope in current_scopes else ""
        table.add_row(Text(f"{actions.SCOPES[scope]}{marker}", style="bold"), "")
        for action in scope_actions:
            keys = " ".join(actions.key_label(k) for k in actions.effective_keys(action, keymap))
            table.add_row(Text(f"  {keys}"), Text(action.description))
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar = [
        ("escape,q,question_mark,f1", "dismiss", "Close"),
        ("j,down", "scroll(1)", "Down"),
        ("k,up", "scroll(-1)", "Up"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 100%; height: 90%; border: round $primary; background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, current_scopes: set[str]) -> None:
        super().__init__()
        self.current_scopes = current_scopes

    def compose(self) -> ComposeResult:
        app: CirroApp = self.app  # type: ignore[assignment]
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys (remap them under \\[keys] in the config file)"
            if app.key_warnings:
                yield Static(Text("\n".join(f"! {w}" for w in app.key_warnings), style="bold"),
                             id="help-warnings")
            yield Static(help_table(app.keymap, self.current_scopes), id="help-table")
        yield Footer(show_command_palette=False)

    def action_scroll(self, delta: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=delta, animate=False)
