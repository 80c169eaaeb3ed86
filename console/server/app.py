"""A Backend behind Cirro's v2 routes, answering (and failing) the way Cirro does.

Errors are ``{"error": message}`` with Cirro's status codes; list endpoints page with
``limit`` (1-500, default 10), ``after``/``before`` and ``has_more``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
from datetime import datetime
from email.utils import formatdate
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import msgspec
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, Router

from console.backends.base import Backend, InvitationFilter, InviteRequest
from console.backends.errors import BackendError
from console.backends.paging import DEFAULT_LIMIT, MAX_LIMIT, check_limit
from console.models import (
    GigCreate,
    GigTaskCreate,
    GigTaskUpdate,
    GigUpdate,
    InvitationAction,
    InvitationAttemptCreate,
    InvitationStatus,
    problems_from_validation,
)
from console.server.auth import TokenRejected, TokenVerifier
from console.server.limits import (
    REQUEST_DEADLINE,
    ASGIApp,
    BodyLimit,
    BodyTooLarge,
    Receive,
    Scope,
    Send,
    size_problem,
)
from console.server.openapi import OPENAPI_PATH, openapi_document

log = logging.getLogger(__name__)

API_PREFIX = "/api/v2"

M = TypeVar("M", bound=BaseModel)
Handler = Callable[[Request, Backend], Awaitable[Any]]


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class JSONResponse(Response):
    """A JSON answer encoded by msgspec (a few µs where the json module took tens for a gig or a
    page of invitations; the same text for every value the API answers, integers past 64 bits
    included). NaN never reaches it: request bodies refuse it."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return _encode(content)


_encode = msgspec.json.Encoder().encode


def error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _media_type_problem(content_type: str | None) -> str | None:
    """Why a body sent with this Content-Type is not taken as JSON, or None. Cirro reads
    ``application/json`` (``application/vnd.api+json`` on its newer routes) and nothing else; a
    text/plain or form body was read as JSON all the same."""
    if content_type is None:
        return "Request body has no Content-Type: send it as application/json"
    media, *params = (part.strip() for part in content_type.split(";"))
    media = media.lower()
    kind, _, subtype = media.partition("/")
    if kind != "application" or not (subtype == "json" or subtype.endswith("+json")):
        shown = media or "(blank)"
        return f"Content-Type {shown!r} is not supported: send the body as application/json"
    for param in params:
        name, _, value = param.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower() == "charset" and charset not in ("utf-8", "utf8"):
            return f"Content-Type charset {charset!r} is not supported: JSON is sent as utf-8"
    return None


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}  # an action's POST without a body: whatever its Content-Type, nothing to read
    problem = _media_type_problem(request.headers.get("content-type"))
    if problem is not None:
        raise ApiError(415, problem)
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"Request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise ApiError(400, "Request body is not valid JSON: nested too deeply") from None
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object")
    problem = size_problem(body)
    if problem is not None:
        raise ApiError(422, problem)
    return body


