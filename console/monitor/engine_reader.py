"""Reading a gig's invitations straight from an in-process simulation engine, incrementally.

The Backend protocol lists invitations as models (~40 µs each: 0.4 s for 10,000, on the UI's
event loop). The wave monitor and the recorder read the same gig many times a second, so on a
local context they go to the engine: a pass over its plain records compares a small key per
invitation, and only the invitations whose key changed become models again.
"""

from __future__ import annotations

from collections.abc import Iterable

from console.models import GigInvitation
from console.monitor.pause import Pause, yield_once
from console.sim.engine import Engine

# What identifies an invitation's state: a change in any of these makes a new model.
InvitationKey = tuple[object, int | None, int | None, bool]

# Invitations compared (and converted, when changed) between two pauses of read_async: 150
# conversions take about 5 ms.
CHUNK = 150


class EngineInvitations:
    def __init__(self) -> None:
        self._keys: dict[str, InvitationKey] = {}
        self._models: dict[str, GigInvitation] = {}

    def read(self, engine: Engine, gig_id: str) -> tuple[dict[str, GigInvitation], list[str]]:
        """Every invitation of the gig as models, and the ids that changed since the last read."""
        models: dict[str, GigInvitation] = {}
        changed: list[str] = []
        self._scan(engine, list(engine.run_of(gig_id).invited.values()), models, changed)
        return models, changed

    async def read_async(self, engine: Engine, gig_id: str,
                         pause: Pause = yield_once) -> dict[str, GigInvitation]:
        """:meth:`read` with a pause every :data:`CHUNK` invitations: a burst of thousands of
        changed invitations never holds the console for long. Records that change between two
        chunks are read as of their chunk."""
        ids = list(engine.run_of(gig_id).invited.values())
        models: dict[str, GigInvitation] = {}
        for start in range(0, len(ids), CHUNK):
            if start:
                await pause()
            self._scan(engine, ids[start:start + CHUNK], models, [])
        return models

    def _scan(self, engine: Engine, ids: Iterable[str], models: dict[str, GigInvitation],
              changed: list[str]) -> None:
        records = engine.invitations
        for inv_id in ids:
            inv = records[inv_id]
            key = (inv.status, inv.wave, inv.responded_at, inv.no_reward)
            if self._keys.get(inv_id) != key:
                self._keys[inv_id] = key
                self._models[inv_id] = inv.to_model()
                changed.append(inv_id)
            models[inv_id] = self._models[inv_id]
