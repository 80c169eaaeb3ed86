"""A forecast from a gig's state, end to end: the model (given, or fitted from the gig's own
invitations, or the simulation's settings), the plans, the runs on an executor, the figures."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from console.models import Gig
from console.monitor.snapshot import GigSnapshot
from console.waves import SimSettings

from .band import Band, accepted_band
from .calibrate import calibrate
from .continuation import Outcome, Plan
from .executors import run_plans
from .fit import FitError
from .model import ModelFile, ResponseModel
from .observations import GigHistory
from .report import monitor_line
from .state import GigReading, GigState, build_plan
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
    # The given model's file name, for the monitor's line ("" when not given).
    name: str = ""


def choose_model(state: GigState, given: ResponseModel | None, given_name: str = "") -> ChosenModel:
    if given is not None:
        return ChosenModel(given, f"{given_name or 'given model'} ({given.source})",
                           Path(given_name).name if given_name else "")
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


@dataclass(frozen=True)
class LiveForecast:
    """What the wave monitor shows: the forecast, its band of accepted, and its one line."""

    forecast: Forecast
    band: Band
    line: str


def reading_of(snapshot: GigSnapshot, settings: SimSettings) -> GigReading:
    """A forecast's reading from the monitor's own snapshot (no second read of the backend)."""
    history = GigHistory(snapshot.gig, list(snapshot.invitations.values()), snapshot.at, {})
    return GigReading(history, snapshot.stats.last_wave_at, settings)


def live_plan(state: GigState, given: ModelFile | None = None) -> tuple[ChosenModel, Plan]:
    """The monitor's model (the context's forecast_model, else as `forecast` without --model)
    and plan; CPU: call from a thread."""
    chosen = (choose_model(state, given.model, str(given.path)) if given is not None
              else choose_model(state, None))
    return chosen, build_plan(state, chosen.model)


def live_result(state: GigState, chosen: ChosenModel, plan: Plan,
                outcome: Outcome) -> LiveForecast:
    """The figures, the band of accepted up to the P90 fill (at most end_at), the line."""
    forecast = summarise(plan.gig, state.now, plan.invited, outcome, chosen.description)
    ends = [forecast.seats_min_at["p90"]]
    if forecast.seats_max_at is not None:
        ends.append(forecast.seats_max_at["p90"])
    until = min(max((t for t in ends if t is not None), default=plan.gig.end_at), plan.gig.end_at)
    band = accepted_band(outcome, plan.accepted, state.now, until)
    # Last and short: at 80 columns the line has no room for more.
    line = monitor_line(forecast) + (f" · {chosen.name}" if chosen.name else "")
    return LiveForecast(forecast, band, line)
