"""On a remote context the monitor polls the open gig itself: no overlap, freshness states, and
a key to change the interval."""

from __future__ import annotations

from console.backends.errors import ConnectionFailed
from console.monitor.poller import PollState
from console.monitor.scenario import scenario
from console.tui.app import CirroApp

from console.tui.views.waves import WavesScreen

from .test_waves_view import text


class RemoteLike:
    """The scenario's simulation seen as a remote context: the same answers, no simulation
    controls, and a switch that makes every call fail as an unreachable API would."""

    kind = "remote"
    simulation = None
    read_only = False
    warnings: list[str] = []

    def __init__(self) -> None:
        self.local, self.gig_id = scenario(workers=300)
        self.context = "remote-like"
        self.down = False
        self.in_flight = 0
        self.max_in_flight = 0
        self.invitation_pages = 0

    def __getattr__(self, name: str):
        target = getattr(self.local, name)
        if not callable(target):
            raise AttributeError(name)

        async def call(*args, **kwargs):
            if self.down:
                raise ConnectionFailed("api.example: connection refused")
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            try:
                if name == "page_invitations":
                    self.invitation_pages += 1
                return await target(*args, **kwargs)
            finally:
                self.in_flight -= 1

        return call


async def watch_first_gig(pilot) -> WavesScreen:
    """The monitor on the first live gig; no settle(): the poll loop is a worker that never
    completes while the gig is open."""
    await pilot.press("3")
    await pilot.pause(0.2)
    await pilot.press("enter")
    screen = pilot.app.screen
    assert isinstance(screen, WavesScreen)
    return screen


async def test_the_open_gig_is_polled_on_its_own_schedule_with_freshness_states():
    backend = RemoteLike()
    await backend.local.simulation.advance_by(3600)
    app = CirroApp(backend, poll_seconds=2.0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await watch_first_gig(pilot)
        for _ in range(20):
            await pilot.pause(0.05)
            if screen.poll_clock.last_success is not None:
                break
        stats = await backend.local.gig_stats(backend.gig_id)
        assert text(screen, "#wv-counts").startswith(f"invited {stats.invited}")
        assert "updated 0 s ago · polls every 2 s (u)" in text(screen, "#wv-status")
        assert backend.max_in_flight == 1 and backend.invitation_pages >= 1

        await pilot.press("u")
        assert screen.poll_clock.interval == 5.0
        assert "polls every 5 s" in text(screen, "#wv-status")

        backend.down = True
        clock = screen.poll_clock
        for _ in range(2):  # two failed polls in a row: disconnected
            await pilot.press("f5")
            for _ in range(20):
                await pilot.pause(0.05)
                if not clock.in_flight and clock.next_at and clock.next_at > clock.last_success:
                    break
        assert clock.status(clock.last_success + 1).state is PollState.DISCONNECTED
        assert "disconnected: api.example: connection refused" in text(screen, "#wv-status")

        backend.down = False
        await pilot.press("f5")
        for _ in range(20):
            await pilot.pause(0.05)
            if clock.failures == 0:
                break
        assert "updated 0 s ago" in text(screen, "#wv-status")
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert screen.poll_clock is None  # leaving the gig stops its polling
