"""View 2: the query editor for the gig selected in the list.

Two JSON editors (filter and sort) validated on every keystroke; a live preview of who would be
invited, computed in a thread worker after a short debounce, a stale run cancelled by the next
one, so typing never waits for it; "why not?" for any worker; diff, save with confirmation,
revert, undo/redo, format, snippets and the ``$EDITOR`` hand-off.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from console.backends.base import InvitationFilter
from console.backends.errors import BackendError
from console.models import Gig, GigUpdate
from console.mql import MQLTimeout
from console.plural import plural
from console.query.diff import Queries, format_query, query_diff
from console.query.editor_handoff import EditorError, edit_text
from console.query.masks import Cancelled
from console.query.preview import Preview, PreviewEngine
from console.query.snippets import SNIPPETS, add_snippet, snippet_for
from console.query.sources import preview_population
from console.query.validate import Checked, QueryProblem, check_filter, check_sort
from console.query.why_not import WhyNot, why_not
from console.tui import actions
from console.tui.messages import Snapshot
from console.tui.suspend import run_suspended
from console.tui.views.base import ViewScreen
from console.tui.widgets.dialogs import DIALOG_CSS, ChoiceDialog, ConfirmDialog
from console.tui.widgets.json_editor import JsonEditor
from console.tui.widgets.key_footer import KeyFooter
from console.tui.widgets.wrapped import Wrapped

# The debounce counts inside the 150 ms keystroke-to-preview budget: keep it short.
DEBOUNCE_SECONDS = 0.05
PREVIEW_ROWS = 20
CONFIRM_DIFF_LINES = 12
# Longer texts are checked in a thread: a 320 KB filter took 100-250 ms to check, on each key.
SYNC_CHECK_CHARS = 20_000
_CHECKS = {"filter_query": check_filter, "sort_query": check_sort}
# Idle time after a preview before the engine precomputes for the next edit.
WARM_AFTER_SECONDS = 0.3
# Lines short enough for the 64-column confirmation dialog.
APPLIES_LATER = ("Applies to later waves only: invitations already sent\n"
                 "stay as they are; the next wave ranks with the new queries.")


@dataclass
class _Edited:
    """One editor's latest verdict: the last query that compiled, the current problem, and the
    text they are the verdict on."""

    good: Checked[Any] | None = None
    problem: QueryProblem | None = None
    text: str | None = None
    checking: bool = False  # a long text's verdict is being made in a thread


class QueryChecked(Message):
    """The verdict on a long query's text, from the thread that checked it."""

    def __init__(self, name: str, text: str, checked: Checked[Any] | QueryProblem) -> None:
        super().__init__()
        self.name, self.text, self.checked = name, text, checked


class PreviewComputed(Message):
    """A preview (or its counts, rows still to come) from the thread computing it: posted, so
    that thread goes on ranking without waiting for the event loop to show the counts."""

    def __init__(self, preview: Preview, generation: int) -> None:
        super().__init__()
        self.preview = preview
        self.generation = generation


def diff_text(lines: list[str]) -> Text:
    text = Text()
    for line in lines:
        style = "green" if line.startswith("+") else "red" if line.startswith("-") else "bold"
        text.append(line + "\n", style=None if line.startswith(" ") else style)
    return text


