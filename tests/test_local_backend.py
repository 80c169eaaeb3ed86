"""LocalBackend: the simulation behind the Backend protocol, with the demo on first start."""

from __future__ import annotations

import time

import pytest
from serve_process import copy_sim

from console.backends import (
    Backend,
    BackendError,
    InvitationFilter,
    InviteRequest,
    NotFound,
    ReadOnlyError,
    Unprocessable,
)
from console.backends.local import LocalBackend
from console.config import LocalContext
from console.models import GigCreate, GigPhase, GigUpdate, InvitationStatus
from console.mql import MQLError
from console.sim.demo import DEMO_NOW


@pytest.fixture
async def backend(tmp_path):
    backend = LocalBackend.open(tmp_path / "sim")
    yield backend
    await backend.close()


def by_title(gigs, title):
    return next(g for g in gigs if g.title == title)


async def test_demo_covers_every_phase_and_both_modes(backend):
    assert isinstance(backend, Backend)
    assert await backend.now() == DEMO_NOW
    gigs = await backend.list_gigs()
    assert len(gigs) == 8
    assert {g.phase(DEMO_NOW) for g in gigs} == set(GigPhase)
    assert {g.invitation_mode for g in gigs} == {"auto", "manual"}
    live_auto = by_title(gigs, "Checkout regression (Android)")
    stats = await backend.gig_stats(live_auto.id)
    assert stats.waves_sent > 0 and stats.pending > 0 and stats.next_wave_at is not None
    assert stats.accepted < live_auto.seats_min
    waves = await backend.waves(live_auto.id)
    assert sum(w.invited for w in waves) == stats.invited
    assert len(backend.simulation.population()) == 5000


async def test_demo_is_deterministic(tmp_path):
    snapshots = []
    for name in ("a", "b"):
        backend = LocalBackend.open(tmp_path / name)
        snapshots.append(backend.engine.snapshot())
        await backend.close()
    assert snapshots[0] == snapshots[1]


async def test_reopening_is_fast_and_continues_where_it_was(tmp_path):
    backend = LocalBackend.open(tmp_path / "sim")
    await backend.simulation.advance_by(3 * 3600)
    expected = backend.engine.snapshot()
    await backend.close()
    started = time.perf_counter()
    reopened = LocalBackend.open(tmp_path / "sim")
    elapsed = time.perf_counter() - started
    try:
        assert reopened.engine.snapshot() == expected
        assert elapsed < 1.0, f"opening the demo took {elapsed:.2f}s"
    finally:
        await reopened.close()


async def test_second_writer_and_missing_simulation(tmp_path, backend):
    with pytest.raises(BackendError, match="in use by another process"):
        LocalBackend.open(tmp_path / "sim")
    with pytest.raises(NotFound, match="no simulation"):
        LocalBackend.open(tmp_path / "empty", create_demo=False)


async def test_errors_carry_api_status_codes(backend):
    gigs = await backend.list_gigs()
    live = by_title(gigs, "Checkout regression (Android)")
    with pytest.raises(NotFound) as missing:
        await backend.get_gig("999")
    assert missing.value.status == 404
    with pytest.raises(Unprocessable, match="title cannot be changed after the start") as frozen:
        await backend.update_gig(live.id, GigUpdate(title="New"))
    assert frozen.value.status == 422
    with pytest.raises(Unprocessable, match="only a gig that has not started"):
        await backend.delete_gig(live.id)
    accepted = await backend.list_invitations(
        InvitationFilter(gig_id=live.id, status=[InvitationStatus.ACCEPTED]))
    with pytest.raises(Unprocessable, match="cannot reject"):
        await backend.reject_invitation(accepted[0].id)
    with pytest.raises(Unprocessable, match=r"filter_query\.\$and"):
        await backend.update_gig(live.id, GigUpdate(filter_query={"$and": []}))


async def test_invitations_record_wave_and_times(backend):
    live = by_title(await backend.list_gigs(), "Checkout regression (Android)")
    invitations = await backend.list_invitations(InvitationFilter(gig_id=live.id))
    assert invitations and all(i.wave is not None and i.invited_at is not None for i in invitations)
    answered = [i for i in invitations if i.status in ("accepted", "rejected")]
    assert answered and all(i.responded_at >= i.invited_at for i in answered)
    user = invitations[0].user_id
    mine = await backend.list_invitations(InvitationFilter(user_id=user))
    assert all(i.user_id == user for i in mine) and invitations[0] in mine


