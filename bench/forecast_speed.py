"""Benchmark: a 200-run forecast of a running gig over 100,000 workers, on the process pool.

The gig (5-minute waves, 14-day window) runs on the simulation to a quarter of its seats, then
`forecast` is timed from reading its state (invitations, ranking the 100,000 workers by its
filter and sort) to the figures. Target: within 10 s on 2 cores.

    python bench/forecast_speed.py [--workers 100000] [--runs 200] [--jobs 2]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from console.backends.local import LocalBackend  # noqa: E402
from console.forecast.executors import process_pool  # noqa: E402
from console.forecast.report import format_forecast  # noqa: E402
from console.forecast.service import choose_model, forecast_gigs  # noqa: E402
from console.forecast.state import gig_state  # noqa: E402
from console.forecast.synthetic import DAY, new_engine, trial_gig  # noqa: E402
from console.sim.population import generate_population  # noqa: E402
from console.sim.state import ACCEPTED  # noqa: E402
from console.waves import SimSettings  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    population = generate_population(args.workers)
    gig = trial_gig(seats_min=400, total_seats=400, seats_max=450, invitation_multiplier=1.5,
                    invitation_frequency=5, end_at=trial_gig().start_at + 14 * DAY,
                    filter_query={"status": "active", "rating": {"$gte": 2}},
                    sort_query={"rating": -1, "tests_completed": -1})
    engine, gig_id = new_engine(population, SimSettings(), 0, gig)
    run = engine.gigs[gig_id]
    while run.counts[ACCEPTED] < gig.seats_min // 4 and (t := engine.next_event_at()) is not None:
        engine.advance_to(t)
    backend = LocalBackend(engine, None, context="bench", read_only=True)
    with process_pool(args.jobs) as executor:
        started = time.perf_counter()
        state = asyncio.run(gig_state(backend, gig_id))
        read = time.perf_counter() - started
        chosen = choose_model(state, None)
        (forecast,) = forecast_gigs(state, chosen, [state.gig], args.runs, 0, executor)
        total = time.perf_counter() - started
    print(format_forecast(forecast, f"{args.workers} workers, {len(state.invitations)} invited, "
                                    f"{len(state.candidates)} candidates left"))
    print(f"\nstate and ranking {read:.2f} s, total {total:.2f} s for {args.runs} runs on "
          f"{args.jobs} processes (target 10 s)")
    print("verdict:", "PASS" if total <= 10 else "FAIL")
    return 0 if total <= 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
