"""A gig's current state as a forecast plan: what is accepted, what is pending and since when,
who was invited, and the candidates its filter and sort still leave (from the simulation's
population, or the remote context's population file)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from console.backends.base import Backend
from console.models import Gig, GigInvitation, InvitationStatus
from console.query.sources import preview_population
from console.sim.errors import QueryError
from console.sim.population import Population, gc_paused
from console.sim.ranking import compile_queries, default_compiler, rank
from console.waves import SimSettings, WaveCounting, next_tick_at

from .calibrate import field_value
from .continuation import Plan
from .model import ResponseModel
from .observations import GigHistory
from .params import GroupParams, params_from_model, params_from_settings
from .sources import history_from_backend


class ForecastError(ValueError):
    """The gig cannot be forecast (no population to rank, a bad query); says why."""


# No generated repr: asyncio may format a finished task's result, and this one holds every
# candidate's document (seconds of formatting at 100,000 workers).
@dataclass(frozen=True, repr=False)
class GigState:
    gig: Gig
    now: int
    invitations: Sequence[GigInvitation]
    # Never-invited workers matching the filter, in sort order: (id, document).
    candidates: Sequence[tuple[str, Mapping[str, Any]]]
    documents: Mapping[str, Mapping[str, Any]]
    settings: SimSettings
    last_wave_at: int | None


def rank_candidates(gig: Gig, population: Population,
                    invited: set[str]) -> list[tuple[str, Mapping[str, Any]]]:
    try:
        predicate, sorter = compile_queries(default_compiler(), gig.filter_query, gig.sort_query)
    except QueryError as exc:
        raise ForecastError(f"gig {gig.id}: {exc}") from None
    # Many small objects on a large heap: collections would cost more than the ranking itself.
    with gc_paused():
        ranking = rank(population, predicate, sorter, {}, (gig.filter_query, gig.sort_query))
        return [(uid, population.by_id[uid]["document"])
                for uid in ranking.ranked if uid not in invited]


@dataclass(frozen=True, repr=False)
class GigReading:
    """What a forecast reads from the backend (cheap reads; the ranking comes after)."""

    history: GigHistory
    last_wave_at: int | None
    settings: SimSettings


async def read_gig(backend: Backend, gig_id: str) -> GigReading:
    """Raises NotFound when there is no such gig."""
    history = await history_from_backend(backend, gig_id)
    stats = await backend.gig_stats(history.gig.id)
    settings = backend.simulation.settings if backend.simulation is not None else SimSettings()
    return GigReading(history, stats.last_wave_at, settings)


def state_from(reading: GigReading, backend: Backend, population_file: Path | None) -> GigState:
    """The CPU half: the population's records and the gig's ranking (in a thread or a command,
    never on the console's event loop). Raises ForecastError when there is no population."""
    source = preview_population(backend, population_file)
    population = source.population
    if population is None:
        raise ForecastError(source.description.replace("No preview", "No forecast"))
    history = reading.history
    invited = {inv.user_id for inv in history.invitations}
    candidates = rank_candidates(history.gig, population, invited)
    with gc_paused():
        documents = {r["id"]: r["document"] for r in population.records}
    return GigState(history.gig, history.observed_at, history.invitations, candidates, documents,
                    reading.settings, reading.last_wave_at)


async def gig_state(backend: Backend, gig_id: str, population_file: Path | None = None) -> GigState:
    """Raises NotFound (no such gig) or ForecastError (no population to rank)."""
    return state_from(await read_gig(backend, gig_id), backend, population_file)


def build_plan(state: GigState, model: ResponseModel | None, gig: Gig | None = None) -> Plan:
    """The plan of the state, with ``gig`` (a what-if's settings) in place of the state's gig;
    without a model, the simulation's settings (unmeasured, no uncertainty)."""
    gig = gig or state.gig
    keys: list[str] = []
    index: dict[str, int] = {}

    def group(document: Mapping[str, Any] | None) -> int:
        if model is None or model.by is None:
            return 0
        key = field_value(document, model.by)
        if key not in index:
            index[key] = len(keys)
            keys.append(key)
        return index[key]

    pending = [inv for inv in state.invitations if inv.status is InvitationStatus.PENDING]
    accepted = sum(1 for inv in state.invitations if inv.status is InvitationStatus.ACCEPTED)
    pending_group = np.array([group(state.documents.get(inv.user_id)) for inv in pending], np.int64)
    candidates = np.array([group(doc) for _, doc in state.candidates], np.int64)
    params: GroupParams = (params_from_model(model, keys) if model is not None
                           else params_from_settings(state.settings))
    not_before = state.now + 1 if state.last_wave_at == state.now else state.now
    return Plan(
        gig=gig, now=state.now, accepted=accepted, invited=len(state.invitations),
        pending_invited_at=np.array([inv.invited_at if inv.invited_at is not None else state.now
                                     for inv in pending], np.int64),
        pending_group=pending_group, candidates=candidates,
        next_tick=next_tick_at(gig, max(not_before, gig.start_at)), params=params,
        top_up=state.settings.wave_counting is WaveCounting.TOP_UP,
        expire_at_end=state.settings.expire_pending_at_end,
    )

