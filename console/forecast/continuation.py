"""One continuation of a gig from its current state: the simulation's wave rules on the ranked
candidates left, with responses drawn from the response model (design §2 order: responses due
at a second before that second's tick). Pure numpy and heapq, no I/O: it runs in pool workers."""

from __future__ import annotations

import dataclasses
import heapq
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from console.models import Gig
from console.waves import closed_at, next_tick_at

from .params import GroupParams

NEVER = np.inf


@dataclass(frozen=True)
class Plan:
    """Everything a run needs: the gig (its rules), the moment, what is already out, and the
    candidates left in ranking order (as worker-group indices)."""

    gig: Gig
    now: int
    accepted: int
    invited: int
    pending_invited_at: np.ndarray
    pending_group: np.ndarray
    candidates: np.ndarray
    next_tick: int | None
    params: GroupParams
    top_up: bool = False
    expire_at_end: bool = False
    # Draw each run's parameters from the fit's uncertainty (False: the point estimates).
    uncertain: bool = True

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Gig holds a generic pydantic envelope that pickle cannot name: send it as JSON.
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "gig"}
        return _restore_plan, (self.gig.model_dump(mode="json"), fields)


def _restore_plan(gig: dict[str, Any], fields: dict[str, Any]) -> Plan:
    return Plan(gig=Gig.model_validate(gig), **fields)


@dataclass(frozen=True)
class Outcome:
    """Per run: when accepted reached seats_min and seats_max (inf: not reached), how many
    invitations the continuation sent, and the time of each accept it saw (for the band of
    accepted over time)."""

    min_at: np.ndarray
    max_at: np.ndarray
    sent: np.ndarray
    accept_times: list[np.ndarray]


def _pending_responses(plan: Plan, rng: np.random.Generator, p: np.ndarray, accept: np.ndarray,
                       mu: np.ndarray, sigma: np.ndarray) -> list[tuple[int, bool]]:
    """Each pending invitation answers from the delay distribution given it has waited so far:
    it responds at all with p S(w) / (1 - p + p S(w)), then after a delay drawn above w."""
    g = plan.pending_group
    if g.size == 0:
        return []
    waited = np.maximum(plan.now - plan.pending_invited_at, 0).astype(float)
    with np.errstate(divide="ignore"):
        z = (np.log(waited) - mu[g]) / sigma[g]
    survive = special.ndtr(-z)
    still = p[g] * survive / (1 - p[g] + p[g] * survive)
    responds = rng.random(g.size) < still
    lower = 1 - survive
    u = lower + (1 - lower) * rng.random(g.size)
    delay = np.exp(mu[g] + sigma[g] * special.ndtri(np.minimum(u, 1 - 1e-16)))
    at = np.maximum(plan.pending_invited_at + np.maximum(delay, 1).astype(np.int64), plan.now + 1)
    accepts = rng.random(g.size) < accept[g]
    return [(int(t), bool(a)) for t, a, r in zip(at, accepts, responds) if r]


def run_one(plan: Plan, rng: np.random.Generator) -> tuple[float, float, int, list[int]]:
    gig = plan.gig
    p, accept, mu, sigma = plan.params.draw(rng if plan.uncertain else None)
    heap = _pending_responses(plan, rng, p, accept, mu, sigma)
    if not plan.top_up:
        heap = [item for item in heap if item[1]]  # with new-worker waves a reject changes nothing
    heapq.heapify(heap)
    seats_min, seats_max = gig.seats_min, gig.seats_max
    accepted, pending = plan.accepted, int(plan.pending_group.size)
    min_at = plan.now if accepted >= seats_min else NEVER
    max_at = plan.now if seats_max is not None and accepted >= seats_max else NEVER
    accept_times: list[int] = []
    if max_at != NEVER:
        return min_at, max_at, 0, accept_times
    closed = closed_at(gig)
    stop = min(gig.end_at + 1 if plan.expire_at_end else np.inf,
               closed if closed is not None else np.inf)
    auto = gig.invitation_mode == "auto"
    cands = plan.candidates
    cursor, sent, tick = 0, 0, plan.next_tick
    while True:
        waves = auto and accepted < seats_min and cursor < cands.size and tick is not None
        due = heap[0][0] if heap else NEVER
        if waves and tick < due:  # type: ignore[operator]
            size = gig.wave_size - (pending if plan.top_up else 0)
            if size > 0:
                g = cands[cursor:cursor + size]
                cursor += g.size
                sent += g.size
                pending += g.size
                responds = rng.random(g.size) < p[g]
                delay = np.exp(mu[g] + sigma[g] * rng.standard_normal(g.size))
                accepts = rng.random(g.size) < accept[g]
                at = tick + np.maximum(delay, 1).astype(np.int64)
                keep = responds & accepts if not plan.top_up else responds
                for t, a in zip(at[keep].tolist(), accepts[keep].tolist()):
                    heapq.heappush(heap, (t, a))
            tick = next_tick_at(gig, tick + 1)  # type: ignore[operator]
            continue
        if not heap or due >= stop:
            break
        at, accepts_now = heapq.heappop(heap)
        pending -= 1
        if accepts_now:
            accepted += 1
            accept_times.append(at)
            if accepted == seats_min:
                min_at = at
            if seats_max is not None and accepted >= seats_max:
                max_at = at
                break
    return float(min_at), float(max_at), sent, accept_times


def run_chunk(plan: Plan, seed: int, indices: range) -> Outcome:
    """Runs ``indices`` of a forecast; run i draws from its own stream (seed, i), so the result
    does not depend on how the runs are split between workers."""
    results = [run_one(plan, np.random.default_rng([seed, i])) for i in indices]
    mins, maxs, sent, times = zip(*results) if results else ((), (), (), ())
    return Outcome(np.array(mins, float), np.array(maxs, float), np.array(sent, np.int64),
                   [np.array(t, np.int64) for t in times])
