"""Benchmark: are forecasts of a running gig neither overconfident nor useless?

For each of 40 seeds a gig is simulated to its fill (accepted reaching seats_min) to learn when
it really filled; the same seed is then run to 25% and to 50% of that fill time, and `forecast`
(200 runs) is made from the state there, with the response model calibrated from an earlier gig
of the same workforce (as an operator would, from past gigs). Each seed has its own earlier gig
(its own calibration): with one model for every seed, the 40 seeds would share that one fit's
error and their coverage would measure one draw of it, not the forecast's calibration. Target:
the P10-P90 interval holds the realised fill time in 70-90% of the seeds; the P50's median
absolute error is reported. A calibrated forecast holds it in 80%; over 40 seeds the share
itself varies by about 6 points (binomial), which the table gives next to it.

    python bench/forecast_coverage.py [--seeds 40] [--runs 200] [--traits]

``--traits`` keeps the workers' traits (each worker's own responsiveness, eagerness and pace),
so the one pooled model the fit gives is only an approximation of the workforce.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from console.backends.local import LocalBackend  # noqa: E402
from console.forecast.calibrate import calibrate  # noqa: E402
from console.forecast.executors import process_pool  # noqa: E402
from console.forecast.service import ChosenModel, forecast_gigs  # noqa: E402
from console.forecast.sources import histories_from_recording  # noqa: E402
from console.forecast.state import gig_state  # noqa: E402
from console.forecast.synthetic import (  # noqa: E402
    new_engine,
    plain_population,
    record_trial,
    trial_gig,
)
from console.sim.population import generate_population  # noqa: E402
from console.sim.state import ACCEPTED  # noqa: E402
from console.waves import SimSettings  # noqa: E402

SETTINGS = SimSettings(respond_probability=0.6, accept_probability=0.3,
                       response_median_hours=2.0, response_sigma=0.8)
GIG = trial_gig(seats_min=50, total_seats=50, seats_max=60, invitation_multiplier=1,
                invitation_frequency=15)


def fill_time(population, seed: int) -> int:
    engine, gig_id = new_engine(population, SETTINGS, seed, GIG)
    run = engine.gigs[gig_id]
    while run.counts[ACCEPTED] < GIG.seats_min and (t := engine.next_event_at()) is not None:
        engine.advance_to(t)
    return engine.clock


def earlier_model(population, seed: int, folder: Path):
    """The response model calibrated from an earlier, larger gig of the same workforce."""
    history = folder / f"history-{seed}.jsonl"
    record_trial(history, population, SETTINGS, 10_000 + seed, GIG.model_copy(
        update={"seats_min": 150, "total_seats": 150, "seats_max": None}))
    return calibrate(histories_from_recording(history), source="an earlier gig")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--traits", action="store_true")
    args = parser.parse_args()
    population = generate_population(5000) if args.traits else plain_population(5000)
    started = time.perf_counter()
    rows = {0.25: [], 0.5: []}
    sizes = []
    with process_pool() as executor, tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.seeds):
            model = earlier_model(population, seed, Path(tmp))
            sizes.append(model.overall.invitations)
            chosen = ChosenModel(model, "calibrated from an earlier gig")
            filled = fill_time(population, seed)
            for share in rows:
                engine, gig_id = new_engine(population, SETTINGS, seed, GIG)
                engine.advance_to(GIG.start_at + int(share * (filled - GIG.start_at)))
                backend = LocalBackend(engine, None, context="bench", read_only=True)
                state = asyncio.run(gig_state(backend, gig_id))
                (forecast,) = forecast_gigs(state, chosen, [state.gig], args.runs, seed, executor)
                q = forecast.seats_min_at
                inside = q["p10"] is not None and q["p90"] is not None and \
                    q["p10"] <= filled <= q["p90"]
                error = abs((q["p50"] or GIG.end_at) - filled) / 3600
                rows[share].append((inside, error, (filled - GIG.start_at) / 3600))
    ok = True
    print(f"each seed's model from an earlier gig of {min(sizes)}-{max(sizes)} invitations")
    print(f"{'state at':>10}{'P10-P90 holds fill':>20}{'(+- 1 se)':>11}{'P50 median abs error':>22}"
          f"{'median fill after start':>25}")
    for share, results in rows.items():
        cover = sum(r[0] for r in results) / len(results)
        ok &= 0.7 <= cover <= 0.9
        se = math.sqrt(0.8 * 0.2 / len(results))  # of the share, were the forecast calibrated
        print(f"{share:>10.0%}{cover:>20.0%}{se:>10.0%} "
              f"{statistics.median(r[1] for r in results):>20.2f} h"
              f"{statistics.median(r[2] for r in results):>23.2f} h")
    print(f"({args.seeds} seeds x 2 states x {args.runs} runs in "
          f"{time.perf_counter() - started:.1f} s)")
    print("verdict:", "PASS" if ok else "FAIL", "(P10-P90 holds the realised fill in 70-90%)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
