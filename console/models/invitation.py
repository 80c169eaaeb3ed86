"""Gig invitations and the transitions the API allows between their statuses."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict

from console.base_model import Model
from .fields import Id, Timestamp


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    EXPIRED = "expired"


class InvitationAction(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    EXPIRE = "expire"
    RESET = "reset"


# action -> (statuses it may start from, status it leads to); anything else is a 422 in the API.
TRANSITIONS: dict[InvitationAction, tuple[frozenset[InvitationStatus], InvitationStatus]] = {
    InvitationAction.ACCEPT: (frozenset({InvitationStatus.PENDING}), InvitationStatus.ACCEPTED),
    InvitationAction.REJECT: (frozenset({InvitationStatus.PENDING}), InvitationStatus.REJECTED),
    InvitationAction.EXPIRE: (frozenset({InvitationStatus.PENDING}), InvitationStatus.EXPIRED),
    InvitationAction.RESET: (
        frozenset({InvitationStatus.ACCEPTED, InvitationStatus.EXPIRED}),
        InvitationStatus.PENDING,
    ),
}


class InvalidTransition(ValueError):
    def __init__(self, invitation_id: str, action: InvitationAction, status: InvitationStatus):
        allowed = ", ".join(sorted(TRANSITIONS[action][0]))
        super().__init__(
            f"cannot {action.value} invitation {invitation_id}: it is {status.value}; "
            f"{action.value} applies only to {allowed} invitations"
        )
        self.invitation_id = invitation_id
        self.action = action
        self.status = status


def next_status(
    invitation_id: str, current: InvitationStatus, action: InvitationAction
) -> InvitationStatus:
    """The status an action leads to, or :class:`InvalidTransition`."""
    allowed_from, target = TRANSITIONS[action]
    if current not in allowed_from:
        raise InvalidTransition(invitation_id, action, current)
    return target


class GigInvitation(Model):
    """One invitation of one user to one gig.

    ``wave``, ``invited_at`` and ``responded_at`` are not in the API's object: the console records
    them itself (the simulation knows them; for a real gig they come from polling snapshots)."""

    model_config = ConfigDict(extra="allow")

    id: Id
    object: Literal["gig_invitation"] = "gig_invitation"
    status: InvitationStatus
    gig_id: Id
    user_id: Id
    no_reward: bool = False
    epam_bench_status: str | None = None
    wave: int | None = None
    invited_at: Timestamp | None = None
    responded_at: Timestamp | None = None

    def to_api(self) -> dict[str, object]:
        return self.model_dump(
            mode="json", exclude={"wave", "invited_at", "responded_at"}, exclude_none=False
        )
