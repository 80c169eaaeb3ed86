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

# Fewer responses than this, or a 95% interval of respond_probability wider than this, and the
# gig's own fit says too little (early on, "slow" and "never answers" look alike): the forecast
# uses the settings instead, and says so.
MIN_OWN_RESPONSES = 20
MAX_RESPOND_WIDTH = 0.3


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
    why = f"the gig has fewer than {MIN_OWN_RESPONSES} responses"
    if own is not None and own.overall.responded >= MIN_OWN_RESPONSES:
        respond = own.overall.estimates["respond_probability"]
        if respond.high - respond.low <= MAX_RESPOND_WIDTH:
            return ChosenModel(own, f"fitted from this gig's {own.overall.invitations} "
                                    f"invitations ({own.overall.responded} responses)")
        why = (f"the gig's own {own.overall.responded} responses leave respond_probability "
               f"between {respond.low:.2f} and {respond.high:.2f}")
    s = state.settings
    return ChosenModel(None, "the simulation settings, not measured (respond "
                             f"{s.respond_probability:g}, accept {s.accept_probability:g}, median "
                             f"{s.response_median_hours:g} h, sigma {s.response_sigma:g}): "
                             f"{why}; give --model FILE from calibrate")


def forecast_gigs(state: GigState, chosen: ChosenModel, gigs: Sequence[Gig], runs: int, seed: int,
                  executor: Executor) -> list[Forecast]:
    """One forecast per gig variant (the state's gig, or a sweep's combinations)."""
    plans = [build_plan(state, chosen.model, gig) for gig in gigs]
    outcomes = run_plans(plans, runs, seed, executor)
    return [summarise(plan.gig, state.now, plan.invited, outcome, chosen.description)
            for plan, outcome in zip(plans, outcomes)]
