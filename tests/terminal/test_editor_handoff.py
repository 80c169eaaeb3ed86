"""F12 in the query editor hands the terminal to an editor and always takes it back: no editor
at all, then the fallback to one on the PATH that fails, then one that edits, read off the
screen of one console."""

from __future__ import annotations

from pathlib import Path

from .conftest import seeded_home
from .harness import scratch_env, start

EDITED = '{"rating": {"$gte": 4.5}}'


def fake_editor(path: Path, control: Path) -> Path:
    """An editor that fails while ``control`` says so, else writes :data:`EDITED` to its file."""
    path.write_text(f'#!/bin/sh\nread -r mode < {control}\nif [ "$mode" = fail ]; then exit 3; fi\n'
                    f"printf '%s' '{EDITED}' > \"$1\"\n")
    path.chmod(0o755)
    return path


def test_f12_without_an_editor_with_a_failing_one_then_one_that_edits(demo_dir, tmp_path):
    bin_dir = tmp_path / "bin"  # the console's whole PATH: no editor, nano or vi on it
    bin_dir.mkdir()
    env = scratch_env(seeded_home(tmp_path / "home", demo_dir), PATH=str(bin_dir),
                      EDITOR=None, VISUAL=None)
    terminal = start([], env)
    try:
        terminal.wait_for("8 of 8 gigs")
        terminal.send("2")
        terminal.wait_for(lambda text: "filter_query" in text and '"status": "active"' in text)
        terminal.send("f12")
        terminal.wait_for("no editor: $VISUAL and")  # the toast wraps the rest of the message
        control = tmp_path / "mode"
        control.write_text("fail")
        fake_editor(bin_dir / "nano", control)  # the fallback, found at the next F12
        terminal.send("f12")
        terminal.wait_for("editor 'nano' exited with status 3; edit discarded")  # drawn again
        control.write_text("edit")
        terminal.send("f12")
        terminal.wait_for('"$gte": 4.5')  # the edit, back in the console's editor
    finally:
        terminal.close()
