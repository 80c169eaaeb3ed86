"""The gig list: moving, filtering and inverting, sorting, opening, live updates, export, copy."""

from __future__ import annotations

import csv
import json
import os
import stat
import time

from textual import events
from textual.widgets import Input

from console.models import GigStats
from console.tui.views.gig_editor import GigEditor
from console.tui.widgets.virtual_table import VirtualTable

from .conftest import SIZE, listed, screen_text, shows, wait_for
from .fakes import T0, make_gig


def table(app) -> VirtualTable:
    return app.screen.query_one(VirtualTable)


async def answer_prompt(pilot, key: str, text: str) -> None:
    await pilot.press(key)
    pilot.app.screen.query_one(Input).value = text
    await pilot.press("enter")


def shown(app) -> list[str]:
    return [row.key for row in table(app).visible_rows()]


async def test_moves_with_vim_and_page_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        assert table(app).cursor_key == "1"
        await pilot.press("j", "j")
        assert table(app).cursor_key == "3"
        await pilot.press("k")
        assert table(app).cursor_key == "2"
        await pilot.press("G")
        assert table(app).cursor_key == "4"
        await pilot.press("g")
        assert table(app).cursor_key == "1"
        await pilot.press("pagedown")
        assert table(app).cursor_key == "4"
        await pilot.press("pageup")
        assert table(app).cursor_key == "1"


