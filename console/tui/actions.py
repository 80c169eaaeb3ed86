"""The one registry of console actions: it feeds key bindings, the footer, the palette and help.

Every action has a stable id (``scope.name``) that the config file's ``[keys]`` table can remap.
A scope names where the action lives: ``app`` actions work everywhere, the others belong to one
screen or widget, which takes its ``BINDINGS`` from :func:`bindings`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from textual.binding import Binding
from textual.keys import Keys, _character_to_key, key_to_character

# Scope -> the heading used in help and the palette.
SCOPES: dict[str, str] = {
    "app": "Everywhere",
    "list": "Lists",
    "gigs": "Gig list",
    "gig": "Gig view and editor",
    "queries": "Query editor (view 2)",
    "waves": "Wave monitor",
    "dialog": "Dialogs",
}


@dataclass(frozen=True)
class Action:
    id: str
    keys: str  # Textual key names, comma separated; the first is shown in the footer
    description: str
    action: str  # the Textual action run on the scope's node, e.g. "show_view('gigs')"
    footer: str = ""  # the footer's short label; empty: not in the footer (it must fit 80 columns)
    palette: bool = True  # listed in the command palette

    @property
    def scope(self) -> str:
        return self.id.split(".", 1)[0]


ACTIONS: tuple[Action, ...] = (
    Action("app.view.gigs", "1", "Gigs view", "show_view('gigs')"),
    Action("app.view.queries", "2", "Queries view", "show_view('queries')"),
    Action("app.view.waves", "3", "Waves view", "show_view('waves')"),
    Action("app.palette", "ctrl+p,colon", "Command palette", "command_palette", footer="Palette",
           palette=False),
    Action("app.help", "question_mark,f1", "Help: every key", "help", footer="Help"),
    Action("app.clock.pause", "p", "Pause or resume the simulation clock", "toggle_clock"),
    # One ladder for every speed key, in the gig list and the monitor alike (speeds.STEPS).
    Action("app.clock.faster", "plus,right_square_bracket,greater_than_sign",
           "Simulation faster: 1x 10x 60x 600x max", "speed_step(1)"),
    Action("app.clock.slower", "minus,left_square_bracket,less_than_sign",
           "Simulation slower: max 600x 60x 10x 1x", "speed_step(-1)"),
    Action("app.demo.reset", "f7", "Reset the demo: gigs, invitations and clock as on the "
           "first start (asks first)", "reset_demo"),
    Action("app.theme", "f9", "Change theme", "change_theme"),
    Action("app.quit", "q,ctrl+q", "Quit", "quit", footer="Quit"),
    Action("list.down", "j,down", "Move down", "cursor_down"),
    Action("list.up", "k,up", "Move up", "cursor_up"),
    Action("list.top", "g,home", "First row", "cursor_top"),
    Action("list.bottom", "G,end", "Last row", "cursor_bottom"),
    Action("list.page_down", "pagedown,ctrl+f", "Page down", "page_down"),
    Action("list.page_up", "pageup,ctrl+b", "Page up", "page_up"),
    Action("list.left", "h,left", "Scroll left", "scroll_columns(-8)"),
    Action("list.right", "l,right", "Scroll right", "scroll_columns(8)"),
    Action("gigs.open", "enter", "Open the gig", "open_gig", footer="Open"),
    Action("gigs.filter", "slash", "Filter (regex, leading ! inverts)", "filter", footer="Filter"),
    Action("gigs.sort", "s", "Sort by a column", "pick_sort", footer="Sort"),
    Action("gigs.reverse", "S", "Reverse the sort order", "reverse_sort"),
    Action("gigs.new", "n", "New gig", "new_gig", footer="New"),
    Action("gigs.duplicate", "d", "Duplicate the gig", "duplicate_gig"),
    Action("gigs.archive", "a", "Archive the gig", "archive_gig"),
    Action("gigs.delete", "x,delete", "Delete the gig (before start only)", "delete_gig"),
    Action("gigs.export", "e", "Export the filtered list (CSV or JSON)", "export"),
    Action("gigs.copy", "y", "Copy the gig id (OSC 52)", "copy_id"),
    Action("gigs.refresh", "r,f5", "Refresh now", "refresh_now"),
    Action("gig.edit", "e", "Edit the gig", "edit", footer="Edit"),
    Action("gig.save", "f2,ctrl+s", "Save the changes", "save", footer="Save"),
    Action("gig.back", "escape", "Cancel editing / back to the list", "back", footer="Back"),
    Action("gig.duplicate", "d", "Duplicate the gig", "duplicate"),
    Action("gig.archive", "a", "Archive the gig", "archive"),
    Action("gig.delete", "x", "Delete the gig (before start only)", "delete"),
    Action("gig.copy", "y", "Copy the gig id (OSC 52)", "copy_id"),
    # The query editors take letters as text: F-keys and ctrl combinations only.
    Action("queries.save", "f2,ctrl+s", "Save the queries (shows the diff first)", "save",
           footer="Save"),
    Action("queries.format", "f3", "Format the JSON", "format", footer="Format"),
    Action("queries.why_not", "f4", "Why not? Explain a worker's verdict", "why_not", footer="Why not"),
    Action("queries.diff", "f5", "Diff against the saved queries", "diff"),
    Action("queries.snippet", "f8", "Insert a snippet ($in, $elemMatch, $exists, $regex)",
           "snippet", footer="Snippet"),
    Action("queries.revert", "f10,ctrl+r", "Revert to the saved queries (undoable)", "revert"),
    Action("queries.external", "f12,ctrl+o", "Edit in $EDITOR", "external_editor"),
    Action("queries.undo", "ctrl+z", "Undo", "undo"),
    Action("queries.redo", "ctrl+y", "Redo", "redo"),
    Action("queries.edit", "e", "Edit the queries (focus the filter editor)", "edit", footer="Edit"),
    Action("queries.leave", "escape", "Leave the editor (then 1/2/3 switch views)", "leave"),
    Action("waves.open", "enter", "Watch the gig", "open_gig", footer="watch"),
    Action("waves.back", "escape", "Back to all live gigs", "back", footer="back"),
    Action("waves.pane.waves", "w", "Pane: wave table", "show_pane('waves')"),
    Action("waves.pane.chart", "c", "Pane: accepted and pending chart", "show_pane('chart')"),
    Action("waves.pane.invitations", "i", "Pane: invitations", "show_pane('invitations')"),
    Action("waves.pane.events", "e", "Pane: event log", "show_pane('events')"),
    Action("waves.filter", "slash", "Filter the table (regex, leading ! excludes)", "filter",
           footer="filter"),
    Action("waves.sort", "s", "Sort the table by a column", "pick_sort"),
    Action("waves.reverse", "S", "Reverse the sort order", "reverse_sort"),
    Action("waves.step", "n", "Step to the next wave (replay: next frame)", "step", footer="step"),
    Action("waves.step_back", "b", "Replay: back one frame", "step_back"),
    Action("waves.jump", "J", "Replay: jump to a time or frame", "jump"),
    Action("waves.wave_now", "r", "Run a wave now", "wave_now"),
    Action("waves.select", "space", "Select or unselect the invitation", "toggle_select"),
    Action("waves.select_all", "asterisk", "Select all listed invitations (again: none)",
           "select_all"),
    Action("waves.accept", "A", "Accept the selected invitations (as the Space)", "respond('accept')"),
    Action("waves.reject", "R", "Reject the selected invitations", "respond('reject')"),
    Action("waves.expire", "X", "Expire the selected invitations", "respond('expire')"),
    Action("waves.reset", "Z", "Reset the selected invitations to pending", "respond('reset')"),
    Action("waves.tune", "m", "Change multiplier, frequency or seats", "tune"),
    Action("waves.interval", "u", "Change the poll interval (remote)", "poll_interval"),
    Action("waves.refresh", "f5", "Refresh now", "refresh_now"),
    Action("waves.ascii", "f8", "Plain ASCII charts on or off", "toggle_ascii"),
    Action("dialog.yes", "y", "Confirm", "confirm", footer="Yes", palette=False),
    Action("dialog.no", "n,escape", "Cancel", "cancel", footer="No", palette=False),
)

BY_ID: dict[str, Action] = {action.id: action for action in ACTIONS}


class KeymapError(ValueError):
    """A ``[keys]`` entry of the config file names no action; the message lists the known ones."""


def in_scope(scope: str) -> list[Action]:
    return [action for action in ACTIONS if action.scope == scope]


def bindings(scope: str) -> list[Binding]:
    """The ``BINDINGS`` of the node that owns ``scope``; each binding's id is the action id."""
    return [
        Binding(action.keys, action.action, action.footer or action.description,
                show=bool(action.footer), id=action.id, tooltip=action.description,
                key_display=key_label(action.keys.split(",")[0]))
        for action in in_scope(scope)
    ]


