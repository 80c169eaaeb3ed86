"""The figures of a forecast: percentiles of when seats_min and seats_max are reached, the chance
of filling before end_at, and the invitations still to send and workers invited in all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from console.models import Gig

from .continuation import Outcome

PERCENTS = (10, 50, 90)


def quantile(values: np.ndarray, percent: int) -> float | None:
    """A run's value at that percentile; None when it falls on runs that never got there."""
    if values.size == 0:
        return None
    value = float(np.percentile(values, percent, method="inverted_cdf"))
    return value if np.isfinite(value) else None


def _ints(values: np.ndarray, percents: tuple[int, ...]) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for p in percents:
        q = quantile(values, p)
        out[f"p{p}"] = None if q is None else int(q)
    return out


@dataclass(frozen=True)
class Forecast:
    gig: Gig
    now: int
    runs: int
    seats_min_at: dict[str, int | None]
    seats_max_at: dict[str, int | None] | None
    fill_probability: float
    to_send: dict[str, int | None]
    invited_total: dict[str, int | None]
    model: str

    @property
    def reliable(self) -> bool:
        """Fills before end_at in at least 90% of the runs (what a sweep may pick)."""
        return self.fill_probability >= 0.9

    def to_json(self) -> dict[str, Any]:
        return {"gig_id": self.gig.id, "now": self.now, "runs": self.runs, "model": self.model,
                "end_at": self.gig.end_at, "seats_min": self.gig.seats_min,
                "seats_max": self.gig.seats_max, "seats_min_at": self.seats_min_at,
                "seats_max_at": self.seats_max_at,
                "fill_before_end_probability": self.fill_probability,
                "invitations_to_send": self.to_send, "workers_invited": self.invited_total}


def summarise(gig: Gig, now: int, invited: int, outcome: Outcome, model: str) -> Forecast:
    return Forecast(
        gig=gig, now=now, runs=int(outcome.sent.size),
        seats_min_at=_ints(outcome.min_at, PERCENTS),
        seats_max_at=_ints(outcome.max_at, PERCENTS) if gig.seats_max is not None else None,
        fill_probability=float(np.mean(outcome.min_at < gig.end_at)) if outcome.sent.size else 0.0,
        to_send=_ints(outcome.sent.astype(float), (50, 90)),
        invited_total=_ints(outcome.sent.astype(float) + invited, (50, 90)),
        model=model,
    )
