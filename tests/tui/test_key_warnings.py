"""Remaps that cannot work are said, at start and in help, naming the actions concerned."""

from __future__ import annotations

import time

from console.tui import actions
from console.tui.help import HelpScreen

from .conftest import SIZE, listed

TAKES_QUIT = {"gigs.filter": "q", "gigs.sort": "ctlr+s,foo"}


def screen_text(app) -> str:
    """What the terminal shows: every line of the composited screen (toasts included)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def shown(pilot, text: str, seconds: float = 10.0) -> str:
    """The screen once it shows ``text`` (polled with a deadline)."""
    deadline = time.monotonic() + seconds
    while True:
        screen = screen_text(pilot.app)
        if text in screen or time.monotonic() > deadline:
            return screen
        await pilot.pause(0.05)


def test_warnings_name_both_actions_and_each_bad_key():
    warnings = actions.keymap_warnings(TAKES_QUIT)
    assert any("keys.gigs.filter: q is also the key of app.quit" in w for w in warnings)
    assert any("keys.gigs.sort: 'ctlr' is not a modifier" in w for w in warnings)
    assert any("keys.gigs.sort: 'foo' is not a key name" in w for w in warnings)
    assert any("keys.gigs.sort: no valid key left: keeping the default s" in w for w in warnings)
    assert actions.check_keymap(TAKES_QUIT) == {"gigs.filter": "q"}
    # Remaps that keep every action its own key: nothing to say (and "/" is the key "slash").
    assert actions.keymap_warnings({"gigs.filter": "/", "list.down": "j,down,ctrl+n"}) == []
    assert actions.check_keymap({"gigs.filter": "/"}) == {"gigs.filter": "slash"}


async def test_the_console_warns_at_start_and_in_help(make_app):
    app = make_app(keymap=TAKES_QUIT)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await listed(pilot)
        text = await shown(pilot, "q is also the key of app.quit")
        assert "q is also the key of app.quit" in text and "gigs.filter" in text
        app.clear_notifications()
        await pilot.press("f1")
        text = await shown(pilot, "! keys.gigs.filter")
        assert isinstance(app.screen, HelpScreen)
        assert "! keys.gigs.filter: q is also the key of app.quit (Quit)" in text
        assert "'foo' is not a key name" in text
        # The sort key still works on its default, since no remapped key was valid.
        await pilot.press("escape", "s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ChoiceDialog"


async def test_no_warning_without_a_problem(make_app):
    app = make_app(keymap={"gigs.filter": "f"})
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert not app.screen.query("#help-warnings")
