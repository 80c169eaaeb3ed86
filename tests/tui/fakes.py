"""An in-memory Backend for shell tests: gigs, stats and a clock, nothing simulated.

The real LocalBackend is exercised by the first-start test; this double keeps the other Pilot
tests fast and lets them fail the backend on purpose.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from console.backends.controls import Frame
from console.backends.errors import NotFound, ReadOnlyError, Unprocessable
from console.sim.pace import Pace
from console.waves import SimSettings
from console.models import (
    Gig,
    GigCreate,
    GigResult,
    GigStats,
    GigTimeActivity,
    GigUpdate,
    apply_update,
)

T0 = 1_780_000_000  # a fixed simulated "now"


def make_gig(gig_id: str, title: str, start: int, end: int, **extra) -> Gig:
    data = {
        "id": gig_id, "title": title, "description": f"about {title}", "url": f"https://x/{gig_id}",
        "start_at": start, "end_at": end, "total_seats": 10, "seats_min": 5, "seats_max": 20,
        "invitation_mode": "auto", "filter_query": {"status": "active"},
    }
    data.update(extra)
    return Gig.model_validate(data)


class FakeClock:
    """The double's SimulationControls: a clock moved by a task on the test's loop, nothing
    else simulated (no waves, feed or workers)."""

    rewind = None

    def __init__(self, backend: FakeBackend) -> None:
        self._backend = backend
        self._pace = Pace()
        self._subscribers: list[Callable[[Frame], None]] = []
        self.settings = SimSettings()

    @property
    def now(self) -> int:
        return self._backend.clock

    @property
    def speed(self) -> float:
        return self._pace.speed

    @property
    def paused(self) -> bool:
        return self._pace.paused

    def set_speed(self, speed: float) -> None:
        self._pace.set_speed(speed)

    def set_paused(self, paused: bool) -> None:
        self._pace.set_paused(paused)

    def subscribe(self, callback: Callable[[Frame], None]) -> Callable[[], None]:
        self._subscribers.append(callback)
        task = asyncio.get_running_loop().create_task(self._run(callback))
        return task.cancel

    async def _run(self, callback: Callable[[Frame], None]) -> None:
        callback(await self.frame())
        while True:
            await asyncio.sleep(0.05)
            if (seconds := self._pace.due()) > 0:
                await self._backend.advance(seconds)
                callback(await self.frame())

    async def frame(self) -> Frame:
        backend = self._backend
        return Frame(backend.clock, tuple(backend.gigs.values()), dict(backend.stats),
                     self._pace.speed, self._pace.paused)

    async def invitations(self, gig_id: str) -> dict[str, object]:
        return {}

    async def advance_to(self, t: int) -> int:
        return await self._backend.advance(max(t - self._backend.clock, 0))

    async def step_to_next_wave(self) -> None:
        return None

    async def run_wave_now(self, gig_id: str) -> None:
        return None

    async def update_settings(self, **changes: object) -> SimSettings:
        return self.settings

    async def reset_demo(self) -> int:
        raise ReadOnlyError("the test double has no demo")

    async def events_since(self, seq: int = 0) -> None:
        return None

    def population(self) -> None:
        return None

    def prepare_population(self) -> None:
        return None  # no workers: no columns to build


class FakeBackend:
    kind = "local"

    def __init__(self, gigs: list[Gig], *, context: str = "test", read_only: bool = False,
                 now: int = T0) -> None:
        self.context = context
        self.read_only = read_only
        self.clock = now
        self.gigs = {g.id: g for g in gigs}
        self.stats = {g.id: GigStats(gig_id=g.id) for g in gigs}
        self.calls: list[tuple[str, object]] = []
        self._next_id = 1000
        self.results: list[GigResult] = []
        self.activities: list[GigTimeActivity] = []
        self.simulation = FakeClock(self)
        self.warnings: list[str] = []

    async def now(self) -> int:
        return self.clock

    async def advance(self, seconds: int) -> int:
        self.clock += seconds
        return self.clock

    async def list_gigs(self) -> list[Gig]:
        return list(self.gigs.values())

    async def get_gig(self, gig_id: str) -> Gig:
        try:
            return self.gigs[gig_id]
        except KeyError:
            raise NotFound(f"no gig {gig_id}") from None

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError("read-only")

    async def create_gig(self, gig: GigCreate) -> Gig:
        self._writable()
        self._next_id += 1
        data = gig.model_dump(mode="json", exclude_unset=True)
        data.pop("tasks", None)
        data.pop("invitation_notification_topic", None)
        created = Gig.model_validate({"id": str(self._next_id), **data})
        self.gigs[created.id] = created
        self.stats[created.id] = GigStats(gig_id=created.id)
        self.calls.append(("create", created))
        return created

    async def update_gig(self, gig_id: str, update: GigUpdate) -> Gig:
        self._writable()
        updated = apply_update(await self.get_gig(gig_id), update)
        self.gigs[gig_id] = updated
        self.calls.append(("update", update))
        return updated

    async def archive_gig(self, gig_id: str, archive_at: int | None = None) -> Gig:
        self._writable()
        gig = await self.get_gig(gig_id)
        archived = gig.model_copy(update={"archived_at": archive_at or self.clock})
        self.gigs[gig_id] = archived
        self.calls.append(("archive", gig_id))
        return archived

    async def delete_gig(self, gig_id: str) -> None:
        self._writable()
        gig = await self.get_gig(gig_id)
        if gig.start_at <= self.clock:
            raise Unprocessable("gig has started")
        del self.gigs[gig_id]
        self.calls.append(("delete", gig_id))

    async def gig_stats(self, gig_id: str) -> GigStats:
        return self.stats[gig_id]

    async def gig_results(self, gig_id: str | None = None,
                          user_id: str | None = None) -> list[GigResult]:
        tasks = {t.id for t in self.gigs[gig_id].tasks.data} if gig_id else None
        return [r for r in self.results if tasks is None or r.gig_task_id in tasks]

    async def gig_time_activities(self, gig_id: str | None = None,
                                  user_id: str | None = None) -> list[GigTimeActivity]:
        return [a for a in self.activities if gig_id is None or a.gig_id == gig_id]

    async def close(self) -> None:
        return None


def sample_gigs() -> list[Gig]:
    return [
        make_gig("1", "Tree planting", T0 - 3600, T0 + 86400),
        make_gig("2", "Beach cleanup", T0 + 3600, T0 + 7200),
        make_gig("3", "Data labelling", T0 - 7200, T0 - 60, invitation_mode="manual"),
        make_gig("4", "Survey Berlin", T0 - 600, T0 + 600, seats_max=None),
    ]
