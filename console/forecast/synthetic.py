"""Gigs simulated with known response parameters, recorded, for the checks that the fit finds
those parameters again and that forecasts cover what happens (tests and bench/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from console.models import GigCreate
from console.monitor.recording import Recorder, run_recorded
from console.sim.engine import Engine
from console.sim.population import Population, generate_population
from console.waves import SimSettings

START = 1_800_000_000
DAY = 86_400


def plain_population(size: int, seed: int = 0) -> Population:
    """Synthetic workers without traits: every worker responds with the settings' parameters, so
    the parameters a fit should find are the settings themselves."""
    records = generate_population(size, seed).records
    return Population([{"id": r["id"], "document": r["document"]} for r in records])


def trial_gig(**overrides: Any) -> GigCreate:
    data: dict[str, Any] = {
        "title": "Forecast trial", "description": "synthetic", "url": "https://space.example/t",
        "start_at": START, "end_at": START + 3 * DAY, "total_seats": 20, "seats_min": 20,
        "seats_max": None, "invitation_mode": "auto", "invitation_multiplier": 2,
        "invitation_frequency": 15, "filter_query": {"status": "active"},
        "sort_query": {"rating": -1}, "tasks": [{"title": "t", "base_price": 100}],
    }
    data.update(overrides)
    return GigCreate.model_validate(data)


def new_engine(population: Population, settings: SimSettings, seed: int,
               gig: GigCreate) -> tuple[Engine, str]:
    engine = Engine(population, seed=seed, settings=settings, clock=gig.start_at)
    return engine, engine.create_gig(gig).id


def record_trial(path: Path, population: Population, settings: SimSettings, seed: int,
                 gig: GigCreate, every: int = 600) -> None:
    """Run the gig to the end (every response that will come has come) into a recording."""
    engine, _ = new_engine(population, settings, seed, gig)
    recorder = Recorder(path, f"trial:{seed}")
    try:
        run_recorded(engine, recorder, None, every)
    finally:
        recorder.close()
