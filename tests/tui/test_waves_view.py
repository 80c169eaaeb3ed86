"""The wave monitor (view 3) driven with Pilot on a seeded simulation."""

from __future__ import annotations

import asyncio
import math
import threading

from rich.color import ColorType

from console.backends.base import InvitationFilter
from console.monitor.feed import feed_events
from console.monitor.scenario import scenario
from console.tui import format as fmt
from console.tui.app import CirroApp
from console.tui.views.waves import WavesScreen

from .conftest import wait_for
from .screen import screen_lines

SIZE = (100, 30)


def make_app(theme: str = "cirro-dark", **gig_changes):
    backend, gig_id = scenario(**gig_changes)
    app = CirroApp(backend, speed=60, theme=theme)
    app.clock.paused = True  # the tests move time with keys only
    return app, backend, gig_id


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def open_gig(pilot, waves: int = 0) -> WavesScreen:
    """The first gig on the monitor, after running ``waves`` waves now (``n``)."""
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, WavesScreen) and screen.gig_id is not None
    for _ in range(waves):
        await pilot.press("n")
        await settle(pilot)
    return screen


async def open_gig_unsettled(pilot) -> WavesScreen:
    """The first gig on the monitor, without waiting for its reads (a test may hold them)."""
    await pilot.press("3")
    await pilot.pause(0.2)
    await pilot.press("enter")
    await pilot.pause(0.2)
    screen = pilot.app.screen
    assert isinstance(screen, WavesScreen)
    return screen


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def assert_view_matches_backend(screen, backend, gig_id) -> None:
    stats = await backend.gig_stats(gig_id)
    now = await backend.now()
    assert text(screen, "#wv-counts") == (
        f"invited {stats.invited}  accepted {stats.accepted}  pending {stats.pending}  "
        f"rejected {stats.rejected}  expired {stats.expired}  waves {stats.waves_sent}")
    if stats.next_wave_at is not None:
        assert f"next wave in {fmt.duration(stats.next_wave_at - now)}" in text(screen, "#wv-title")
    gauge = "".join(run.text for line in screen.header.draw_gauge(90, 1) for run in line)
    assert f"{stats.accepted} accepted" in gauge
    pane = screen.pane
    screen.show_pane("waves")  # a hidden pane is painted when shown
    shown = [tuple(int(c) for c in (row.cells[0], *row.cells[2:]))
             for row in screen.table("waves").visible_rows()]
    screen.show_pane(pane)
    waves = await backend.waves(gig_id)
    assert shown == [(w.n, w.invited, w.accepted, w.rejected, w.expired, w.pending) for w in waves]


async def test_the_view_follows_a_seeded_simulation_wave_after_wave():
    app, backend, gig_id = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot)
        overview_keys = [row.key for row in screen.table("overview").visible_rows()]
        assert overview_keys == [gig_id]
        for _ in range(4):
            await pilot.press("n")
            await settle(pilot)
            await assert_view_matches_backend(screen, backend, gig_id)
        # hours later: responses came in, still the same numbers as the backend
        await backend.simulation.advance_by(6 * 3600)
        app.poll_now()
        await settle(pilot)
        await assert_view_matches_backend(screen, backend, gig_id)
        assert (await backend.gig_stats(gig_id)).accepted > 0
        await pilot.press("i")
        await settle(pilot)
        listed = await backend.list_invitations(InvitationFilter(gig_id=gig_id))
        rows = {row.key: row.cells[3] for row in screen.table("invitations").visible_rows()}
        assert rows == {inv.id: inv.status.value for inv in listed}
        await pilot.press("e")
        await settle(pilot)
        log = [row.cells[2] for row in screen.table("events").visible_rows()]
        assert any(line.startswith("wave 4: invited") for line in log)


async def test_pause_step_and_speed_steps():
    app, backend, gig_id = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot)
        await pilot.press("n")  # the first wave, at the start
        await settle(pilot)
        before = await backend.now()
        await pilot.press("n")
        await settle(pilot)
        stepped = await backend.now()
        assert stepped == before + 300 and (await backend.gig_stats(gig_id)).waves_sent == 2
        await pilot.press("p")
        assert not app.clock.paused
        await pilot.press("greater_than_sign")
        assert app.clock.speed == 600.0 and "running x600" in text(screen, "#wv-status")
        # As fast as possible, the host plays this gig to its end in a moment, then pauses.
        for _ in range(2):
            await pilot.press("greater_than_sign")
            assert app.clock.speed == math.inf
        await pilot.press("less_than_sign", "less_than_sign", "less_than_sign")
        assert app.clock.speed == 10.0
        if not app.clock.paused:  # unless the fastest speed ran out of events and paused it
            await pilot.press("p")
        assert app.clock.paused and "paused" in text(screen, "#wv-status")
        paused_at = await backend.now()
        await pilot.pause(0.3)
        await settle(pilot)
        assert await backend.now() == paused_at


