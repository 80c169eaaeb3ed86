"""Cirro's own v2 response fixtures (tests/fixtures/cirro_v2, from its Ruby client) parse with our
models and dump back to the same JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from console.models import (
    Deleted,
    Gig,
    GigInvitation,
    GigResult,
    GigTask,
    GigTimeActivity,
    InvitationAttempt,
    ListEnvelope,
    NotificationPreference,
    NotificationTopicPreference,
    User,
    gig_warnings,
)

FIXTURES = Path(__file__).parent / "fixtures" / "cirro_v2"

MODELS: dict[str, type[BaseModel]] = {
    "gig/archive.json": Gig,
    "gig/create.json": Gig,
    "gig/update.json": Gig,
    "gig/delete.json": Deleted,
    "gig/invite_multi.json": ListEnvelope[GigInvitation],
    "gig/invite_single.json": GigInvitation,
    "gig/tasks.json": GigTask,
    "gig/update_task.json": GigTask,
    "gig_invitation/accept.json": GigInvitation,
    "gig_invitation/expire.json": GigInvitation,
    "gig_invitation/list.json": ListEnvelope[GigInvitation],
    "gig_invitation/reject.json": GigInvitation,
    "gig_invitation/reset.json": GigInvitation,
    "gig_result/create.json": GigResult,
    "gig_result/list.json": ListEnvelope[GigResult],
    "gig_time_activity/create.json": GigTimeActivity,
    "gig_time_activity/list.json": ListEnvelope[GigTimeActivity],
    "notification_topic_preference/list.json": ListEnvelope[NotificationTopicPreference],
    "user/create.json": User,
    "user/delete.json": Deleted,
    "user/find.json": User,
    "user/invitation_attempt.json": InvitationAttempt,
    "user/notification_preferences.json": NotificationPreference,
    "user/worker.json": User,
}


def dump(model: BaseModel) -> Any:
    return model.model_dump(mode="json", exclude_unset=True)


def test_every_fixture_has_a_model():
    assert sorted(str(p.relative_to(FIXTURES)) for p in FIXTURES.rglob("*.json")) == sorted(MODELS)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_fixture_round_trips(name):
    data = json.loads((FIXTURES / name).read_text())
    parsed = MODELS[name].model_validate(data)
    assert dump(parsed) == data
    assert dump(MODELS[name].model_validate(dump(parsed))) == data


def test_attempt_ids_stay_integers_and_update_is_read_with_a_warning():
    attempt = InvitationAttempt.model_validate_json((FIXTURES / "user/invitation_attempt.json")
                                                    .read_text())
    assert (attempt.gig_ids, attempt.app_worker_id) == ([2, 3], 1)
    gig = Gig.model_validate_json((FIXTURES / "gig/update.json").read_text())
    assert gig.end_at == 420 and gig_warnings(gig) == [
        "end_at (420) is not after start_at (1652285764)"]
