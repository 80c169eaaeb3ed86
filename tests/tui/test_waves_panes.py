"""The wave monitor's panes, read off the screen: each paints once its data arrives, the filter
of the invitations pane holds through new readings, and so does the operator's selection."""

from __future__ import annotations

import asyncio

from console.monitor import snapshot as snapshot_module
from console.tui.widgets import virtual_table
from console.tui.views.waves import source as source_module

from .conftest import count_repaints
from .screen import region_text, screen_lines
from .test_waves_view import SIZE, make_app, open_gig, open_gig_unsettled, settle, wait_for


def hold_listing(monkeypatch) -> asyncio.Event:
    """The monitor's reads wait, each before it lists the gig's invitations, until it is set."""
    held = asyncio.Event()

    def held_lister(backend):
        lister = snapshot_module.lister_for(backend)

        async def listing(backend_, gig_id):
            await held.wait()
            return await lister(backend_, gig_id)

        return listing

    monkeypatch.setattr(source_module, "lister_for", held_lister)
    return held


async def test_each_pane_paints_once_its_reading_arrives(monkeypatch):
    held = hold_listing(monkeypatch)
    app, backend, gig_id = make_app(workers=300)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig_unsettled(pilot)
        assert "loading..." in region_text(app, screen.header.gauge)
        await pilot.press("c")
        await pilot.pause()
        assert "loading..." in region_text(app, screen.chart)
        held.set()
        await wait_for(lambda: "Wave watch" in "\n".join(screen_lines(app)))
        await settle(pilot)
        stats = await backend.gig_stats(gig_id)
        assert f"{stats.accepted} accepted" in region_text(app, screen.header.gauge)
        assert "accepted" in region_text(app, screen.chart) and \
            "loading..." not in region_text(app, screen.chart)
        await pilot.press("n")  # a wave: the wave table shows it when shown
        await settle(pilot)
        await pilot.press("w")
        await pilot.pause()
        rows = region_text(app, screen.waves_table, joined=False)
        assert rows[0].startswith("WAVE") and rows[1].split()[0] == "1"


async def test_a_filter_typed_in_the_invitations_pane_holds_through_new_readings():
    app, backend, gig_id = make_app(workers=300)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot)
        for _ in range(3):
            await pilot.press("n")
            await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        table = screen.invitations_table
        worker = table.visible_rows()[0].cells[1]
        await pilot.press("slash", *worker, "enter")
        await pilot.pause()
        shown = region_text(app, table, joined=False)[1:]
        listed = [line for line in shown if line]
        assert listed and all(worker in line for line in listed)
        tabs = str(screen.query_one("#wv-tabs").render())
        assert f"filter {worker!r}" in tabs and f"{table.row_count}/" in tabs
        await backend.simulation.advance_by(4 * 3600)  # answers: rows swapped in anew
        app.poll_now()
        await settle(pilot)
        listed = [line for line in region_text(app, table, joined=False)[1:] if line]
        assert listed and all(worker in line for line in listed)
        assert any(status in " ".join(listed) for status in ("accepted", "rejected", "expired"))


async def test_a_filter_too_slow_for_new_rows_is_removed_and_the_status_says_why(monkeypatch):
    app, backend, gig_id = make_app(workers=300)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot, waves=2)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("slash", *"pend.ng", "enter")
        await settle(pilot)
        table = screen.invitations_table
        assert table.filter_text == "pend.ng"
        # The next rows take the filter past its budget (as a backtracking regex would).
        monkeypatch.setattr(virtual_table, "FILTER_BUDGET", 0.0)
        await backend.simulation.advance_by(4 * 3600)
        app.poll_now()
        await wait_for(lambda: "removed" in "\n".join(screen_lines(app)))
        text = " ".join("\n".join(screen_lines(app)).split())
        assert "filter error: 'pend.ng' removed: the regex ran longer than 0 ms" in text, text
        assert table.filter_text == "" and table.row_count == table.total_count


async def test_the_selection_and_the_cursor_survive_a_row_swap():
    app, backend, gig_id = make_app(workers=300, seats_max=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot)
        for _ in range(2):
            await pilot.press("n")
            await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        table = screen.invitations_table
        await pilot.press("g", "space", "space")  # the first two rows, the cursor on the third
        chosen = {row.key for row in table.visible_rows()[:2]}
        cursor = table.cursor_key
        before = {row.key: row.cells for row in table.visible_rows()}
        await backend.simulation.advance_by(6 * 3600)
        app.poll_now()
        await settle(pilot)
        after = {row.key: row.cells for row in table.visible_rows()}
        assert any(after[key] != before[key] for key in before)  # rows were swapped
        assert screen.selected == chosen and table.cursor_key == cursor
        marked = [line for line in region_text(app, table, joined=False)[1:] if line[:1] == "*"]
        workers = {table.row(key).cells[1] for key in chosen}
        assert len(marked) == 2 and all(any(w in line for w in workers) for line in marked)
        assert "2 selected" in str(screen.query_one("#wv-tabs").render())


async def test_a_demo_reset_takes_the_monitor_back_to_the_live_gigs():
    # The app used to call the monitor's action_back itself; it posts DemoReset now.
    app, backend, gig_id = make_app(workers=300)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot)
        assert "Wave watch" in "\n".join(screen_lines(app))
        app.action_reset_demo()
        await pilot.pause()
        await pilot.press("y")
        await wait_for(lambda: "enter watches one" in str(screen.query_one("#wv-status").render()))
        assert screen.gig_id is None
        assert screen.overview.display and "TITLE" in "\n".join(screen_lines(app))


async def test_a_reading_repaints_the_header_lines_not_the_whole_header(monkeypatch):
    """The header is a container of four lines; repainting all of it at every reading (4 a
    second at the fastest speed) drew the lines that had not changed too. The lines still show
    the new reading."""
    from console.tui.views.waves.header import GigHeader

    app, backend, gig_id = make_app(workers=300)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot)
        await settle(pilot)
        repaints = count_repaints(monkeypatch, GigHeader)
        await pilot.press("n")  # a wave: a new reading
        await settle(pilot)
        stats = await backend.gig_stats(gig_id)
        assert stats.waves_sent >= 1
        assert f"waves {stats.waves_sent}" in region_text(app, screen.header.counts)
        assert repaints == []


async def test_a_reading_that_arrives_once_the_panes_are_gone_paints_nothing(monkeypatch):
    """The app closing removes the monitor's panes before its screen, whose read may still be
    in flight: the reading must not look for them (it raised NoMatches and the exit crashed)."""
    held = hold_listing(monkeypatch)
    app, _backend, _gig_id = make_app(workers=300)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig_unsettled(pilot)
        assert screen.source is not None and screen.source._draining
        await screen.query_one("#wv-detail").remove()
        held.set()
        await settle(pilot)
        assert screen.source is not None and not screen.source._draining
    # run_test re-raises a worker's failure here


async def test_rows_swapped_once_the_panes_are_gone_paints_nothing():
    """A table's build can land after the app closing removed the panes: the tab line it
    repaints is gone too (its lookup raised NoMatches and the exit crashed)."""
    app, _backend, _gig_id = make_app(workers=300)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot)
        await screen.query_one("#wv-detail").remove()
        screen.invitations_table.apply_model()  # what a build that lands then does
        await settle(pilot)
    # run_test re-raises a handler's failure here