async def test_filter_regex_and_inverted(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("slash", *"be.ch")
        assert shown(app) == ["2"]
        await pilot.press("enter")
        assert app.focused is table(app)
        await pilot.press("slash", "home", "!")
        assert shown(app) == ["1", "3", "4"]
        # Text in any visible column counts: the phase column here.
        await pilot.press("end", "ctrl+u", *"!live")
        assert shown(app) == ["2", "3"]


async def test_a_pasted_long_filter_is_quoted_short_and_the_list_keeps_its_rows(make_app):
    # 3,000 characters quoted whole wrapped the status line over the whole list (seen in tmux).
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("slash")
        app.screen.query_one("#gig-filter", Input).value = "e" * 3000
        await pilot.press("enter")
        await pilot.pause()
        status = str(app.screen.query_one("#gigs-status").render())
        assert "(3,000 characters)" in status and "e" * 41 not in status
        assert "TITLE" in screen_text(app)  # the list's header still shows


async def test_bad_regex_keeps_last_filter_and_says_why(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("slash", *"tree")
        assert shown(app) == ["1"]
        await pilot.press("(")
        assert shown(app) == ["1"]
        status = str(app.screen.query_one("#gigs-status").render())
        assert "filter error" in status and "regex" in status
        await pilot.press("escape")
        assert shown(app) == ["1", "2", "3", "4"]


# (a|aa)+b backtracks without end on a run of a's not followed by b: 1.6**n steps (34: ~2 s).
BACKTRACKER = "(a|aa)+b"
RUN_OF_AS = "a" * 34 + "!"


async def test_a_backtracking_regex_is_refused_and_the_console_goes_on(make_app, backend):
    backend.gigs["5"] = make_gig("5", RUN_OF_AS, T0 - 60, T0 + 600)
    backend.stats["5"] = GigStats(gig_id="5")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("slash", *BACKTRACKER[:-1])
        kept = shown(app)
        assert "5" in kept and "1" in kept  # every title with an a
        await pilot.press("b")
        text = await shows(pilot, "ran longer than")
        assert "filter error: the regex ran longer than 250 ms" in text, text
        assert shown(app) == kept


async def test_a_refresh_that_makes_the_filter_backtrack_removes_it_and_says_so(make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("slash", *BACKTRACKER, "enter")
        assert shown(app) == ["3"]  # "Data labelling"
        backend.gigs["5"] = make_gig("5", RUN_OF_AS, T0 - 60, T0 + 600)
        backend.stats["5"] = GigStats(gig_id="5")
        app.poll_now()
        text = await shows(pilot, "removed")
        assert f"{BACKTRACKER!r} removed: the regex ran longer than" in text, text
        assert shown(app) == ["1", "2", "3", "4", "5"]


async def test_sort_by_picked_column_reverse_and_header_click(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("s")
        # Pick "Title" in the column list (second entry).
        await pilot.press("j", "enter")
        assert table(app).sort_column == "title"
        assert shown(app) == ["2", "3", "4", "1"]
        await pilot.press("S")
        assert shown(app) == ["1", "4", "3", "2"]
        # Clicking the START header sorts by start time.
        x = sum(w + 1 for w in table(app)._widths[:8]) + 1
        await pilot.click(VirtualTable, offset=(x, 0))
        assert table(app).sort_column == "start"
        assert shown(app) == ["3", "1", "4", "2"]


async def test_rows_update_in_place_and_cursor_stays_on_its_gig(make_app, backend):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("s", "j", "j", "j", "j", "enter")  # sort by accepted
        await pilot.press("G")
        key = table(app).cursor_key
        backend.stats[key] = GigStats(gig_id=key, accepted=0)
        backend.stats["2"] = GigStats(gig_id="2", accepted=9, pending=3, waves_sent=2)
        app.poll_now()
        await listed(pilot)
        await pilot.pause()
        assert table(app).cursor_key == key
        assert shown(app)[-1] == "2"
        assert table(app).row("2").cells[4] == "9/5-20"


async def test_enter_opens_the_gig(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GigEditor)
        assert app.screen.gig.id == "2" and app.screen.mode == "view"
        await pilot.press("escape")
        await pilot.pause()
        assert table(app).cursor_key == "2"


async def test_export_filtered_view_to_csv_and_json(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("slash", *"live", "enter")
        for name in ("gigs.csv", "gigs.json"):
            await answer_prompt(pilot, "e", str(tmp_path / name))
            await app.workers.wait_for_complete()
            await pilot.pause()
    rows = list(csv.DictReader((tmp_path / "gigs.csv").open()))
    assert [r["id"] for r in rows] == ["1", "4"]
    assert rows[0]["phase"] == "live" and rows[0]["seats_max"] == "20"
    data = json.loads((tmp_path / "gigs.json").read_text())
    assert [d["id"] for d in data] == ["1", "4"] and data[1]["seats_max"] is None


async def test_export_onto_a_device_or_pipe_says_so_and_leaves_it(make_app, tmp_path):
    # The rename of the atomic write replaced whatever was there (as root, /dev/full too).
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await listed(pilot)
        await answer_prompt(pilot, "e", str(fifo))
        await shows(pilot, "Overwrite")  # it exists: replace it?
        await pilot.press("y")
        text = await shows(pilot, "not a regular file")
        assert f"{fifo.name}: cannot write: not a regular file" in text, text
    assert stat.S_ISFIFO(fifo.stat().st_mode)


async def test_an_existing_file_of_no_known_format_is_refused_before_asking_to_replace_it(
        make_app, tmp_path):
    # Before: "Overwrite .../notes.txt?" and, after a y, "cannot export to .txt".
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me")
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await listed(pilot)
        await answer_prompt(pilot, "e", str(existing))
        text = await shows(pilot, "use .csv or .json")
        assert "cannot export to .txt: use .csv or .json" in text and "Overwrite" not in text
        assert "Export the 4 listed gigs to" in text  # the file name again, to correct
    assert existing.read_text() == "keep me"


async def test_export_to_unknown_format_says_so(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await answer_prompt(pilot, "e", str(tmp_path / "gigs.xlsx"))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(".xlsx" in n.message and ".csv" in n.message for n in app._notifications)
    assert not (tmp_path / "gigs.xlsx").exists()


async def test_copy_gig_id_uses_the_clipboard(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("j", "y")
        assert app.clipboard == "2"


def type_in_one_burst(app, text: str) -> None:
    """Keys as a terminal delivers a fast paste or tmux's send-keys: all queued on the app at
    once, one event a character (no bracketed paste)."""
    for char in text:
        app.post_message(events.Key(char, char))


async def test_3000_characters_typed_into_the_filter_show_with_their_result_at_once(make_app):
    # Each key laid out the whole screen (the line's width), compiled a 3,000-character regex
    # twice and waited for the one before to settle: 37 s (29 s CPU) in tmux at 80x24.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("slash")
        text = "ab" * 1498 + "zyxw"
        cpu = time.process_time()
        type_in_one_burst(app, text)
        await wait_for(lambda: app.screen.query_one("#gig-filter", Input).value == text, 60)
        await pilot.pause()
        cpu = time.process_time() - cpu
        lines = screen_text(app).split("\n")
        status = next((i for i, line in enumerate(lines) if "of 4 gigs" in line), None)
        assert status is not None, "\n".join(lines)
        assert lines[status - 1].rstrip().endswith("ababzyxw")  # the line shows its end
        assert lines[status].strip() == "0 of 4 gigs"
        assert "(3,000 characters)" in lines[status + 1]
        print(f"3,000 keys: {cpu:.2f} s of CPU")
        assert cpu < 8, f"{cpu:.1f} s of CPU for 3,000 keys"