class PreviewTable(Static, can_focus=True):
    """The first rows of the preview as plain aligned text: at most a screenful of rows, redrawn
    whole on every preview, which a DataTable (measuring and styling each cell) makes slow."""

    DEFAULT_CSS = """
    PreviewTable { width: auto; min-width: 100%; height: auto; text-wrap: nowrap; }
    PreviewTable:focus { background: $boost; }
    """

    def show(self, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        self.header, self.rows = header, rows
        widths = [max(len(cells[i]) if i < len(cells) else 0 for cells in (header, *rows))
                  for i in range(len(header))]
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip() + "\n",
                    style="bold")
        for cells in rows:
            text.append("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip() + "\n")
        self.update(text)


class DiffScreen(ModalScreen[None]):
    BINDINGS: ClassVar = [("escape,q,f5", "dismiss", "Close")]
    DEFAULT_CSS = DIALOG_CSS.format(name="DiffScreen") + "DiffScreen VerticalScroll { height: auto; max-height: 20; }"

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Edited against saved", classes="dialog-title")
            with VerticalScroll():
                yield Static(diff_text(self.lines) if self.lines else "No changes.", id="diff")
        yield KeyFooter()


class WhyNotScreen(ModalScreen[None]):
    """Type a worker id (``enter``) or pick one of the workers the filter rejects."""

    BINDINGS: ClassVar = [("escape", "dismiss", "Close")]
    DEFAULT_CSS = DIALOG_CSS.format(name="WhyNotScreen") + """
    WhyNotScreen > Vertical { width: 90; }
    WhyNotScreen Horizontal { height: auto; max-height: 16; }
    WhyNotScreen OptionList { width: 16; height: auto; max-height: 16; }
    WhyNotScreen VerticalScroll { height: auto; max-height: 16; padding-left: 1; }
    """

    def __init__(self, view: QueriesScreen, non_matching: tuple[str, ...]) -> None:
        super().__init__()
        self.view = view
        self.non_matching = non_matching

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Why not? A worker's verdict, clause by clause", classes="dialog-title")
            yield Input(placeholder="worker id, then enter", id="why-id")
            with Horizontal():
                yield OptionList(*(Option(w, id=w) for w in self.non_matching), id="why-pick")
                with VerticalScroll():
                    yield Static("Pick a worker the filter rejects, or type any id.",
                                 id="why-result")
        yield KeyFooter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.show(event.value.strip())

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.show(event.option.id)

    def show(self, worker_id: str) -> None:
        result = self.view.explain_worker(worker_id)
        text = Text(result.headline + "\n", style="bold")
        for line in result.lines:
            style = "red" if line.lstrip().startswith("FAIL") else "green"
            text.append(line + "\n", style=style)
        self.query_one("#why-result", Static).update(text)


class QueriesScreen(ViewScreen):
    VIEW_TITLE = "2 Queries"
    SCOPES = frozenset({"queries"})
    BINDINGS: ClassVar = actions.bindings("queries")
    DEFAULT_CSS = """
    QueriesScreen #q-gig { height: 1; background: $panel; padding: 0 1; }
    QueriesScreen #q-editors { width: 1fr; }
    QueriesScreen #q-preview { width: 1fr; padding-left: 1; }
    QueriesScreen .q-label { height: 1; text-style: bold; }
    QueriesScreen #filter-editor { height: 1fr; }
    QueriesScreen #sort-editor { height: 6; }
    QueriesScreen .q-status { color: $text-success; }
    QueriesScreen .q-status.-error { color: $text-error; }
    QueriesScreen #q-note { color: $text-warning; }
    QueriesScreen #q-rows-scroll { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.gig: Gig | None = None
        self.saved: Queries | None = None
        self.engine: PreviewEngine | None = None
        self.source_note = ""
        self.edited = {"filter_query": _Edited(), "sort_query": _Edited()}
        self.preview: Preview | None = None
        # Every scheduled preview gets a number; only the newest one is shown.
        self.generation = 0
        self.shown_generation = 0
        self.shown_at = 0.0  # perf_counter() when the newest preview was put on screen
        self._debounce: Timer | None = None
        self._warming: Timer | None = None
        self._last_editor = "filter-editor"
        self._invited_count: int | None = None
        self._loading: str | None = None
        self._kept_over: str | None = None  # the gig picked while "n" kept this one's edits

    def compose_body(self) -> ComposeResult:
        yield Static("No gig selected: pick one in view 1.", id="q-gig")
        with Horizontal():
            with Vertical(id="q-editors"):
                yield Label("filter_query", classes="q-label")
                yield JsonEditor(id="filter-editor")
                yield Wrapped(classes="q-status", id="filter-status")
                yield Label("sort_query", classes="q-label")
                yield JsonEditor(id="sort-editor")
                yield Wrapped(classes="q-status", id="sort-status")
            with Vertical(id="q-preview"):
                yield Wrapped(id="q-summary")
                yield Wrapped(id="q-note")
                # Rows keep their columns aligned; the arrows scroll to what does not fit.
                with ScrollableContainer(id="q-rows-scroll"):
                    yield PreviewTable(id="q-rows")

    # Loading the gig ------------------------------------------------------------------------------
    def on_mount(self) -> None:
        # ViewScreen.on_mount runs too (Textual calls every class's handler): no super() here.
        # Open outside the editors, so that 1/2/3 keep switching views; `e` starts editing.
        self.query_one("#q-rows", PreviewTable).focus()
        self.query_one("#q-summary", Wrapped).show("No preview yet.")
        self._load_selected()

    def on_screen_resume(self) -> None:
        self._load_selected()

    def on_snapshot(self, snapshot: Snapshot) -> None:
        if self.gig is None:
            self._load_selected()
            return
        stats = snapshot.stats.get(self.gig.id)
        if stats is not None and stats.invited != self._invited_count:
            self._invited_count = stats.invited
            self.refresh_invited(self.gig.id)

    @work(exclusive=True, group="invited")
    async def refresh_invited(self, gig_id: str) -> None:
        """Waves went out: who is "not invited yet" changed."""
        try:
            invitations = await self.cirro.backend.list_invitations(InvitationFilter(gig_id=gig_id))
        except BackendError as exc:
            self.notify(f"Cannot refresh the invitations of gig {gig_id}: {exc}", severity="error")
            return
        if (self.engine is not None and self.gig is not None and self.gig.id == gig_id
                and self.engine.set_invited(i.user_id for i in invitations)):
            self._schedule_preview()

    def _load_selected(self) -> None:
        gig_id = self.cirro.selected_gig_id
        snapshot = self.cirro.snapshot
        if gig_id is None and snapshot is not None and snapshot.gigs:
            gig_id = snapshot.gigs[0].id
        if self.gig is not None and self.gig.id == gig_id:
            self._kept_over = None  # back on the gig being edited: a new pick asks again
            return
        if gig_id is None or gig_id == self._loading:
            return
        if self.gig is not None and self.has_edits():
            self._ask_to_switch(self.gig.id, gig_id)
            return
        self._loading = gig_id
        self.load_gig(gig_id)

    def _ask_to_switch(self, editing: str, selected: str) -> None:
        """Another gig was picked in the list while this one has edits: open it only once the
        operator drops them. "n" keeps editing; it is asked again when the pick changes."""
        if self._kept_over == selected or isinstance(self.app.screen, ConfirmDialog):
            return
        self._kept_over = selected

        def answered(drop: bool | None) -> None:
            if drop and self.gig is not None and self.gig.id == editing:
                self._kept_over = None
                self._loading = selected
                self.load_gig(selected)

        self.app.push_screen(ConfirmDialog(
            f"Drop the query edits of gig {editing}?",
            f"Gig {selected} is selected in the list: y opens it and drops the edits of gig "
            f"{editing}, n keeps editing them (save F2, revert F10).",
        ), answered)

    @work(exclusive=True, group="load")
    async def load_gig(self, gig_id: str) -> None:
        backend = self.cirro.backend
        try:
            gig = await backend.get_gig(gig_id)
            invitations = await backend.list_invitations(InvitationFilter(gig_id=gig_id))
        except BackendError as exc:
            self._loading = None
            self.notify(f"Cannot load gig {gig_id}: {exc}", severity="error")
            return
        if self.engine is None:
            await self._build_engine()
        if self.engine is not None:
            self.engine.set_invited(i.user_id for i in invitations)
        self.gig, self._loading, self._kept_over = gig, None, None
        self.saved = Queries(gig.filter_query, gig.sort_query)
        self.query_one("#q-gig", Static).update(f"Gig {gig.id}: {gig.title}")
        self.editor("filter_query").load_text(format_query(gig.filter_query))
        self.editor("sort_query").load_text(format_query(gig.sort_query))
        self.preview = None
        self._validate_all()

    async def _build_engine(self) -> None:
        population_file = self.cirro.population_file
        # Reading 100k workers (or a population file) and indexing them stays off the UI thread.
        source = await asyncio.to_thread(preview_population, self.cirro.backend, population_file)
        self.source_note = source.description
        if source.population is not None:
            self.engine = await asyncio.to_thread(PreviewEngine, source.population, (),
                                                  PREVIEW_ROWS)
        self._show_note()

    # Editing and validation -----------------------------------------------------------------------
    def editor(self, name: str) -> JsonEditor:
        return self.query_one(f"#{name.replace('_query', '')}-editor", JsonEditor)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id in ("filter-editor", "sort-editor"):
            name = event.text_area.id.replace("-editor", "_query")
            if self.edited[name].text == event.text_area.text:
                return  # a loaded gig's text, validated and previewed already
            self._validate(name)
            self._schedule_preview()

    def on_descendant_focus(self, event: Any) -> None:
        if isinstance(event.widget, JsonEditor) and event.widget.id:
            self._last_editor = event.widget.id

    def _validate_all(self) -> None:
        """Both editors, after a gig was loaded or saved: nobody is typing, so the preview
        starts now rather than after the keystrokes' debounce."""
        for name in self.edited:
            self._validate(name)
        self._schedule_preview(at_once=True)

    def _validate(self, name: str) -> None:
        text = self.editor(name).text
        state = self.edited[name]
        state.text = text
        state.checking = len(text) > SYNC_CHECK_CHARS
        if state.checking:
            self._status(name).show("checking...", self._long_line_hint(name, formats=False))
            self.run_worker(partial(self._check_in_thread, name, text), thread=True,
                            exclusive=True, group=f"check-{name}", description="check query")
        else:
            self._apply_check(name, _CHECKS[name](text))

    def _check_in_thread(self, name: str, text: str) -> None:
        self.post_message(QueryChecked(name, text, _CHECKS[name](text)))

    def on_query_checked(self, message: QueryChecked) -> None:
        state = self.edited[message.name]
        if message.text is not state.text:
            return  # typed over since: that text's check is on its way
        state.checking = False
        self._apply_check(message.name, message.checked)
        self._schedule_preview()

    def _status(self, name: str) -> Wrapped:
        return self.query_one(f"#{name.replace('_query', '')}-status", Wrapped)

    def _apply_check(self, name: str, checked: Checked[Any] | QueryProblem) -> None:
        editor, state, status = self.editor(name), self.edited[name], self._status(name)
        if isinstance(checked, QueryProblem):
            state.problem = checked
            if checked.json_problem is not None:
                editor.mark_problem(checked.json_problem)
            else:
                editor.mark(checked.span)
            status.show(checked.message,
                        self._long_line_hint(name, formats=checked.json_problem is None))
            status.add_class("-error")
        else:
            state.good, state.problem = checked, None
            editor.mark(None)
            changed = self.saved is not None and checked.query != getattr(self.saved, name)
            status.show("valid, edited" if changed else "valid", self._long_line_hint(name))
            status.remove_class("-error")

    def _long_line_hint(self, name: str, formats: bool = True) -> str:
        """``formats``: the text parses as JSON, so F3 can break the line up."""
        if (long := self.editor(name).long_line()) is None:
            return ""
        row, length = long
        f3 = ": F3 formats it" if formats else ""
        return f"line {row + 1} has {length:,} characters{f3} (long lines edit slowly)"

    def edited_names(self) -> list[str]:
        """The queries whose editor differs from the saved one, a broken draft included."""
        if self.saved is None:
            return []
        names = []
        for name, state in self.edited.items():
            saved = getattr(self.saved, name)
            if state.problem is not None or state.checking:
                if self.editor(name).text != format_query(saved):
                    names.append(name)
            elif state.good is not None and state.good.query != saved:
                names.append(name)
        return names

    def has_edits(self) -> bool:
        return bool(self.edited_names())

    def unsaved_edits(self) -> str | None:
        names = [f"{name}{' (not valid)' if self.edited[name].problem else ''}"
                 for name in self.edited_names()]
        if not names or self.gig is None:
            return None
        return f"the query edits of gig {self.gig.id} ({', '.join(names)})"

    def current(self) -> Queries | None:
        """The edited queries when both are valid."""
        f, s = self.edited["filter_query"], self.edited["sort_query"]
        if f.problem or s.problem or f.checking or s.checking or f.good is None or s.good is None:
            return None
        return Queries(f.good.query, s.good.query)

    # Preview --------------------------------------------------------------------------------------
    def _schedule_preview(self, at_once: bool = False) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        if self.current() is None:
            self._show_note()
            return
        self.generation += 1
        if at_once:
            self._start_preview()
        else:
            self._debounce = self.set_timer(DEBOUNCE_SECONDS, self._start_preview)

    def _start_preview(self) -> None:
        engine = self.engine
        f, s = self.edited["filter_query"].good, self.edited["sort_query"].good
        if engine is None or f is None or s is None:
            return
        generation = self.generation
        self.run_worker(lambda: self._compute(engine, f, s, generation), thread=True,
                        exclusive=True, group="preview")

    def _compute(self, engine: PreviewEngine, f: Checked[Any], s: Checked[Any],
                 generation: int) -> None:
        worker = get_current_worker()
        def cancelled() -> bool:
            return worker.is_cancelled or generation != self.generation

        def counts(partial: Preview) -> None:
            self.post_message(PreviewComputed(partial, generation))

        try:
            preview = engine.compute(f, s, cancelled, on_counts=counts)
        except Cancelled:
            return
        except MQLTimeout as exc:
            self.app.call_from_thread(self._show_stopped, exc, generation)
            return
        self.post_message(PreviewComputed(preview, generation))

    def on_preview_computed(self, message: PreviewComputed) -> None:
        self._show_preview(message.preview, message.generation)
        if message.preview.rows is not None:
            self._schedule_warming(message.generation)

    def _schedule_warming(self, generation: int) -> None:
        """Once the operator pauses, answer every clause for everyone in the background; the
        next edit (a newer generation) cancels it, since it runs in the preview group."""
        if self._warming is not None:
            self._warming.stop()
        self._warming = self.set_timer(WARM_AFTER_SECONDS, lambda: self._start_warming(generation))

    def _start_warming(self, generation: int) -> None:
        engine = self.engine
        f, s = self.edited["filter_query"].good, self.edited["sort_query"].good
        if engine is None or f is None or s is None or generation != self.generation:
            return

        def warm() -> None:
            worker = get_current_worker()
            try:
                engine.warm(f, s, lambda: worker.is_cancelled or generation != self.generation)
            except (Cancelled, MQLTimeout):  # a timeout was shown when the preview ran
                pass

        self.run_worker(warm, thread=True, exclusive=True, group="preview")

    def _show_stopped(self, error: MQLTimeout, generation: int) -> None:
        """A $regex ran past its time limit on some worker: say so where the counts go."""
        if generation != self.generation:
            return
        self.shown_generation = generation
        self.query_one("#q-summary", Wrapped).show(f"preview stopped: {error}")

    def _show_preview(self, preview: Preview, generation: int) -> None:
        if generation != self.generation:
            return
        self.preview = preview
        self.shown_generation = generation
        self.shown_at = time.perf_counter()
        self.query_one("#q-summary", Wrapped).show(
            f"{preview.matched:,} of {plural(preview.total, 'worker', grouped=True)} match",
            f"{preview.not_invited:,} not invited yet", f"{preview.seconds * 1000:.0f} ms")
        header = ("#", "worker", *preview.columns)
        if preview.rows is None:
            rows = [("", "ranking by sort_query…")]
        else:
            rows = [(str(rank), row.worker_id, *row.values)
                    for rank, row in enumerate(preview.rows, 1)]
        self.query_one("#q-rows", PreviewTable).show(header, rows)
        self._show_note()

    def _show_note(self) -> None:
        note = self.query_one("#q-note", Wrapped)
        if self.engine is None:
            note.show(self.source_note)
        elif self.current() is None and self.preview is not None:
            note.show("Showing the last valid queries' preview; fix the error to update it.")
        elif self.preview is not None and self.preview.rows is not None:
            title = "Next to invite, in wave order" if self.preview.rows else (
                "Nobody left to invite: every matching worker was invited already"
                if self.preview.matched else "Nobody matches: the next wave would invite nobody")
            note.show(title)
        else:
            note.show()

    # Why not? -------------------------------------------------------------------------------------
    def explain_worker(self, worker_id: str) -> WhyNot:
        query = self.edited["filter_query"].good
        engine = self.engine
        document = engine.document(worker_id) if engine is not None else None
        invited = engine is not None and engine.is_invited(worker_id)
        return why_not(query.query if query else {}, worker_id, document, invited)

    def action_why_not(self) -> None:
        if self.engine is None:
            self.notify(self.source_note or "No population to explain against.", severity="warning")
            return
        non_matching = self.preview.non_matching if self.preview is not None else ()
        self.app.push_screen(WhyNotScreen(self, non_matching))

    # Diff, save, revert ---------------------------------------------------------------------------
    def _diff(self) -> list[str] | None:
        current = self.current()
        if current is None or self.saved is None:
            problems = [s.problem.message for s in self.edited.values() if s.problem]
            if not problems and any(s.checking for s in self.edited.values()):
                self.notify("The queries are still being checked: try again in a moment.")
            else:
                self.notify("Fix the queries first: " + "; ".join(problems), severity="warning")
            return None
        return query_diff(self.saved, current)

    def action_diff(self) -> None:
        lines = self._diff()
        if lines is not None:
            self.app.push_screen(DiffScreen(lines))

    def action_save(self) -> None:
        gig, lines = self.gig, self._diff()
        if gig is None or lines is None:
            return
        if not lines:
            self.notify("Nothing to save: the queries are as saved.")
            return
        if self.cirro.refuse_if_read_only("save queries"):
            return
        current = self.current()
        assert current is not None

        def answered(yes: bool | None) -> None:
            if yes:
                self._save(gig.id, current)

        # The dialog does not scroll: the later-waves notice goes first, a long diff is cut.
        shown = lines[:CONFIRM_DIFF_LINES]
        if len(lines) > len(shown):
            shown.append(f"… {len(lines) - len(shown)} more lines (F5 shows the whole diff)")
        detail = Text.assemble((APPLIES_LATER + "\n", "bold"), diff_text(shown))
        self.app.push_screen(ConfirmDialog(f"Save the queries of gig {gig.id}?", detail), answered)

    @work(group="save")
    async def _save(self, gig_id: str, queries: Queries) -> None:
        update = GigUpdate(filter_query=queries.filter_query, sort_query=queries.sort_query)
        try:
            gig = await self.cirro.backend.update_gig(gig_id, update)
        except BackendError as exc:
            self.notify(f"Not saved: {exc}", title="Refused by the backend", severity="error",
                        timeout=8)
            return
        self.gig = gig
        self.saved = Queries(gig.filter_query, gig.sort_query)
        self._validate_all()
        self.notify(f"Saved the queries of gig {gig_id}; they apply from the next wave.")
        self.cirro.poll_now()

    def action_revert(self) -> None:
        if self.saved is None:
            return
        for name in self.edited:
            text = format_query(getattr(self.saved, name))
            if self.editor(name).text != text:
                self.editor(name).replace_all(text)
        self.notify("Reverted to the saved queries (ctrl+z undoes it).")

    # Editing helpers ------------------------------------------------------------------------------
    def _focused_editor(self) -> JsonEditor:
        return self.query_one(f"#{self._last_editor}", JsonEditor)

    def action_format(self) -> None:
        problem = self._focused_editor().reformat()
        if problem is not None:
            self.notify(f"Cannot format: JSON {problem}", severity="warning")

    def action_undo(self) -> None:
        self._focused_editor().undo()

    def action_redo(self) -> None:
        self._focused_editor().redo()

    def action_edit(self) -> None:
        self.editor("filter_query").focus()

    def action_leave(self) -> None:
        self.query_one("#q-rows", PreviewTable).focus()

    def action_snippet(self) -> None:
        choices = [(s.operator, f"{s.operator}  {s.description}") for s in SNIPPETS]

        def chosen(operator: str | None) -> None:
            if operator is None:
                return
            editor = self.editor("filter_query")
            good = self.edited["filter_query"]
            base = good.good.query if good.good is not None and good.problem is None else None
            insertion = add_snippet(base, snippet_for(operator))
            if insertion.merged:
                editor.replace_all(insertion.text, insertion.cursor)
            else:
                editor.insert(insertion.text)
            editor.focus()

        self.app.push_screen(ChoiceDialog("Snippet for filter_query", choices), chosen)

    def action_external_editor(self) -> None:
        editor = self._focused_editor()
        try:
            text = run_suspended(self.app, lambda: edit_text(editor.text))
        except EditorError as exc:
            self.notify(str(exc), title="$EDITOR", severity="error", timeout=8)
            return
        if text != editor.text:
            editor.replace_all(text)
        editor.focus()
