"""Users, their worker document (what filter_query runs against) and invitation attempts."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .fields import MAX_AMOUNT, Id, JsonObject


class Worker(BaseModel):
    model_config = ConfigDict(extra="allow")

    billable: bool = False
    document: JsonObject = Field(default_factory=dict)


class User(BaseModel):
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


class InvitationAttemptCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    gig_ids: list[Id] = Field(min_length=1)
    max_amount: int | None = Field(default=None, ge=1, le=MAX_AMOUNT)


class InvitationAttempt(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: Id
    object: Literal["invitation_attempt"] = "invitation_attempt"
    payload: dict[str, Any]
    gig_ids: list[Id]
    app_worker_id: Id | None = None
    created_at: str
