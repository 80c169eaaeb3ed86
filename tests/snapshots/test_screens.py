"""Every everyday screen at 80x24, as SVG snapshots (``pytest --snapshot-update`` rewrites them;
look at each one before committing it). Run on the demo with its clock paused."""

from __future__ import annotations

import pytest

from .conftest import SIZE, first_poll, settle

GIG_5 = ("j", "j", "j", "j")  # the list is sorted by id: gig 5, live, mid-waves
EDIT_7 = ("j",) * 6 + ("enter", "e")  # gig 7, scheduled: every field editable, title focused
RENAME = ("end", "space", "v", "2")
WATCH_5 = ("3", "j", "j", "enter")  # the monitor lists the live and scheduled gigs, 3 to 8
TO_SEATS_MAX = ("tab",) * 4

SCREENS: dict[str, tuple[str, ...]] = {
    "gig_list": (),
    "gig_view": (*GIG_5, "enter"),
    "gig_editor": (*GIG_5, "enter", "e"),
    "gig_save_confirm": (*EDIT_7, *RENAME, "f2"),
    "gig_discard_confirm": (*EDIT_7, *RENAME, "escape"),
    "new_gig": ("n",),
    "archive_confirm": (*GIG_5, "a"),
    "export_prompt": ("e",),
    "filter_error": ("slash", "left_parenthesis"),
    "queries": (*GIG_5, "2"),
    "monitor_list": ("3", "poll"),  # the waves per hour show from the poll after opening
    "monitor_waves": WATCH_5,
    "monitor_chart": (*WATCH_5, "c"),
    "monitor_invitations": (*WATCH_5, "i"),
    "monitor_events": (*WATCH_5, "e"),
    "monitor_tuning": (*WATCH_5, "m"),
    "monitor_tuning_error": (*WATCH_5, "m", *TO_SEATS_MAX, "backspace", "backspace", "3",
                             "enter"),
    "monitor_tuning_confirm": (*WATCH_5, "m", "backspace", "2", "enter"),
    "help": ("question_mark",),
    "palette": ("ctrl+p",),
}
ANSI = ("gig_list", "gig_view", "archive_confirm", "monitor_chart", "help")
ASCII = ("monitor_waves", "monitor_chart")


def keys_then_settle(keys: tuple[str, ...]):
    async def run(pilot) -> None:
        await first_poll(pilot)
        for key in keys:
            if key == "poll":
                pilot.app.poll_now()
            else:
                await pilot.press(key)
            await settle(pilot, rounds=1)
        # A blinking cursor would be on or off depending on when the picture is taken.
        for screen in pilot.app.screen_stack:
            for widget in screen.query("Input, TextArea"):
                widget.cursor_blink = False
        await settle(pilot)

    return run


@pytest.mark.parametrize("screen", SCREENS)
def test_default_theme(screen, demo_app, snap_compare):
    assert snap_compare(demo_app(), run_before=keys_then_settle(SCREENS[screen]),
                        terminal_size=SIZE)


@pytest.mark.parametrize("screen", ANSI)
def test_ansi_dark(screen, demo_app, snap_compare):
    assert snap_compare(demo_app("ansi-dark"), run_before=keys_then_settle(SCREENS[screen]),
                        terminal_size=SIZE)


@pytest.mark.parametrize("screen", ASCII)
def test_ascii_glyphs(screen, demo_app, snap_compare, monkeypatch):
    monkeypatch.setenv("CIRRO_CONSOLE_ASCII", "1")
    assert snap_compare(demo_app(), run_before=keys_then_settle(SCREENS[screen]),
                        terminal_size=SIZE)
