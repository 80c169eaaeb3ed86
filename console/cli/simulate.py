"""``cirro-console simulate GIG.json``: run one gig's waves at full speed and report.

Exit codes: 0 done, 1 the state directory cannot be used (locked, damaged, other inputs),
2 bad input (gig file, query, setting, population file, --until); nothing is written on 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from datetime import datetime
from pathlib import Path

from console.monitor.timefmt import minute
from console.cli.output import say
from console.forecast.model import ModelError, load_model
from console.gigfile import load_gig_file, to_create
from console.models.fields import MAX_WORKERS
from console.monitor.recording import Recorder, RecordingError, run_recorded
from console.paths import simulations_dir
from console.plural import plural
from console.relative_time import relative_seconds
from console.sim.errors import RuleError
from console.sim.population import DEFAULT_WORKERS, Population, PopulationError, save_population
from console.sim.report import build_report, format_report
from console.sim.runner import Run, RunSpec, open_run
from console.sim.store import StoreError
from console.waves import SETTING_NAMES, SettingError, parse_settings

class InputError(ValueError):
    """Bad command-line input; exit code 2."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "simulate", help="run a gig's invitation waves on a simulated workforce and report",
        description="Run GIG.json (read or create shape) at full speed on a simulated workforce. "
        "The run is kept in a state directory keyed by its inputs: run the same command again "
        "after an interruption and it continues where it stopped.",
    )
    parser.add_argument("gig", type=Path, metavar="GIG.json", help="the gig to simulate")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--workers", type=int, metavar="N",
                        help=f"generate N synthetic workers (default {DEFAULT_WORKERS})")
    source.add_argument("--population", type=Path, metavar="FILE",
                        help='a JSON array of {"id": ..., "document": {...}}')
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--until", metavar="T",
                        help="stop at T: UNIX seconds, +DURATION after start_at (+90m, +3d), or "
                        "an ISO time; default: run until nothing is left to happen")
    parser.add_argument("--set", dest="settings", action="append", default=[],
                        metavar="NAME=VALUE", help=f"a simulation setting: {', '.join(SETTING_NAMES)}")
    parser.add_argument("--model", type=Path, metavar="FILE",
                        help="the response model from `calibrate --out FILE` (its overall fit; "
                        "--set still overrides)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--save-population", type=Path, metavar="FILE",
                        help="also write the population used to FILE")
    parser.add_argument("--state", type=Path, metavar="DIR",
                        help="state directory (default: one per inputs under the data dir)")
    parser.add_argument("--fresh", action="store_true", help="discard saved state, start over")
    parser.add_argument("--checkpoint-every", type=float, default=1.0, metavar="SECONDS",
                        help="save at most this often (wall seconds) while running; 0 saves "
                        "after every wave (default 1)")
    parser.add_argument("--record", type=Path, metavar="FILE",
                        help="keep the run in FILE (JSON Lines) for the wave monitor to replay "
                        "(cirro-console replay FILE); FILE must not exist")
    parser.add_argument("--record-every", type=int, default=60, metavar="SECONDS",
                        help="with --record: at most one frame per this many simulated seconds "
                        "(default 60)")
    parser.set_defaults(handler=_simulate)


def parse_until(text: str, start_at: int) -> int:
    text = text.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    relative = relative_seconds(text)
    if relative is not None:
        return start_at + relative
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--until: {text!r} is not UNIX seconds, +DURATION or an ISO time") from None
    if moment.tzinfo is None:
        raise InputError(f"--until: {text!r} needs a time zone (e.g. a trailing Z for UTC)")
    return int(moment.timestamp())


def _spec(args: argparse.Namespace) -> RunSpec:
    loaded = load_gig_file(args.gig)
    if loaded.problems or loaded.gig is None:
        raise InputError("\n".join(loaded.messages()))
    try:
        base = load_model(args.model).settings() if args.model is not None else None
    except (ModelError, SettingError) as exc:
        raise InputError(f"--model {exc}") from None
    try:
        settings = parse_settings(args.settings, base)
    except SettingError as exc:
        raise InputError(f"--set {exc}") from None
    if args.workers is not None and args.workers < 0:
        raise InputError(f"--workers: must not be negative, got {args.workers}")
    if args.workers is not None and args.workers > MAX_WORKERS:
        raise InputError(f"--workers: at most {MAX_WORKERS:,} synthetic workers, got "
                         f"{args.workers:,}; a larger population comes from a file "
                         f"(--population FILE)")
    workers = None if args.population else (args.workers if args.workers is not None
                                            else DEFAULT_WORKERS)
    # load_gig_file has compiled the queries as the engine will (gigfile.query_problems).
    return RunSpec(gig=to_create(loaded.gig), seed=args.seed, settings=settings, workers=workers,
                   population_file=args.population)