KEY_LABELS = {
    "question_mark": "?", "slash": "/", "colon": ":", "plus": "+", "minus": "-",
    "left_square_bracket": "[", "right_square_bracket": "]", "enter": "⏎", "escape": "esc",
    "greater_than_sign": ">", "less_than_sign": "<", "asterisk": "*", "space": "space",
}


def key_label(key: str) -> str:
    """How a key is shown in the footer, help and palette."""
    key = KEY_LABELS.get(key, key)
    return key.replace("ctrl+", "^") if key.startswith("ctrl+") else key


# The scopes whose keys are live at the same time, one set per kind of screen (the views' SCOPES,
# the gig editor, a dialog); "app" keys are live on all of them.
SCREEN_SCOPES: tuple[frozenset[str], ...] = (
    frozenset({"gigs", "list"}), frozenset({"waves", "list"}), frozenset({"queries"}),
    frozenset({"gig"}), frozenset({"dialog"}),
)
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


@cache
def _key_names() -> frozenset[str]:
    """Textual's key names: the named keys, and every printable ASCII character's name."""
    return frozenset({key.value for key in Keys}
                     | {_character_to_key(chr(code)) for code in range(33, 127)})


def key_problem(key: str) -> str | None:
    """Why ``key`` (already normalised) is not a key name Textual can report, or None."""
    *modifiers, base = key.split("+")
    unknown = [m for m in modifiers if m not in MODIFIERS]
    if unknown:
        return f"{unknown[0]!r} is not a modifier (use {', '.join(sorted(MODIFIERS))})"
    if not base:
        return "a key name is missing (the + key is called plus)"
    if base in _key_names() or (len(base) == 1 and base.isprintable()):
        return None
    if key_to_character(base) is not None:
        return None
    return f"{base!r} is not a key name (e.g. x, X, ctrl+x, f5, enter, escape, slash, space)"


