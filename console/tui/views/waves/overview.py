"""The overview: every live or scheduled gig, one row each, with its waves per hour."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.reactive import reactive

from console.backends.errors import BackendError
from console.models import GigPhase
from console.monitor.model import waves_per_hour
from console.tui.messages import Snapshot
from console.tui.views.waves.rows import OVERVIEW_COLUMNS, overview_row
from console.tui.widgets.virtual_table import VirtualTable

LIVE_PHASES = (GigPhase.SCHEDULED, GigPhase.LIVE)


class OverviewTable(VirtualTable):
    snapshot: reactive[Snapshot | None] = reactive(None, init=False)
    rates: reactive[dict[str, int]] = reactive(dict, init=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(OVERVIEW_COLUMNS, **kwargs)

    def watch_snapshot(self) -> None:
        self._paint()

    def watch_rates(self) -> None:
        self._paint()

    def _paint(self) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        self.set_rows(
            overview_row(g, snapshot.stats[g.id], snapshot.now, self.rates.get(g.id, 0))
            for g in self.live(snapshot))

    @staticmethod
    def live(snapshot: Snapshot) -> list[Any]:
        return [g for g in snapshot.gigs
                if g.phase(snapshot.now) in LIVE_PHASES and g.id in snapshot.stats]

    @work(exclusive=True, group="waves-rates")
    async def measure_rates(self, backend: Any) -> None:
        """Waves per hour of each live gig (a read per gig: only while the overview shows)."""
        snapshot = self.snapshot
        if snapshot is None:
            return
        rates = {}
        for gig in self.live(snapshot):
            try:
                rates[gig.id] = waves_per_hour((w.at for w in await backend.waves(gig.id)),
                                               snapshot.now)
            except BackendError:
                continue
        self.rates = rates
