"""The wave monitor builds invitation rows in a thread, whatever pane shows: the invitations
table is current before it is shown, so showing it builds nothing."""

from __future__ import annotations

from console.backends.base import InvitationFilter
from console.tui import format as fmt
from console.waves.rules import worker_order_key
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
        # built and handed over while the waves pane showed
        assert {row.key: row.cells for row in table.visible_rows()} == expected
        assert not table.building
        # in the worker order, rows placed a few at a time as a full sort would
        assert [row.key for row in table.visible_rows()] == sorted(
            expected, key=lambda key: (worker_order_key(expected[key][1]), key))
        await pilot.press("i")
        await pilot.pause()
        assert {row.key: row.cells for row in table.visible_rows()} == expected


async def test_a_reading_during_a_build_makes_it_go_round_again_and_loses_no_row():
    app, backend, gig_id = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot)
        await pilot.press("n")
        await settle(pilot)
        await backend.simulation.advance_by(3 * 3600)
        app.poll_now()
        await pilot.pause()  # a build starts with this reading...
        await backend.simulation.advance_by(3 * 3600)
        app.poll_now()  # ...and another reading comes before it ends
        await settle(pilot, rounds=5)
        assert not screen.invitations_table.building
        expected = await listed_rows(backend, gig_id)
        table = screen.invitations_table
        assert {row.key: row.cells for row in table.visible_rows()} == expected
