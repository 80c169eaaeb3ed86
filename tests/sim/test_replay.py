"""The journal's replay is exact: the engine is deterministic, so applying the journaled operations
at their clocks (one advance each) to the state they started from gives the live state, however
the live clock moved in between (in pieces, as a console's poll or serve's clock moves it)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.models import GigUpdate, InvitationAction
from console.sim import operations as ops
from console.sim.engine import Engine
from console.sim.population import Population
from console.sim.store import SIMULATION_ERRORS

from .conftest import HOUR, START
from .test_properties import POPULATION, scenarios

ACTIONS = ("accept", "reject", "reset", "invite", "attempt", "archive", "filter", "upsert",
           "wave_now", "title")


def fresh(create, sim, seed) -> Engine:
    engine = Engine(Population([dict(r) for r in POPULATION.records]), seed=seed, settings=sim,
                    clock=START - HOUR)
    engine.create_gig(create)
    return engine


def operation(engine: Engine, action: str, pick: int) -> ops.Operation:
    invitations = list(engine.invitations)
    invitation = invitations[pick % len(invitations)] if invitations else "1"
    user_id = str(1 + pick % 260)  # sometimes not a worker (ids above 250)
    if action in ("accept", "reject", "reset"):
        return ops.Transition(invitation_id=invitation, action=InvitationAction(action))
    if action == "invite":
        return ops.Invite(gig_id="1", users=[(user_id, pick % 2 == 0)])
    if action == "attempt":
        matched = ["1"] if pick % 3 else []
        return ops.InvitationAttemptOp(user_id=user_id, gig_ids=["1"], matched=matched)
    if action == "archive":
        return ops.ArchiveGig(gig_id="1", archive_at=engine.clock + pick % (2 * HOUR))
    if action == "filter":
        return ops.UpdateGig(gig_id="1", update=GigUpdate(filter_query={"rating": {"$gte": pick % 5}}))
    if action == "upsert":
        return ops.UpsertWorker(user_id=user_id, document={"status": "active", "rating": pick % 5})
    if action == "title":
        return ops.UpdateGig(gig_id="1", update=GigUpdate(title=f"t{pick}"))
    return ops.RunWaveNow(gig_id="1")


def pieces(start: int, end: int, cuts: list[int]) -> list[int]:
    """Intermediate stops between start and end, then end."""
    span = end - start
    return sorted({start + c % (span + 1) for c in cuts}) + [end] if span else [end]


def state(engine: Engine) -> tuple:
    snapshot = engine.snapshot()
    return snapshot, [dict(r) for r in engine.population.records]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.lists(st.tuples(st.integers(0, 6 * HOUR), st.lists(st.integers(0, 10**6),
                                                                           max_size=3),
                                       st.sampled_from(ACTIONS), st.integers(0, 10**6)),
                             max_size=20))
def test_replaying_the_journal_gives_the_live_state(scenario, steps):
    live = fresh(*scenario)
    journal: list[tuple[int, str, dict, bool]] = []
    for delay, cuts, action, pick in steps:
        for stop in pieces(live.clock, live.clock + delay, cuts):
            live.advance_to(stop)
        op = operation(live, action, pick)
        try:
            op.apply(live)
            failed = False
        except SIMULATION_ERRORS:
            failed = True
        # As it goes to the file: JSON text.
        journal.append((live.clock, op.name, json.loads(json.dumps(op.to_json())), failed))

    replayed = fresh(*scenario)
    for clock, name, args, failed in journal:
        replayed.advance_to(clock)
        try:
            ops.OPERATIONS[name].model_validate(args).apply(replayed)
            assert not failed, f"{name} {args} succeeded on replay only"
        except SIMULATION_ERRORS:
            assert failed, f"{name} {args} failed on replay only"
    assert state(replayed) == state(live)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(0, 3 * 86_400), st.lists(st.integers(0, 10**7), max_size=8))
def test_advancing_in_pieces_is_advancing_at_once(scenario, span, cuts):
    whole, split = fresh(*scenario), fresh(*scenario)
    whole.advance_to(whole.clock + span)
    for stop in pieces(split.clock, split.clock + span, cuts):
        split.advance_to(stop)
    assert state(split) == state(whole)
