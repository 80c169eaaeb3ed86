"""What every backend promises the console, checked on the simulation and over the API alike."""

from __future__ import annotations

from collections import Counter

import pytest

from console.backends.base import Backend, InvitationFilter, InviteRequest
from console.backends.errors import BadRequest, NotFound, ReadOnlyError, Unprocessable
from console.models import (
    GigCreate,
    GigInvitation,
    GigTaskCreate,
    GigTaskUpdate,
    GigUpdate,
    InvitationStatus,
)

HOUR = 3600
PENDING, ACCEPTED = InvitationStatus.PENDING, InvitationStatus.ACCEPTED


async def new_gig(backend: Backend, *, starts_in: int = -HOUR, mode: str = "manual", **extra):
    now = await backend.now()
    body = dict(title="Contract gig", description="d", url="https://space.example/g",
                start_at=now + starts_in, end_at=now + 48 * HOUR, total_seats=2, seats_min=2,
                invitation_mode=mode, filter_query={"status": "active"}, sort_query={"rating": -1},
                tasks=[{"title": "Run", "base_price": 100}], **extra)
    return await backend.create_gig(GigCreate.model_validate(body))


async def test_create_get_and_list(backend):
    gig = await new_gig(backend, notification_payload={"k": "v"})
    fetched = await backend.get_gig(gig.id)
    assert fetched.to_api() == gig.to_api()
    assert (fetched.title, fetched.invitation_mode, fetched.seats_min) == ("Contract gig",
                                                                          "manual", 2)
    assert fetched.tasks.data[0].title == "Run" and fetched.notification_payload == {"k": "v"}
    assert fetched.invitation_notification_topic.name == "new_gig_invitation"
    assert gig.id in [g.id for g in await backend.list_gigs()]


async def test_unknown_gig_is_404_with_a_message(backend):
    with pytest.raises(NotFound) as info:
        await backend.get_gig("999999")
    assert info.value.status == 404 and "999999" in info.value.message


async def test_update_is_partial_and_frozen_fields_are_refused_after_start(backend):
    gig = await new_gig(backend)
    updated = await backend.update_gig(gig.id, GigUpdate(seats_max=5, sort_query={"rating": 1}))
    assert (updated.seats_max, updated.sort_query, updated.title) == (5, {"rating": 1},
                                                                      "Contract gig")
    with pytest.raises(Unprocessable, match="title"):
        await backend.update_gig(gig.id, GigUpdate(title="Renamed"))
    with pytest.raises(Unprocessable, match="seats_max"):
        await backend.update_gig(gig.id, GigUpdate(seats_max=1))


async def test_archive_now_and_scheduled(backend):
    now = await backend.now()
    archived = await backend.archive_gig((await new_gig(backend)).id)
    assert archived.archived_at == now
    scheduled = await backend.archive_gig((await new_gig(backend)).id, now + HOUR)
    assert (scheduled.archive_at, scheduled.archived_at) == (now + HOUR, None)
    with pytest.raises(Unprocessable, match="already archived"):
        await backend.archive_gig(archived.id)


async def test_delete_only_before_start(backend):
    later = await new_gig(backend, starts_in=HOUR)
    await backend.delete_gig(later.id)
    with pytest.raises(NotFound):
        await backend.get_gig(later.id)
    started = await new_gig(backend)
    with pytest.raises(Unprocessable, match="archive it instead"):
        await backend.delete_gig(started.id)


async def test_tasks(backend):
    gig = await new_gig(backend)
    task = await backend.add_task(gig.id, GigTaskCreate(title="Review", base_price=50))
    changed = await backend.update_task(gig.id, task.id, GigTaskUpdate(base_price=75))
    assert (changed.id, changed.title, changed.base_price) == (task.id, "Review", 75)
    assert [t.title for t in (await backend.get_gig(gig.id)).tasks.data] == ["Run", "Review"]
    with pytest.raises(NotFound):
        await backend.update_task(gig.id, "999999", GigTaskUpdate(title="x"))


async def test_invite_list_and_filters(backend):
    gig = await new_gig(backend)
    one = await backend.invite(gig.id, [InviteRequest("11")])
    bulk = await backend.invite(gig.id, [InviteRequest("12"), InviteRequest("13", no_reward=True)])
    assert [(i.user_id, i.status, i.no_reward) for i in one + bulk] == [
        ("11", PENDING, False), ("12", PENDING, False), ("13", PENDING, True)]
    with pytest.raises(Unprocessable, match="already invited"):
        await backend.invite(gig.id, [InviteRequest("12")])
    await backend.accept_invitation(bulk[0].id)
    listed = await backend.list_invitations(InvitationFilter(gig_id=gig.id))
    assert sorted(i.user_id for i in listed) == ["11", "12", "13"]
    accepted = await backend.list_invitations(InvitationFilter(gig_id=gig.id, status=[ACCEPTED]))
    assert [i.user_id for i in accepted] == ["12"]
    both = await backend.list_invitations(InvitationFilter(gig_id=gig.id,
                                                           status=[ACCEPTED, PENDING]))
    assert len(both) == 3
    mine = await backend.list_invitations(InvitationFilter(gig_id=gig.id, user_id="13"))
    assert [i.id for i in mine] == [bulk[1].id]


