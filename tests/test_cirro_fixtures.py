"""Cirro's own v2 response fixtures (tests/fixtures/cirro_v2, from its Ruby client) parse with our
models and dump back to the same JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from keys import key_pair
from pydantic import BaseModel
from stub_http import Answer, Seen, StubServer

from console.backends.base import InviteRequest
from console.backends.factory import open_remote
from console.config import RemoteContext
from console.models import (
    Deleted,
    Gig,
    GigInvitation,
    GigResult,
    GigTask,
    GigTaskCreate,
    GigTimeActivity,
    GigUpdate,
    InvitationAttempt,
    ListEnvelope,
    NotificationPreference,
    NotificationTopicPreference,
    User,
    UserCreate,
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


async def test_the_remote_backend_reads_cirros_answers(tmp_path):
    """Each call of the remote backend, answered with Cirro's fixture for it, parses (and the
    gig that ends before it starts is taken, with its warning)."""
    answers = {
        ("GET", "/api/v2/gigs/1"): "gig/create.json",
        ("POST", "/api/v2/gigs/1"): "gig/update.json",
        ("POST", "/api/v2/gigs/1/archive"): "gig/archive.json",
        ("POST", "/api/v2/gigs/1/tasks"): "gig/tasks.json",
        ("POST", "/api/v2/gigs/1/invite"): "gig/invite_multi.json",
        ("GET", "/api/v2/users/13"): "user/find.json",
        ("POST", "/api/v2/users"): "user/create.json",
        ("DELETE", "/api/v2/users/1"): "user/delete.json",
        ("POST", "/api/v2/users/13/invitation_attempt"): "user/invitation_attempt.json",
        ("GET", "/api/v2/users/13/notification_preference"): "user/notification_preferences.json",
        ("GET", "/api/v2/gig_results"): "gig_result/list.json",
        ("GET", "/api/v2/gig_time_activities"): "gig_time_activity/list.json",
    }

    def route(seen: Seen) -> Answer:
        name = answers[(seen.method, seen.target.split("?")[0])]
        return Answer(body=json.loads((FIXTURES / name).read_text()),
                      headers={"Date": "Mon, 02 Mar 2026 10:00:00 GMT"})

    private, _ = key_pair().write(tmp_path)
    async with StubServer([], route=route) as server:
        backend = open_remote("cirro", RemoteContext(
            base_url=server.base_url, app_id="1", private_key=private, data_dir=tmp_path,
            retries=0))
        updated = await backend.update_gig("1", GigUpdate(title="New Title", end_at=420))
        assert gig_warnings(updated) and updated.title == "New Title"
        assert (await backend.get_gig("1")).tasks.data[0].object == "gig_task"
        assert (await backend.archive_gig("1", archived_at=1653412330)).archived_at == 1653412330
        assert (await backend.add_task("1", GigTaskCreate(title="t", base_price=1))).id == "1"
        assert [i.user_id for i in await backend.invite(
            "1", [InviteRequest("20"), InviteRequest("14")])] == ["20", "14"]
        assert (await backend.get_user("13")).epam["id"] == "12345"
        assert (await backend.create_user(UserCreate(first_name="Maynard"))).first_name == "Maynard"
        await backend.delete_user("1")
        attempt = await backend.invitation_attempt("13", ["2", "3"], max_amount=2)
        assert attempt.gig_ids == [2, 3] and attempt.app_worker_id == 1
        assert (await backend.notification_preference("13")).locale == "de"
        assert [r.gig_task_id for r in await backend.gig_results(gig_id="1")] == ["1"]
        assert [a.duration_in_ms for a in await backend.gig_time_activities()] == [7_200_000]
        await backend.close()
    archive = next(s for s in server.seen if s.target.endswith("/archive"))
    assert json.loads(archive.body) == {"archived_at": 1653412330}
