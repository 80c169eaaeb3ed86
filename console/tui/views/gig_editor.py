"""The gig view and editor: every field of the gig object; create, duplicate, edit.

One screen in three modes: ``view`` (fields shown, not editable), ``edit`` (an existing gig) and
``create`` (new or duplicate). Problems are shown under the field they belong to; the backend's
own refusals (422) at the top. Saving asks for confirmation and is refused on read-only contexts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Label, Select, Static

from console.backends.errors import BackendError
from console.gig_facts import GigFacts
from console.models import Gig, GigCreate, GigUpdate, gig_warnings
from console.tui import actions
from console.tui import format as fmt
from console.tui import gig_form
from console.tui.gig_form import FIELDS, Errors, FieldSpec, Values
from console.tui.gig_output import output_summary
from console.tui.messages import Snapshot
from console.tui.widgets.dialogs import ConfirmDialog
from console.tui.widgets.key_footer import KeyFooter
from console.tui.widgets.status_header import StatusHeader

if TYPE_CHECKING:
    from console.tui.app import CirroApp

Mode = Literal["view", "edit", "create"]
MODES = (("auto", "auto"), ("manual", "manual"))


class GigEditor(Screen[None]):
    BINDINGS: ClassVar = actions.bindings("gig")
    DEFAULT_CSS = """
    GigEditor #gig-summary { height: auto; padding: 0 1; background: $panel; }
    GigEditor #gig-warning { color: $text-warning; padding: 0 1; display: none; }
    GigEditor #gig-warning.-shown { display: block; }
    GigEditor #gig-output { height: auto; padding: 0 1; background: $panel; color: $text-muted; }
    GigEditor #gig-problem { color: $text-error; padding: 0 1; display: none; }
    GigEditor #gig-problem.-shown { display: block; }
    GigEditor #gig-form { padding: 0 1; }
    GigEditor .field { height: auto; }
    GigEditor .field-label { width: 21; text-style: bold; }
    GigEditor .field-help { width: 100%; color: $text-muted; padding-left: 21; display: none; }
    GigEditor.-editing .field-help { display: block; }
    GigEditor .field-error { width: 100%; color: $text-error; padding-left: 21; display: none; }
    GigEditor .field-error.-shown { display: block; }
    GigEditor .field Input { width: 1fr; }
    GigEditor .field Input:disabled { opacity: 1; color: $foreground; background: $background; }
    GigEditor .field Select { width: 24; }
    GigEditor .field Select:disabled { opacity: 1; }
    GigEditor .field .-invalid { background: $error 30%; }
    /* Viewing, each value is text that wraps (a long filter_query reads whole). */
    GigEditor .field-value { width: 1fr; display: none; }
    GigEditor.-viewing .field-value { display: block; }
    GigEditor.-viewing .field Input, GigEditor.-viewing .field Select { display: none; }
    """

    def __init__(self, mode: Mode, gig: Gig | None = None, values: Values | None = None) -> None:
        super().__init__()
        self.mode: Mode = mode
        self.gig = gig
        self.initial = values if values is not None else gig_form.values_from_gig(gig)  # type: ignore[arg-type]
        self._refused = False  # the last save was refused: the fields are checked as typed

    @property
    def cirro(self) -> CirroApp:
        return self.app  # type: ignore[return-value]

    # Layout -------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusHeader(self._title())
        yield Static(id="gig-summary")
        yield Static(id="gig-warning")
        yield Static(id="gig-output")
        yield Static(id="gig-problem")
        with VerticalScroll(id="gig-form"):
            for spec in FIELDS:
                with Horizontal(classes="field"):
                    yield Label(spec.label, classes="field-label", markup=False)
                    yield self._field_widget(spec)
                    yield Static(Content(self.initial.get(spec.name, "")), classes="field-value",
                                 id=f"value-{spec.name}")
                if spec.help:
                    yield Label(spec.help, classes="field-help", markup=False)
                yield Label("", id=f"error-{spec.name}", classes="field-error")
        yield KeyFooter()

    def _title(self) -> str:
        if self.mode == "create":
            return "New gig"
        assert self.gig is not None
        return f"{'Edit' if self.mode == 'edit' else 'Gig'} {self.gig.id}"

    def _field_widget(self, spec: FieldSpec) -> Input | Select[str]:
        value = self.initial.get(spec.name, "")
        if spec.kind == "mode":
            return Select(MODES, value=value or "auto", allow_blank=False, compact=True,
                          id=f"field-{spec.name}")
        return Input(value, compact=True, id=f"field-{spec.name}")

    def on_mount(self) -> None:
        self._apply_mode()
        self.cirro.snapshots.subscribe(self, self.on_snapshot, immediate=True)
        self.query_one("#gig-output").display = self.gig is not None
        if self.gig is not None:
            self.load_output(self.gig)

    @work(exclusive=True, group="gig-output")
    async def load_output(self, gig: Gig) -> None:
        """The gig's results and paid time, read once when the gig is opened."""
        output = self.query_one("#gig-output", Static)
        output.update("results ...")
        try:
            results = await self.cirro.backend.gig_results(gig_id=gig.id)
            activities = await self.cirro.backend.gig_time_activities(gig_id=gig.id)
        except BackendError as exc:
            output.update(Content(f"results not available: {exc.message}"))
            return
        output.update(Content(output_summary(gig, results, activities)))

    def _apply_mode(self) -> None:
        now = self.cirro.now
        frozen = gig_form.frozen_fields(self.gig, now) if self.mode == "edit" else frozenset()
        for spec in FIELDS:
            editable = self.mode == "create" or (
                self.mode == "edit" and spec.kind != "tasks" and spec.name not in frozen
            )
            self.query_one(f"#field-{spec.name}").disabled = not editable
        self.set_class(self.mode != "view", "-editing")
        self.set_class(self.mode == "view", "-viewing")
        self._update_summary(self.cirro.snapshot)
        self.query_one(StatusHeader).view_title = self._title()
        self.query_one(StatusHeader).refresh()
        if self.mode != "view":
            first = next(w for w in self.query("#gig-form Input, #gig-form Select") if not w.disabled)
            first.focus()
        else:
            self.query_one("#gig-form").focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys that only make sense in one mode disappear from the footer in the others.
        if action == "save":
            return self.mode != "view"
        if action in ("edit", "duplicate", "archive", "delete", "copy_id"):
            return self.mode == "view"
        return True

    # Live data ----------------------------------------------------------------------------------
    def on_snapshot(self, snapshot: Snapshot) -> None:
        if self.gig is None:
            return
        fresh = snapshot.gig(self.gig.id)
        if fresh is not None and self.mode == "view" and fresh != self.gig:
            self.gig = fresh
            self.initial = gig_form.values_from_gig(fresh)
            self._load_values(self.initial)
        self._update_summary(snapshot)

    def _load_values(self, values: Values) -> None:
        for spec in FIELDS:
            widget = self.query_one(f"#field-{spec.name}")
            widget.value = values.get(spec.name, "")  # type: ignore[attr-defined]
            self.query_one(f"#value-{spec.name}", Static).update(Content(values.get(spec.name, "")))

    def _update_summary(self, snapshot: Snapshot | None) -> None:
        summary = self.query_one("#gig-summary", Static)
        if self.gig is None or snapshot is None:
            summary.update("A new gig: fill in the fields, then F2 to create it.")
            return
        facts = GigFacts.of(self.gig, snapshot.stats.get(self.gig.id), snapshot.now)
        archived = fmt.full_timestamp(self.gig.archived_at) or "no"
        next_wave = fmt.duration(facts.next_wave_in) or "none"
        text = (
            f"{self.gig.id}  {facts.phase.value}  accepted "
            f"{fmt.seats(facts.accepted, facts.seats_min, facts.seats_max)}  pending {facts.pending}"
            f"  waves {facts.waves_sent}  next {next_wave}  archived {archived}"
        )
        warning = self.query_one("#gig-warning", Static)
        problems = gig_warnings(self.gig)
        warning.update(Content("".join(f"warning: {p}\n" for p in problems).rstrip()))
        warning.set_class(bool(problems), "-shown")
        frozen = gig_form.frozen_fields(self.gig, snapshot.now)
        if self.mode == "edit" and frozen:
            text += f"\nstarted: {', '.join(sorted(frozen))} can no longer change"
        summary.update(Content(text))

    # Values and problems ------------------------------------------------------------------------
    def values(self) -> Values:
        return {
            spec.name: str(self.query_one(f"#field-{spec.name}").value)  # type: ignore[attr-defined]
            for spec in FIELDS
        }

    def _shown_errors(self) -> set[str]:
        return {spec.name for spec in FIELDS
                if self.query_one(f"#error-{spec.name}").has_class("-shown")}

    def on_input_changed(self, event: Input.Changed) -> None:
        """A field typed into after a refused save: the errors shown, and the field's own,
        follow what the fields now hold (never one naming a value no longer there, nor a value
        made bad again after its error cleared), and the focus stays."""
        if self.mode == "view" or not self._refused:
            return
        shown = self._shown_errors()
        name = (event.input.id or "").removeprefix("field-")
        _, errors = self._build()
        self.show_errors({k: v for k, v in errors.items() if k in shown or k == name},
                         focus=False)

    def show_errors(self, errors: Errors, focus: bool = True) -> None:
        for spec in FIELDS:
            message = errors.get(spec.name)
            label = self.query_one(f"#error-{spec.name}", Label)
            label.update(Content(message or ""))
            label.set_class(message is not None, "-shown")
            self.query_one(f"#field-{spec.name}").set_class(message is not None, "-invalid")
        first = next((spec.name for spec in FIELDS if spec.name in errors), None)
        if first is not None and focus:
            widget = self.query_one(f"#field-{first}")
            widget.focus()
            widget.scroll_visible(animate=False)
        self.show_problem(errors.get(""))

    def show_problem(self, message: str | None) -> None:
        problem = self.query_one("#gig-problem", Static)
        problem.update(Content(message or ""))
        problem.set_class(bool(message), "-shown")

    # Actions ------------------------------------------------------------------------------------
    def action_edit(self) -> None:
        if self.cirro.refuse_if_read_only("edit this gig"):
            return
        self.mode = "edit"
        self._apply_mode()

    def _before(self) -> tuple[str, Values]:
        """What leaving now would drop, named, and the values it was typed over."""
        if self.mode == "create" or self.gig is None:
            return "the new gig", self.initial
        return f"the changes to gig {self.gig.id}", gig_form.values_from_gig(self.gig)

    def unsaved_edits(self) -> str | None:
        if self.mode == "view":
            return None
        what, before = self._before()
        labels = [spec.label for spec in gig_form.changed_fields(before, self.values())]
        return f"{what} ({', '.join(labels)})" if labels else None

    def action_back(self) -> None:
        """Leave the editor; with changes typed, only once the operator said to drop them."""
        if self.mode == "view":
            self.dismiss()
            return
        what, before = self._before()
        changes = gig_form.text_changes(before, self.values())
        if not changes:
            self._leave_editing()
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self._leave_editing()

        self.app.push_screen(ConfirmDialog(f"Discard {what}?", "\n".join(
            [*changes, "n keeps editing, with what you typed."])), answered)

    def _leave_editing(self) -> None:
        if self.mode == "edit" and self.gig is not None:
            self.mode = "view"
            self._load_values(gig_form.values_from_gig(self.gig))
            self._refused = False
            self.show_errors({})
            self._apply_mode()
            return
        self.dismiss()

    def _build(self) -> tuple[GigCreate | GigUpdate | None, Errors]:
        """What the fields would save: a new gig in create mode, else the changed fields."""
        if self.mode == "create":
            return gig_form.build_create(self.values(), self.cirro.now)
        assert self.gig is not None
        return gig_form.build_update(self.gig, self.values(), self.cirro.now)

    def action_save(self) -> None:
        if self.mode == "view" or self.cirro.refuse_if_read_only("save this gig"):
            return
        built, errors = self._build()
        self._refused = bool(errors)
        self.show_errors(errors)
        if isinstance(built, GigCreate):
            self.cirro.confirm_create(built, self)
        elif isinstance(built, GigUpdate):
            assert self.gig is not None
            self.cirro.confirm_update(self.gig, built, self)
        elif self.mode == "edit" and not errors:
            self.notify("Nothing changed")

    def saved(self, gig: Gig) -> None:
        """The backend accepted the change: show the gig as saved."""
        self.gig = gig
        self.mode = "view"
        self.initial = gig_form.values_from_gig(gig)
        self._load_values(self.initial)
        self._refused = False
        self.show_errors({})
        self._apply_mode()

    def action_duplicate(self) -> None:
        if self.gig is not None:
            self.cirro.duplicate_gig(self.gig.id)

    def action_archive(self) -> None:
        if self.gig is not None:
            self.cirro.archive_gig(self.gig.id)

    def action_delete(self) -> None:
        if self.gig is not None:
            self.cirro.delete_gig(self.gig.id, self.cirro.now < self.gig.start_at)

    def action_copy_id(self) -> None:
        if self.gig is not None:
            self.cirro.copy_gig_id(self.gig.id)

