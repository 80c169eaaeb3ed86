"""F12 in the query editor hands the terminal to an editor and always takes it back: an editor
that fails, no editor at all, and the fallback to one on the PATH, read off the screen."""

from __future__ import annotations

from pathlib import Path

from .conftest import seeded_home
from .harness import Terminal, scratch_env, start

EDITED = '{"rating": {"$gte": 4.5}}'


def fake_editor(path: Path, control: Path) -> Path:
    """An editor that fails while ``control`` says so, else writes :data:`EDITED` to its file."""
    path.write_text(f'#!/bin/sh\nread -r mode < {control}\nif [ "$mode" = fail ]; then exit 3; fi\n'
                    f"printf '%s' '{EDITED}' > \"$1\"\n")
    path.chmod(0o755)
    return path


def open_queries(terminal: Terminal) -> None:
    terminal.wait_for("8 of 8 gigs")
    terminal.send("2")
    terminal.wait_for(lambda text: "filter_query" in text and '"status": "active"' in text)


def edited(text: str) -> bool:
    return '"$gte": 4.5' in text or '"$gte":4.5' in text


def test_a_failing_editor_gives_the_terminal_back_and_says_so(demo_dir, tmp_path):
    control = tmp_path / "mode"
    control.write_text("fail")
    editor = fake_editor(tmp_path / "fake-editor", control)
    terminal = start([], scratch_env(seeded_home(tmp_path / "home", demo_dir), EDITOR=str(editor)))
    try:
        open_queries(terminal)
        terminal.send("f12")
        terminal.wait_for("exited with status 3; edit discarded")
        control.write_text("edit")
        terminal.send("f12")
        terminal.wait_for(edited)  # the console draws again, the edit in its editor
    finally:
        terminal.close()


def test_with_no_editor_set_it_says_so_then_falls_back_to_one_on_the_path(demo_dir, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    env = scratch_env(seeded_home(tmp_path / "home", demo_dir), PATH=str(bin_dir),
                      EDITOR=None, VISUAL=None)
    terminal = start([], env)
    try:
        open_queries(terminal)
        terminal.send("f12")
        terminal.wait_for("no editor: $VISUAL and")  # the toast wraps the rest of the message
        control = tmp_path / "mode"
        control.write_text("edit")
        fake_editor(bin_dir / "nano", control)
        terminal.send("f12")
        terminal.wait_for(edited)
    finally:
        terminal.close()
