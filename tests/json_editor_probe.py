"""Mounts the JSON editor with highlighting and exercises it; run in a subprocess by
tests/test_json_editor.py, so a tree-sitter segfault fails that test instead of killing pytest."""

from __future__ import annotations

import asyncio
import sys

from textual.app import App, ComposeResult

from console.query.locate import locate_path
from console.tui.widgets.json_editor import JsonEditor

TEXT = '{"rating": {"$gt": 4}, "tags": {"$in": ["a"]}}'


class ProbeApp(App[None]):
    def compose(self) -> ComposeResult:
        yield JsonEditor(TEXT, id="editor")


async def main() -> int:
    app = ProbeApp()
    async with app.run_test(size=(60, 12)) as pilot:
        editor = app.query_one(JsonEditor)
        await pilot.pause()
        assert editor.is_syntax_aware, "tree-sitter JSON grammar not loaded"
        names = {name for line in editor._highlights.values() for _, _, name in line}
        assert {"property", "number"} <= names or {"string", "number"} <= names, names
        editor.mark(locate_path(TEXT, "tags.$in"))
        await pilot.pause()
        line = editor.get_line(0)
        marked = [s for s in line.spans if s.style and getattr(s.style, "bgcolor", None)]
        assert marked and line.plain[marked[-1].start : marked[-1].end] == '"$in"', marked
        editor.focus()
        await pilot.press("end", "backspace")  # break the JSON, then reformat must refuse
        assert editor.reformat() is not None
        await pilot.press("ctrl+z")
        assert editor.text == TEXT
        assert editor.reformat() is None and editor.text.startswith('{\n  "rating"')
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
