"""The invitations pane: every invitation of the gig, the operator's selection marked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from textual.reactive import reactive

from console.give_way import paced
from console.models import GigInvitation
from console.tui.views.waves.built_table import BuiltTable
from console.tui.views.waves.rows import INVITATION_COLUMNS, invitation_row
from console.tui.widgets.virtual_table import Row

# Each invitation with the row made of it: an unchanged invitation (the same object, see
# lister_for) keeps its row.
Built = Mapping[str, tuple[GigInvitation, Row]]
Wanted = tuple[Mapping[str, GigInvitation], frozenset[str]]


class Rows(NamedTuple):
    built: Built
    changed: list[Row]
    removed: list[str]
    selected: frozenset[str]  # the selection the changed rows were marked with


class InvitationTable(BuiltTable[Wanted, Built]):
    # No repaint of its own: the rows it builds repaint the table when they are swapped in.
    invitations: reactive[Mapping[str, GigInvitation]] = reactive(dict, init=False, repaint=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(INVITATION_COLUMNS, base={}, **kwargs)
        self.selected: set[str] = set()

    def on_mount(self) -> None:
        self.sort_by("user")

    def start_over(self) -> None:
        self.selected = set()
        self.set_reactive(InvitationTable.invitations, {})
        self.reset({})

    def watch_invitations(self, invitations: Mapping[str, GigInvitation]) -> None:
        self.selected &= invitations.keys()
        self.build_from((invitations, frozenset(self.selected)))

    def build(self, base: Built, data: Wanted) -> Rows:
        invitations, selected = data
        built: dict[str, tuple[GigInvitation, Row]] = {}
        changed = []
        for inv_id, inv in paced(invitations.items()):
            old = base.get(inv_id)
            if old is not None and old[0] is inv:
                built[inv_id] = old
            else:
                built[inv_id] = (inv, row := invitation_row(inv, selected))
                changed.append(row)
        return Rows(built, changed, [key for key in base if key not in built], selected)

    def changes(self, result: Rows) -> tuple[list[Row], list[str]]:
        return result.changed, result.removed

    def base_of(self, result: Rows) -> Built:
        return result.built

    def rows_of(self, base: Built) -> Iterable[Row]:
        return (row for _, row in base.values())

    def take(self, result: Rows) -> None:
        super().take(result)
        # Marked while the operator (un)selected some: marked again as they are now.
        self._mark_model({row.key for row in result.changed} & (result.selected ^ self.selected))

    def apply(self, result: Rows) -> None:
        base = self.base  # the changed rows as the model has them (marks redrawn)
        self.update_rows([base[row.key][1] for row in result.changed], result.removed)

    # Selection ------------------------------------------------------------------------------------
    def mark(self, keys: Iterable[str]) -> None:
        """Draw the selection mark of these rows again (a new base: a build in flight, made
        on the old marks, is made again)."""
        if (rows := self._mark_model(keys)) and self.apply_now():
            self.update_rows(rows)

    def _mark_model(self, keys: Iterable[str]) -> list[Row]:
        """The marks of these rows drawn again in the model (a new base); the rows made."""
        keys = [key for key in keys if key in self.base]
        if not keys:
            return []
        base = dict(self.base)
        rows = []
        for key in keys:
            inv = base[key][0]
            base[key] = (inv, row := invitation_row(inv, self.selected))
            rows.append(row)
        self.base = base
        return rows

    def toggle(self, key: str) -> None:
        self.selected.symmetric_difference_update({key})
        self.mark({key})

    def select_listed(self) -> None:
        """Select every listed row; all of them selected already, select none."""
        listed = {row.key for row in self.visible_rows()}
        changed = self.selected | listed
        self.selected = set() if listed <= self.selected else self.selected | listed
        self.mark(changed)

    def clear_selection(self) -> None:
        was = self.selected
        self.selected = set()
        self.mark(was)
