"""Keys before background work: simulation frames and invitation reads hold still from a key
press until the screen has repainted after it."""

from __future__ import annotations

import asyncio
import math
import time

from console.monitor.scenario import scenario
from console.tui.app import CirroApp
from console.tui.clock import SimulationClock
from console.tui.keys_first import KeysFirst
from tests.tui.test_waves_view import SIZE, open_gig


async def test_a_free_pause_only_yields():
    gate = KeysFirst()
    started = time.perf_counter()
    await gate.pause()
    assert time.perf_counter() - started < 0.05 and not gate.holding


async def test_a_held_pause_waits_for_the_repaint():
    gate = KeysFirst(hold_limit=5.0)
    gate.key_pressed()
    waiting = asyncio.create_task(gate.pause())
    await asyncio.sleep(0.05)
    assert not waiting.done()
    gate.repainted()
    await asyncio.wait_for(waiting, 1.0)
    assert not gate.holding


async def test_a_repaint_that_never_comes_frees_the_work_after_the_hold_limit():
    gate = KeysFirst(hold_limit=0.05)
    gate.key_pressed()
    await asyncio.wait_for(gate.pause(), 1.0)
    assert not gate.holding
    await asyncio.wait_for(gate.pause(), 0.02)  # later chunks do not wait again


async def test_the_fastest_clock_runs_no_slice_while_a_key_waits_for_its_repaint():
    gate = KeysFirst(hold_limit=5.0)
    slices: list[int] = []

    async def advance(seconds: int) -> int:
        slices.append(seconds)
        return 0

    clock = SimulationClock(advance, math.inf, pause=gate.pause)
    gate.key_pressed()
    frame = asyncio.create_task(clock.run_fastest())
    await asyncio.sleep(0.05)
    assert slices == []
    gate.repainted()
    await asyncio.wait_for(frame, 1.0)
    assert slices


async def test_no_simulation_slice_runs_between_a_pane_key_and_its_repaint():
    backend, _ = scenario(workers=2000, seed=5, total_seats=5, invitation_multiplier=10,
                          invitation_frequency=1, seats_min=2000, seats_max=None)
    sim = backend.simulation
    log: list[str] = []

    async def advance(seconds: int) -> int:
        log.append("slice")
        return await sim.advance_by(seconds)

    app = CirroApp(backend, advance=advance, speed=60)
    app.clock.paused = True
    pressed, repainted = app.keys_first.key_pressed, app.keys_first.repainted
    app.keys_first.key_pressed = lambda: (log.append("key"), pressed())[1]
    app.keys_first.repainted = lambda: (log.append("repaint"), repainted())[1]
    async with app.run_test(size=SIZE) as pilot:
        await open_gig(pilot)
        await pilot.press("greater_than_sign", "greater_than_sign", "p")  # as fast as possible
        assert app.clock.fastest
        for key in "wciewcie":
            await pilot.press(key)
            await pilot.pause(0.05)
        await pilot.pause(0.3)
        assert app.screen.pane == "events"
    assert log.count("slice") > 0
    keys = [n for n, entry in enumerate(log) if entry == "key"]
    assert len(keys) >= 8
    for n in keys:
        following = log[n + 1:]
        assert "repaint" in following, f"key {n} never released the background work"
        assert "slice" not in following[:following.index("repaint")], " ".join(log[n - 12:n + 10])
