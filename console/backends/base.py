"""The one interface the console talks to: the local simulation and the Cirro API both implement it.

Every method is async: the remote backend does network I/O, and the TUI runs backend calls in
workers. Methods raise :mod:`console.backends.errors` exceptions, never transport or storage
exceptions. Mutations raise :class:`ReadOnlyError` on a read-only context.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from console.backends.controls import SimulationControls
from console.backends.paging import DEFAULT_LIMIT, Page
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
    InvitationAttempt,
    InvitationStatus,
    NotificationPreference,
    NotificationPreferenceSet,
    User,
    UserCreate,
    WaveRecord,
)

BackendKind = Literal["local", "remote"]


@dataclass(frozen=True)
class InviteRequest:
    """One user to invite manually, optionally without reward."""

    user_id: str
    no_reward: bool = False


@dataclass(frozen=True)
class InvitationFilter:
    """The filters of ``GET /gig_invitations``."""

    gig_id: str | None = None
    user_id: str | None = None
    status: Sequence[InvitationStatus] = ()
    exclude_archived_gigs: bool = False


@runtime_checkable
class KeepsLastRead(Protocol):
    """A backend that keeps the last complete read of the gig list (the remote API's, for the
    console to show while the API cannot be reached)."""

    async def remember_read(self, gigs: Sequence[Gig], stats: Sequence[GigStats]) -> None: ...

    async def last_read(self) -> LastRead | None: ...


@dataclass(frozen=True)
class LastRead:
    """A complete read of the gig list: when (our wall clock), the server's time then, what."""

    read_at: int
    now: int
    gigs: list[Gig]
    stats: list[GigStats]


@runtime_checkable
class Backend(Protocol):
    """Gigs, invitations and workers, wherever they live."""

    context: str
    kind: BackendKind
    read_only: bool
    # A clock the operator moves (the simulation, a replay); None for the remote API.
    simulation: SimulationControls | None
    # What the operator should know from the moment it opened (a private key others can read,
    # a recording's cut last line): said once where the operator looks.
    warnings: list[str]

    async def now(self) -> int:
        """The backend's clock in UNIX seconds: simulated time locally, wall time remotely."""
        ...

    # Gigs -------------------------------------------------------------------------------------
    async def list_gigs(self) -> list[Gig]:
        """Every gig this context knows (the API has no list endpoint: a registry stands in)."""
        ...

    async def get_gig(self, gig_id: str) -> Gig: ...

    async def create_gig(self, gig: GigCreate) -> Gig: ...

    async def update_gig(self, gig_id: str, update: GigUpdate) -> Gig: ...

    async def archive_gig(self, gig_id: str, archive_at: int | None = None, *,
                          archived_at: int | None = None) -> Gig:
        """Archive now, or schedule archiving at ``archive_at``; or set ``archived_at`` itself
        (what the Cirro client's spec sends)."""
        ...

    async def delete_gig(self, gig_id: str) -> None:
        """Delete a gig; only allowed before it starts (422 otherwise)."""
        ...

    async def add_task(self, gig_id: str, task: GigTaskCreate) -> GigTask: ...

    async def update_task(self, gig_id: str, task_id: str, task: GigTaskUpdate) -> GigTask: ...

    # Invitations ------------------------------------------------------------------------------
    async def invite(self, gig_id: str, users: Sequence[InviteRequest]) -> list[GigInvitation]:
        """Manual invite of one or many users."""
        ...

    async def list_invitations(self, query: InvitationFilter) -> list[GigInvitation]:
        """Every invitation that matches (the remote backend walks all pages)."""
        ...

    async def page_invitations(self, query: InvitationFilter, *, limit: int = DEFAULT_LIMIT,
                               after: str | None = None,
                               before: str | None = None) -> Page[GigInvitation]:
        """One page of matching invitations, in the order :meth:`list_invitations` gives them
        (one API call remotely; ``serve`` answers with it). BadRequest for an unknown cursor or a
        limit outside 1..500."""
        ...

    async def accept_invitation(
        self, invitation_id: str, no_reward: bool | None = None
    ) -> GigInvitation: ...

    async def reject_invitation(self, invitation_id: str) -> GigInvitation: ...

    async def expire_invitation(self, invitation_id: str) -> GigInvitation: ...

    async def reset_invitation(self, invitation_id: str, silent: bool = False) -> GigInvitation: ...

    # Users ------------------------------------------------------------------------------------
    async def get_user(self, user_id: str) -> User: ...

    async def upsert_worker_document(self, user_id: str, document: dict[str, object]) -> User: ...

    async def invitation_attempt(
        self, user_id: str, gig_ids: Sequence[str], max_amount: int | None = None
    ) -> InvitationAttempt: ...

    async def create_user(self, user: UserCreate) -> User:
        """Seed a user (Cirro: staging/dev only); it has no worker document yet."""
        ...

    async def delete_user(self, user_id: str) -> None: ...

    async def notification_preference(self, user_id: str) -> NotificationPreference: ...

    async def set_notification_preferences(
        self, user_id: str, change: NotificationPreferenceSet
    ) -> NotificationPreference: ...

    # What a finished gig produces -------------------------------------------------------------
    async def gig_results(self, gig_id: str | None = None,
                          user_id: str | None = None) -> list[GigResult]:
        """Every matching result (the remote backend walks all pages)."""
        ...

    async def create_gig_result(self, result: GigResultCreate) -> GigResult:
        """A result; with an ``idempotency_key`` already used, the result made with it."""
        ...

    async def gig_time_activities(self, gig_id: str | None = None,
                                  user_id: str | None = None) -> list[GigTimeActivity]: ...

    async def create_gig_time_activity(self, activity: GigTimeActivityCreate) -> GigTimeActivity: ...

    # What the console derives (the API records none of it) -----------------------------------
    async def gig_stats(self, gig_id: str) -> GigStats: ...

    async def waves(self, gig_id: str) -> list[WaveRecord]: ...

    async def close(self) -> None: ...
