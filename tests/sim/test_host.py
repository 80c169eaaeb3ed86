"""The simulation host: the engine's one owner, on its own thread. Its clients never wait on the
event loop for it, its clock runs by itself, and its frames say what the clock did."""

from __future__ import annotations

import asyncio
import math
import threading
import time

from console.models import GigCreate
from console.monitor.scenario import START, scenario


class _SlowMatch:
    """A compiler whose filters take their time on every document (a regex near its limit)."""

    def __init__(self, release: threading.Event) -> None:
        self.release = release

    def compile_filter(self, query):
        def matches(document):
            self.release.wait(10)
            return True
        return matches

    @staticmethod
    def compile_sort(sort_query):
        return None


async def test_a_slow_invitation_attempt_holds_neither_the_loop_nor_other_calls():
    backend, _ = scenario(workers=20)
    release = threading.Event()
    try:
        backend.engine.compiler = _SlowMatch(release)
        gig = await backend.create_gig(GigCreate.model_validate({
            "title": "t", "description": "d", "url": "u", "start_at": START - 60,
            "end_at": START + 86_400, "total_seats": 1, "invitation_mode": "manual",
            "filter_query": {"email": {"$regex": "^(a|a)+$"}}}))
        attempt = asyncio.create_task(backend.invitation_attempt("1", [gig.id]))
        started = time.monotonic()
        # The loop keeps turning and the host keeps answering while the filter runs.
        await asyncio.sleep(0.05)
        assert (await backend.get_gig(gig.id)).title == "t"
        assert time.monotonic() - started < 5 and not attempt.done()
        release.set()
        assert (await asyncio.wait_for(attempt, 10)).gig_ids == [int(gig.id)]
    finally:
        release.set()
        await backend.close()


async def test_the_clock_runs_by_itself_and_its_frames_say_when_it_ran_out():
    backend, gig_id = scenario(workers=50)
    frames = []
    sim = backend.simulation
    unsubscribe = sim.subscribe(frames.append)
    try:
        sim.set_speed(math.inf)
        sim.set_paused(False)
        deadline = time.monotonic() + 20
        while not (frames and frames[-1].ran_out) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        last = frames[-1]
        assert last.ran_out and last.paused and last.next_event_at is None
        assert frames[0].now == START and last.now > START
        assert sim.paused  # the client's clock took the host's word
        assert last.stats[gig_id].invited > 0 and [g.id for g in last.gigs] == [gig_id]
    finally:
        unsubscribe()
        await backend.close()


async def test_a_command_queued_while_the_fastest_speed_runs_is_answered_quickly():
    backend, gig_id = scenario(workers=2000, seats_min=2000, seats_max=None, invitation_frequency=1)
    try:
        backend.simulation.set_speed(math.inf)
        backend.simulation.set_paused(False)
        await asyncio.sleep(0.1)
        waits = []
        for _ in range(20):
            started = time.monotonic()
            await backend.gig_stats(gig_id)
            waits.append(time.monotonic() - started)
        # A slice is ~1 ms: even on a loaded machine an answer comes well within this.
        assert sorted(waits)[len(waits) // 2] < 0.1
    finally:
        await backend.close()
