"""Field types shared by the Cirro models, each carrying its own rule and message.

The rules live on the types, not on each model, so the read, create and update shapes of a gig
validate a field the same way and say the same thing when it is wrong.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StrictInt, StrictFloat


def _parse_json_object(value: Any) -> Any:
    """Accept a query as an object, or as the JSON string the v1 API used to send."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f"is a string that is not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})"
            ) from None
    if not isinstance(value, dict):
        raise ValueError(f"must be a JSON object, not {type(value).__name__}")
    return value


def _check_sort_directions(value: dict[str, Any]) -> dict[str, Any]:
    for key, direction in value.items():
        if isinstance(direction, bool) or direction not in (1, -1):
            raise ValueError(f"sort direction of {key!r} must be 1 or -1, not {direction!r}")
    return value


def _not_negative(value: int) -> int:
    if value < 0:
        raise ValueError(f"must not be negative (got {value})")
    return value


def _positive(value: float) -> float:
    if value <= 0:
        raise ValueError(f"must be greater than 0 (got {value})")
    return value


def _at_least_one_minute(value: float) -> float:
    if value < 1:
        raise ValueError(f"must be at least 1 minute (got {value})")
    return value


def _coerce_id(value: Any) -> Any:
    # Responses carry ids as strings; requests may use numbers.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Id = Annotated[str, BeforeValidator(_coerce_id)]
Timestamp = Annotated[StrictInt, Field(description="UNIX time in seconds")]
Seats = Annotated[StrictInt, AfterValidator(_not_negative)]
Number = StrictInt | StrictFloat
Multiplier = Annotated[Number, AfterValidator(_positive)]
FrequencyMinutes = Annotated[Number, AfterValidator(_at_least_one_minute)]
InvitationMode = Literal["auto", "manual"]
FilterQuery = Annotated[dict[str, Any], BeforeValidator(_parse_json_object)]
SortQuery = Annotated[
    dict[str, Any], BeforeValidator(_parse_json_object), AfterValidator(_check_sort_directions)
]
JsonObject = dict[str, Any]
