"""A forecast from a gig's state, end to end: the model (given, or fitted from the gig's own
invitations, or the simulation's settings), the plans, the runs on an executor, the figures."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

from console.models import Gig

from .calibrate import calibrate
from .executors import run_plans
from .fit import FitError
from .model import ResponseModel
from .observations import GigHistory
from .state import GigState, build_plan
from .summary import Forecast, summarise

# Fewer responses than this and the gig's own fit says too little: use the settings instead.
MIN_OWN_RESPONSES = 20


@dataclass(frozen=True)
class ChosenModel:
    model: ResponseModel | None
    description: str


def choose_model(state: GigState, given: ResponseModel | None, given_name: str = "") -> ChosenModel:
    if given is not None:
        return ChosenModel(given, f"{given_name or 'given model'} ({given.source})")
    history = GigHistory(state.gig, list(state.invitations), state.now, {})
    try:
        own = calibrate([history], source=f"gig {state.gig.id}")
    except FitError:
        own = None
    if own is not None and own.overall.responded >= MIN_OWN_RESPONSES:
        return ChosenModel(own, f"fitted from this gig's {own.overall.invitations} invitations "
                                f"({own.overall.responded} responses)")
    s = state.settings
    return ChosenModel(None, "the simulation settings, not measured (respond "
                             f"{s.respond_probability:g}, accept {s.accept_probability:g}, median "
                             f"{s.response_median_hours:g} h, sigma {s.response_sigma:g}): "
                             f"the gig has fewer than {MIN_OWN_RESPONSES} responses")


def forecast_gigs(state: GigState, chosen: ChosenModel, gigs: Sequence[Gig], runs: int, seed: int,
                  executor: Executor) -> list[Forecast]:
    """One forecast per gig variant (the state's gig, or a sweep's combinations)."""
    plans = [build_plan(state, chosen.model, gig) for gig in gigs]
    outcomes = run_plans(plans, runs, seed, executor)
    return [summarise(plan.gig, state.now, plan.invited, outcome, chosen.description)
            for plan, outcome in zip(plans, outcomes)]
