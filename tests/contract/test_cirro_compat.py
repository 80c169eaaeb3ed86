"""serve answers as Cirro does for Cirro's own client (issue 17): one test per difference found,
over the socket (raw JSON, as the Ruby client reads it) and through both backends."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import jwt
import pytest
from tests.contract.test_backend_contract import new_gig

from console.backends.base import InvitationFilter, InviteRequest
from console.backends.errors import NotFound, Unprocessable
from console.models import (
    GigCreate,
    GigResultCreate,
    GigTaskCreate,
    GigTimeActivityCreate,
    GigUpdate,
    NotificationPreferenceSet,
    UserCreate,
)
from console.server.app import ROUTES
from console.server.openapi import openapi_document
from console.server.space_routes import SPACE_ROUTES

HOUR = 3600
CIRRO_FIXTURES = Path(__file__).parent.parent / "fixtures" / "cirro_v2"


@pytest.fixture(scope="module")
def http(served_url, key_files, answer_checker):
    """A client as Cirro's Ruby client is: client_id 1, so the token's sub is an integer."""
    pem = key_files[0].read_bytes()

    def sign(request: httpx.Request) -> None:
        token = jwt.encode({"sub": 1, "exp": int(time.time()) + 600}, pem, algorithm="RS256")
        request.headers["Authorization"] = f"Bearer {token}"

    def check(response: httpx.Response) -> None:
        response.read()
        answer_checker.check(response)

    with httpx.Client(base_url=served_url + "/", timeout=5,
                      event_hooks={"request": [sign], "response": [check]}) as client:
        yield client


def readme_gig(now: int) -> dict:
    """The client README's create example (seats_min and seats_max, no total_seats)."""
    return {"title": "Favourite programming language?", "description": "Description of gig ...",
            "url": "http://heathcote.co/zina.gibson", "start_at": now - HOUR,
            "end_at": now + 48 * HOUR, "seats_min": 2, "seats_max": 2, "invitation_mode": "auto",
            "filter_query": {"status": "active", "segment": "my_favorite_testers"},
            "tasks": [{"title": "Ah, Wilderness!", "base_price": 300}],
            "notification_payload": {"project_title": "Corporate Tax"},
            "epam_options": {"extra_mile": True}}


