"""The gig editor's fields as text, and turning that text back into a create or an update.

Pure functions (no Textual): the editor shows ``values`` in inputs, and every problem comes back
keyed by the field it belongs to, so the screen can show it right under that field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import ValidationError

from console.models import (
    FROZEN_AFTER_START,
    Gig,
    GigCreate,
    GigUpdate,
    apply_update,
    frozen_changes,
    problems_from_validation,
)
from console.relative_time import FORMS, relative_seconds
from console.tui import format as fmt

Kind = Literal["text", "int", "number", "time", "mode", "json", "tasks", "topic"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: Kind
    optional: bool = False  # blank means null / unset
    help: str = ""


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "Title", "text"),
    FieldSpec("description", "Description", "text"),
    FieldSpec("url", "URL", "text"),
    FieldSpec("start_at", "Start", "time",
              help="UTC YYYY-MM-DD HH:MM[:SS], UNIX seconds, or +10m, +2h from now"),
    FieldSpec("end_at", "End", "time", help="UTC, after the start (+3d: from now)"),
    FieldSpec("archive_at", "Archive at", "time", optional=True, help="blank: never"),
    FieldSpec("total_seats", "Total seats", "int"),
    FieldSpec("seats_min", "Seats min", "int", help="waves stop once accepted reaches it"),
    FieldSpec("seats_max", "Seats max", "int", optional=True,
              help="blank: none; reaching it expires every pending invitation"),
    FieldSpec("invitation_mode", "Invitation mode", "mode"),
    FieldSpec("invitation_multiplier", "Multiplier", "number", help="wave size = seats x this"),
    FieldSpec("invitation_frequency", "Frequency (min)", "number", help="minutes between waves"),
    FieldSpec("filter_query", "Filter query", "json",
              help='MQL, a JSON object; {} matches every worker'),
    FieldSpec("sort_query", "Sort query", "json", help='MQL, e.g. {"score": -1}'),
    FieldSpec("invitation_notification_topic", "Notification topic", "topic", optional=True,
              help="a topic name or id; blank: new_gig_invitation"),
    FieldSpec("notification_payload", "Notification payload", "json"),
    FieldSpec("epam_options", "EPAM options", "json"),
    FieldSpec("tasks", "Tasks", "tasks",
              help='JSON list, e.g. [{"title": "Review", "base_price": 300}]'),
)
BY_NAME = {spec.name: spec for spec in FIELDS}
# Tasks are part of a create; after that the API changes them one by one (not in this editor).
UPDATE_FIELDS = tuple(spec.name for spec in FIELDS if spec.kind != "tasks")

Values = dict[str, str]
Errors = dict[str, str]  # field name (or "" for the gig as a whole) -> message


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def values_from_gig(gig: Gig) -> Values:
    topic = gig.invitation_notification_topic
    values: Values = {
        "title": gig.title,
        "description": gig.description,
        "url": gig.url,
        "start_at": fmt.full_timestamp(gig.start_at),
        "end_at": fmt.full_timestamp(gig.end_at),
        "archive_at": fmt.full_timestamp(gig.archive_at),
        "total_seats": str(gig.total_seats),
        "seats_min": str(gig.seats_min),
        "seats_max": "" if gig.seats_max is None else str(gig.seats_max),
        "invitation_mode": gig.invitation_mode,
        "invitation_multiplier": _number_text(gig.invitation_multiplier),
        "invitation_frequency": _number_text(gig.invitation_frequency),
        "filter_query": _json_text(gig.filter_query),
        "sort_query": _json_text(gig.sort_query),
        "invitation_notification_topic": topic.name if topic else "",
        "notification_payload": _json_text(gig.notification_payload),
        "epam_options": _json_text(gig.epam_options),
        "tasks": _json_text(
            [{"title": t.title, "base_price": t.base_price} for t in gig.tasks.data]
        ),
    }
    return values


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# A new gig's filter matches nobody until its skills are filled in: a gig saved as it came
# never invites the whole workforce ({} would).
NEW_GIG_FILTER = '{"status": "active", "skills.id": {"$in": []}}'
EMPTY_FILTER_WARNING = ("Warning: filter_query {} matches every worker: each\n"
                        "wave invites from the whole workforce.")


def empty_filter_warning(invitation_mode: str, filter_query: Mapping[str, Any]) -> str | None:
    """Said in the save dialog: an auto gig with an empty filter invites anyone at all."""
    return EMPTY_FILTER_WARNING if invitation_mode == "auto" and not filter_query else None


def new_gig_values(now: int) -> Values:
    """A new auto gig starting in an hour of (simulated) time, for a day."""
    start = (now // 60 + 60) * 60
    return {
        "title": "",
        "description": "",
        "url": "",
        "start_at": fmt.full_timestamp(start),
        "end_at": fmt.full_timestamp(start + 86400),
        "archive_at": "",
        "total_seats": "10",
        "seats_min": "10",
        "seats_max": "",
        "invitation_mode": "auto",
        "invitation_multiplier": "10",
        "invitation_frequency": "5",
        "filter_query": NEW_GIG_FILTER,
        "sort_query": "{}",
        "invitation_notification_topic": "",
        "notification_payload": "{}",
        "epam_options": "{}",
        "tasks": "[]",
    }


def duplicate_values(gig: Gig, now: int) -> Values:
    """The gig's fields for a new gig: a new title, and times moved into the future if passed."""
    values = values_from_gig(gig)
    values["title"] = f"Copy of {gig.title}"
    if gig.start_at <= now:
        shift = (now // 60 + 60) * 60 - gig.start_at
        values["start_at"] = fmt.full_timestamp(gig.start_at + shift)
        values["end_at"] = fmt.full_timestamp(gig.end_at + shift)
        if gig.archive_at is not None:
            values["archive_at"] = fmt.full_timestamp(gig.archive_at + shift)
    return values


def parse_time(text: str, now: int) -> int:
    """A UTC time, UNIX seconds, or ``+DURATION`` after ``now`` (the current clock)."""
    text = text.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    relative = relative_seconds(text)
    if relative is not None:
        return now + relative
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return int(datetime.strptime(text, pattern).replace(tzinfo=UTC).timestamp())
        except ValueError:
            continue
    raise ValueError(f"not a time: {text!r} (use YYYY-MM-DD HH:MM[:SS] in UTC, UNIX seconds, "
                     f"or {FORMS} from now)")


def _parse_field(spec: FieldSpec, text: str, now: int) -> Any:
    text = text.strip() if spec.kind != "text" else text
    if spec.optional and not text.strip():
        return None
    match spec.kind:
        case "int":
            try:
                return int(text)
            except ValueError:
                raise ValueError(f"must be a whole number, not {text!r}") from None
        case "number":
            try:
                number = float(text)
            except ValueError:
                raise ValueError(f"must be a number, not {text!r}") from None
            return int(number) if number.is_integer() else number
        case "time":
            return parse_time(text, now)
        case "json" | "tasks":
            try:
                return json.loads(text or ("[]" if spec.kind == "tasks" else "{}"))
            except json.JSONDecodeError as exc:
                raise ValueError(f"invalid JSON at column {exc.colno}: {exc.msg}") from None
        case _:
            return text


def parse_values(values: Mapping[str, str], names: tuple[str, ...],
                 now: int) -> tuple[dict[str, Any], Errors]:
    data: dict[str, Any] = {}
    errors: Errors = {}
    for name in names:
        try:
            data[name] = _parse_field(BY_NAME[name], values.get(name, ""), now)
        except ValueError as exc:
            errors[name] = str(exc)
    return data, errors


def _errors_from(exc: ValidationError) -> Errors:
    errors: Errors = {}
    for problem in problems_from_validation(exc):
        field, _, rest = problem.where.partition(".")
        message = f"{rest}: {problem.message}" if rest else problem.message
        target = field if field in BY_NAME else ""
        errors.setdefault(target, message if target else str(problem))
    return errors


def build_create(values: Mapping[str, str], now: int) -> tuple[GigCreate | None, Errors]:
    """The gig to create, or every field's error at once: the fields that could not be read
    keep that message, the others are still validated (a required one left out comes back as
    missing, and its reading error replaces that)."""
    data, unreadable = parse_values(values, tuple(BY_NAME), now)
    data = {k: v for k, v in data.items() if v is not None}
    try:
        created = GigCreate.model_validate(data)
    except ValidationError as exc:
        return None, _errors_from(exc) | unreadable
    return (None, unreadable) if unreadable else (created, {})


def build_update(gig: Gig, values: Mapping[str, str], now: int) -> tuple[GigUpdate | None, Errors]:
    """Only the fields that changed; None with no errors means there is nothing to save. Like
    ``build_create``, it names every field's error at once."""
    data, unreadable = parse_values(values, UPDATE_FIELDS, now)
    current, _ = parse_values(values_from_gig(gig), UPDATE_FIELDS, now)
    changes = {name: value for name, value in data.items() if value != current[name]}
    if not changes and not unreadable:
        return None, {}
    try:
        update = GigUpdate.model_validate(changes)
        apply_update(gig, update)
    except ValidationError as exc:
        return None, _errors_from(exc) | unreadable
    errors = {name: "cannot change once the gig has started"
              for name in frozen_changes(gig, update, now)} | unreadable
    return (None, errors) if errors else (update, {})


def changed_fields(before: Mapping[str, str], after: Mapping[str, str]) -> list[FieldSpec]:
    """The fields whose text differs, in the form's order."""
    return [spec for spec in FIELDS if before.get(spec.name, "") != after.get(spec.name, "")]


def text_changes(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """``Label: old → new`` for each field whose text differs, in the form's order."""
    def shown(values: Mapping[str, str], name: str) -> str:
        text = values.get(name, "")
        return text if text.strip() else "(blank)"

    return [f"{spec.label}: {shown(before, spec.name)} → {shown(after, spec.name)}"
            for spec in changed_fields(before, after)]


def update_changes(gig: Gig, update: GigUpdate) -> list[str]:
    """What saving ``update`` changes on ``gig``, old → new, as the form writes each value."""
    return text_changes(values_from_gig(gig), values_from_gig(apply_update(gig, update)))


def frozen_fields(gig: Gig | None, now: int) -> frozenset[str]:
    """Fields the API refuses to change on this gig at this time."""
    if gig is None or now < gig.start_at:
        return frozenset()
    return frozenset(FROZEN_AFTER_START)