def _normalise(key: str) -> str:
    # As Textual does for BINDINGS (but not for keymaps): "/" is the key "slash".
    return _character_to_key(key) if len(key) == 1 else key


def check_keymap(keymap: Mapping[str, str]) -> dict[str, str]:
    """Validate the config's remaps: every id must be an action, every value at least one key.
    Keys that are no key name are left out (:func:`keymap_warnings` says so); an action left with
    none keeps its default keys."""
    checked: dict[str, str] = {}
    for action_id, keys in keymap.items():
        if action_id not in BY_ID:
            raise KeymapError(
                f"keys.{action_id}: no such action (known: {', '.join(sorted(BY_ID))})"
            )
        parts = [_normalise(part.strip()) for part in keys.split(",") if part.strip()]
        if not parts:
            raise KeymapError(f"keys.{action_id}: give at least one key, e.g. \"x\" or \"ctrl+x\"")
        valid = [part for part in parts if key_problem(part) is None]
        if valid:
            checked[action_id] = ",".join(valid)
    return checked


def keymap_warnings(keymap: Mapping[str, str]) -> list[str]:
    """What is wrong with remaps :func:`check_keymap` accepts: keys that are no key name, and a
    key given to two actions live on the same screen (one of them would never run)."""
    warnings = []
    for action_id, keys in keymap.items():
        parts = [_normalise(part.strip()) for part in keys.split(",") if part.strip()]
        problems = [(part, key_problem(part)) for part in parts]
        for part, problem in problems:
            if problem is not None:
                warnings.append(f"keys.{action_id}: {problem}; ignored")
        if parts and all(problem is not None for _, problem in problems):
            default = ", ".join(key_label(k) for k in BY_ID[action_id].keys.split(","))
            warnings.append(f"keys.{action_id}: no valid key left: keeping the default {default}")
    effective = check_keymap(keymap)
    seen: set[tuple[str, str, str]] = set()
    for scopes in SCREEN_SCOPES:
        holders: dict[str, list[Action]] = {}
        for action in ACTIONS:
            if action.scope in scopes or action.scope == "app":
                for key in effective_keys(action, effective):
                    holders.setdefault(key, []).append(action)
        for key, clashing in holders.items():
            remapped = [a for a in clashing if a.id in effective]
            if len(clashing) < 2 or not remapped:
                continue
            first = remapped[0]
            for other in clashing:
                if other is first or (key, *sorted((first.id, other.id))) in seen:
                    continue
                seen.add((key, *sorted((first.id, other.id))))
                warnings.append(
                    f"keys.{first.id}: {key_label(key)} is also the key of {other.id} "
                    f"({other.description}): only one of them can run on that screen")
    return warnings


def effective_keys(action: Action, keymap: Mapping[str, str]) -> list[str]:
    return keymap.get(action.id, action.keys).split(",")


def grouped(actions: Iterable[Action] = ACTIONS) -> dict[str, list[Action]]:
    groups: dict[str, list[Action]] = {scope: [] for scope in SCOPES}
    for action in actions:
        groups[action.scope].append(action)
    return groups
