"""The routes of Cirro's client that are not about gigs and invitations: users made and deleted,
notification preferences, gig results and time activities. Same conventions as
:mod:`console.server.app`: each handler takes the request and the backend."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from console.backends.base import Backend
from console.backends.paging import page_bounds
from console.models import (
    GigResultCreate,
    GigTimeActivityCreate,
    NotificationPreferenceSet,
    UserCreate,
)
from console.server.app import Handler, JSONResponse, _limit, json_body, listing, validate


def _page(request: Request, items: list[Any], url: str) -> dict[str, Any]:
    params = request.query_params
    start, end, has_more = page_bounds([item.id for item in items], _limit(params),
                                       params.get("after"), params.get("before"))
    return listing(url, items[start:end], has_more)


def _filters(request: Request) -> dict[str, str | None]:
    params = request.query_params
    return {"gig_id": params.get("gig_id"), "user_id": params.get("user_id")}


async def create_user(request: Request, backend: Backend) -> Response:
    user = await backend.create_user(validate(UserCreate, await json_body(request)))
    return JSONResponse(user.model_dump(mode="json"), status_code=201)


async def delete_user(request: Request, backend: Backend) -> Any:
    user_id = request.path_params["user_id"]
    await backend.delete_user(user_id)
    # Cirro's user/delete fixture answers deleted: null (a gig's delete answers true).
    return {"id": user_id, "object": "user", "deleted": None}


async def notification_preference(request: Request, backend: Backend) -> Any:
    found = await backend.notification_preference(request.path_params["user_id"])
    return found.model_dump(mode="json")


async def set_notification_preferences(request: Request, backend: Backend) -> Any:
    change = validate(NotificationPreferenceSet, await json_body(request))
    saved = await backend.set_notification_preferences(request.path_params["user_id"], change)
    return saved.model_dump(mode="json")


async def list_gig_results(request: Request, backend: Backend) -> Any:
    return _page(request, await backend.gig_results(**_filters(request)), "/gig_results")


async def create_gig_result(request: Request, backend: Backend) -> Response:
    create = validate(GigResultCreate, await json_body(request))
    known: set[str] = set()
    if create.idempotency_key is not None:
        known = {r.id for r in await backend.gig_results(user_id=create.user_id)}
    result = await backend.create_gig_result(create)
    # A key already used gives back its first result with 208 Already Reported (Cirro's errors
    # page), so the caller can tell a repeat from a new result.
    return JSONResponse(result.model_dump(mode="json"),
                        status_code=208 if result.id in known else 201)


async def list_gig_time_activities(request: Request, backend: Backend) -> Any:
    return _page(request, await backend.gig_time_activities(**_filters(request)),
                 "/gig_time_activities")


async def create_gig_time_activity(request: Request, backend: Backend) -> Response:
    create = validate(GigTimeActivityCreate, await json_body(request))
    activity = await backend.create_gig_time_activity(create)
    return JSONResponse(activity.model_dump(mode="json"), status_code=201)


SPACE_ROUTES: list[tuple[str, str, Handler]] = [
    ("/users", "POST", create_user),
    ("/users/{user_id}", "DELETE", delete_user),
    ("/users/{user_id}/notification_preference", "GET", notification_preference),
    ("/users/{user_id}/notification_preferences", "POST", set_notification_preferences),
    ("/gig_results", "GET", list_gig_results),
    ("/gig_results", "POST", create_gig_result),
    ("/gig_time_activities", "GET", list_gig_time_activities),
    ("/gig_time_activities", "POST", create_gig_time_activity),
]
