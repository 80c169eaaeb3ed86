"""The wave monitor builds invitation rows in a thread, whatever pane shows: the invitations
table's model is current before it is shown (its widget takes the rows only when shown), so
showing it builds nothing and its first frame shows current rows."""

from __future__ import annotations

from console.backends.base import InvitationFilter
from console.tui import format as fmt
from console.tui.views.waves.rows import invitation_row
from console.tui.widgets.virtual_table import sorted_rows
from console.waves.rules import worker_order_key
from tests.tui.conftest import screen_text
from tests.tui.test_waves_view import SIZE, make_app, open_gig, settle


async def listed_rows(backend, gig_id) -> dict[str, tuple[str, ...]]:
    listed = await backend.list_invitations(InvitationFilter(gig_id=gig_id))
    return {inv.id: (" ", inv.user_id, str(inv.wave), inv.status.value,
                     fmt.timestamp(inv.invited_at), fmt.timestamp(inv.responded_at))
            for inv in listed}


async def test_the_hidden_invitations_table_is_current_and_showing_it_builds_nothing():
    app, backend, gig_id = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot)
        assert screen.pane == "waves"
        for _ in range(3):
            await pilot.press("n")
            await settle(pilot)
        await backend.simulation.advance_by(4 * 3600)  # answers change hundreds of rows
        app.poll_now()
        await settle(pilot)
        table = screen.invitations_table
        expected = await listed_rows(backend, gig_id)
        assert len(expected) > 100
        # built while the waves pane showed, kept in the model, not put in the hidden widget
        assert {row.key: row.cells for row in table.base_rows()} == expected
        assert not table.building and table.total_count == 0
        await pilot.press("i")
        # its first frame: every current row, in the worker order, and no build started
        assert not table.building
        assert {row.key: row.cells for row in table.visible_rows()} == expected
        ordered = sorted(expected, key=lambda key: (worker_order_key(expected[key][1]), key))
        assert [row.key for row in table.visible_rows()] == ordered
        shown = screen_text(app)
        first = expected[ordered[0]]
        assert f"{first[1]} " in shown and f"{len(expected)}/{len(expected)} rows" in shown


async def test_switching_panes_shows_rows_that_came_while_the_pane_was_hidden():
    app, backend, gig_id = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot, waves=1)
        await pilot.press("i")
        await settle(pilot)
        before = screen_text(app)
        await pilot.press("w")
        for _ in range(2):  # more waves and answers while the invitations pane is hidden
            await pilot.press("n")
            await settle(pilot)
        await backend.simulation.advance_by(4 * 3600)
        app.poll_now()
        await settle(pilot)
        expected = await listed_rows(backend, gig_id)
        await pilot.press("i")
        shown = screen_text(app)
        assert shown != before
        assert f"{len(expected)}/{len(expected)} rows" in shown
        for cells in list(expected.values())[:3]:
            assert cells[3] in shown
        assert {row.key: row.cells for row in screen.invitations_table.visible_rows()} == expected


async def test_a_reading_during_a_build_makes_it_go_round_again_and_loses_no_row():
    app, backend, gig_id = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot, waves=1)
        await backend.simulation.advance_by(3 * 3600)
        app.poll_now()
        await pilot.pause()  # a build starts with this reading...
        await backend.simulation.advance_by(3 * 3600)
        app.poll_now()  # ...and another reading comes before it ends
        await settle(pilot, rounds=5)
        assert not screen.invitations_table.building
        expected = await listed_rows(backend, gig_id)
        table = screen.invitations_table
        assert {row.key: row.cells for row in table.base_rows()} == expected
        await pilot.press("i")
        assert {row.key: row.cells for row in table.visible_rows()} == expected


async def test_ten_changed_invitations_make_ten_rows_and_sort_none_while_hidden(monkeypatch):
    from console.tui.views.waves import built_table, invitations

    app, backend, gig_id = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot, waves=4)  # the waves pane shows: invitations hidden
        await backend.simulation.advance_by(3600)
        app.poll_now()
        await settle(pilot)
        table = screen.invitations_table
        assert len(table.base) > 50 and not table.showing
        made, sorted_ = [], []
        monkeypatch.setattr(invitations, "invitation_row", lambda inv, selected: made.append(
            inv.id) or invitation_row(inv, selected))
        monkeypatch.setattr(built_table, "sorted_rows", lambda rows, *args: sorted_.append(
            rows := list(rows)) or sorted_rows(rows, *args))
        pending = [key for key, (inv, _) in table.base.items() if inv.status == "pending"][:10]
        assert len(pending) == 10
        for key in pending:
            await backend.reject_invitation(key)
        app.poll_now()
        await settle(pilot)
        assert sorted(made) == sorted(pending)  # not one row per invitation
        assert sum(map(len, sorted_)) <= 10  # the rows in order without sorting them all again
        expected = await listed_rows(backend, gig_id)
        await pilot.press("i")
        ordered = sorted(expected, key=lambda key: (worker_order_key(expected[key][1]), key))
        assert [row.key for row in table.visible_rows()] == ordered
        assert {row.key: row.cells for row in table.visible_rows()} == expected


async def test_rows_are_ordered_filtered_and_indexed_off_the_loop_shown_or_hidden(monkeypatch):
    """The build thread makes the table's whole content; the loop swaps it in: neither a frame
    taken by the shown table nor the key that shows a hidden one places, sorts, filters or
    indexes its rows on the loop (``_apply_filter`` also indexes them)."""
    import threading

    from console.tui.views.waves.invitations import InvitationTable
    from console.tui.widgets import keyed_table, virtual_table

    on_loop: list[str] = []

    def counted(name, function, of_table=False):
        def wrapper(*args, **kwargs):
            invitations = not of_table or isinstance(args[0], InvitationTable)
            if threading.current_thread() is threading.main_thread() and invitations:
                on_loop.append(name)
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(keyed_table, "placed", counted("placed", keyed_table.placed))
    table_class = virtual_table.VirtualTable
    monkeypatch.setattr(table_class, "_apply_filter",
                        counted("filter", table_class._apply_filter, of_table=True))
    monkeypatch.setattr(table_class, "_sort", counted("sort", table_class._sort, of_table=True))
    app, backend, gig_id = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot, waves=2)
        await pilot.press("i")
        await settle(pilot)
        table = screen.invitations_table
        on_loop.clear()
        await backend.simulation.advance_by(3 * 3600)  # answers change rows of the shown table
        app.poll_now()
        await settle(pilot)
        expected = await listed_rows(backend, gig_id)
        assert {row.key: row.cells for row in table.visible_rows()} == expected
        assert on_loop == []
        await pilot.press("w")
        await pilot.press("n")  # a wave while the invitations pane is hidden
        await settle(pilot)
        on_loop.clear()
        await pilot.press("i")
        assert on_loop == []
        expected = await listed_rows(backend, gig_id)
        ordered = sorted(expected, key=lambda key: (worker_order_key(expected[key][1]), key))
        assert [row.key for row in table.visible_rows()] == ordered
        assert {row.key: row.cells for row in table.visible_rows()} == expected
        assert table.cursor_key == ordered[0]