async def test_the_fastest_speed_runs_in_frames_and_keeps_answering():
    app, backend, gig_id = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot)
        await pilot.press("greater_than_sign", "greater_than_sign", "greater_than_sign")
        start = await backend.now()
        await pilot.press("p")
        await pilot.pause(0.5)
        assert await backend.now() > start + 3600  # hours of simulated time in half a second
        await pilot.press("e")  # a key still works while it runs
        assert screen.pane == "events"
        await pilot.press("p")
        await settle(pilot)


async def select_by_status(pilot, screen, status: str, count: int) -> list[str]:
    await pilot.press("i")
    await settle(pilot)
    await pilot.press("slash", "ctrl+u", *status, "enter")
    await settle(pilot)
    await pilot.press("g")
    keys = [row.key for row in screen.table("invitations").visible_rows()[:count]]
    for _ in keys:
        await pilot.press("space")
    assert screen.selected == set(keys)
    return keys


async def test_accepting_up_to_seats_max_expires_the_pending_and_the_log_says_so():
    app, backend, gig_id = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot, waves=1)
        pending_before = (await backend.gig_stats(gig_id)).pending
        await select_by_status(pilot, screen, "pending", 8)  # seats_max is 8
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("y")  # confirm
        await settle(pilot, rounds=5)
        stats = await backend.gig_stats(gig_id)
        assert (stats.accepted, stats.pending, stats.expired) == (8, 0, pending_before - 8)
        await assert_view_matches_backend(screen, backend, gig_id)
        await pilot.press("e")
        await settle(pilot)
        log = [row.text for row in screen.table("events").visible_rows()]
        assert any(f"seats_max reached: expired {pending_before - 8} pending" in line
                   for line in log)
        # the log filter: include, then exclude
        await pilot.press("slash", *"expired", "enter")
        assert all("expired" in row.text for row in screen.table("events").visible_rows())
        await pilot.press("slash", "ctrl+u", *"!accept", "enter")
        rows = screen.table("events").visible_rows()
        assert rows and not any("accept" in row.text for row in rows)


async def test_resetting_an_accepted_one_below_seats_min_makes_the_next_wave_go_out():
    app, backend, gig_id = make_app(seats_max=None)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot, waves=1)
        await select_by_status(pilot, screen, "pending", 5)  # seats_min is 5
        await pilot.press("A", "y")
        await settle(pilot, rounds=5)
        assert (await backend.gig_stats(gig_id)).accepted == 5
        stats = await backend.gig_stats(gig_id)
        assert stats.next_wave_at is None  # seats_min met: no wave is due
        assert "no wave due" in text(screen, "#wv-title")
        await select_by_status(pilot, screen, "accepted", 1)
        await pilot.press("Z", "y")
        await settle(pilot, rounds=5)
        assert (await backend.gig_stats(gig_id)).accepted == 4
        await pilot.press("n")
        await settle(pilot)
        stats = await backend.gig_stats(gig_id)
        assert stats.waves_sent == 2 and stats.last_wave_at == (await backend.now())
        await assert_view_matches_backend(screen, backend, gig_id)


async def test_tuning_applies_and_is_refused_when_invalid():
    app, backend, gig_id = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_gig(pilot)
        await pilot.press("m")
        await settle(pilot)
        field = app.screen.query_one("#tune-invitation_multiplier")
        field.value = "6"
        await pilot.press("enter", "y")
        await settle(pilot, rounds=5)
        gig = await backend.get_gig(gig_id)
        assert gig.invitation_multiplier == 6
        await pilot.press("n")
        await settle(pilot)
        assert (await backend.waves(gig_id))[-1].invited == 30  # 5 seats x 6 from the next tick
        await pilot.press("m")
        await settle(pilot)
        app.screen.query_one("#tune-seats_max").value = "2"
        await pilot.press("enter")
        await settle(pilot)
        assert (await backend.get_gig(gig_id)).seats_max == 8


