"""Cirro gig objects: the read shape the API answers with, and the shapes it takes on create/update."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from console.base_model import Model
from console.gig_phase import GigPhase
from .envelope import ListEnvelope
from .fields import (
    MAX_TASKS,
    BoundedFilterQuery,
    BoundedJsonObject,
    BoundedSortQuery,
    Description,
    FilterQuery,
    FrequencyMinutes,
    MAX_AMOUNT,
    Id,
    InvitationMode,
    JsonObject,
    Multiplier,
    Seats,
    SortQuery,
    Timestamp,
    Title,
    TopicRef,
    Url,
)

DEFAULT_SEATS_MIN = 1
DEFAULT_MULTIPLIER = 10
DEFAULT_FREQUENCY_MINUTES = 5
DEFAULT_TOPIC = "new_gig_invitation"

# Fields the API refuses to change once the gig has started.
FROZEN_AFTER_START = ("title", "description", "url", "start_at")


class _Typed(Model):
    """An API object whose ``object`` tag is always answered, even when it was not given: the
    gig's ``to_api`` drops unset keys, and Cirro's nested objects carry their tag."""

    def model_post_init(self, context: Any) -> None:
        self.model_fields_set.add("object")


class GigTask(_Typed):
    model_config = ConfigDict(extra="allow")

    id: Id
    object: Literal["gig_task"] = "gig_task"
    title: str
    base_price: int


class GigTaskCreate(Model):
    model_config = ConfigDict(extra="forbid")

    title: Title
    base_price: int = Field(ge=0, le=MAX_AMOUNT)


class GigTaskUpdate(Model):
    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    base_price: int | None = Field(default=None, ge=0, le=MAX_AMOUNT)


class NotificationTopic(_Typed):
    model_config = ConfigDict(extra="allow")

    id: Id
    object: Literal["notification_topic"] = "notification_topic"
    name: str


def task_count_problem(count: int) -> str | None:
    """Why a gig may not hold ``count`` tasks, or None: one rule for a create's list and for a
    task added later (the engine asks before adding one)."""
    if count > MAX_TASKS:
        return f"a gig has at most {MAX_TASKS} tasks (got {count:,})"
    return None


def _task_count(tasks: list[GigTaskCreate]) -> list[GigTaskCreate]:
    problem = task_count_problem(len(tasks))
    if problem is not None:
        raise ValueError(problem)
    return tasks


def _end_after_start(end_at: int, info: ValidationInfo) -> int:
    start_at = info.data.get("start_at")
    if isinstance(start_at, int) and end_at <= start_at:
        raise ValueError(f"must be after start_at ({start_at}), got {end_at}")
    return end_at


def _max_not_below_min(seats_max: int | None, info: ValidationInfo) -> int | None:
    seats_min = info.data.get("seats_min")
    if seats_max is not None and isinstance(seats_min, int) and seats_max < seats_min:
        raise ValueError(f"must be at least seats_min ({seats_min}), got {seats_max}")
    return seats_max


class _GigRules(Model):
    """The cross-field rules of every shape; the field order of each subclass keeps seats_min
    before seats_max so that ``info.data`` holds the first when the second is checked."""

    @field_validator("seats_max", check_fields=False)
    @classmethod
    def _seats_max(cls, value: int | None, info: ValidationInfo) -> int | None:
        return _max_not_below_min(value, info)


class _Schedule(Model):
    """What we send must end after it starts. What Cirro answers need not (its own ``gig/update``
    fixture has ``end_at: 420``): the read shape takes it and :func:`gig_warnings` reports it."""

    start_at: Timestamp
    end_at: Timestamp

    @field_validator("end_at")
    @classmethod
    def _end_at(cls, value: int, info: ValidationInfo) -> int:
        return _end_after_start(value, info)


def gig_warnings(gig: Gig) -> list[str]:
    """What is wrong with a gig as answered, for the console to show rather than refuse."""
    if gig.end_at <= gig.start_at:
        return [f"end_at ({gig.end_at}) is not after start_at ({gig.start_at})"]
    return []


class Gig(_GigRules):
    """A gig as the API answers with it. Field order follows the gig object page, so a dump of an
    API answer keeps the answer's key order."""

    model_config = ConfigDict(extra="allow")

    id: Id
    object: Literal["gig"] = "gig"
    title: str
    description: str
    url: str
    start_at: Timestamp
    end_at: Timestamp
    archive_at: Timestamp | None = None
    archived_at: Timestamp | None = None
    total_seats: Seats
    seats_min: Seats = DEFAULT_SEATS_MIN
    seats_max: Seats | None = None
    invitation_mode: InvitationMode
    invitation_multiplier: Multiplier = DEFAULT_MULTIPLIER
    invitation_frequency: FrequencyMinutes = DEFAULT_FREQUENCY_MINUTES
    filter_query: FilterQuery
    sort_query: SortQuery = Field(default_factory=dict)
    tasks: ListEnvelope[GigTask] = Field(default_factory=lambda: ListEnvelope[GigTask](data=[]))
    notification_payload: JsonObject = Field(default_factory=dict)
    invitation_notification_topic: NotificationTopic | None = None
    epam_options: JsonObject = Field(default_factory=dict)

    def to_api(self) -> dict[str, Any]:
        """The JSON the API would answer with: only the keys that were given or set."""
        return self.model_dump(mode="json", exclude_unset=True)

    def phase(self, now: int) -> GigPhase:
        return gig_phase(self, now)

    @property
    def wave_size(self) -> int:
        return int(self.total_seats * self.invitation_multiplier)


