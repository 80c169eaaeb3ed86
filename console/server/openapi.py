"""The OpenAPI 3.1 document of ``serve`` (``GET /api/v2/openapi.json``): every route, its body,
its answers and its errors. The schemas are generated from the pydantic models the routes parse
and answer with, so the document cannot drift from them; the contract suite checks answers
against it, and that every route of the app is in it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from console.base_model import Model
from console.models import (
    Deleted,
    Gig,
    GigCreate,
    GigInvitation,
    GigResult,
    GigResultCreate,
    GigTask,
    GigTaskCreate,
    GigTaskUpdate,
    GigTimeActivity,
    GigTimeActivityCreate,
    GigUpdate,
    InvitationAttempt,
    InvitationAttemptCreate,
    InvitationStatus,
    ListEnvelope,
    NotificationPreference,
    NotificationPreferenceSet,
    User,
    UserCreate,
)

OPENAPI_PATH = "/openapi.json"


class ApiErrorBody(Model):
    """Every refusal: ``{"error": message}`` (Cirro's error page)."""

    error: str


class ArchiveBody(Model):
    archive_at: int | str | None = None
    archived_at: int | str | None = None


class InviteUser(Model):
    id: str | int
    no_reward: bool = False


class InviteBody(Model):
    """One user (``user_id``) or many (``users``)."""

    user_id: str | int | None = None
    no_reward: bool = False
    users: list[InviteUser] | None = None


class WorkerBody(Model):
    document: dict[str, Any]


class InvitationActionBody(Model):
    no_reward: bool | None = None
    silent: bool = False


PAGING = [("limit", "integer", "1-500, default 10"), ("after", "string", "an id"),
          ("before", "string", "an id")]
BY_GIG_AND_USER = [("gig_id", "string", ""), ("user_id", "string", "")]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    answers: dict[int, type[BaseModel]]
    body: type[BaseModel] | None = None
    query: list[tuple[str, str, str]] = field(default_factory=list)


OPERATIONS = [
    Operation("post", "/gigs", "Create a gig", {201: Gig}, GigCreate),
    Operation("get", "/gigs/{gig_id}", "Retrieve a gig", {200: Gig}),
    Operation("post", "/gigs/{gig_id}", "Update a gig (only the fields given)", {200: Gig},
              GigUpdate),
    Operation("delete", "/gigs/{gig_id}", "Delete a gig that has not started", {200: Deleted}),
    Operation("post", "/gigs/{gig_id}/archive", "Archive now, at archive_at, or set archived_at",
              {200: Gig}, ArchiveBody),
    Operation("post", "/gigs/{gig_id}/tasks", "Add a task", {201: GigTask}, GigTaskCreate),
    Operation("post", "/gigs/{gig_id}/tasks/{task_id}", "Update a task", {200: GigTask},
              GigTaskUpdate),
    Operation("post", "/gigs/{gig_id}/invite",
              "Invite one user (an invitation) or many (a list)",
              {200: GigInvitation | ListEnvelope[GigInvitation]}, InviteBody),  # type: ignore[dict-item]
    Operation("get", "/gig_invitations", "List invitations",
              {200: ListEnvelope[GigInvitation]},
              query=[*BY_GIG_AND_USER, ("status[]", "string",
                                        ", ".join(s.value for s in InvitationStatus)),
                     ("exclude_archived_gigs", "boolean", ""), *PAGING]),
    Operation("post", "/gig_invitations/{invitation_id}/{action}",
              "accept, reject, expire or reset an invitation", {200: GigInvitation},
              InvitationActionBody),
    Operation("post", "/users", "Seed a user (Cirro: staging/dev only)", {201: User}, UserCreate),
    Operation("get", "/users/{user_id}", "Retrieve a user", {200: User}),
    Operation("delete", "/users/{user_id}", "Delete a user", {200: Deleted}),
    Operation("post", "/users/{user_id}/worker", "Create or replace the worker document",
              {200: User}, WorkerBody),
    Operation("post", "/users/{user_id}/invitation_attempt",
              "Invite the worker now to the listed gigs it matches", {201: InvitationAttempt},
              InvitationAttemptCreate),
    Operation("get", "/users/{user_id}/notification_preference", "Notification preferences",
              {200: NotificationPreference}),
    Operation("post", "/users/{user_id}/notification_preferences",
              "Set notification preferences", {200: NotificationPreference},
              NotificationPreferenceSet),
    Operation("get", "/gig_results", "List gig results", {200: ListEnvelope[GigResult]},
              query=[*BY_GIG_AND_USER, *PAGING]),
    Operation("post", "/gig_results", "Create a gig result (208: the idempotency key's first)",
              {201: GigResult, 208: GigResult}, GigResultCreate),
    Operation("get", "/gig_time_activities", "List gig time activities",
              {200: ListEnvelope[GigTimeActivity]}, query=[*BY_GIG_AND_USER, *PAGING]),
    Operation("post", "/gig_time_activities", "Create a gig time activity",
              {201: GigTimeActivity}, GigTimeActivityCreate),
]

REF = "#/components/schemas/{model}"


def _models() -> list[type[BaseModel]]:
    found: list[Any] = [ApiErrorBody]
    for op in OPERATIONS:
        for answer in op.answers.values():
            found.extend(getattr(answer, "__args__", (answer,)))
        if op.body is not None:
            found.append(op.body)
    return list(dict.fromkeys(found))


def _ref(model: Any, refs: dict[tuple[Any, str], dict[str, Any]], mode: str) -> dict[str, Any]:
    args = getattr(model, "__args__", None)
    if args and not isinstance(model, type):
        return {"oneOf": [refs[(m, mode)] for m in args]}
    return refs[(model, mode)]


@cache
def openapi_document(prefix: str = "/api/v2") -> dict[str, Any]:
    models = _models()
    inputs = [(m, mode) for m in models for mode in ("validation", "serialization")]
    refs, schemas = models_json_schema(inputs, ref_template=REF)  # type: ignore[arg-type]
    error = {"description": "Cirro's error body", "content": {"application/json": {
        "schema": refs[(ApiErrorBody, "serialization")]}}}
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                      for name in re.findall(r"{(\w+)}", op.path)]
        parameters += [{"name": name, "in": "query", "required": False,
                        "schema": {"type": kind}, "description": text}
                       for name, kind, text in op.query]
        responses: dict[str, Any] = {
            str(status): {"description": op.summary, "content": {"application/json": {
                "schema": _ref(model, refs, "serialization")}}}
            for status, model in op.answers.items()}
        responses["default"] = error
        operation: dict[str, Any] = {"summary": op.summary, "parameters": parameters,
                                     "responses": responses}
        if op.body is not None:
            operation["requestBody"] = {"required": False, "content": {"application/json": {
                "schema": refs[(op.body, "validation")]}}}
        paths.setdefault(prefix + op.path, {})[op.method] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "cirro-console serve: a Cirro v2-compatible API", "version": "2"},
        "components": {"schemas": schemas.get("$defs", {}),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                      "bearerFormat": "JWT (RS256, sub, exp)"}}},
        "security": [{"bearer": []}],
        "paths": paths,
    }