def served_now(http) -> int:
    return int(datetime.strptime(http.get("gigs/1").headers["Date"],
                                 "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC).timestamp())


# 1. Users carry a believable seeded profile beside their worker document. --------------------
async def test_users_have_a_seeded_profile_consistent_with_their_document(backend):
    users = [await backend.get_user(str(i)) for i in range(1, 41)]
    for user in users:
        assert user.first_name and user.last_name and user.time_zone and user.anonymous_email
        assert datetime.strptime(user.birthday, "%Y-%m-%d").year >= 1960
        if "country" in user.worker.document:
            assert user.country_code == user.worker.document["country"]
    assert any(u.epam is not None for u in users)
    assert (await backend.get_user("7")).model_dump() == users[6].model_dump()  # deterministic


# 2. A gig is created without total_seats, and seats_min follows total_seats. ------------------
async def test_create_takes_seats_min_alone_or_total_seats_alone(backend):
    now = await backend.now()
    readme = await backend.create_gig(GigCreate.model_validate(readme_gig(now)))
    assert (readme.seats_min, readme.seats_max, readme.total_seats) == (2, 2, 2)
    body = {k: v for k, v in readme_gig(now).items() if k not in ("seats_min", "seats_max")}
    spec = await backend.create_gig(GigCreate.model_validate(body | {"total_seats": 3}))
    assert (spec.seats_min, spec.seats_max) == (3, None)


def test_create_over_the_socket_as_the_readme_and_the_spec_do(http):
    now = served_now(http)
    readme = http.post("gigs", json=readme_gig(now))
    assert readme.status_code == 201 and readme.json()["seats_min"] == 2
    body = {k: v for k, v in readme_gig(now).items() if k not in ("seats_min", "seats_max")}
    spec = http.post("gigs", json=body | {"total_seats": 2})
    assert spec.status_code == 201 and spec.json()["seats_min"] == 2
    neither = http.post("gigs", json=body)
    assert neither.status_code == 422 and "total_seats: is required" in neither.json()["error"]


# 3. archive takes archive_at as an ISO-8601 time, and archived_at as the archiving time. -------
def test_archive_with_an_iso_time_and_with_archived_at(http):
    now = served_now(http)
    gig = http.post("gigs", json=readme_gig(now)).json()
    later = datetime.fromtimestamp(now + 86400, UTC).isoformat(timespec="milliseconds")
    scheduled = http.post(f"gigs/{gig['id']}/archive",
                          json={"archive_at": later.replace("+00:00", "Z")})
    assert scheduled.status_code == 200
    assert (scheduled.json()["archive_at"], scheduled.json()["archived_at"]) == (now + 86400, None)
    other = http.post("gigs", json=readme_gig(now)).json()
    archived = http.post(f"gigs/{other['id']}/archive", json={"archived_at": now - 60})
    assert archived.json()["archived_at"] == now - 60  # the spec: archived_at as sent
    naive = http.post(f"gigs/{gig['id']}/archive", json={"archive_at": "2026-03-03T10:00:00"})
    assert naive.status_code == 400 and "ISO-8601 time with a zone" in naive.json()["error"]


async def test_archived_at_through_the_backends(backend):
    now = await backend.now()
    gig = await new_gig(backend)
    archived = await backend.archive_gig(gig.id, archived_at=now - 30)
    assert archived.archived_at == now - 30 and archived.phase(now) == "archived"


# 4. A task added later carries its object tag in the gig. ------------------------------------
def test_added_task_appears_with_its_object_tag(http):
    gig = http.post("gigs", json=readme_gig(served_now(http))).json()
    added = http.post(f"gigs/{gig['id']}/tasks", json={"title": "Critical Bug", "base_price": 100})
    assert added.status_code == 201 and added.json()["object"] == "gig_task"
    tasks = http.get(f"gigs/{gig['id']}").json()["tasks"]["data"]
    assert [t["object"] for t in tasks] == ["gig_task", "gig_task"]


async def test_added_task_is_tagged_through_the_backends(backend):
    gig = await new_gig(backend)
    await backend.add_task(gig.id, GigTaskCreate(title="Review", base_price=50))
    assert [t["object"] for t in (await backend.get_gig(gig.id)).to_api()["tasks"]["data"]] == [
        "gig_task", "gig_task"]


# 5. invitation_attempt answers integer ids and echoes the payload. ---------------------------
def test_invitation_attempt_answers_as_the_fixture(http):
    gig = http.post("gigs", json=readme_gig(served_now(http)) | {"invitation_mode": "manual"})
    body = {"gig_ids": [int(gig.json()["id"])], "max_amount": 2}
    answer = http.post("users/61/invitation_attempt", json=body).json()
    fixture = json.loads((CIRRO_FIXTURES / "user/invitation_attempt.json").read_text())
    assert set(answer) == set(fixture) and answer["payload"] == body
    assert answer["gig_ids"] == body["gig_ids"] and isinstance(answer["app_worker_id"], int)


# 6. What Cirro answers is read; what we send is checked. --------------------------------------
async def test_end_before_start_is_refused_when_sent(backend):
    gig = await new_gig(backend, starts_in=HOUR)
    with pytest.raises(Unprocessable, match="end_at: must be after start_at"):
        await backend.update_gig(gig.id, GigUpdate(end_at=420))


# 7. Bench status, the bulk invite's envelope and an integer sub. ------------------------------
async def test_invitations_carry_the_users_bench_status(backend):
    gig = await new_gig(backend)
    users = [str(i) for i in range(101, 141)]
    invitations = await backend.invite(gig.id, [InviteRequest(u) for u in users])
    for invitation in invitations:
        epam = (await backend.get_user(invitation.user_id)).epam
        assert invitation.epam_bench_status == (epam and epam["bench_status"])
    assert {i.epam_bench_status for i in invitations} - {None}


def test_bulk_invite_envelope_and_integer_sub(http):
    gig = http.post("gigs", json=readme_gig(served_now(http)) | {"invitation_mode": "manual"})
    bulk = http.post(f"gigs/{gig.json()['id']}/invite", json={"users": [{"id": 20}, {"id": 14}]})
    assert bulk.status_code == 200  # the fixture http client signs with sub 1 (an integer)
    assert (bulk.json()["url"], [i["user_id"] for i in bulk.json()["data"]]) == (
        "/gig_invitations", ["20", "14"])


# 8. The calls the client has that serve lacked. ----------------------------------------------
async def test_users_create_and_delete(backend):
    made = await backend.create_user(UserCreate(first_name="Maynard", last_name="Keenan",
                                                country_code="DE", birthday="1975-11-22",
                                                password="@123456abc@"))
    fetched = await backend.get_user(made.id)
    assert (fetched.first_name, fetched.country_code, fetched.worker) == ("Maynard", "DE", None)
    assert fetched.time_zone == "Europe/Berlin"  # seeded where not given, after the country
    await backend.upsert_worker_document(made.id, {"status": "active"})
    assert (await backend.get_user(made.id)).worker.document == {"status": "active"}
    await backend.delete_user(made.id)
    with pytest.raises(NotFound):
        await backend.get_user(made.id)
    with pytest.raises(NotFound):
        await backend.delete_user(made.id)


def test_user_routes_over_the_socket(http):
    made = http.post("users", json={})
    assert made.status_code == 201 and made.json()["object"] == "user"
    deleted = http.delete(f"users/{made.json()['id']}")
    assert deleted.json() == {"id": made.json()["id"], "object": "user", "deleted": None}
    assert http.delete(f"users/{made.json()['id']}").status_code == 404
    for response in (http.put("gigs/1", json={}), http.post("users/1", json={})):
        assert (response.status_code, response.json()) == (404, {"error": "Not found"})


async def test_notification_preferences(backend):
    before = await backend.notification_preference("42")
    assert before.locale == "en" and before.topics.data[0].preferences == {"email": "immediately"}
    change = NotificationPreferenceSet.model_validate(
        {"locale": "de", "topics": [{"id": "1", "preferences": {"email": "digest_daily"}}]})
    after = await backend.set_notification_preferences("42", change)
    assert after.locale == "de" and after.topics.data[0].preferences == {"email": "digest_daily"}
    assert (await backend.notification_preference("42")).model_dump() == after.model_dump()
    wrong = NotificationPreferenceSet.model_validate(
        {"locale": "de", "topics": [{"id": "999", "preferences": {"email": "never"}}]})
    with pytest.raises(Unprocessable, match="topics.0.id: no notification topic 999"):
        await backend.set_notification_preferences("42", wrong)


async def test_gig_results_and_time_activities(backend):
    gig = await new_gig(backend)
    (invitation, unpaid) = await backend.invite(gig.id, [InviteRequest("71"),
                                                         InviteRequest("72", no_reward=True)])
    await backend.accept_invitation(invitation.id)
    task = gig.tasks.data[0]
    result = await backend.create_gig_result(GigResultCreate(
        gig_task_id=task.id, user_id="71", title="Run", quantity=2, multiplier="1.5",
        delivery_date="2026-03-02", cost_center_key="EPM-CRWD", idempotency_key=f"k-{gig.id}"))
    again = await backend.create_gig_result(GigResultCreate(
        gig_task_id=task.id, user_id="71", title="Run", quantity=2, cost_center_key="EPM-CRWD",
        idempotency_key=f"k-{gig.id}"))
    assert again.id == result.id and result.payout(task.base_price) == 300
    time_spent = await backend.create_gig_time_activity(GigTimeActivityCreate(
        gig_id=gig.id, user_id="71", date="2026-03-02", duration_in_ms=7_200_000))
    assert [r.id for r in await backend.gig_results(gig_id=gig.id)] == [result.id]
    assert [a.id for a in await backend.gig_time_activities(gig_id=gig.id)] == [time_spent.id]
    assert await backend.gig_results(gig_id=gig.id, user_id="72") == []
    with pytest.raises(Unprocessable, match="no_reward"):
        await backend.create_gig_time_activity(GigTimeActivityCreate(
            gig_id=gig.id, user_id=unpaid.user_id, date="2026-03-02", duration_in_ms=60_000))


def test_results_over_the_socket_page_and_repeat_with_208(http):
    gig = http.post("gigs", json=readme_gig(served_now(http)) | {"invitation_mode": "manual"})
    gig_id, task_id = gig.json()["id"], gig.json()["tasks"]["data"][0]["id"]
    http.post(f"gigs/{gig_id}/invite", json={"user_id": 81})
    body = {"gig_task_id": task_id, "user_id": "81", "title": "Run", "quantity": 1,
            "cost_center_key": "EPM-CRWD", "idempotency_key": f"once-{gig_id}"}
    first, again = http.post("gig_results", json=body), http.post("gig_results", json=body)
    assert (first.status_code, again.status_code) == (201, 208)
    assert again.json() == first.json()
    assert http.get("gig_results?limit=0").status_code == 400
    listed = http.get("gig_time_activities", params={"gig_id": "1"}).json()
    assert (listed["object"], listed["url"]) == ("list", "/gig_time_activities")


# 9. The OpenAPI document covers every route, and answers are checked against it. --------------
def test_openapi_document_lists_every_route_and_checks_answers(served_url, answer_checker):
    document = httpx.get(served_url + "/openapi.json").json()  # public: no token
    assert document == json.loads(json.dumps(openapi_document()))
    served = {(f"/api/v2{path}", method.lower()) for path, method, _ in ROUTES + SPACE_ROUTES}
    described = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert described == served
    assert answer_checker.problems("GET", "/api/v2/gigs/1", 200, {"id": "1", "object": "gig"})
    assert answer_checker.problems("GET", "/api/v2/gigs/1", 404, {"message": "x"})
    assert answer_checker.checked > 10
