"""An in-memory Backend for shell tests: gigs, stats and a clock, nothing simulated.

The real LocalBackend is exercised by the first-start test; this double keeps the other Pilot
tests fast and lets them fail the backend on purpose.
"""

from __future__ import annotations

from console.backends.errors import NotFound, ReadOnlyError, Unprocessable
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


class FakeBackend:
    kind = "local"
    simulation = None  # no clock of its own: the tests move ``clock`` through ``advance``

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