async def test_transitions_follow_the_api(backend):
    gig = await new_gig(backend)
    (invitation,) = await backend.invite(gig.id, [InviteRequest("21")])
    steps = [
        await backend.accept_invitation(invitation.id, no_reward=True),
        await backend.reset_invitation(invitation.id, silent=True),
        await backend.expire_invitation(invitation.id),
        await backend.reset_invitation(invitation.id, silent=True),
        await backend.reject_invitation(invitation.id),
    ]
    assert [s.status.value for s in steps] == ["accepted", "pending", "expired", "pending",
                                                "rejected"]
    assert steps[0].no_reward is True
    with pytest.raises(Unprocessable, match="cannot reset invitation .* it is rejected"):
        await backend.reset_invitation(invitation.id)
    with pytest.raises(NotFound):
        await backend.accept_invitation("999999")


async def test_seats_max_expires_pending(backend):
    gig = await new_gig(backend, seats_max=2)
    invitations = await backend.invite(gig.id, [InviteRequest(u) for u in ("31", "32", "33")])
    for invitation in invitations[:2]:
        await backend.accept_invitation(invitation.id)
    statuses = {i.user_id: i.status.value
                for i in await backend.list_invitations(InvitationFilter(gig_id=gig.id))}
    assert statuses == {"31": "accepted", "32": "accepted", "33": "expired"}
    stats = await backend.gig_stats(gig.id)
    assert (stats.invited, stats.accepted, stats.expired, stats.pending) == (3, 2, 1, 0)


async def test_users_and_worker_documents(backend):
    user = await backend.get_user("41")
    assert user.id == "41" and user.worker is not None and "status" in user.worker.document
    updated = await backend.upsert_worker_document("41", {"status": "active", "segment": "x"})
    assert updated.worker.document["segment"] == "x"
    assert (await backend.get_user("41")).worker.document["segment"] == "x"
    with pytest.raises(NotFound):
        await backend.get_user("99999999")


async def test_invitation_attempt_invites_on_a_match(backend):
    gig = await new_gig(backend)
    await backend.upsert_worker_document("51", {"status": "active"})
    attempt = await backend.invitation_attempt("51", [gig.id], max_amount=1)
    assert attempt.gig_ids == [int(gig.id)]  # Cirro answers integers
    invited = await backend.list_invitations(InvitationFilter(gig_id=gig.id, user_id="51"))
    assert [i.status for i in invited] == [PENDING]


async def test_listing_every_invitation_walks_all_pages(backend):
    everything = await backend.list_invitations(InvitationFilter())
    assert len(everything) > 1000  # several pages of 500 over the API
    assert len({i.id for i in everything}) == len(everything)
    per_gig = Counter(i.gig_id for i in everything)
    for gig_id in ("1", "3"):
        listed = await backend.list_invitations(InvitationFilter(gig_id=gig_id))
        assert len(listed) == per_gig[gig_id]
        assert all(isinstance(i, GigInvitation) and i.gig_id == gig_id for i in listed)


async def test_waves_account_for_an_auto_gigs_invitations(backend):
    waves = await backend.waves("3")
    invitations = await backend.list_invitations(InvitationFilter(gig_id="3"))
    assert waves and all(w.gig_id == "3" for w in waves)
    assert sum(w.invited for w in waves) == len(invitations)
    stats = await backend.gig_stats("3")
    assert stats.invited == len(invitations)


async def test_read_only_refuses_every_mutation(read_only_backend):
    backend = read_only_backend
    body = GigCreate(title="t", description="d", url="u", start_at=1, end_at=2, total_seats=1,
                     invitation_mode="manual", filter_query={})
    mutations = [
        lambda: backend.create_gig(body),
        lambda: backend.update_gig("3", GigUpdate(seats_max=99)),
        lambda: backend.archive_gig("3"),
        lambda: backend.invite("3", [InviteRequest("1")]),
        lambda: backend.upsert_worker_document("1", {}),
    ]
    for mutation in mutations:
        with pytest.raises(ReadOnlyError):
            await mutation()


async def test_pages_walk_the_same_list(backend):
    query = InvitationFilter(gig_id="3")
    everything = [i.id for i in await backend.list_invitations(query)]
    walked, after = [], None
    while True:
        page = await backend.page_invitations(query, limit=7, after=after)
        walked += [i.id for i in page.data]
        if not page.has_more:
            break
        after = page.data[-1].id
    assert walked == everything
    back = await backend.page_invitations(query, limit=7, before=everything[10])
    assert [i.id for i in back.data] == everything[3:10] and back.has_more
    with pytest.raises(BadRequest, match="No such object: nope"):
        await backend.page_invitations(query, after="nope")
    with pytest.raises(BadRequest, match="limit must be an integer between 1 and 500"):
        await backend.page_invitations(query, limit=0)
