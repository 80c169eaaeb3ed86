"""The Backend protocol over the Cirro v2 API.

What the API lacks, the console supplies from its registry (:mod:`console.remote.registry`):
the list of gigs, and the wave history of the gigs it watches.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from console.backends.base import BackendKind, InvitationFilter, InviteRequest, LastRead
from console.backends.errors import (
    BackendError,
    BadRequest,
    InvalidResponse,
    NotFound,
    ReadOnlyError,
)
from console.backends.paging import DEFAULT_LIMIT, Page, check_limit
from console.models import (
    Gig,
    GigCreate,
    GigInvitation,
    GigResult,
    GigResultCreate,
    GigStats,
    GigTask,
    GigTaskCreate,
    GigTaskUpdate,
    GigTimeActivity,
    GigTimeActivityCreate,
    GigUpdate,
    InvitationAction,
    InvitationAttempt,
    InvitationStatus,
    NotificationPreference,
    NotificationPreferenceSet,
    User,
    UserCreate,
    WaveRecord,
    problems_from_validation,
)
from console.remote import pagination
from console.remote.registry import GigRegistry, RegistryError
from console.remote.transport import Transport
from console.waves.rules import next_tick_at, waves_wanted

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
R = TypeVar("R")
DEFAULT_CONCURRENCY = 8


def _parse(model: type[M], data: Any, what: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = "; ".join(str(p) for p in problems_from_validation(exc)[:5])
        raise InvalidResponse(
            f"{what}: the answer is not a valid {model.__name__}: {details}") from None


def invitation_params(query: InvitationFilter) -> list[tuple[str, Any]]:
    """The query string of ``GET /gig_invitations``; arrays in Rails style (``status[]=``)."""
    params: list[tuple[str, Any]] = []
    if query.gig_id is not None:
        params.append(("gig_id", query.gig_id))
    if query.user_id is not None:
        params.append(("user_id", query.user_id))
    params.extend(("status[]", InvitationStatus(s).value) for s in query.status)
    if query.exclude_archived_gigs:
        params.append(("exclude_archived_gigs", "true"))
    return params


async def bounded_map(func: Callable[[T], Awaitable[R]], items: Iterable[T],
                      limit: int) -> list[R | BaseException]:
    """``func`` over ``items``, at most ``limit`` at once, results (or errors) in input order."""
    semaphore = asyncio.Semaphore(limit)

    async def one(item: T) -> R:
        async with semaphore:
            return await func(item)

    return await asyncio.gather(*(one(item) for item in items), return_exceptions=True)


class RemoteBackend:
    kind: BackendKind = "remote"
    simulation = None  # the API's clock is the wall's: nothing for the operator to move

    def __init__(self, context: str, transport: Transport, registry: GigRegistry, *,
                 read_only: bool = False, concurrency: int = DEFAULT_CONCURRENCY,
                 clock: Callable[[], float] = time.time, warnings: Sequence[str] = ()) -> None:
        self.context = context
        self.read_only = read_only
        self.registry = registry
        # Problems the user should see once (e.g. a private key others can read).
        self.warnings = list(warnings)
        self._transport = transport
        self._concurrency = concurrency
        self._clock = clock

    def __repr__(self) -> str:
        return f"RemoteBackend({self.context!r}, {self._transport.base_url!r})"

    async def now(self) -> int:
        """Our clock corrected by the server's Date header of the last answer (asking the
        cheapest question first when nothing was answered yet)."""
        if not self._transport.clock_synced:
            await self._transport.request("GET", "gig_invitations", params=[("limit", 1)])
        return int(self._clock() + self._transport.clock_offset)

    def _writable(self, what: str) -> None:
        if self.read_only:
            raise ReadOnlyError(f"context {self.context!r} is read-only: {what} refused")

    async def _call(self, method: str, path: str, *, body: dict[str, Any] | None = None,
                    params: list[tuple[str, Any]] | None = None,
                    repeatable: bool | None = None) -> Any:
        return await self._transport.request(method, path, params=params, body=body,
                                             repeatable=repeatable)

    async def _registry(self, func: Callable[..., R], *args: Any) -> R:
        # The registry reads and writes a file; keep that off the event loop the TUI draws on.
        return await asyncio.to_thread(func, *args)

    # Gigs ---------------------------------------------------------------------------------------
    async def list_gigs(self) -> list[Gig]:
        await self.discover()
        known = await self._registry(self.registry.known)
        results = await bounded_map(self.get_gig, [k.id for k in known], self._concurrency)
        gigs: list[Gig] = []
        missing: list[str] = []
        for entry, result in zip(known, results):
            if isinstance(result, NotFound):
                missing.append(entry.id)
            elif isinstance(result, BaseException):
                raise result
            else:
                gigs.append(result)
        if missing:
            log.warning("%s: gigs %s answer 404 (deleted, or not in this space); marked missing",
                        self.context, ", ".join(missing))
            await self._registry(self.registry.mark_missing, missing)
        return gigs

    async def discover(self) -> list[str]:
        """Register the gigs of invitations issued since the last discovery; returns new ids.

        Assumes ``after`` walks towards newer invitations (ascending ids); when the saved cursor
        is refused, discovery starts again from the beginning."""
        cursor = await self._registry(self.registry.cursor)
        try:
            gig_ids, last = await self._discover_from(cursor)
        except (BadRequest, NotFound):
            if cursor is None:
                raise
            log.info("%s: discovery cursor %s refused; walking all invitations", self.context,
                     cursor)
            gig_ids, last = await self._discover_from(None)
        added = await self._registry(self.registry.add, gig_ids, "discovered", await self.now())
        if last is not None:
            await self._registry(self.registry.set_cursor, last)
        return added

    async def _discover_from(self, cursor: str | None) -> tuple[list[str], str | None]:
        gig_ids: dict[str, None] = {}
        last = cursor
        async for item in pagination.iterate(self._transport, "gig_invitations", after=cursor):
            invitation = _parse(GigInvitation, item, "GET gig_invitations")
            gig_ids[invitation.gig_id] = None
            last = invitation.id
        return list(gig_ids), last

    async def track(self, gig_id: str, *, watch: bool = False) -> Gig:
        """Add a gig to this context's registry after checking that the API knows it; a watched
        gig is polled by :meth:`poll_watched`, so its wave history builds up."""
        gig = await self.get_gig(gig_id)
        await self._registry(self.registry.add, [gig.id], "tracked", await self.now())
        if watch:
            await self._registry(self.registry.set_watched, gig.id, True)
        return gig

    async def get_gig(self, gig_id: str) -> Gig:
        return _parse(Gig, await self._call("GET", f"gigs/{gig_id}"), f"GET gigs/{gig_id}")

    async def create_gig(self, gig: GigCreate) -> Gig:
        self._writable("create gig")
        body = gig.model_dump(mode="json", exclude_none=True)
        created = _parse(Gig, await self._call("POST", "gigs", body=body, repeatable=False),
                         "POST gigs")
        await self._registry(self.registry.add, [created.id], "created", await self.now())
        return created

    async def update_gig(self, gig_id: str, update: GigUpdate) -> Gig:
        self._writable(f"update gig {gig_id}")
        # Setting the same fields twice leaves the same gig: safe to repeat.
        data = await self._call("POST", f"gigs/{gig_id}", body=update.changes(), repeatable=True)
        return _parse(Gig, data, f"POST gigs/{gig_id}")

    async def archive_gig(self, gig_id: str, archive_at: int | None = None, *,
                          archived_at: int | None = None) -> Gig:
        self._writable(f"archive gig {gig_id}")
        body = {name: value for name, value in (("archive_at", archive_at),
                                                ("archived_at", archived_at)) if value is not None}
        data = await self._call("POST", f"gigs/{gig_id}/archive", body=body, repeatable=True)
        return _parse(Gig, data, f"POST gigs/{gig_id}/archive")

    async def delete_gig(self, gig_id: str) -> None:
        self._writable(f"delete gig {gig_id}")
        await self._call("DELETE", f"gigs/{gig_id}")
        await self._registry(self.registry.mark_missing, [gig_id])

    async def add_task(self, gig_id: str, task: GigTaskCreate) -> GigTask:
        self._writable(f"add a task to gig {gig_id}")
        data = await self._call("POST", f"gigs/{gig_id}/tasks", body=task.model_dump(mode="json"),
                                repeatable=False)
        return _parse(GigTask, data, f"POST gigs/{gig_id}/tasks")

    async def update_task(self, gig_id: str, task_id: str, task: GigTaskUpdate) -> GigTask:
        self._writable(f"update task {task_id} of gig {gig_id}")
        path = f"gigs/{gig_id}/tasks/{task_id}"
        data = await self._call("POST", path, body=task.model_dump(mode="json", exclude_unset=True),
                                repeatable=True)
        return _parse(GigTask, data, f"POST {path}")

    # Invitations --------------------------------------------------------------------------------
    async def invite(self, gig_id: str, users: Sequence[InviteRequest]) -> list[GigInvitation]:
        self._writable(f"invite to gig {gig_id}")
        if not users:
            return []
        if len(users) == 1:
            body: dict[str, Any] = {"user_id": users[0].user_id}
            if users[0].no_reward:
                body["no_reward"] = True
        else:
            body = {"users": [{"id": u.user_id, "no_reward": u.no_reward} for u in users]}
        what = f"POST gigs/{gig_id}/invite"
        data = await self._call("POST", f"gigs/{gig_id}/invite", body=body, repeatable=False)
        items = data.get("data") if isinstance(data, dict) and data.get("object") == "list" else [data]
        if not isinstance(items, list):
            raise InvalidResponse(f"{what}: expected an invitation or a list of invitations")
        return [_parse(GigInvitation, item, what) for item in items]

    async def iter_invitations(self, query: InvitationFilter) -> AsyncIterator[GigInvitation]:
        async for item in pagination.iterate(self._transport, "gig_invitations",
                                             invitation_params(query)):
            yield _parse(GigInvitation, item, "GET gig_invitations")

    async def page_invitations(self, query: InvitationFilter, *, limit: int = DEFAULT_LIMIT,
                               after: str | None = None,
                               before: str | None = None) -> Page[GigInvitation]:
        params = [*invitation_params(query), ("limit", check_limit(limit))]
        params += [(name, value) for name, value in (("after", after), ("before", before))
                   if value is not None]
        data = await self._call("GET", "gig_invitations", params=params)
        items = pagination.page_data(data, "gig_invitations")
        invitations = [_parse(GigInvitation, item, "GET gig_invitations") for item in items]
        return Page(await self._registry(self.registry.annotate, invitations),
                    bool(data.get("has_more")))

    async def list_invitations(self, query: InvitationFilter) -> list[GigInvitation]:
        invitations = [i async for i in self.iter_invitations(query)]
        return await self._registry(self.registry.annotate, invitations)

    async def _transition(self, invitation_id: str, action: InvitationAction,
                          body: dict[str, Any] | None = None) -> GigInvitation:
        self._writable(f"{action.value} invitation {invitation_id}")
        path = f"gig_invitations/{invitation_id}/{action.value}"
        # Not repeated blindly: a second accept of an accepted invitation is a 422.
        data = await self._call("POST", path, body=body or {}, repeatable=False)
        return _parse(GigInvitation, data, f"POST {path}")

    async def accept_invitation(self, invitation_id: str,
                                no_reward: bool | None = None) -> GigInvitation:
        body = {} if no_reward is None else {"no_reward": no_reward}
        return await self._transition(invitation_id, InvitationAction.ACCEPT, body)

    async def reject_invitation(self, invitation_id: str) -> GigInvitation:
        return await self._transition(invitation_id, InvitationAction.REJECT)

    async def expire_invitation(self, invitation_id: str) -> GigInvitation:
        return await self._transition(invitation_id, InvitationAction.EXPIRE)

    async def reset_invitation(self, invitation_id: str, silent: bool = False) -> GigInvitation:
        return await self._transition(invitation_id, InvitationAction.RESET,
                                      {"silent": True} if silent else None)

    # Users --------------------------------------------------------------------------------------
    async def get_user(self, user_id: str) -> User:
        return _parse(User, await self._call("GET", f"users/{user_id}"), f"GET users/{user_id}")

    async def upsert_worker_document(self, user_id: str, document: dict[str, object]) -> User:
        self._writable(f"write the worker document of user {user_id}")
        path = f"users/{user_id}/worker"
        data = await self._call("POST", path, body={"document": document}, repeatable=True)
        return _parse(User, data, f"POST {path}")

    async def invitation_attempt(self, user_id: str, gig_ids: Sequence[str],
                                 max_amount: int | None = None) -> InvitationAttempt:
        self._writable(f"invitation attempt for user {user_id}")
        path = f"users/{user_id}/invitation_attempt"
        body: dict[str, Any] = {"gig_ids": list(gig_ids)}
        if max_amount is not None:
            body["max_amount"] = max_amount
        data = await self._call("POST", path, body=body, repeatable=False)
        return _parse(InvitationAttempt, data, f"POST {path}")

    async def create_user(self, user: UserCreate) -> User:
        self._writable("create user")
        data = await self._call("POST", "users", body=user.model_dump(exclude_none=True),
                                repeatable=False)
        return _parse(User, data, "POST users")

    async def delete_user(self, user_id: str) -> None:
        self._writable(f"delete user {user_id}")
        await self._call("DELETE", f"users/{user_id}")

    async def notification_preference(self, user_id: str) -> NotificationPreference:
        path = f"users/{user_id}/notification_preference"
        return _parse(NotificationPreference, await self._call("GET", path), f"GET {path}")

    async def set_notification_preferences(
        self, user_id: str, change: NotificationPreferenceSet
    ) -> NotificationPreference:
        self._writable(f"set the notification preferences of user {user_id}")
        path = f"users/{user_id}/notification_preferences"
        data = await self._call("POST", path, body=change.model_dump(mode="json"),
                                repeatable=True)
        return _parse(NotificationPreference, data, f"POST {path}")

    # What a finished gig produces ---------------------------------------------------------------
    async def _walk(self, model: type[M], path: str, gig_id: str | None,
                    user_id: str | None) -> list[M]:
        params = [(name, value) for name, value in (("gig_id", gig_id), ("user_id", user_id))
                  if value is not None]
        return [_parse(model, item, f"GET {path}")
                async for item in pagination.iterate(self._transport, path, params)]

    async def gig_results(self, gig_id: str | None = None,
                          user_id: str | None = None) -> list[GigResult]:
        return await self._walk(GigResult, "gig_results", gig_id, user_id)

    async def create_gig_result(self, result: GigResultCreate) -> GigResult:
        self._writable("create gig result")
        # With an idempotency key Cirro answers a repeat with the first result: safe to retry.
        data = await self._call("POST", "gig_results",
                                body=result.model_dump(mode="json", exclude_none=True),
                                repeatable=result.idempotency_key is not None)
        return _parse(GigResult, data, "POST gig_results")

    async def gig_time_activities(self, gig_id: str | None = None,
                                  user_id: str | None = None) -> list[GigTimeActivity]:
        return await self._walk(GigTimeActivity, "gig_time_activities", gig_id, user_id)

    async def create_gig_time_activity(self, activity: GigTimeActivityCreate) -> GigTimeActivity:
        self._writable("create gig time activity")
        data = await self._call("POST", "gig_time_activities",
                                body=activity.model_dump(mode="json", exclude_none=True),
                                repeatable=False)
        return _parse(GigTimeActivity, data, "POST gig_time_activities")

    # What the console derives -------------------------------------------------------------------
    async def poll(self, gig_id: str) -> list[GigInvitation]:
        """Fetch a gig's invitations and fold them into its recorded history."""
        invitations = [i async for i in self.iter_invitations(InvitationFilter(gig_id=gig_id))]
        await self._registry(self.registry.record_poll, gig_id, await self.now(), invitations)
        return invitations

    async def poll_watched(self) -> list[BackendError]:
        """Poll every watched gig, a few at a time; returns the errors instead of stopping."""
        watched = [k.id for k in await self._registry(self.registry.known) if k.watched]
        results = await bounded_map(self.poll, watched, self._concurrency)
        errors = [r for r in results if isinstance(r, BackendError)]
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, BackendError):
                raise result
        return errors

    async def gig_stats(self, gig_id: str) -> GigStats:
        """Counts from a fresh poll; waves as this console has seen them (see :meth:`waves`)."""
        gig = await self.get_gig(gig_id)
        invitations = await self.poll(gig_id)
        counts = Counter(invitation.status for invitation in invitations)
        seen = [w for w in await self._registry(self.registry.waves, gig_id) if w.n > 0]
        accepted = counts[InvitationStatus.ACCEPTED]
        now = await self.now()
        return GigStats(
            gig_id=gig.id, invited=len(invitations), accepted=accepted,
            rejected=counts[InvitationStatus.REJECTED], expired=counts[InvitationStatus.EXPIRED],
            pending=counts[InvitationStatus.PENDING], waves_sent=len(seen),
            last_wave_at=seen[-1].at if seen else None,
            next_wave_at=next_tick_at(gig, now) if waves_wanted(gig, accepted) else None,
        )

    async def remember_read(self, gigs: Sequence[Gig], stats: Sequence[GigStats]) -> None:
        """Keep a complete read of the gig list (the console's poll) for :meth:`last_read`."""
        await self._registry(self.registry.save_last_read, int(self._clock()), await self.now(),
                             [gig.to_api() for gig in gigs],
                             [s.model_dump(mode="json") for s in stats])

    async def last_read(self) -> LastRead | None:
        """The last read :meth:`remember_read` kept, or None; an unreadable one is None too
        (it is only a fallback while the API cannot be reached)."""
        try:
            row = await self._registry(self.registry.last_read)
            if row is None:
                return None
            return LastRead(read_at=row["read_at"], now=row["now"],
                            gigs=[Gig.model_validate(g) for g in row["gigs"]],
                            stats=[GigStats.model_validate(s) for s in row["stats"]])
        except (RegistryError, KeyError, TypeError, ValidationError) as exc:
            log.warning("%s: last read of the gig list not usable: %s", self.context, exc)
            return None

    async def waves(self, gig_id: str) -> list[WaveRecord]:
        """The waves seen so far. Asking for them makes the gig watched: each call polls."""
        await self.poll(gig_id)
        await self._registry(self.registry.add, [gig_id], "tracked", await self.now())
        await self._registry(self.registry.set_watched, gig_id, True)
        return await self._registry(self.registry.waves, gig_id)

    async def close(self) -> None:
        await self._transport.close()
