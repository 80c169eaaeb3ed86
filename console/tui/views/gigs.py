"""View 1: the gig list. Live rows, filter, sort, export, copy, and the gig mutations."""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.widgets import Input

from console.gig_facts import GigFacts, gig_facts
from console.gig_phase import GigPhase
from console.plural import plural
from console.tui import actions
from console.tui import format as fmt
from console.tui.messages import GigCreated, Snapshot
from console.tui.rows import GIG_COLUMNS, gig_row
from console.tui.views.base import ViewScreen
from console.tui.widgets.filter_input import FilterInput
from console.tui.widgets.virtual_table import FilterError, Row, VirtualTable
from console.tui.widgets.wrapped import Wrapped


class GigsScreen(ViewScreen):
    VIEW_TITLE = "1 Gigs"
    SCOPES = frozenset({"gigs", "list"})
    BINDINGS: ClassVar = actions.bindings("gigs")
    DEFAULT_CSS = """
    GigsScreen #gigs-status { background: $panel; color: $text-muted; padding: 0 1; }
    GigsScreen FilterInput { display: none; }
    GigsScreen FilterInput.-shown { display: block; }
    GigsScreen FilterInput.-error { color: $text-error; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.facts: dict[str, GigFacts] = {}
        self._rows: dict[str, Row] = {}
        self.filter_error: str | None = None
        self._focus_when_listed: str | None = None

    def compose_body(self) -> ComposeResult:
        yield VirtualTable(GIG_COLUMNS, id="gig-table")
        yield FilterInput(placeholder="filter: regex over the row text, leading ! inverts",
                          id="gig-filter")
        yield Wrapped(id="gigs-status")

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    def on_mount(self) -> None:
        # ViewScreen.on_mount runs too (Textual calls every class's handler): no super() here.
        self.watch(self.table, "cursor_key", self._remember_selection)
        # A failed poll changes no row but makes the list stale: the status line says so.
        self.watch(self.app, "status_version", lambda _: self._update_status(), init=False)
        self.table.focus()
        summary = self.cirro.summary
        if self.cirro.loading is not None and summary is not None:
            # The app opens the backend once this is on the screen (CirroApp.on_ready).
            self._show_facts(list(summary.rows))
        self._update_status()

    def on_snapshot(self, snapshot: Snapshot) -> None:
        self._show_facts(gig_facts(snapshot.gigs, snapshot.stats, snapshot.now))

    def _show_facts(self, facts: list[GigFacts]) -> None:
        old_facts, old_rows = self.facts, self._rows
        # Only gigs whose facts changed get a new row: most do not between two polls.
        self._rows = {
            f.id: old_rows[f.id] if old_facts.get(f.id) == f else gig_row(f) for f in facts
        }
        self.facts = {f.id: f for f in facts}
        self.table.set_rows(self._rows.values())
        if self._focus_when_listed and self.table.move_cursor_to(self._focus_when_listed):
            self._focus_when_listed = None
        self._update_status()

    def _remember_selection(self, gig_id: str | None) -> None:
        if gig_id is not None:
            self.cirro.selected_gig_id = gig_id

    def on_gig_created(self, message: GigCreated) -> None:
        """Put the cursor on the new gig as soon as a poll lists it."""
        self._focus_when_listed = message.gig_id
        if self.table.move_cursor_to(message.gig_id):
            self._focus_when_listed = None

    def _update_status(self) -> None:
        table = self.table
        parts = [f"{table.row_count} of {plural(table.total_count, 'gig')}"]
        connection = self.cirro.connection
        if self.cirro.loading is not None:
            parts.append(f"as saved, opening: {self.cirro.loading}; keys wait")
        elif connection.error is not None:
            parts.insert(0, "NO DATA: no answer yet" if connection.last_ok_at is None else
                         f"STALE since {fmt.full_timestamp(connection.last_ok_at)} UTC")
        if table.filter_text:
            parts.append(fmt.quoted_filter(table.filter_text))
        if self.filter_error:
            parts.append(f"filter error: {self.filter_error}")
        order = "descending" if table.sort_reverse else "ascending"
        parts.append(f"sorted by {table.sort_column} {order}")
        if table.beyond_edge:
            parts.append(f"{' '.join(table.beyond_edge)} to the right (l)")
        # Wrapped, not cut: a layout pass only when the number of lines changes.
        self.query_one("#gigs-status", Wrapped).show(*parts)

    # Filter -------------------------------------------------------------------------------------
    def action_filter(self) -> None:
        box = self.query_one(FilterInput)
        box.add_class("-shown")
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "gig-filter":
            return
        try:
            self.table.set_filter(event.value)
            self.filter_error = None
        except FilterError as exc:
            # Keep the last good filter on screen; say what is wrong with the new one.
            self.filter_error = str(exc)
        event.input.set_class(self.filter_error is not None, "-error")
        self._update_status()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "gig-filter":
            if not event.value:
                event.input.remove_class("-shown")
            self.table.focus()

    # Sort ---------------------------------------------------------------------------------------
    def action_pick_sort(self) -> None:
        from console.tui.widgets.dialogs import ChoiceDialog

        choices = [(c.key, c.name) for c in GIG_COLUMNS]

        def chosen(column: str | None) -> None:
            if column is not None:
                self.table.sort_by(column, reverse=False)

        self.app.push_screen(ChoiceDialog("Sort by", choices, self.table.sort_column), chosen)

    def action_reverse_sort(self) -> None:
        self.table.sort_by(self.table.sort_column, not self.table.sort_reverse)

    def on_virtual_table_sort_changed(self, _: VirtualTable.SortChanged) -> None:
        self._update_status()

    def on_virtual_table_filter_dropped(self, message: VirtualTable.FilterDropped) -> None:
        self.filter_error = f"{message.text!r} removed: {message.reason}"
        self.query_one(FilterInput).add_class("-error")
        self._update_status()

    # Gigs ---------------------------------------------------------------------------------------
    def _current(self) -> GigFacts | None:
        key = self.table.cursor_key
        if key is None:
            self.notify("No gig here", severity="warning")
            return None
        return self.facts.get(key)

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        self.cirro.open_gig(event.key)

    def action_open_gig(self) -> None:
        if (facts := self._current()) is not None:
            self.cirro.open_gig(facts.id)

    def action_new_gig(self) -> None:
        self.cirro.new_gig()

    def action_duplicate_gig(self) -> None:
        if (facts := self._current()) is not None:
            self.cirro.duplicate_gig(facts.id)

    def action_archive_gig(self) -> None:
        if (facts := self._current()) is not None:
            self.cirro.archive_gig(facts.id)

    def action_delete_gig(self) -> None:
        if (facts := self._current()) is not None:
            self.cirro.delete_gig(facts.id, facts.phase is GigPhase.SCHEDULED)

    def action_copy_id(self) -> None:
        if (facts := self._current()) is not None:
            self.cirro.copy_gig_id(facts.id)

    def action_refresh_now(self) -> None:
        self.cirro.poll_now()

    # Export -------------------------------------------------------------------------------------
    def action_export(self) -> None:
        # Named after the backend's time (the simulated one on a simulation), as in the header.
        self._ask_export_path(
            f"gigs-{time.strftime('%Y%m%d-%H%M%S', time.gmtime(self.cirro.now))}.csv")

    def _ask_export_path(self, value: str) -> None:
        """The file to export to; an existing one is replaced only once the operator says so
        ("n" goes back to the file name as typed)."""
        from console.tui.export import FORMATS
        from console.tui.widgets.dialogs import ConfirmDialog, PromptDialog

        def chosen(path: str | None) -> None:
            if not path:
                return
            target = Path(path).expanduser()
            if target.suffix.lower() not in FORMATS:  # before asking to replace what is there
                kind = target.suffix or "a file without extension"
                self.notify(f"{target}: cannot export to {kind}: use .csv or .json",
                            severity="error")
                self._ask_export_path(path)
                return
            records = [self.facts[row.key].export() for row in self.table.visible_rows()]
            if not target.exists():
                self._export(target, records)
                return

            def answered(replace: bool | None) -> None:
                if replace:
                    self._export(target, records)
                else:
                    self._ask_export_path(path)

            self.app.push_screen(ConfirmDialog(
                f"Overwrite {target}?",
                f"It exists: y replaces it with the {len(records)} listed gigs, n goes back to "
                "the file name."), answered)

        self.app.push_screen(
            PromptDialog(f"Export the {self.table.row_count} listed gigs to", value,
                         "the extension picks the format: .csv or .json"),
            chosen,
        )

    @work(thread=True, exclusive=True, group="export")
    def _export(self, path: Path, records: list[dict]) -> None:
        from console.tui.export import ExportError, write_export

        try:
            written = write_export(path, records)
        except ExportError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.notify, f"exported {plural(len(records), 'gig')} to {written}")
