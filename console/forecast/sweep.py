"""What-if: the same forecast for each combination of gig settings, and the one to pick (the
fewest workers bothered among those that fill before end_at with at least 90% probability)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from pydantic import ValidationError

from console.models import Gig, problems_from_validation

from .summary import Forecast

SWEEPABLE = ("invitation_multiplier", "invitation_frequency", "total_seats", "seats_min",
             "seats_max")


class SweepError(ValueError):
    """A bad --sweep; names the item."""


def parse_sweeps(items: Sequence[str]) -> dict[str, list[float]]:
    sweeps: dict[str, list[float]] = {}
    for item in items:
        name, sep, values = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in SWEEPABLE:
            raise SweepError(f"--sweep {item!r}: expected NAME=V1,V2,... with NAME one of "
                             f"{', '.join(SWEEPABLE)}")
        try:
            numbers = [float(v) for v in values.split(",") if v.strip()]
        except ValueError:
            raise SweepError(f"--sweep {item!r}: values must be numbers") from None
        if not numbers:
            raise SweepError(f"--sweep {item!r}: no values")
        sweeps[name] = numbers
    return sweeps


def combinations(gig: Gig, sweeps: dict[str, list[float]]) -> list[tuple[dict[str, float], Gig]]:
    """Each combination and the gig with it; a combination the gig rules refuse is a SweepError."""
    names = list(sweeps)
    out = []
    for values in itertools.product(*(sweeps[n] for n in names)):
        combo = dict(zip(names, values))
        data = gig.model_dump(mode="json")
        for name, value in combo.items():
            data[name] = int(value) if name != "invitation_multiplier" and value.is_integer() \
                else value
        try:
            out.append((combo, Gig.model_validate(data)))
        except ValidationError as exc:
            problems = "; ".join(str(p) for p in problems_from_validation(exc))
            raise SweepError(f"--sweep {combo}: {problems}") from None
    return out


def rank_sweep(rows: Sequence[tuple[dict[str, float], Forecast]]
               ) -> tuple[list[tuple[dict[str, float], Forecast]], int | None]:
    """Reliable combinations first, by workers invited (P50, then P90); then the others by their
    chance to fill. Returns the order and the index of the pick (None if none is reliable)."""
    def bothered(row: tuple[dict[str, float], Forecast]) -> tuple[float, float]:
        invited = row[1].invited_total
        return (invited["p50"] or 0, invited["p90"] or 0)

    reliable = sorted((r for r in rows if r[1].reliable), key=bothered)
    others = sorted((r for r in rows if not r[1].reliable),
                    key=lambda r: (-r[1].fill_probability, bothered(r)))
    return reliable + others, (0 if reliable else None)
