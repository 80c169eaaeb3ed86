"""A gig's phase, derived from its timestamps (see ``console.models.gig.gig_phase``). Apart from
the models so that the console's first frame (``console.sim.gig_summary``) names phases without
loading pydantic."""

from __future__ import annotations

from enum import StrEnum


class GigPhase(StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"
    ARCHIVED = "archived"
