"""``cirro-console forecast GIG``: when the gig fills and how many workers it bothers, from its
current state, over many seeded continuations; ``--sweep`` tries settings not yet used.

Exit codes: 0 done, 1 the context failed, 2 bad input (model file, sweep, no population)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path

from console.backends.errors import BackendError
from console.backends.factory import open_backend
from console.cli.calibrate import context_population
from console.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail
from console.config import ConfigError, load_config
from console.forecast.executors import DaskMissing, dask_executor, process_pool
from console.forecast.model import ModelError, load_model
from console.forecast.report import format_forecast, format_sweep, when
from console.forecast.service import choose_model, forecast_gigs
from console.forecast.state import ForecastError, GigState, gig_state
from console.forecast.sweep import SweepError, combinations, parse_sweeps, rank_sweep


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "forecast", help="when will a gig fill, and how many workers will it invite",
        description="Continue the gig from its current state many times with the response "
        "model and report P10/P50/P90 of when seats_min and seats_max are reached, the chance "
        "to fill before end_at and the workers invited.")
    parser.add_argument("gig_id", metavar="GIG", help="the gig's id on the context")
    parser.add_argument("--runs", type=int, default=200, metavar="N",
                        help="continuations (default 200)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--model", type=Path, metavar="FILE",
                        help="a response model from `calibrate --out` (default: fitted from the "
                        "gig's own invitations, or the simulation settings when it has too few)")
    parser.add_argument("--sweep", action="append", default=[], metavar="NAME=V1,V2",
                        help="what if: forecast every combination of these gig settings "
                        "(invitation_multiplier, invitation_frequency, total_seats, seats_min, "
                        "seats_max); repeatable")
    parser.add_argument("--population", type=Path, metavar="FILE",
                        help="the workers to rank (default: the simulation's, or the remote "
                        "context's population file)")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="worker processes (default: one per core)")
    parser.add_argument("--dask", metavar="ADDRESS",
                        help="run on the Dask cluster whose scheduler is at ADDRESS "
                        "(tcp://host:8786; needs the [dask] extra) instead of local processes")
    parser.add_argument("--json", action="store_true", help="print the forecast as JSON")
    parser.set_defaults(handler=_forecast)


async def _read_state(args: argparse.Namespace) -> GigState:
    backend = open_backend(load_config(), args.context, read_only=True)
    try:
        return await gig_state(backend, args.gig_id,
                               args.population or context_population(args.context))
    finally:
        await backend.close()


def _header(state: GigState) -> str:
    gig = state.gig
    accepted = sum(1 for i in state.invitations if i.status.value == "accepted")
    pending = sum(1 for i in state.invitations if i.status.value == "pending")
    return (f"gig {gig.id} {gig.title!r} at {when(state.now)} UTC: {accepted} accepted "
            f"(seats_min {gig.seats_min}, seats_max {gig.seats_max}), {pending} pending, "
            f"{len(state.invitations)} invited, {len(state.candidates)} candidates left")


# ~100 runs a second a core: 100,000 is a quarter of an hour on two. 2**62 ran for good, a
# pool of 100,000 processes did not start in 100 s, and seed -1 was numpy's traceback.
MAX_RUNS = 100_000


def _forecast(args: argparse.Namespace) -> int:
    if not 1 <= args.runs <= MAX_RUNS:
        return fail(f"--runs: must be 1 to {MAX_RUNS:,}, got {args.runs:,}", EXIT_USAGE)
    cores = os.cpu_count() or 1
    if args.jobs is not None and not 1 <= args.jobs <= cores:
        return fail(f"--jobs: must be 1 to this machine's {cores} cores, got {args.jobs:,}",
                    EXIT_USAGE)
    if args.seed < 0:
        return fail(f"--seed: must not be negative, got {args.seed}", EXIT_USAGE)
    try:
        sweeps = parse_sweeps(args.sweep)
        given = load_model(args.model) if args.model is not None else None
        state = asyncio.run(_read_state(args))
        combos = combinations(state.gig, sweeps) if sweeps else [({}, state.gig)]
    except (SweepError, ModelError, ForecastError, ConfigError) as exc:
        return fail(str(exc), EXIT_USAGE)
    except BackendError as exc:
        return fail(f"{exc.message} (status {exc.status})", EXIT_FAILED)
    chosen = choose_model(state, given, str(args.model) if args.model else "")
    close: Callable[[], object] = lambda: None  # noqa: E731
    try:
        if args.dask:
            executor, close = dask_executor(args.dask)
        else:
            executor = process_pool(args.jobs)
    except DaskMissing as exc:
        return fail(str(exc), EXIT_USAGE)
    except OSError as exc:  # no scheduler at that address
        return fail(f"--dask {args.dask}: {exc}", EXIT_FAILED)
    try:
        with executor:
            results = forecast_gigs(state, chosen, [gig for _, gig in combos], args.runs,
                                    args.seed, executor)
    finally:
        close()
    if not sweeps:
        (forecast,) = results
        print(json.dumps(forecast.to_json()) if args.json
              else format_forecast(forecast, _header(state)))
        return EXIT_OK
    ordered, pick = rank_sweep([(combo, f) for (combo, _), f in zip(combos, results)])
    if args.json:
        print(json.dumps({"gig_id": state.gig.id, "now": state.now, "model": chosen.description,
                          "runs": args.runs,
                          "combinations": [{"settings": c} | f.to_json() for c, f in ordered],
                          "pick": ordered[pick][0] if pick is not None else None}))
    else:
        print(_header(state))
        print(f"model: {chosen.description}; {args.runs} runs per combination")
        print(format_sweep(ordered, pick))
    return EXIT_OK
