"""What the console derives about a gig's waves; the API records none of it."""

from __future__ import annotations

from console.base_model import Model
from .fields import Id, Timestamp


class WaveRecord(Model):
    """One wave: when it went out, how many it invited, and where those invitations stand now."""

    gig_id: Id
    n: int
    at: Timestamp
    invited: int
    accepted: int = 0
    rejected: int = 0
    expired: int = 0
    pending: int = 0
    candidates_left: int | None = None


class GigStats(Model):
    """Counts by invitation status and the wave schedule of one gig at one moment."""

    gig_id: Id
    invited: int = 0
    accepted: int = 0
    rejected: int = 0
    expired: int = 0
    pending: int = 0
    waves_sent: int = 0
    last_wave_at: Timestamp | None = None
    next_wave_at: Timestamp | None = None
