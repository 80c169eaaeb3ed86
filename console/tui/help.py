"""Help on ``?``/``F1``: every action of the registry with the keys in effect (after remaps)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from console.tui import actions
from console.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from console.tui.app import CirroApp


def help_table(keymap: dict[str, str], current_scopes: set[str]) -> Group:
    """Keys, what they do, and the id that remaps them under ``[keys]`` (the README's names):
    a heading and a table per scope, the tables' columns aligned across scopes."""
    rows = {scope: [(" ".join(actions.key_label(k) for k in actions.effective_keys(a, keymap)),
                     a.description, a.id) for a in scope_actions]
            for scope, scope_actions in actions.grouped().items()}
    keys_width = max(len(keys) for scope_rows in rows.values() for keys, _, _ in scope_rows)
    id_width = max(len(a.id) for a in actions.ACTIONS)
    parts: list[Text | Table] = []
    for scope, scope_rows in rows.items():
        marker = "  (here)" if scope in current_scopes else ""
        parts.append(Text(f"{actions.SCOPES[scope]}{marker}", style="bold"))
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=keys_width + 2, no_wrap=True)
        table.add_column(ratio=1)
        table.add_column(width=id_width, no_wrap=True, style="dim")
        for keys, description, action_id in scope_rows:
            table.add_row(Text(f"  {keys}"), Text(description), Text(action_id))
        parts += [table, Text("")]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """Scrolls with the list keys (remapped with them): j/k and arrows, page keys, g/G."""

    BINDINGS: ClassVar = [
        ("escape,q,question_mark,f1", "dismiss", "Close"),
        # The table fits the width: nothing to scroll sideways.
        *(b for b in actions.bindings("list") if b.id not in ("list.left", "list.right")),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 78; max-width: 100%; height: 90%; border: round $primary; background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, current_scopes: set[str]) -> None:
        super().__init__()
        self.current_scopes = current_scopes

    def compose(self) -> ComposeResult:
        app: CirroApp = self.app  # type: ignore[assignment]
        with VerticalScroll(can_focus=False) as scroll:  # the screen's keys scroll it
            scroll.border_title = "Keys (remap them under \\[keys] in the config file)"
            if app.key_warnings:
                yield Static(Text("\n".join(f"! {w}" for w in app.key_warnings), style="bold"),
                             id="help-warnings")
            yield Static(help_table(app.keymap, self.current_scopes), id="help-table")
        yield KeyFooter()

    def _scroll_to(self, y: float) -> None:
        # Immediate: a deferred scroll starts from the old offset, so keys in a burst lost steps.
        self.query_one(VerticalScroll).scroll_to(y=y, animate=False, immediate=True)

    @property
    def _offset(self) -> float:
        return self.query_one(VerticalScroll).scroll_y

    @property
    def _page(self) -> int:
        return max(self.query_one(VerticalScroll).scrollable_content_region.height - 1, 1)

    def action_cursor_down(self) -> None:
        self._scroll_to(self._offset + 1)

    def action_cursor_up(self) -> None:
        self._scroll_to(self._offset - 1)

    def action_page_down(self) -> None:
        self._scroll_to(self._offset + self._page)

    def action_page_up(self) -> None:
        self._scroll_to(self._offset - self._page)

    def action_cursor_top(self) -> None:
        self._scroll_to(0)

    def action_cursor_bottom(self) -> None:
        self._scroll_to(self.query_one(VerticalScroll).max_scroll_y)
