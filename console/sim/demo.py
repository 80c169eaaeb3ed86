"""The first-start demo: 5,000 workers and eight gigs in every phase, played up to "now".

The gigs are created and worked on through the engine's own operator actions over the 25 simulated
days before ``now``, so their waves, responses and archiving are the simulation's, not invented.
Same seed and ``now``, same demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import datetime as dt

from console.models import GigCreate, GigResultCreate, GigTimeActivityCreate, InvitationStatus

from . import space
from .engine import Engine, InviteOrder
from .population import DEFAULT_WORKERS, Population, generate_population
from .ranking import QueryCompiler
from .responses import uniforms

DEMO_SEED = 7
DEMO_NOW = 1_772_445_600  # 2026-03-02T10:00:00Z
HOUR = 3600
DAY = 24 * HOUR
DEMO_COST_CENTER = "EPM-CRWD"  # the cost center key of Cirro's payout fixture


@dataclass(frozen=True)
class DemoGig:
    title: str
    start: int  # relative to now
    end: int
    body: dict[str, Any]
    archive: int | None = None
    # (time relative to now, number of top-ranked workers invited by hand)
    manual_invites: tuple[tuple[int, int], ...] = field(default=())


def _body(mode: str, seats: int, seats_max: int, multiplier: float, frequency: float,
          filter_query: dict[str, Any], sort_query: dict[str, Any],
          tasks: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "total_seats": seats, "seats_min": seats, "seats_max": seats_max, "invitation_mode": mode,
        "invitation_multiplier": multiplier, "invitation_frequency": frequency,
        "filter_query": filter_query, "sort_query": sort_query,
        "tasks": [{"title": title, "base_price": price} for title, price in tasks],
    }


DEMO_GIGS = (
    DemoGig("Onboarding survey", -24 * DAY, -17 * DAY, archive=-15 * DAY, body=_body(
        "auto", 30, 30, 4, 10, {"status": "active"}, {"last_active_at": -1},
        [("Fill in the survey", 500)])),
    DemoGig("Security bug bash", -10 * DAY, -3 * DAY, archive=4 * DAY, body=_body(
        "auto", 12, 15, 5, 5, {"status": "active", "skills.id": "SK-105"}, {"rating": -1},
        [("Valid security bug", 5000), ("Report review", 800)])),
    DemoGig("Smart TV streaming exploratory", -2 * DAY, 5 * DAY, body=_body(
        "auto", 8, 8, 6, 5, {"status": "active", "skills.id": "SK-109"}, {"tests_completed": -1},
        [("Exploratory session", 3000)])),
    DemoGig("Checkout regression (Android)", -3 * HOUR, 2 * DAY, body=_body(
        "auto", 40, 45, 1, 30,
        {"status": "active", "devices.os": "android", "rating": {"$gte": 3.5}},
        {"rating": -1, "tests_completed": -1}, [("Regression run", 1500)])),
    DemoGig("Payments accessibility audit", -1 * DAY, 6 * DAY, manual_invites=((-20 * HOUR, 15),),
            body=_body("manual", 10, 10, 10, 5,
                       {"skills.id": {"$in": ["SK-103", "SK-107"]}, "status": "active"},
                       {"rating": -1}, [("Audit checklist", 2500)])),
    DemoGig("Localization check: German storefront", 1 * DAY, 4 * DAY, body=_body(
        "auto", 15, 20, 5, 5, {"languages": "german", "status": "active"}, {"rating": -1},
        [("Screenshot review", 400), ("Translation bug", 900)])),
    DemoGig("Usability interviews (EU)", 3 * DAY, 10 * DAY, body=_body(
        "manual", 6, 6, 10, 5,
        {"country": {"$in": ["DE", "FR", "PL", "ES", "IT", "PT", "RO"]}, "segment": "trusted"},
        {"rating": -1}, [("60-minute interview", 6000)])),
    DemoGig("Smoke test iOS 18", -40 * 60, 1 * DAY, body=_body(
        "auto", 15, 20, 3, 10, {"devices": {"$elemMatch": {"os": "ios", "version": "18"}}},
        {"last_active_at": -1}, [("Smoke test", 700)])),
)
HISTORY = 25 * DAY
LEAD = 2 * DAY  # gigs are created this long before they start (or at the start of history)


def build_demo(seed: int = DEMO_SEED, now: int = DEMO_NOW, workers: int = DEFAULT_WORKERS,
               compiler: QueryCompiler | None = None,
               population: Population | None = None) -> Engine:
    """The demo engine, its clock at ``now``: on ``population`` when given (a reset keeps the
    workers the simulation has), else on ``workers`` generated ones."""
    if population is None:
        population = generate_population(workers, seed, now=now - HISTORY)
    engine = Engine(population, seed=seed, clock=now - HISTORY, compiler=compiler)
    # Operator actions in time order: (when, order among equals, action).
    actions: list[tuple[int, int, Any]] = []
    created: dict[int, str] = {}
    for i, demo in enumerate(DEMO_GIGS):
        create = GigCreate.model_validate({
            "title": demo.title, "description": f"{demo.title} (demo gig)",
            "url": f"https://space.example/gigs/demo-{i + 1}",
            "start_at": now + demo.start, "end_at": now + demo.end,
            "archive_at": None if demo.archive is None else now + demo.archive, **demo.body,
        })
        when = min(now, max(now - HISTORY, now + demo.start - LEAD))
        actions.append((when, i, lambda c=create, i=i: created.__setitem__(i, engine.create_gig(c).id)))
        for at, count in demo.manual_invites:
            actions.append((now + at, len(DEMO_GIGS) + i,
                            lambda i=i, count=count: _invite_top(engine, created[i], count)))
    for when, _, action in sorted(actions, key=lambda a: a[:2]):
        engine.advance_to(when)
        action()
    engine.advance_to(now)
    _report_finished(engine)
    return engine


def _report_finished(engine: Engine) -> None:
    """What a Space reports once a gig has ended: for each worker who took part (with a reward)
    a result per task and the time spent, drawn from the worker's own stream."""
    for run in engine.ordered_runs():
        gig = run.gig
        if gig.end_at > engine.clock:
            continue
        day = dt.datetime.fromtimestamp(gig.end_at, dt.UTC).date().isoformat()
        for inv in engine.gig_invitations(gig.id):
            if inv.status is not InvitationStatus.ACCEPTED or inv.no_reward:
                continue
            draws = uniforms("report", engine.seed, gig.id, inv.user_id, count=2)
            for task in gig.tasks.data:
                space.create_gig_result(engine, GigResultCreate(
                    gig_task_id=task.id, user_id=inv.user_id, title=task.title,
                    quantity=1 + int(draws[0] * 3), delivery_date=day,
                    cost_center_key=DEMO_COST_CENTER))
            # Up to the 8 hours a day Cirro allows, in quarter hours.
            quarters = 2 + int(draws[1] * 31)
            space.create_gig_time_activity(engine, GigTimeActivityCreate(
                gig_id=gig.id, user_id=inv.user_id, date=day, description=gig.title,
                duration_in_ms=quarters * 15 * 60 * 1000))


def _invite_top(engine: Engine, gig_id: str, count: int) -> None:
    """What an operator does on a manual gig: invite the best-ranked candidates."""
    candidates = engine.ranked_candidates(gig_id, count)
    engine.invite(gig_id, [InviteOrder(user_id) for user_id in candidates])