def _seats_either(schema: dict[str, Any]) -> None:
    """The JSON schema of a create: total_seats or seats_min, not necessarily both."""
    schema["required"] = [f for f in schema.get("required", []) if f != "total_seats"]
    schema["anyOf"] = [{"required": ["total_seats"]}, {"required": ["seats_min"]}]


class GigCreate(_GigRules):
    """The body of ``POST /gigs``: tasks as a plain list, the topic as a name or an id.

    ``total_seats`` is Cirro's older name of ``seats_min``: the client's README creates a gig with
    ``seats_min`` alone, and its spec sends ``total_seats: 2`` and expects ``seats_min`` 2. So one
    of the two is required, and the one not sent follows the other."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_seats_either)

    title: Title
    description: Description
    url: Url
    start_at: Timestamp
    end_at: Timestamp
    archive_at: Timestamp | None = None
    total_seats: Seats
    seats_min: Seats = DEFAULT_SEATS_MIN
    seats_max: Seats | None = None
    invitation_mode: InvitationMode
    invitation_multiplier: Multiplier = DEFAULT_MULTIPLIER
    invitation_frequency: FrequencyMinutes = DEFAULT_FREQUENCY_MINUTES
    filter_query: BoundedFilterQuery
    sort_query: BoundedSortQuery = Field(default_factory=dict)
    tasks: Annotated[list[GigTaskCreate], AfterValidator(_task_count)] = Field(
        default_factory=list)
    notification_payload: BoundedJsonObject = Field(default_factory=dict)
    invitation_notification_topic: TopicRef | None = None
    epam_options: BoundedJsonObject = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _seats_alias(cls, data: Any) -> Any:
        if not isinstance(data, dict) or ("total_seats" in data) == ("seats_min" in data):
            return data  # both (each kept), or neither: "total_seats: is required"
        if "total_seats" in data:
            return {**data, "seats_min": data["total_seats"]}
        return {**data, "total_seats": data["seats_min"]}

    @field_validator("end_at")
    @classmethod
    def _end_at(cls, value: int, info: ValidationInfo) -> int:
        return _end_after_start(value, info)


class GigUpdate(Model):
    """The body of ``POST /gigs/:id``: any subset of the create fields except ``tasks``.

    Per-field rules apply here; the cross-field rules are checked on the gig the update produces
    (see :func:`apply_update`)."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    description: Description | None = None
    url: Url | None = None
    start_at: Timestamp | None = None
    end_at: Timestamp | None = None
    archive_at: Timestamp | None = None
    total_seats: Seats | None = None
    seats_min: Seats | None = None
    seats_max: Seats | None = None
    invitation_mode: InvitationMode | None = None
    invitation_multiplier: Multiplier | None = None
    invitation_frequency: FrequencyMinutes | None = None
    filter_query: BoundedFilterQuery | None = None
    sort_query: BoundedSortQuery | None = None
    notification_payload: BoundedJsonObject | None = None
    invitation_notification_topic: TopicRef | None = None
    epam_options: BoundedJsonObject | None = None

    def changes(self) -> dict[str, Any]:
        """Only the fields the caller gave (an explicit null clears ``seats_max``/``archive_at``)."""
        return self.model_dump(mode="json", exclude_unset=True)


def gig_phase(gig: Gig, now: int) -> GigPhase:
    """Derive the phase from the timestamps: the gig object has no status field."""
    if gig.archived_at is not None and gig.archived_at <= now:
        return GigPhase.ARCHIVED
    if gig.archive_at is not None and gig.archive_at <= now:
        return GigPhase.ARCHIVED
    if now < gig.start_at:
        return GigPhase.SCHEDULED
    if now < gig.end_at:
        return GigPhase.LIVE
    return GigPhase.ENDED


def frozen_changes(gig: Gig, update: GigUpdate, now: int) -> list[str]:
    """The fields an update tries to change that the API freezes once the gig has started."""
    if now < gig.start_at:
        return []
    changes = update.changes()
    return [f for f in FROZEN_AFTER_START if f in changes and changes[f] != getattr(gig, f)]


def apply_update(gig: Gig, update: GigUpdate, topic: NotificationTopic | None = None) -> Gig:
    """The gig an update produces, validated as a whole (raises pydantic's ValidationError).

    An update names its notification topic; the backend that owns the topics resolves the name or
    id and passes the object in ``topic``."""
    data = gig.model_dump(mode="json", exclude_unset=True)
    changes = update.changes()
    changes.pop("invitation_notification_topic", None)
    data.update(changes)
    if topic is not None:
        data["invitation_notification_topic"] = topic.model_dump(mode="json")
    if "start_at" in changes or "end_at" in changes:
        _Schedule.model_validate({"start_at": data.get("start_at"), "end_at": data.get("end_at")})
    return Gig.model_validate(data)
