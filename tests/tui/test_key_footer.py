"""The footer is one line of text: a change of the bindings (each pane switch moves the focus)
repaints it and mounts nothing; a click on a key presses that key."""

from __future__ import annotations

from textual.widget import Widget

from console.tui.widgets.key_footer import KeyFooter

from .screen import screen_lines
from .test_waves_view import make_app, open_gig, settle


async def test_a_pane_switch_mounts_nothing_and_the_footer_still_reads(monkeypatch):
    app, _, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_gig(pilot, waves=1)
        mounted: list[str] = []
        mount = Widget.mount

        def counted(self, *widgets, **kwargs):
            mounted.extend(type(w).__name__ for w in widgets)
            return mount(self, *widgets, **kwargs)

        monkeypatch.setattr(Widget, "mount", counted)
        for key in "iecw":
            await pilot.press(key)
            await settle(pilot)
        assert mounted == []  # Textual's Footer mounted a widget per key at each switch
        footer = app.screen.query_one(KeyFooter)
        assert not footer.children
        assert screen_lines(app)[-1].startswith(" esc back  / filter  n step  q Quit")


async def test_the_footer_offers_enter_on_the_list_of_gigs_and_escape_on_a_watched_gig():
    app, _, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        footer = screen_lines(app)[-1]
        assert "⏎ watch" in footer and "esc back" not in footer
        await pilot.press("enter")
        await settle(pilot)
        footer = screen_lines(app)[-1]
        assert "esc back" in footer and "watch" not in footer
        await pilot.press("escape")
        await settle(pilot)
        footer = screen_lines(app)[-1]
        assert "⏎ watch" in footer and "esc back" not in footer


async def test_a_click_on_a_key_in_the_footer_presses_it():
    app, backend, gig_id = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_gig(pilot)
        before = (await backend.gig_stats(gig_id)).waves_sent
        line = screen_lines(app)[-1]
        await pilot.click(KeyFooter, offset=(line.index("n step") + 2, 0))
        await settle(pilot)
        assert (await backend.gig_stats(gig_id)).waves_sent == before + 1
        await pilot.click(KeyFooter, offset=(len(line.rstrip()) + 3, 0))  # past the keys
        await settle(pilot)
        assert (await backend.gig_stats(gig_id)).waves_sent == before + 1


async def test_on_a_narrow_screen_the_footer_closes_up_and_keeps_the_help_key():
    app, _, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_gig(pilot)
        assert screen_lines(app)[-1].startswith(" esc back  / filter  n step")
        await pilot.resize_terminal(52, 24)  # the spaced line takes 55 columns
        await settle(pilot)
        assert screen_lines(app)[-1].rstrip() == (
            " esc back / filter n step q Quit ^p Palette ? Help")
