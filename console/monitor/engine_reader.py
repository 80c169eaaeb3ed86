"""Reading a gig's invitations straight from an in-process simulation engine, incrementally.

The Backend protocol lists invitations as models (~40 µs each: 0.4 s for 10,000, on the UI's
event loop). The wave monitor and the recorder read the same gig many times a second, so on a
local context they go to the engine: a pass over its plain records compares a small key per
invitation, and only the invitations whose key changed become models again.
"""

from __future__ import annotations

from console.models import GigInvitation
from console.sim.engine import Engine

# What identifies an invitation's state: a change in any of these makes a new model.
InvitationKey = tuple[object, int | None, int | None, bool]


class EngineInvitations:
    def __init__(self) -> None:
        self._keys: dict[str, InvitationKey] = {}
        self._models: dict[str, GigInvitation] = {}

    def read(self, engine: Engine, gig_id: str) -> tuple[dict[str, GigInvitation], list[str]]:
        """Every invitation of the gig as models, and the ids that changed since the last read."""
        records = engine.invitations
        models: dict[str, GigInvitation] = {}
        changed: list[str] = []
        for inv_id in engine.run_of(gig_id).invited.values():
            inv = records[inv_id]
            key = (inv.status, inv.wave, inv.responded_at, inv.no_reward)
            if self._keys.get(inv_id) != key:
                self._keys[inv_id] = key
                self._models[inv_id] = inv.to_model()
                changed.append(inv_id)
            models[inv_id] = self._models[inv_id]
        return models, changed
