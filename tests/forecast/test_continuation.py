"""The continuation follows the wave rules, and a pending invitation answers given its wait."""

from __future__ import annotations

import asyncio

import numpy as np

from console.backends.local import LocalBackend
from console.forecast.continuation import _pending_responses, run_chunk
from console.forecast.params import params_from_settings
from console.forecast.state import build_plan, gig_state
from console.forecast.synthetic import new_engine, plain_population, trial_gig
from console.waves import SimSettings

CERTAIN = SimSettings(respond_probability=1.0, accept_probability=1.0,
                      response_median_hours=3.0, response_sigma=0.0)


def state_of(engine, gig_id):
    return asyncio.run(gig_state(LocalBackend(engine, None, context="t", read_only=True), gig_id))


def test_a_certain_workforce_fills_at_the_first_wave_plus_the_delay():
    gig = trial_gig(seats_min=10, total_seats=10, seats_max=12, invitation_multiplier=1)
    engine, gig_id = new_engine(plain_population(200), CERTAIN, 0, gig)
    plan = build_plan(state_of(engine, gig_id), None)
    out = run_chunk(plan, 0, range(5))
    # Wave 1 at start_at invites 10 who all accept 3 h later; no second wave is needed then,
    # but ticks every 15 min keep inviting 10 more until the first accepts arrive.
    # (a sigma of zero is kept just above zero, so a delay may round a second down)
    assert all(abs(t - (gig.start_at + 3 * 3600)) <= 1 for t in out.min_at)
    assert all(abs(t - (gig.start_at + 3 * 3600 + 15 * 60)) <= 1 for t in out.max_at)
    assert set(out.sent) == {10 * 12}


def test_the_same_seed_gives_the_same_runs_however_they_are_split():
    gig = trial_gig(seats_min=10, total_seats=10, invitation_multiplier=1)
    engine, gig_id = new_engine(plain_population(500), SimSettings(), 0, gig)
    plan = build_plan(state_of(engine, gig_id), None)
    whole = run_chunk(plan, 3, range(6))
    halves = [run_chunk(plan, 3, range(0, 3)), run_chunk(plan, 3, range(3, 6))]
    assert list(whole.min_at) == [*halves[0].min_at, *halves[1].min_at]


def test_a_long_wait_makes_an_answer_unlikely():
    gig = trial_gig(seats_min=10, total_seats=10, invitation_multiplier=1)
    engine, gig_id = new_engine(plain_population(50), SimSettings(), 0, gig)
    plan = build_plan(state_of(engine, gig_id), None)
    p, accept, mu, sigma = params_from_settings(SimSettings(response_sigma=0.5)).draw(None)
    rng = np.random.default_rng(0)
    fresh = plan.__class__(**{**plan.__dict__, "pending_invited_at": np.full(2000, plan.now),
                              "pending_group": np.zeros(2000, np.int64)})
    stale = plan.__class__(**{**plan.__dict__,
                              "pending_invited_at": np.full(2000, plan.now - 48 * 3600),
                              "pending_group": np.zeros(2000, np.int64)})
    answered_fresh = _pending_responses(fresh, rng, p, accept, mu, sigma)
    answered_stale = _pending_responses(stale, rng, p, accept, mu, sigma)
    assert 1250 < len(answered_fresh) < 1550  # p = 0.7
    assert len(answered_stale) < 20  # 48 h is far in a 3 h median's tail
    assert all(t > plan.now for t, _ in answered_stale + answered_fresh)
