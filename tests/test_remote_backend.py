"""RemoteBackend against a scripted server: request shapes, the registry's use, and recovery."""

from __future__ import annotations

import json

import pytest
from keys import key_pair
from stub_http import Answer, StubServer

from console.backends.base import Backend, InvitationFilter, InviteRequest
from console.backends.errors import BackendError
from console.backends.factory import open_remote
from console.config import RemoteContext
from console.models import InvitationStatus

GIG = {"id": "5", "object": "gig", "title": "T", "description": "d", "url": "u",
       "start_at": 100, "end_at": 200, "total_seats": 1, "invitation_mode": "manual",
       "filter_query": {}}
DATE = {"Date": "Mon, 02 Mar 2026 10:00:00 GMT"}


def invitation(i: str, gig: str = "5", status: str = "pending") -> dict:
    return {"id": i, "object": "gig_invitation", "status": status, "gig_id": gig, "user_id": "u" + i}


def page(*items, has_more=False) -> Answer:
    return Answer(body={"object": "list", "has_more": has_more, "data": list(items)})


@pytest.fixture
def make(tmp_path):
    private, _ = key_pair().write(tmp_path)

    def make(server: StubServer):
        return open_remote("staging", RemoteContext(
            base_url=server.base_url, app_id="a", private_key=private, data_dir=tmp_path,
            retries=1, backoff=0.0))
    return make


async def test_keeps_working_after_giving_up(make):
    async with StubServer([Answer(500, {"error": "down"}), Answer(drop=True),
                           Answer(body=GIG)]) as server:
        backend = make(server)
        with pytest.raises(BackendError, match="gave up after 2 attempts"):
            await backend.get_gig("5")
        assert (await backend.get_gig("5")).title == "T"
        await backend.close()


async def test_list_gigs_marks_404_missing_and_keeps_the_rest(make):
    script = [page(invitation("1", "5"), invitation("2", "6")), Answer(body=GIG),
              Answer(404, {"error": "gig 6 not found"}), page(), Answer(body=GIG)]
    async with StubServer(script) as server:
        backend = make(server)
        assert [g.id for g in await backend.list_gigs()] == ["5"]
        assert [g.id for g in await backend.list_gigs()] == ["5"]  # 6 not asked again
        await backend.close()
    assert [s.target.split("?")[0] for s in server.seen[3:]] == ["/api/v2/gig_invitations",
                                                                  "/api/v2/gigs/5"]
    assert "after=2" in server.seen[3].target


async def test_refused_cursor_restarts_discovery(make):
    script = [page(invitation("1")), Answer(body=GIG),
              Answer(400, {"error": "No such object: 1"}), page(invitation("3", "7")),
              Answer(body=GIG), Answer(body=GIG | {"id": "7"})]
    async with StubServer(script) as server:
        backend = make(server)
        await backend.list_gigs()
        assert sorted(g.id for g in await backend.list_gigs()) == ["5", "7"]
        await backend.close()
    assert backend.registry.cursor() == "3"


async def test_invite_and_filter_shapes(make):
    bulk = {"object": "list", "data": [invitation("1"), invitation("2")]}
    script = [Answer(body=invitation("1")), Answer(body=bulk), page()]
    async with StubServer(script) as server:
        backend = make(server)
        await backend.invite("5", [InviteRequest("9", no_reward=True)])
        assert len(await backend.invite("5", [InviteRequest("1"), InviteRequest("2")])) == 2
        await backend.list_invitations(InvitationFilter(
            gig_id="5", status=[InvitationStatus.PENDING, InvitationStatus.ACCEPTED],
            exclude_archived_gigs=True))
        await backend.close()
    assert json.loads(server.seen[0].body) == {"user_id": "9", "no_reward": True}
    assert json.loads(server.seen[1].body) == {"users": [{"id": "1", "no_reward": False},
                                                         {"id": "2", "no_reward": False}]}
    assert server.seen[2].target == ("/api/v2/gig_invitations?gig_id=5&status%5B%5D=pending&"
                                     "status%5B%5D=accepted&exclude_archived_gigs=true&limit=500")


async def test_waves_from_polls_and_clock_from_date(make):
    script = [page(invitation("1")), Answer(body=page(invitation("1"), invitation("2")).body,
                                            headers=DATE)]
    async with StubServer(script) as server:
        backend = make(server)
        first = await backend.waves("5")
        second = await backend.waves("5")
        assert await backend.now() == 1_772_445_600
        await backend.close()
    assert [(w.n, w.invited) for w in first] == [(0, 1)]
    assert [(w.n, w.invited) for w in second] == [(0, 1), (1, 1)]
    assert [k.id for k in backend.registry.known() if k.watched] == ["5"]


async def test_an_invalid_answer_names_the_field(make):
    async with StubServer([Answer(body={"id": "5", "object": "gig"})]) as server:
        backend = make(server)
        with pytest.raises(BackendError, match="GET gigs/5: the answer is not a valid Gig: "
                                               "title: is required"):
            await backend.get_gig("5")
        await backend.close()


async def test_poll_watched_polls_each_watched_gig_and_reports_failures(make):
    async with StubServer([]) as server:
        backend = make(server)
        backend.registry.add(["5", "6", "7"], "tracked", 0)
        backend.registry.set_watched("5")
        backend.registry.set_watched("6")
        server.route = lambda seen: (page(invitation("1")) if "gig_id=5" in seen.target
                                     else Answer(404, {"error": "gig 6 not found"}))
        errors = await backend.poll_watched()
        await backend.close()
    assert [e.status for e in errors] == [404]
    assert sorted(s.target.split("gig_id=")[1].split("&")[0] for s in server.seen) == ["5", "6"]
    assert [(w.n, w.invited) for w in backend.registry.waves("5")] == [(0, 1)]


async def test_implements_the_backend_protocol(make):
    async with StubServer([]) as server:
        backend = make(server)
        assert isinstance(backend, Backend) and backend.kind == "remote"
        await backend.close()
