"""A seeded simulation made for watching: one auto gig whose waves keep going (``seats_min`` out
of reach) over a generated workforce. The monitor's Pilot tests and ``bench/monitor.py`` use it."""

from __future__ import annotations

from console.backends.local import LocalBackend
from console.models import GigCreate
from console.sim.engine import Engine
from console.sim.population import generate_population
from console.waves import SimSettings

START = 1_767_225_600  # 2026-01-01 00:00 UTC


def watch_gig(**changes: object) -> GigCreate:
    body: dict[str, object] = {
        "title": "Wave watch", "description": "a gig to watch", "url": "https://space.example/w",
        "start_at": START, "end_at": START + 30 * 86400, "total_seats": 5, "seats_min": 5,
        "seats_max": 8, "invitation_mode": "auto", "invitation_multiplier": 4,
        "invitation_frequency": 5, "filter_query": {},
    }
    return GigCreate.model_validate(body | changes)


def scenario(workers: int = 2000, seed: int = 7, settings: SimSettings | None = None,
             **gig_changes: object) -> tuple[LocalBackend, str]:
    """An in-memory LocalBackend (no files) at the gig's start, and the gig's id."""
    engine = Engine(generate_population(workers, seed, now=START), seed=seed,
                    settings=settings, clock=START)
    gig = engine.create_gig(watch_gig(**gig_changes))
    return LocalBackend(engine, context="scenario"), gig.id
