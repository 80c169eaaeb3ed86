"""The P10-P90 band of accepted over time, from a forecast's runs (the wave monitor's chart)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .continuation import Outcome


@dataclass(frozen=True)
class Band:
    times: list[int]
    low: list[int]
    high: list[int]


def accepted_band(outcome: Outcome, accepted_now: int, now: int, until: int,
                  points: int = 64) -> Band:
    """Accepted at ``points`` times from now to ``until``: the 10th and 90th percentile over
    the runs."""
    times = np.linspace(now, max(until, now + 1), points).astype(np.int64)
    counts = np.array([accepted_now + np.searchsorted(run, times, side="right")
                       for run in outcome.accept_times]) if outcome.accept_times else \
        np.full((1, points), accepted_now)
    low, high = np.percentile(counts, [10, 90], axis=0, method="inverted_cdf")
    return Band(times.tolist(), low.astype(int).tolist(), high.astype(int).tolist())