def validate(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(422, "; ".join(str(p) for p in problems_from_validation(exc))) from None


def listing(url: str, items: Sequence[BaseModel], has_more: bool = False) -> dict[str, Any]:
    return {"object": "list", "url": url, "has_more": has_more,
            "data": [item.to_api() if hasattr(item, "to_api") else item.model_dump(mode="json")
                     for item in items]}


def _limit(params: Any) -> int:
    try:
        return check_limit(int(params.get("limit", str(DEFAULT_LIMIT))))
    except ValueError:
        raise ApiError(400, f"limit must be an integer between 1 and {MAX_LIMIT}") from None


def _bool_param(params: Any, name: str) -> bool:
    value = params.get(name)
    if value is None:
        return False
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0", ""):
        return False
    raise ApiError(400, f"{name} must be true or false, not {value!r}")


def invitation_filter(params: Any) -> InvitationFilter:
    statuses = params.getlist("status[]") + params.getlist("status")
    try:
        status = tuple(InvitationStatus(s) for s in statuses)
    except ValueError:
        allowed = ", ".join(s.value for s in InvitationStatus)
        raise ApiError(400, f"status must be one of {allowed}") from None
    return InvitationFilter(gig_id=params.get("gig_id"), user_id=params.get("user_id"),
                            status=status,
                            exclude_archived_gigs=_bool_param(params, "exclude_archived_gigs"))


# Handlers: each takes the request and the backend and returns what to answer. ------------------
async def create_gig(request: Request, backend: Backend) -> Response:
    gig = await backend.create_gig(validate(GigCreate, await json_body(request)))
    return JSONResponse(gig.to_api(), status_code=201)


async def get_gig(request: Request, backend: Backend) -> Any:
    return (await backend.get_gig(request.path_params["gig_id"])).to_api()


async def update_gig(request: Request, backend: Backend) -> Any:
    update = validate(GigUpdate, await json_body(request))
    return (await backend.update_gig(request.path_params["gig_id"], update)).to_api()


def _time(body: dict[str, Any], name: str) -> int | None:
    """UNIX seconds, or an ISO-8601 time with its zone (what Ruby's ``1.day.from_now`` becomes in
    JSON, as the client's README sends it)."""
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return math.floor(parsed.timestamp())
    raise ApiError(400, f"{name} must be a UNIX timestamp in seconds or an ISO-8601 time with a "
                        f"zone, not {value!r}")


async def archive_gig(request: Request, backend: Backend) -> Any:
    body = await json_body(request)
    # The README sends archive_at (when to archive), the client's spec archived_at (the
    # archiving time, answered as given): both are taken, each for what it says.
    gig = await backend.archive_gig(request.path_params["gig_id"], _time(body, "archive_at"),
                                    archived_at=_time(body, "archived_at"))
    return gig.to_api()


async def delete_gig(request: Request, backend: Backend) -> Any:
    gig_id = request.path_params["gig_id"]
    await backend.delete_gig(gig_id)
    return {"id": gig_id, "object": "gig", "deleted": True}


async def add_task(request: Request, backend: Backend) -> Response:
    task = validate(GigTaskCreate, await json_body(request))
    created = await backend.add_task(request.path_params["gig_id"], task)
    return JSONResponse(created.model_dump(mode="json"), status_code=201)


async def update_task(request: Request, backend: Backend) -> Any:
    task = validate(GigTaskUpdate, await json_body(request))
    params = request.path_params
    return (await backend.update_task(params["gig_id"], params["task_id"], task)).model_dump(
        mode="json")


def _flag(body: dict[str, Any], name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise ApiError(400, f"{name} must be true or false, not {value!r}")
    return value


def _invite_requests(body: dict[str, Any]) -> tuple[list[InviteRequest], bool]:
    """``{user_id, no_reward?}`` (one) or ``{users: [{id, no_reward?}]}`` (bulk)."""
    if "users" in body:
        users = body["users"]
        if not isinstance(users, list) or not users or not all(
                isinstance(u, dict) and u.get("id") is not None for u in users):
            raise ApiError(400, "users must be a non-empty list of {id, no_reward}")
        return [InviteRequest(str(u["id"]), _flag(u, "no_reward")) for u in users], True
    if body.get("user_id") is None:
        raise ApiError(400, "user_id or users is required")
    return [InviteRequest(str(body["user_id"]), _flag(body, "no_reward"))], False


async def invite(request: Request, backend: Backend) -> Any:
    users, bulk = _invite_requests(await json_body(request))
    invitations = await backend.invite(request.path_params["gig_id"], users)
    if bulk:
        # Cirro's invite_multi fixture names the invitations' list, not the invite route.
        return listing("/gig_invitations", invitations)
    return invitations[0].to_api()


async def list_invitations(request: Request, backend: Backend) -> Any:
    params = request.query_params
    found = await backend.page_invitations(invitation_filter(params), limit=_limit(params),
                                           after=params.get("after"), before=params.get("before"))
    return listing("/gig_invitations", found.data, found.has_more)


async def invitation_action(request: Request, backend: Backend) -> Any:
    invitation_id = request.path_params["invitation_id"]
    try:
        action = InvitationAction(request.path_params["action"])
    except ValueError:
        raise ApiError(404, "Not found") from None
    body = await json_body(request)
    if action is InvitationAction.ACCEPT:
        no_reward = _flag(body, "no_reward") if "no_reward" in body else None
        result = await backend.accept_invitation(invitation_id, no_reward)
    elif action is InvitationAction.REJECT:
        result = await backend.reject_invitation(invitation_id)
    elif action is InvitationAction.EXPIRE:
        result = await backend.expire_invitation(invitation_id)
    else:
        result = await backend.reset_invitation(invitation_id, _flag(body, "silent"))
    return result.to_api()


async def get_user(request: Request, backend: Backend) -> Any:
    return (await backend.get_user(request.path_params["user_id"])).model_dump(mode="json")


async def upsert_worker(request: Request, backend: Backend) -> Any:
    document = (await json_body(request)).get("document")
    if not isinstance(document, dict):
        raise ApiError(400, "document must be a JSON object")
    user = await backend.upsert_worker_document(request.path_params["user_id"], document)
    return user.model_dump(mode="json")


async def invitation_attempt(request: Request, backend: Backend) -> Response:
    body = await json_body(request)
    attempt = validate(InvitationAttemptCreate, body)
    result = await backend.invitation_attempt(request.path_params["user_id"], attempt.gig_ids,
                                              attempt.max_amount)
    # The payload is the request as sent (the client's spec compares the two).
    return JSONResponse(result.model_copy(update={"payload": body}).model_dump(mode="json"),
                        status_code=201)


ROUTES: list[tuple[str, str, Handler]] = [
    ("/gigs", "POST", create_gig),
    ("/gigs/{gig_id}", "GET", get_gig),
    ("/gigs/{gig_id}", "POST", update_gig),
    ("/gigs/{gig_id}", "DELETE", delete_gig),
    ("/gigs/{gig_id}/archive", "POST", archive_gig),
    ("/gigs/{gig_id}/tasks", "POST", add_task),
    ("/gigs/{gig_id}/tasks/{task_id}", "POST", update_task),
    ("/gigs/{gig_id}/invite", "POST", invite),
    ("/gig_invitations", "GET", list_invitations),
    ("/gig_invitations/{invitation_id}/{action}", "POST", invitation_action),
    ("/users/{user_id}", "GET", get_user),
    ("/users/{user_id}/worker", "POST", upsert_worker),
    ("/users/{user_id}/invitation_attempt", "POST", invitation_attempt),
]


DEADLINE_PASSED = (f"The request did not finish within {REQUEST_DEADLINE:g} s; a change it "
                   f"makes may still be applied")


def create_app(backend: Backend, verifier: TokenVerifier | None) -> ASGIApp:
    """The API app. ``verifier`` None turns token checks off (loopback use only). The local
    backend's calls await its simulation host and match invitation attempts in threads of
    their own: none runs the simulation on this loop, and a slow one delays no other client."""

    def endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            response = await answer(request, handler)
            # The Date header carries the backend's clock: a simulation's time is not ours.
            response.headers["Date"] = formatdate(await backend.now(), usegmt=True)
            return response
        return run

    async def answer(request: Request, handler: Handler) -> Response:
        if verifier is not None:
            try:
                verifier.verify(request.headers.get("Authorization"))
            except TokenRejected as rejected:
                return error_response(401, rejected.message)
        try:
            async with asyncio.timeout(REQUEST_DEADLINE):
                result = await handler(request, backend)
                # Encoded here, so that a value it cannot encode is a JSON 500 like any other.
                response = result if isinstance(result, Response) else JSONResponse(result)
        except (ApiError, BackendError, BodyTooLarge) as exc:
            return error_response(exc.status, exc.message)
        except TimeoutError:
            return error_response(422, DEADLINE_PASSED)
        except Exception:
            log.exception("%s %s failed", request.method, request.url.path)
            return error_response(500, "Internal server error")
        return response

    async def openapi(request: Request) -> Response:
        # Public, like any API's documentation: it holds no data.
        return JSONResponse(openapi_document(API_PREFIX))

    # Imported here: that module builds on this one's helpers.
    from console.server.space_routes import SPACE_ROUTES

    by_path: dict[str, dict[str, Callable[[Request], Awaitable[Response]]]] = {}
    for path, method, handler in ROUTES + SPACE_ROUTES:
        by_path.setdefault(API_PREFIX + path, {})[method] = endpoint(handler)
    by_path.setdefault(API_PREFIX + OPENAPI_PATH, {})["GET"] = openapi
    # One route per path, dispatching on the method: a known path with another method is no
    # route of Cirro's either, a JSON 404 like the rest. No slash redirects (Cirro answers an
    # unknown path with a JSON 404, not an empty 307), and no layers but the body limit: every
    # handler already answers its own errors (Starlette's error middlewares cost each request).
    routes = [Route(path, _Methods(methods)) for path, methods in by_path.items()]
    return BodyLimit(Router(routes=routes, redirect_slashes=False, default=_not_found))


class _Methods:
    """An ASGI app answering one path: the handler of the request's method, else a 404."""

    def __init__(self, handlers: dict[str, Callable[[Request], Awaitable[Response]]]) -> None:
        self.handlers = handlers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = self.handlers.get(scope["method"])
        if handler is None:
            await _not_found(scope, receive, send)
            return
        response = await handler(Request(scope, receive, send))
        await response(scope, receive, send)


async def _not_found(scope: Scope, receive: Receive, send: Send) -> None:
    await error_response(404, "Not found")(scope, receive, send)
