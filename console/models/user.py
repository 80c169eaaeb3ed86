"""Users, their worker document (what filter_query runs against) and invitation attempts."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, StrictInt

from console.base_model import Model
from .envelope import ListEnvelope
from .fields import MAX_AMOUNT, Id, JsonObject


class Worker(Model):
    model_config = ConfigDict(extra="allow")

    billable: bool = False
    document: JsonObject = Field(default_factory=dict)


class User(Model):
    model_config = ConfigDict(extra="allow")

    id: Id
    object: Literal["user"] = "user"
    first_name: str | None = None
    last_name: str | None = None
    time_zone: str | None = None
    screen_name: str | None = None
    birthday: str | None = None
    country_code: str | None = None
    anonymous_email: str | None = None
    epam: JsonObject | None = None
    worker: Worker | None = None
    banned_with_reason: JsonObject | None = None


class UserCreate(Model):
    """The body of ``POST /users`` (staging/dev only): every field optional, Cirro seeds the rest."""

    model_config = ConfigDict(extra="forbid")

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    time_zone: str | None = None
    country_code: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    birthday: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    password: str | None = None


class NotificationTopicPreference(Model):
    model_config = ConfigDict(extra="allow")

    id: Id
    object: Literal["notification_topic_preference"] = "notification_topic_preference"
    preferences: dict[str, str]
    notification_topic_id: Id | None = None
    user_id: Id | None = None


class NotificationPreference(Model):
    """``GET /users/:id/notification_preference``: the user's locale and one entry per topic."""

    model_config = ConfigDict(extra="allow")

    id: Id
    object: Literal["notification_preference"] = "notification_preference"
    locale: str
    topics: ListEnvelope[NotificationTopicPreference]


EMAIL_PREFERENCES = ("immediately", "digest_daily", "daily", "never")


class TopicPreferenceSet(Model):
    model_config = ConfigDict(extra="forbid")

    id: Id
    preferences: dict[Literal["email"], Literal[EMAIL_PREFERENCES]]  # type: ignore[valid-type]


class NotificationPreferenceSet(Model):
    """The body of ``POST /users/:id/notification_preferences``."""

    model_config = ConfigDict(extra="forbid")

    locale: str = Field(min_length=2)
    topics: list[TopicPreferenceSet] = Field(default_factory=list)


class InvitationAttemptCreate(Model):
    model_config = ConfigDict(extra="forbid")

    gig_ids: list[Id] = Field(min_length=1)
    max_amount: int | None = Field(default=None, ge=1, le=MAX_AMOUNT)


# Cirro answers an attempt's ids as integers (``user/invitation_attempt.json``), unlike its
# objects' ids; a simulated id that is not a number stays a string.
AttemptId = StrictInt | str


class InvitationAttempt(Model):
    """``payload`` echoes the request body as sent (the client's spec compares them)."""

    model_config = ConfigDict(extra="allow")

    id: Id
    object: Literal["invitation_attempt"] = "invitation_attempt"
    payload: dict[str, Any]
    gig_ids: list[AttemptId]
    app_worker_id: AttemptId | None = None
    created_at: str
