"""Fit a response model from gig histories: overall, and per value of a worker field."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from console.mql.paths import get_path_values

from .fit import FitError, fit_group
from .model import ResponseModel
from .observations import GigHistory, Observation, all_observations

# A value of the --by field with fewer responses than this gets no fit of its own (its workers
# are forecast with the overall fit): a handful of responses says little about a delay.
MIN_GROUP_RESPONSES = 20
NO_VALUE = "(none)"


def field_value(document: Mapping[str, Any] | None, path: str) -> str:
    """The worker field's value as a group key (the first one of an array)."""
    if document is None:
        return NO_VALUE
    values: list[Any] = []
    for value in get_path_values(dict(document), path):
        values.extend(value if isinstance(value, list) else [value])
    values = [v for v in values if not isinstance(v, (dict, list))]
    return NO_VALUE if not values else str(values[0])


def calibrate(histories: Sequence[GigHistory], *, source: str, by: str | None = None,
              documents: Mapping[str, Mapping[str, Any]] | None = None) -> ResponseModel:
    """Raises FitError when there is too little data for the overall fit."""
    obs, skipped = all_observations(histories)
    if not obs:
        raise FitError(f"{source}: no invitation with an invited_at to learn from"
                       + (f" ({skipped} left out)" if skipped else ""))
    overall = fit_group(obs)
    groups = {}
    if by is not None:
        grouped: dict[str, list[Observation]] = defaultdict(list)
        for o in obs:
            grouped[field_value((documents or {}).get(o.user_id), by)].append(o)
        for key, members in grouped.items():
            if sum(1 for o in members if o.responded) < MIN_GROUP_RESPONSES:
                continue
            try:
                groups[key] = fit_group(members)
            except FitError:
                continue
    return ResponseModel(overall, by, groups, source, skipped)
