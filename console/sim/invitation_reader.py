"""Reading a gig's invitations from the simulation engine as models, incrementally.

The wave monitor (through the simulation host, on its thread) and the recorder read the same
gig many times a second. A read asks the gig's edit log (``GigRun.edited_since``) which
invitations were made or changed since the last read, and only those become models again: a
read where 10 of 10,000 invitations changed looks at 10 records, not 10,000. The first read of
a gig (or of a gig that is a new run: a reload, a reset) takes every invitation.

The records are the engine's own, valid by construction (its ids are strings, its times
within the clock's range, its statuses the enum), so their models are made without validation
(:func:`trusted_model`: 1.6 µs against 3.3-4.9 µs validated; pydantic's ``model_construct`` takes
10 µs). ``tests/sim/test_invitation_reader.py`` checks that they equal validated ones.
"""

from __future__ import annotations

from console.give_way import paced
from console.models import GigInvitation

from .engine import Engine
from .state import GigRun, Invitation

# The fields a validated model says were set: every one passed, ``object`` being a default.
_FIELDS_SET = frozenset(GigInvitation.model_fields) - {"object"}
_new = object.__new__
_set = object.__setattr__


def trusted_model(inv: Invitation) -> GigInvitation:
    """The model of an engine record, as ``inv.to_model()`` makes it, without validating what the
    engine made valid: the four slots pydantic's own ``model_construct`` fills."""
    model = _new(GigInvitation)
    _set(model, "__dict__", {
        "id": inv.id, "object": "gig_invitation", "status": inv.status, "gig_id": inv.gig_id,
        "user_id": inv.user_id, "no_reward": inv.no_reward,
        "epam_bench_status": inv.epam_bench_status, "wave": inv.wave,
        "invited_at": inv.invited_at, "responded_at": inv.responded_at,
    })
    _set(model, "__pydantic_fields_set__", set(_FIELDS_SET))
    _set(model, "__pydantic_extra__", {})
    _set(model, "__pydantic_private__", None)
    return model


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
        for inv_id in paced(changed):  # a first read makes 10,000: others get turns
            models[inv_id] = trusted_model(records[inv_id])
        return dict(models), changed