async def test_the_view_renders_with_the_16_colour_theme():
    app, backend, gig_id = make_app(theme="ansi-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_gig(pilot)
        await backend.simulation.advance_by(4 * 3600)
        app.poll_now()
        await settle(pilot)
        screens = {}
        for pane in "wcie":
            await pilot.press(pane)
            await settle(pilot)
            colours = set()
            for strip in app.screen._compositor.render_strips():
                for segment in strip:
                    style = segment.style
                    for colour in (style.color, style.bgcolor) if style else ():
                        if colour is not None:
                            colours.add(colour.type)
            assert colours <= {ColorType.DEFAULT, ColorType.STANDARD}, (pane, colours)
            screens[pane] = screen_lines(app)
        assert any("█ accepted  • pending" in line for line in screens["c"])
        await pilot.press("c", "f8")  # plain ASCII: the chart still reads
        await settle(pilot)
        lines = screen_lines(app)
        assert any("# accepted  * pending  - seats min/max" in line for line in lines)
        assert any(line.strip().startswith("0+---") for line in lines)
        assert not any(glyph in line for line in lines for glyph in "█•░▏▕")


async def test_a_reading_asked_for_during_a_slow_one_loses_no_logged_event():
    # A reading was cancelled when a newer one started, after it had taken its share of the
    # simulation's event feed: those events were lost. Now the newer one waits its turn.
    app, backend, gig_id = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot)
        await pilot.press("e")
        await settle(pilot)
        source = screen.source
        lister, held, calls = source.lister, asyncio.Event(), []

        async def first_one_hangs(backend_, gig_id_):
            calls.append(gig_id_)
            if len(calls) == 1:
                await held.wait()
            return await lister(backend_, gig_id_)

        source.lister = first_one_hangs
        await backend.simulation.advance_by(3 * 3600)
        screen.refresh_detail()
        await wait_for(lambda: calls)  # the first reading hangs in the lister
        await backend.simulation.advance_by(3600)
        screen.refresh_detail()
        screen.refresh_detail()  # asked for twice meanwhile: one more reading, not two
        held.set()
        logged = feed_events(await backend.simulation.events_since(0), gig_id)
        assert len(logged) > 0
        # The one more reading goes through the simulation host: it may come a little later.
        await wait_for(lambda: len(calls) >= 2
                       and screen.events_table.total_count == len(logged))
        assert len(calls) == 2 and screen.monitor.appended == len(logged)
        lines = screen_lines(app)
        newest = screen.events_table.visible_rows()[0]
        assert any(newest.cells[2][:40] in line for line in lines)


async def test_rows_built_after_the_console_closed_paint_nothing():
    # Closing, Textual removes the screen's widgets before it cancels its workers; a row build
    # that woke in between looked for its table and crashed the console on the way out. Rows
    # are built in a thread now and posted to their table: a closed table drops them.
    app, backend, gig_id = make_app()
    release, finished = threading.Event(), threading.Event()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_gig(pilot)
        table = screen.invitations_table
        build = table.build

        def held(base, data):
            release.wait(10)
            try:
                return build(base, data)
            finally:
                finished.set()

        table.build = held
        await backend.simulation.advance_by(3 * 3600)
        app.poll_now()
        await wait_for(lambda: table.building)
        taken = table.total_count
    release.set()  # the console has closed; the build ends now
    assert await asyncio.to_thread(finished.wait, 10)
    assert table.total_count == taken  # built, but taken by no table
    assert app.return_code in (0, None)



async def test_at_60_columns_every_count_keeps_its_number():
    """Cut at the width, the counts line lost its last numbers ("expired" and no number)."""
    app, backend, gig_id = make_app(workers=300)
    async with app.run_test(size=(60, 24)) as pilot:
        screen = await open_gig(pilot, waves=3)
        stats = await backend.gig_stats(gig_id)
        line = next(line for line in screen_lines(app) if "inv " in line)
        assert (f"inv {stats.invited} acc {stats.accepted} pend {stats.pending} "
                f"rej {stats.rejected} exp {stats.expired} waves {stats.waves_sent}") in line
        await pilot.resize_terminal(100, 24)
        await pilot.pause()
        assert any(f"expired {stats.expired}  waves {stats.waves_sent}" in line
                   for line in screen_lines(app))
