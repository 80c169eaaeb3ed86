"""Reading a gig's invitations from the simulation engine as models, incrementally.

The wave monitor (through the simulation host, on its thread) and the recorder read the same
gig many times a second. A read asks the gig's edit log (``GigRun.edited_since``) which
invitations were made or changed since the last read, and only those become models again: a
read where 10 of 10,000 invitations changed looks at 10 records, not 10,000. The first read of
a gig (or of a gig that is a new run: a reload, a reset) takes every invitation.
"""

from __future__ import annotations

from console.models import GigInvitation

from .engine import Engine
from .state import GigRun


class EngineInvitations:
    def __init__(self) -> None:
        self._run: GigRun | None = None  # the run read last (held: its id is not reused)
        self._seen = 0  # its edit count at that read
        self._models: dict[str, GigInvitation] = {}

    def read(self, engine: Engine, gig_id: str) -> tuple[dict[str, GigInvitation], list[str]]:
        """Every invitation of the gig as models (a new dict: the caller may keep it while the
        next read goes on), and the ids that changed since the last read."""
        run = engine.run_of(gig_id)
        if run is not self._run:
            self._run, self._seen, self._models = run, 0, {}
            changed = list(run.invited.values())
        else:
            changed = run.edited_since(self._seen)
        self._seen = run.edit_count
        records, models = engine.invitations, self._models
        for inv_id in changed:
            models[inv_id] = records[inv_id].to_model()
        return dict(models), changed