class _Progress:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    def __init__(self, start: int, end: int) -> None:
        self.start, self.span = start, max(1, end - start)
        self.enabled = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, t: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < 0.1:
            return
        self.last = now
        done = min(1.0, max(0.0, (t - self.start) / self.span))
        bar = "#" * int(done * 30)
        sys.stderr.write(f"\rsimulating [{bar:<30}] {done:4.0%}")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 50 + "\r")
            sys.stderr.flush()


def _open(spec: RunSpec, state_dir: Path, population: Population, args: argparse.Namespace) -> Run:
    """Open the run, saying when it resumes a saved one. A recording must hold the whole run, so
    with --record a saved run that got past its start is started afresh (the same inputs give
    the same run) instead of being resumed."""
    run = open_run(spec, state_dir, population, fresh=args.fresh)
    if not run.resumed:
        return run
    engine = run.engine
    where = ("finished" if engine.next_event_at() is None
             else f"stopped at {minute(engine.clock)} UTC")
    if args.record is None or engine.clock <= spec.gig.start_at:
        continues = ("reprinting its report" if engine.next_event_at() is None
                     else "continuing from there")
        say(f"resumed the saved run in {state_dir} ({where}): {continues}; --fresh starts over",
            err=True)
        return run
    run.close()
    say(f"--record: the saved run in {state_dir} is {where}; starting it afresh so that the "
        "recording holds the whole run", err=True)
    return open_run(spec, state_dir, population, fresh=True)


def _simulate(args: argparse.Namespace) -> int:
    try:
        spec = _spec(args)
        until = None if args.until is None else parse_until(args.until, spec.gig.start_at)
        if until is not None and until < spec.gig.start_at:
            raise InputError(f"--until {until} is before the gig's start_at {spec.gig.start_at}")
        if args.record is not None and args.record.exists():
            raise InputError(f"--record: {args.record} already exists; remove it or record to "
                             "another file")
        if args.record_every < 1:
            raise InputError(f"--record-every: must be at least 1, got {args.record_every}")
        if not 0 <= args.checkpoint_every < math.inf:  # nan and inf pass no comparison unseen
            raise InputError(f"--checkpoint-every: must be 0 or more seconds, got "
                             f"{args.checkpoint_every}")
        population = spec.population()
    except (InputError, PopulationError) as exc:
        say(exc, err=True)
        return 2
    if args.save_population is not None:
        try:
            save_population(population, args.save_population)
        except OSError as exc:
            say(f"{args.save_population}: cannot write population: {exc.strerror or exc}",
                err=True)
            return 1
    state_dir = args.state or simulations_dir() / spec.key()
    try:
        run = _open(spec, state_dir, population, args)
    except StoreError as exc:
        say(exc, err=True)
        return 1
    try:
        engine = run.engine
        engine.on_checkpoint = lambda: run.store.save(engine, min_interval=args.checkpoint_every)
        gig = engine.run_of(run.gig_id).gig
        progress = _Progress(gig.start_at, until if until is not None else gig.end_at)
        recorder = None
        try:
            if args.record is None:
                engine.run(until, progress)
            else:
                recorder = Recorder(args.record, f"simulate:{args.gig.name}")
                run_recorded(engine, recorder, until, args.record_every, progress)
        except RuleError as exc:
            say(f"--until: {exc} (the saved run in {state_dir} is further; use --fresh)",
                err=True)
            return 2
        except RecordingError as exc:
            say(exc, err=True)
            return 1
        finally:
            progress.finish()
            if recorder is not None:
                recorder.close()
                say(f"recorded {plural(recorder.frames, 'frame')} to {args.record}", err=True)
        run.store.save(engine)
        report = build_report(engine, run.gig_id, {"seed": spec.seed, "workers": len(population)})
    except StoreError as exc:
        say(exc, err=True)
        return 1
    finally:
        run.close()
    # json.dumps escapes every control character itself (ensure_ascii).
    say(json.dumps(report) if args.json else format_report(report))
    return 0
