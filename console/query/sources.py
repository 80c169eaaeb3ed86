"""Where the preview's workers come from: the simulation's population on a local context, a
population file the operator points to on a remote one (the API cannot list workers)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from console.backends.base import Backend
from console.sim.population import Population, PopulationError, load_population


@dataclass(frozen=True)
class PopulationSource:
    """The population to preview against, and how to name it; or why there is none."""

    population: Population | None
    description: str


def preview_population(backend: Backend, population_file: Path | None) -> PopulationSource:
    if (backend.simulation is not None
            and (population := backend.simulation.population()) is not None):
        return PopulationSource(population, f"simulation {backend.context!r}")
    if population_file is None:
        return PopulationSource(
            None,
            f"No preview on remote context {backend.context!r}: the API cannot list workers. "
            f"Point the context at a population file (population = \"/path/workers.json\", a "
            f"JSON array of {{id, document}}) in the config file.",
        )
    try:
        population = load_population(population_file.expanduser())
    except PopulationError as exc:
        return PopulationSource(None, f"No preview: {exc}")
    return PopulationSource(population, f"population file {population_file}")
