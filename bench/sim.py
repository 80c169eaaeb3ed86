"""Benchmark: a 14-day gig with 5-minute waves on 100,000 and 1,000,000 workers.

For each size it measures, each in a fresh process (so peak memory is that phase's own):
- reference: load the population's JSON file and run the gig's filter over it once;
- simulation: the whole ``simulate`` run: load the population, rank, run every wave and response
  to completion, save the state (checkpoints included) and build the report.
Target: simulation within 3x of the reference.

    python bench/sim.py                     # 100k and 1M
    python bench/sim.py --sizes 20000       # a quick look
    python bench/sim.py --repeat 3          # best of 3 per phase (on a shared, noisy machine)

Population files (JSON, and the columnar file the simulation loads) are generated once into
bench/out/ (not timed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from console.models import GigCreate  # noqa: E402
from console.mql import compile_filter  # noqa: E402
from console.sim.population import generate_population, load_population, save_population  # noqa: E402
from console.sim.report import build_report  # noqa: E402
from console.sim.runner import RunSpec, open_run  # noqa: E402
from console.waves import SimSettings  # noqa: E402

OUT = ROOT / "bench" / "out"
START = 1_772_445_600
DAY = 86_400
GIG = {
    "title": "Bench: 14-day regression", "description": "bench", "url": "https://space.example/b",
    "start_at": START, "end_at": START + 14 * DAY, "total_seats": 200, "seats_min": 2000,
    "seats_max": 2200, "invitation_mode": "auto", "invitation_multiplier": 1,
    "invitation_frequency": 5,
    "filter_query": {"status": "active", "devices.os": {"$in": ["android", "ios"]},
                     "rating": {"$gte": 2.5}},
    "sort_query": {"rating": -1, "tests_completed": -1},
    "tasks": [{"title": "Regression run", "base_price": 1500}],
}


def population_file(size: int) -> Path:
    path = OUT / f"population-{size}.json"
    if not path.exists():
        print(f"generating {size} workers into {path} (once, not timed)...", file=sys.stderr)
        # In a process of its own, as every step here: a child forked from a big parent starts
        # with the parent's peak memory as its own (the first run printed 3.2 GB for 873 MB).
        subprocess.run([sys.executable, __file__, "--measure", f"generate:{size}", str(path)],
                       check=True)
    # (Re)writes the columnar file the simulation reads when it is not current.
    subprocess.run([sys.executable, __file__, "--measure", "prepare", str(path)], check=True,
                   stdout=subprocess.DEVNULL)
    return path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_reference(path: Path) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    population = load_population(path, columnar_file=False)  # the JSON, as before
    matches = compile_filter(GIG["filter_query"])
    matching = sum(1 for record in population.records if matches(record["document"]))
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "matching": matching, "peak_mb": peak_mb()}


def measure_simulation(path: Path) -> dict:
    state = OUT / f"state-{path.stem}"
    shutil.rmtree(state, ignore_errors=True)
    started, cpu = time.perf_counter(), time.process_time()
    spec = RunSpec(gig=GigCreate.model_validate(GIG), seed=1, settings=SimSettings(),
                   population_file=path)
    population = spec.population()
    run = open_run(spec, state, population)
    try:
        engine = run.engine
        engine.on_checkpoint = lambda: run.store.save(engine, min_interval=1.0)
        engine.run()
        run.store.save(engine)
        report = build_report(engine, run.gig_id, {"seed": 1, "workers": len(population)})
    finally:
        run.close()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "cpu": time.process_time() - cpu, "peak_mb": peak_mb(), "waves": len(report["waves"]),
            "invited": report["totals"]["invited"], "accepted": report["totals"]["accepted"],
            "state_mb": (state / "state.json").stat().st_size / 2**20}


def in_subprocess(phase: str, path: Path, repeat: int) -> dict:
    """The fastest of ``repeat`` runs, each in a fresh process."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--measure", phase, str(path)],
                             capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout))
    return min(runs, key=lambda r: r["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs per phase")
    parser.add_argument("--measure", nargs=2, metavar=("PHASE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        phase, path = args.measure
        if phase.startswith("generate:"):
            save_population(generate_population(int(phase.partition(":")[2]), seed=1), Path(path))
            return
        if phase == "prepare":
            load_population(Path(path))
            return
        measure = measure_reference if phase == "reference" else measure_simulation
        print(json.dumps(measure(Path(path))))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    print("14-day gig, 5-minute waves, wave size 200, seats_min 2000 / seats_max 2200; "
          f"best of {args.repeat}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("wall = elapsed seconds (the target); cpu = this process's CPU seconds, steadier when "
          "other work shares the machine")
    print(f"{'workers':>9} {'matching':>9} {'load+filter s':>14} {'simulation s':>13} "
          f"{'ratio':>6} {'target':>7} {'cpu ref s':>10} {'cpu sim s':>10} {'cpu ratio':>9} "
          f"{'waves':>6} {'invited':>8} {'state MB':>9} {'peak MB ref':>12} {'peak MB sim':>12}")
    for size in args.sizes:
        path = population_file(size)
        reference = in_subprocess("reference", path, args.repeat)
        simulation = in_subprocess("simulation", path, args.repeat)
        ratio = simulation["seconds"] / reference["seconds"]
        cpu_ratio = simulation["cpu"] / reference["cpu"]
        print(f"{size:>9} {reference['matching']:>9} {reference['seconds']:>14.2f} "
              f"{simulation['seconds']:>13.2f} {ratio:>5.2f}x {'<= 3x':>7} "
              f"{reference['cpu']:>10.2f} {simulation['cpu']:>10.2f} {cpu_ratio:>8.2f}x "
              f"{simulation['waves']:>6} {simulation['invited']:>8} {simulation['state_mb']:>9.1f} "
              f"{reference['peak_mb']:>12.0f} {simulation['peak_mb']:>12.0f}", flush=True)


if __name__ == "__main__":
    main()
