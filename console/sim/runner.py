"""A resumable run of one gig: the inputs that define it, and the directory that holds its state.

The state directory is keyed by the inputs (gig, seed, settings, population), so running the
same command again after a crash or a kill continues from the last checkpoint, and a finished run
only reprints its report.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.models import GigCreate
from console.waves import SimSettings

from .atomic import write_json_atomically
from .engine import Engine
from .population import Population, generate_population, load_population
from .ranking import QueryCompiler
from .store import STATE_FILE, SimStore, StoreError

RUN_FILE = "run.json"


class RunMismatch(StoreError):
    """The state directory holds a run of other inputs."""


@dataclass(frozen=True)
class RunSpec:
    gig: GigCreate
    seed: int
    settings: SimSettings
    workers: int | None = None
    population_file: Path | None = None

    def population_info(self) -> dict[str, Any]:
        if self.population_file is not None:
            stat = self.population_file.stat()
            return {"file": str(self.population_file.resolve()), "size": stat.st_size,
                    "mtime_ns": stat.st_mtime_ns}
        return {"workers": self.workers}

    def key(self) -> str:
        inputs = {"gig": self.gig.model_dump(mode="json"), "seed": self.seed,
                  "settings": self.settings.to_json(), "population": self.population_info()}
        return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:20]

    def population(self) -> Population:
        if self.population_file is not None:
            return load_population(self.population_file)
        return generate_population(self.workers or 0, self.seed)


@dataclass
class Run:
    store: SimStore
    engine: Engine
    gig_id: str
    # True when the state directory held this run already (its clock where it stopped).
    resumed: bool = False

    def close(self) -> None:
        self.store.close()


def open_run(spec: RunSpec, state_dir: Path, population: Population, *, fresh: bool = False,
             compiler: QueryCompiler | None = None) -> Run:
    """Resume the run kept in ``state_dir``, or start it there."""
    store = SimStore.open(state_dir, keep_population=False)
    try:
        run_file = state_dir / RUN_FILE
        key = spec.key()
        if fresh:
            (state_dir / STATE_FILE).unlink(missing_ok=True)
            run_file.unlink(missing_ok=True)
        if store.exists() and run_file.exists():
            try:
                recorded = json.loads(run_file.read_text())
            except (OSError, ValueError) as exc:
                raise StoreError(f"{run_file}: unreadable ({exc})") from None
            if recorded.get("key") != key:
                raise RunMismatch(
                    f"{state_dir}: holds a simulation of other inputs (gig, seed, settings or "
                    "population); use --fresh to replace it, or another --state directory"
                )
            engine = store.load_engine(population, compiler)
            return Run(store, engine, recorded["gig_id"], resumed=True)
        engine = Engine(population, seed=spec.seed, settings=spec.settings, clock=spec.gig.start_at,
                        compiler=compiler)
        gig = engine.create_gig(spec.gig)
        write_json_atomically(run_file, {"key": key, "gig_id": gig.id})
        store.save(engine)
        return Run(store, engine, gig.id)
    except BaseException:
        store.close()
        raise
