"""Invitations, their transitions, users and the list envelope."""

from __future__ import annotations

import pytest

from console.models import (
    GigInvitation,
    GigTask,
    InvalidTransition,
    InvitationAction,
    InvitationStatus,
    ListEnvelope,
    User,
    next_status,
)

S = InvitationStatus
A = InvitationAction


@pytest.mark.parametrize(
    ("start", "action", "end"),
    [(S.PENDING, A.ACCEPT, S.ACCEPTED), (S.PENDING, A.REJECT, S.REJECTED),
     (S.PENDING, A.EXPIRE, S.EXPIRED), (S.ACCEPTED, A.RESET, S.PENDING), (S.EXPIRED, A.RESET, S.PENDING)],
)
def test_allowed_transitions(start, action, end):
    assert next_status("9", start, action) is end


@pytest.mark.parametrize(
    ("start", "action"),
    [(S.ACCEPTED, A.ACCEPT), (S.REJECTED, A.RESET), (S.EXPIRED, A.ACCEPT), (S.PENDING, A.RESET)],
)
def test_invalid_transitions_say_why(start, action):
    with pytest.raises(InvalidTransition) as info:
        next_status("9", start, action)
    assert f"cannot {action.value} invitation 9: it is {start.value}" in str(info.value)


def test_invitation_fixture_shape_and_console_fields_stay_out_of_api():
    inv = GigInvitation.model_validate(
        {"id": "1", "object": "gig_invitation", "status": "pending", "gig_id": 10, "user_id": "20",
         "no_reward": False, "epam_bench_status": "extra_mile"}
    )
    assert inv.gig_id == "10"
    inv.wave, inv.invited_at = 3, 1000
    assert "wave" not in inv.to_api() and inv.to_api()["epam_bench_status"] == "extra_mile"


def test_invitation_status_must_be_known():
    with pytest.raises(ValueError):
        GigInvitation.model_validate({"id": "1", "status": "maybe", "gig_id": "1", "user_id": "2"})


def test_user_with_worker_document():
    user = User.model_validate(
        {"id": "13", "object": "user", "first_name": "Grazyna", "country_code": "RO",
         "worker": {"billable": False, "document": {"languages": ["german"]}}, "epam": None}
    )
    assert user.worker is not None and user.worker.document == {"languages": ["german"]}


def test_list_envelope():
    page = ListEnvelope[GigTask].model_validate(
        {"object": "list", "url": "/x", "has_more": True,
         "data": [{"id": "1", "object": "gig_task", "title": "a", "base_price": 3}]}
    )
    assert page.has_more and page.data[0].base_price == 3
