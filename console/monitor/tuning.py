"""The gig settings the monitor lets an operator change on the fly (multiplier, frequency, seats),
parsed from form text into a :class:`GigUpdate` that holds only what changed.

The backend applies an update from its next tick; here we only check it reads and is consistent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from console.models import Gig, GigUpdate, apply_update, problems_from_validation

TUNABLE: tuple[tuple[str, str], ...] = (
    ("invitation_multiplier", "multiplier (x total seats per wave)"),
    ("invitation_frequency", "frequency (minutes between waves)"),
    ("total_seats", "total seats"),
    ("seats_min", "seats min (waves stop at this many accepted)"),
    ("seats_max", "seats max (empty: no maximum)"),
)


class TuningError(ValueError):
    """The form cannot become an update; the message names the field."""


def current_values(gig: Gig) -> dict[str, str]:
    return {name: "" if getattr(gig, name) is None else f"{getattr(gig, name):g}"
            for name, _ in TUNABLE}


def _number(name: str, text: str) -> int | float | None:
    text = text.strip()
    if not text:
        if name == "seats_max":
            return None
        raise TuningError(f"{name}: a value is required")
    try:
        value = float(text)
    except ValueError:
        raise TuningError(f"{name}: not a number: {text!r}") from None
    return int(value) if value.is_integer() else value


def tuning_update(gig: Gig, form: Mapping[str, str]) -> GigUpdate | None:
    """The update the form asks for, or None when nothing changed."""
    changes: dict[str, Any] = {}
    for name, _ in TUNABLE:
        if name not in form:
            continue
        value = _number(name, form[name])
        if value != getattr(gig, name):
            changes[name] = value
    if not changes:
        return None
    try:
        update = GigUpdate.model_validate(changes)
        apply_update(gig, update)
    except ValidationError as exc:
        raise TuningError("; ".join(str(p) for p in problems_from_validation(exc))) from None
    return update
