"""Reading a gig's invitations from the simulation engine as models, incrementally.

A model costs ~40 µs (0.4 s for 10,000). The wave monitor (through the simulation host, on its
thread) and the recorder read the same gig many times a second, so a pass over the engine's
plain records compares a small key per invitation, and only the invitations whose key changed
become models again.
"""

from __future__ import annotations

from collections.abc import Iterable

from console.models import GigInvitation

from .engine import Engine

# What identifies an invitation's state: a change in any of these makes a new model.
InvitationKey = tuple[object, int | None, int | None, bool]


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