async def test_manual_gig_invite_run_wave_now_and_attempt(backend):
    manual = by_title(await backend.list_gigs(), "Payments accessibility audit")
    before = await backend.gig_stats(manual.id)
    wave = await backend.simulation.run_wave_now(manual.id)
    assert wave is not None and wave.n == 1 and wave.invited == manual.total_seats * 10
    invited = await backend.invite(manual.id, [InviteRequest("4999", no_reward=True)])
    assert invited[0].no_reward and invited[0].wave is None
    stats = await backend.gig_stats(manual.id)
    assert stats.invited == before.invited + wave.invited + 1
    user = await backend.upsert_worker_document("77777", {"status": "active",
                                                          "skills": [{"id": "SK-103"}]})
    assert user.worker.document["status"] == "active"
    attempt = await backend.invitation_attempt("77777", [manual.id])
    assert attempt.gig_ids == [int(manual.id)]  # Cirro answers integers
    mine = await backend.list_invitations(InvitationFilter(user_id="77777"))
    assert [i.gig_id for i in mine] == [manual.id]


async def test_simulation_controls_and_event_feed(backend):
    sim = backend.simulation
    last_seq = (await sim.events_since(0))[-1]["seq"]
    t = await sim.step_to_next_wave()
    assert t is not None and sim.now == t > DEMO_NOW
    new = await sim.events_since(last_seq)
    assert new and new[-1]["kind"] == "wave" and all(e["seq"] > last_seq for e in new)
    assert await sim.advance_by(600) == t + 600
    settings = await sim.update_settings(wave_counting="top_up")
    assert settings.wave_counting == "top_up"
    with pytest.raises(Unprocessable, match="unknown setting"):
        await sim.update_settings(speed=3)


async def test_read_only_refuses_mutations_and_writes_nothing(tmp_path):
    writer = LocalBackend.open(tmp_path / "sim")
    await writer.close()
    state = (tmp_path / "sim" / "state.json").read_bytes()
    reader = LocalBackend.open(tmp_path / "sim", read_only=True, context="shared")
    live = by_title(await reader.list_gigs(), "Checkout regression (Android)")
    with pytest.raises(ReadOnlyError, match="'shared' is read-only"):
        await reader.archive_gig(live.id)
    with pytest.raises(ReadOnlyError):
        await reader.simulation.run_wave_now(live.id)
    await reader.simulation.advance_by(3600)
    await reader.close()
    assert (tmp_path / "sim" / "state.json").read_bytes() == state


async def test_damaged_state_is_reported_by_name(tmp_path):
    backend = LocalBackend.open(tmp_path / "sim")
    await backend.close()
    (tmp_path / "sim" / "state.json").write_text('{"meta": ')
    with pytest.raises(BackendError, match="state.json: damaged"):
        LocalBackend.open(tmp_path / "sim")
    assert (tmp_path / "sim" / "state.json").read_text() == '{"meta": '


async def test_opened_from_a_config_context(tmp_path):
    settings = LocalContext(data_dir=tmp_path / "ctx", workers=300, seed=3)
    backend = LocalBackend.from_context("lab", settings)
    try:
        assert backend.context == "lab" and not backend.read_only
        assert len(backend.simulation.population()) == 300
        assert (tmp_path / "ctx" / "state.json").exists()
    finally:
        await backend.close()


class _FailsAtMatch:
    """A query compiler whose filters fail as they run, as a regex over its time limit does."""

    @staticmethod
    def compile_filter(query):
        def matches(document):
            raise MQLError("email.$regex", "the regex ran over its time limit")
        return matches

    @staticmethod
    def compile_sort(sort_query):
        return None


async def test_a_query_failing_as_it_runs_is_a_backend_error(demo_dir, tmp_path):
    backend = LocalBackend.open(copy_sim(demo_dir, tmp_path / "sim"))
    try:
        now = await backend.now()
        backend.engine.compiler = _FailsAtMatch()
        gig = await backend.create_gig(GigCreate.model_validate({
            "title": "t", "description": "d", "url": "u", "start_at": now - 60,
            "end_at": now + 86_400, "total_seats": 1, "invitation_mode": "auto",
            "filter_query": {"email": {"$regex": "^(a|a)+$"}}}))
        worker = backend.simulation.population()[0]["id"]
        with pytest.raises(Unprocessable, match="^filter_query.email.\\$regex: the regex ran"):
            await backend.invitation_attempt(worker, [gig.id])
        # A wave meeting it is skipped and said so; the clock goes on for every other gig.
        assert await backend.simulation.advance_to(now + 3600) == now + 3600
        skipped = [e for e in await backend.simulation.events_since(0)
                   if e["kind"] == "wave_skipped" and e["gig_id"] == gig.id]
        assert skipped and "email.$regex: the regex ran over its time" in skipped[0]["message"]
    finally:
        backend.store.close()
