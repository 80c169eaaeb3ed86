"""Field types shared by the Cirro models, each carrying its own rule and message.

The rules live on the types, not on each model, so the read, create and update shapes of a gig
validate a field the same way and say the same thing when it is wrong.
"""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StrictInt, StrictFloat

from console.models.storable import check_document


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


# The ranges every number the engine computes with stays in: beyond them datetime overflows,
# a wave time never comes, or a wave is too large to build. Documented in the README.
MIN_TIMESTAMP = 0  # 1970-01-01T00:00:00Z
MAX_TIMESTAMP = 253_402_300_799  # 9999-12-31T23:59:59Z
MAX_SEATS = 1_000_000
MAX_MULTIPLIER = 1_000
MAX_FREQUENCY_MINUTES = 525_600  # one year
MAX_AMOUNT = 1_000_000_000
# Synthetic workers generated in memory: ~2 KB each while built (200,000: 415 MB peak), so a
# config's or --workers' 10**12 went on eating memory on a blank screen. More come from a file.
MAX_WORKERS = 1_000_000
# What a gig we create or change may carry (Cirro documents no limit). A 20 MB description was
# taken by the simulation, `gigs create` and the editor alike, and slowed every later save and
# frame. The read shape keeps no limit: a gig as Cirro answers is shown, never refused.
MAX_TITLE_CHARS = 255  # a title, a task's title, a topic's name: one line
MAX_URL_CHARS = 2_048  # what browsers and proxies reliably carry
MAX_DESCRIPTION_CHARS = 20_000  # a few pages of text for the workers
MAX_JSON_CHARS = 65_536  # a query, the notification payload, epam_options: as compact JSON
MAX_TASKS = 100  # tasks of one gig


def _finite(value: float) -> float:
    # NaN passes every comparison below unnoticed; inf is no number of minutes either.
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"must be a finite number (got {value})")
    return value


def _at_most(limit: float, what: str = "") -> Any:
    def check(value: float) -> float:
        if value > limit:
            shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
            raise ValueError(f"must be at most {limit:,}{what} (got {shown})")
        return value
    return AfterValidator(check)


def _timestamp(value: int) -> int:
    if not MIN_TIMESTAMP <= value <= MAX_TIMESTAMP:
        raise ValueError(f"must be a UNIX time in seconds between {MIN_TIMESTAMP} (1970) and "
                         f"{MAX_TIMESTAMP} (9999-12-31), got {value}")
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


def _at_most_chars(limit: int) -> Any:
    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"must be at most {limit:,} characters (got {len(value):,})")
        return value
    return AfterValidator(check)


def _compact_json_at_most(limit: int) -> Any:
    def check(value: dict[str, Any]) -> dict[str, Any]:
        size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False))
        if size > limit:
            raise ValueError(f"must be at most {limit:,} characters as compact JSON "
                             f"(got {size:,})")
        return value
    return AfterValidator(check)


def _coerce_id(value: Any) -> Any:
    # Responses carry ids as strings; requests may use numbers.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Id = Annotated[str, BeforeValidator(_coerce_id)]
Timestamp = Annotated[StrictInt, AfterValidator(_timestamp),
                      Field(description="UNIX time in seconds, years 1970-9999")]
Seats = Annotated[StrictInt, AfterValidator(_not_negative), _at_most(MAX_SEATS)]
Number = StrictInt | StrictFloat
Multiplier = Annotated[Number, AfterValidator(_finite), AfterValidator(_positive),
                       _at_most(MAX_MULTIPLIER)]
FrequencyMinutes = Annotated[Number, AfterValidator(_finite), AfterValidator(_at_least_one_minute),
                             _at_most(MAX_FREQUENCY_MINUTES, " minutes (one year)")]
InvitationMode = Literal["auto", "manual"]
def _storable(value: dict[str, Any]) -> dict[str, Any]:
    # Saved as it is, a NaN or infinity came back as null: {"$in": [Infinity]} became
    # {"$in": [null]}, which matches every worker without the field.
    check_document(value, "")
    return value


FilterQuery = Annotated[dict[str, Any], BeforeValidator(_parse_json_object),
                        AfterValidator(_storable)]
SortQuery = Annotated[
    dict[str, Any], BeforeValidator(_parse_json_object), AfterValidator(_check_sort_directions),
    AfterValidator(_storable)
]
JsonObject = Annotated[dict[str, Any], AfterValidator(_storable)]

# The write shapes' bounded fields (create, update, a task): see MAX_TITLE_CHARS and the rest.
Title = Annotated[str, Field(min_length=1), _at_most_chars(MAX_TITLE_CHARS)]
Description = Annotated[str, _at_most_chars(MAX_DESCRIPTION_CHARS)]
Url = Annotated[str, _at_most_chars(MAX_URL_CHARS)]
TopicRef = Annotated[Id, _at_most_chars(MAX_TITLE_CHARS)]
BoundedFilterQuery = Annotated[FilterQuery, _compact_json_at_most(MAX_JSON_CHARS)]
BoundedSortQuery = Annotated[SortQuery, _compact_json_at_most(MAX_JSON_CHARS)]
BoundedJsonObject = Annotated[JsonObject, _compact_json_at_most(MAX_JSON_CHARS)]
