"""The percentile every bench reports: nearest rank, never above the largest value."""

from __future__ import annotations


def percentile(values: list[float], q: float) -> float:
    """The value at rank ``q * n`` (0 <= q < 1) of the sorted values; NaN when there are none.

    Interpolating methods that extrapolate (``statistics.quantiles``' default) put the 95th
    percentile of ten keys above the slowest of them."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
