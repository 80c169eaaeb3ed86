"""The engine's operator actions and wave behaviour, on a 40-worker population."""

from __future__ import annotations

import pytest

from console.models import GigTaskCreate, GigUpdate, InvitationAction, InvitationStatus
from console.sim.engine import Engine, InviteOrder
from console.sim.errors import NotFoundError, QueryError, RuleError
from console.sim.population import Population
from console.waves import SimSettings, WaveCounting

from .conftest import DAY, HOUR, START, gig_create, small_population

SILENT = SimSettings(respond_probability=0.0)  # nobody responds: the test drives every answer


def quiet_engine(**settings) -> Engine:
    return Engine(small_population(), seed=1, clock=START - HOUR,
                  settings=SimSettings(respond_probability=0.0, **settings))


def wave_users(engine: Engine, gig_id: str, wave: int) -> list[str]:
    return [i.user_id for i in engine.gig_invitations(gig_id) if i.wave == wave]


def accept(engine: Engine, gig_id: str, count: int) -> None:
    pending = [i for i in engine.gig_invitations(gig_id) if i.status is InvitationStatus.PENDING]
    for inv in pending[:count]:
        engine.transition(inv.id, InvitationAction.ACCEPT)


def test_first_wave_goes_out_at_start_in_sort_order():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create(sort_query={"rating": 1}))
    engine.advance_to(START - 1)
    assert engine.gig_invitations(gig.id) == []
    engine.advance_to(START)
    # Lowest rating first = highest ids; 39 and 36 are inactive.
    assert wave_users(engine, gig.id, 1) == ["40", "38", "37", "35"]
    [record] = engine.wave_records(gig.id)
    assert (record.at, record.invited, record.pending, record.candidates_left) == (START, 4, 4, 23)


def test_waves_stop_at_seats_min_and_resume_after_a_reset():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create(seats_min=2, seats_max=4))
    engine.advance_to(START)
    accept(engine, gig.id, 2)
    engine.advance_to(START + 2 * HOUR)
    assert len(engine.wave_records(gig.id)) == 1
    assert engine.gig_stats(gig.id).next_wave_at is None
    accepted = [i for i in engine.gig_invitations(gig.id) if i.status is InvitationStatus.ACCEPTED]
    engine.transition(accepted[0].id, InvitationAction.RESET)
    assert engine.gig_stats(gig.id).next_wave_at == START + 2 * HOUR
    engine.advance_to(START + 2 * HOUR)
    assert [w.at for w in engine.wave_records(gig.id)] == [START, START + 2 * HOUR]


def test_reaching_seats_max_expires_every_pending_invitation():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create(seats_min=3, seats_max=3, invitation_multiplier=3))
    engine.advance_to(START)
    accept(engine, gig.id, 3)
    stats = engine.gig_stats(gig.id)
    assert (stats.accepted, stats.pending, stats.expired) == (3, 0, 3)
    expired = [i for i in engine.gig_invitations(gig.id) if i.status is InvitationStatus.EXPIRED]
    with pytest.raises(RuleError, match=r"cannot reset invitation \d+: gig 1 is full"):
        engine.transition(expired[0].id, InvitationAction.RESET)
    with pytest.raises(RuleError, match="is full"):
        engine.invite(gig.id, [InviteOrder("40")])
    accepted = [i for i in engine.gig_invitations(gig.id) if i.status is InvitationStatus.ACCEPTED]
    engine.transition(accepted[0].id, InvitationAction.RESET, silent=True)  # frees a seat
    engine.transition(expired[0].id, InvitationAction.RESET, silent=True)
    assert engine.gig_stats(gig.id).pending == 2


def test_lowering_seats_max_to_the_accepted_count_expires_the_pending():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create(seats_min=1, seats_max=5, invitation_multiplier=3))
    engine.advance_to(START)
    accept(engine, gig.id, 2)
    engine.update_gig(gig.id, GigUpdate(seats_min=1, seats_max=2))
    stats = engine.gig_stats(gig.id)
    assert (stats.accepted, stats.pending, stats.expired) == (2, 0, 4)


def test_invalid_transition_is_a_clear_error():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create())
    engine.advance_to(START)
    inv = engine.gig_invitations(gig.id)[0]
    engine.transition(inv.id, InvitationAction.REJECT)
    assert inv.responded_at == START
    with pytest.raises(RuleError, match=f"cannot reset invitation {inv.id}: it is rejected"):
        engine.transition(inv.id, InvitationAction.RESET)
    with pytest.raises(NotFoundError, match="invitation 999"):
        engine.transition("999", InvitationAction.ACCEPT)


def test_title_and_start_are_frozen_after_the_start_but_not_before():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create())
    assert engine.update_gig(gig.id, GigUpdate(title="Renamed")).title == "Renamed"
    engine.advance_to(START)
    with pytest.raises(RuleError, match="title, start_at cannot be changed after the start"):
        engine.update_gig(gig.id, GigUpdate(title="Again", start_at=START + DAY))
    assert engine.update_gig(gig.id, GigUpdate(seats_min=3)).seats_min == 3


def test_update_that_breaks_a_cross_field_rule_names_the_field():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create(seats_min=2, seats_max=3))
    with pytest.raises(RuleError, match="seats_max: must be at least seats_min"):
        engine.update_gig(gig.id, GigUpdate(seats_min=5))


def test_delete_only_before_the_start():
    engine = quiet_engine()
    early = engine.create_gig(gig_create(invitation_mode="manual"))
    late = engine.create_gig(gig_create())
    engine.invite(early.id, [InviteOrder("1")])
    engine.delete_gig(early.id)
    assert early.id not in engine.gigs and engine.invitations == {}
    engine.advance_to(START)
    with pytest.raises(RuleError, match="only a gig that has not started can be deleted"):
        engine.delete_gig(late.id)
    with pytest.raises(NotFoundError):
        engine.delete_gig(early.id)


def test_archiving_stops_waves_and_cannot_be_repeated():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create(seats_min=40, seats_max=None, total_seats=1, invitation_multiplier=1))
    engine.advance_to(START + 300)
    engine.archive_gig(gig.id)
    engine.advance_to(START + DAY)
    assert len(engine.wave_records(gig.id)) == 2
    with pytest.raises(RuleError, match="already archived"):
        engine.archive_gig(gig.id)
    with pytest.raises(RuleError, match="archived: no more invitations"):
        engine.invite(gig.id, [InviteOrder("1")])


def test_scheduled_archiving_happens_at_archive_at():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create(seats_min=40, seats_max=None, total_seats=1, invitation_multiplier=1))
    engine.archive_gig(gig.id, archive_at=START + 600)
    engine.advance_to(START + DAY)
    assert engine.run_of(gig.id).gig.archived_at == START + 600
    assert [w.at for w in engine.wave_records(gig.id)] == [START, START + 300]


def test_no_wave_at_or_after_end_at_and_optional_expiry_there():
    engine = quiet_engine(expire_pending_at_end=True)
    gig = engine.create_gig(gig_create(end_at=START + 600, seats_min=40, seats_max=None, total_seats=1,
                                       invitation_multiplier=1))
    engine.run()
    assert [w.at for w in engine.wave_records(gig.id)] == [START, START + 300]
    assert engine.gig_stats(gig.id).expired == 2 and engine.clock == START + 600


def test_query_edits_affect_later_waves_only():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create(seats_min=5, seats_max=None))
    engine.advance_to(START)
    first = wave_users(engine, gig.id, 1)
    engine.update_gig(gig.id, GigUpdate(filter_query={"status": "inactive"}))
    engine.advance_to(START + 300)
    assert wave_users(engine, gig.id, 1) == first == ["1", "2", "4", "5"]
    assert wave_users(engine, gig.id, 2) == ["3", "6", "9", "12"]


def test_a_bad_query_names_its_path_and_changes_nothing():
    engine = quiet_engine()
    with pytest.raises(QueryError, match=r"filter_query\.\$or: "):
        engine.create_gig(gig_create(filter_query={"$or": []}))
    assert engine.gigs == {} and engine.ids["gig"] == 0
    gig = engine.create_gig(gig_create())
    with pytest.raises(QueryError, match=r"sort_query: sort keys must be field paths"):
        engine.update_gig(gig.id, GigUpdate(sort_query={"": 1}))
    assert engine.run_of(gig.id).gig.sort_query == {}


def test_manual_invites_and_their_errors():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create(invitation_mode="manual"))
    created = engine.invite(gig.id, [InviteOrder("3"), InviteOrder("4", no_reward=True)])
    assert [(i.user_id, i.wave, i.no_reward) for i in created] == [("3", None, False),
                                                                  ("4", None, True)]
    with pytest.raises(RuleError, match="user 3 is already invited"):
        engine.invite(gig.id, [InviteOrder("5"), InviteOrder("3")])
    assert len(engine.gig_invitations(gig.id)) == 2  # all or nothing
    with pytest.raises(NotFoundError, match="user 404"):
        engine.invite(gig.id, [InviteOrder("404")])
    engine.advance_to(START + DAY)
    assert engine.wave_records(gig.id) == []  # manual gigs never tick


def test_an_auto_wave_skips_workers_already_invited_by_hand():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create())
    engine.advance_to(START - 10)
    engine.ranked_candidates(gig.id, 1)  # rank before the manual invite
    engine.invite(gig.id, [InviteOrder("2")])
    engine.advance_to(START)
    assert wave_users(engine, gig.id, 1) == ["1", "4", "5", "7"]
    assert engine.wave_records(gig.id)[0].candidates_left == 22


def test_run_wave_now_on_a_manual_gig():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create(invitation_mode="manual"))
    with pytest.raises(RuleError, match="no wave before the start"):
        engine.run_wave_now(gig.id)
    engine.advance_to(START + 10)
    wave = engine.run_wave_now(gig.id)
    assert wave is not None and (wave.n, wave.at, wave.invited) == (1, START + 10, 4)


def test_invitation_attempt_invites_where_the_filter_matches():
    engine = quiet_engine()
    active = engine.create_gig(gig_create(invitation_mode="manual"))
    inactive = engine.create_gig(gig_create(invitation_mode="manual",
                                            filter_query={"status": "inactive"}))
    other = engine.create_gig(gig_create(invitation_mode="manual"))
    created = engine.invitation_attempt("1", [inactive.id, active.id, other.id], max_amount=1)
    assert [(i.gig_id, i.user_id) for i in created] == [(active.id, "1")]
    assert engine.invitation_attempt("1", [active.id]) == []  # already invited


def test_upserted_worker_is_ranked_at_the_next_wave():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create(seats_min=9, seats_max=None, sort_query={"rating": -1}))
    engine.advance_to(START)
    engine.upsert_worker("500", {"status": "active", "rating": 9.9})
    engine.advance_to(START + 300)
    assert wave_users(engine, gig.id, 2)[0] == "500"


def test_top_up_counts_pending_against_the_wave_size():
    engine = quiet_engine(wave_counting=WaveCounting.TOP_UP)
    gig = engine.create_gig(gig_create())
    engine.advance_to(START + 300)
    assert len(engine.wave_records(gig.id)) == 1  # 4 pending fill the wave size of 4
    engine.transition(engine.gig_invitations(gig.id)[0].id, InvitationAction.REJECT)
    engine.advance_to(START + 600)
    assert [w.invited for w in engine.wave_records(gig.id)] == [4, 1]


def test_tasks_are_added_and_updated():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create())
    task = engine.add_task(gig.id, GigTaskCreate(title="Extra", base_price=5))
    assert [t.title for t in engine.run_of(gig.id).gig.tasks.data] == ["t", "Extra"]
    with pytest.raises(NotFoundError, match="task 99"):
        engine.add_task(gig.id, GigTaskCreate(title="x", base_price=1)) and engine.update_task(
            gig.id, "99", task)


def test_a_task_past_the_hundredth_is_refused_naming_the_gig():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create())  # one task already
    for _ in range(99):
        engine.add_task(gig.id, GigTaskCreate(title="Extra", base_price=5))
    with pytest.raises(RuleError) as info:
        engine.add_task(gig.id, GigTaskCreate(title="one more", base_price=5))
    assert str(info.value) == f"gig {gig.id}: tasks: a gig has at most 100 tasks (got 101)"
    assert len(engine.run_of(gig.id).gig.tasks.data) == 100


def test_the_clock_never_goes_back():
    engine = quiet_engine()
    with pytest.raises(RuleError, match="back"):
        engine.advance_to(START - 2 * HOUR)


def test_responses_are_reproducible_and_fill_the_gig():
    def run() -> list[tuple]:
        engine = Engine(small_population(200), seed=5, clock=START)
        gig = engine.create_gig(gig_create(seats_min=5, seats_max=6))
        engine.run()
        return [(i.user_id, i.status, i.responded_at) for i in engine.gig_invitations(gig.id)]

    first = run()
    assert first == run()
    assert sum(1 for _, status, _ in first if status is InvitationStatus.ACCEPTED) == 6


def test_snapshot_and_restore_continue_exactly():
    def fresh() -> tuple[Engine, str]:
        engine = Engine(small_population(300), seed=9, clock=START)
        gig = engine.create_gig(gig_create(seats_min=8, seats_max=10, sort_query={"rating": -1}))
        return engine, gig.id

    whole, gig_id = fresh()
    whole.run()
    halfway, _ = fresh()
    halfway.advance_to(START + 3 * HOUR)
    restored = Engine.restore(halfway.snapshot(), halfway.population)
    restored.run()
    assert restored.snapshot() == whole.snapshot()
    assert restored.wave_records(gig_id) == whole.wave_records(gig_id)


def test_step_to_next_wave_and_the_event_feed():
    engine = quiet_engine()
    gig = engine.create_gig(gig_create(seats_min=40, seats_max=None))
    assert engine.step_to_next_wave() == START
    assert engine.step_to_next_wave() == START + 300
    waves = [e for e in engine.feed.since(0) if e["kind"] == "wave"]
    assert [e["wave"] for e in waves] == [1, 2]
    last = engine.feed.since(0)[-1]["seq"]
    assert engine.feed.since(last) == []
    engine.archive_gig(gig.id)
    assert engine.step_to_next_wave() is None


def test_extending_end_at_gives_the_new_end_its_own_expiry():
    engine = quiet_engine(expire_pending_at_end=True)
    gig = engine.create_gig(gig_create(end_at=START + 600, seats_min=40, seats_max=None))
    engine.advance_to(START + 700)
    assert engine.gig_stats(gig.id).expired == 8
    engine.update_gig(gig.id, GigUpdate(end_at=START + 1200))
    engine.run()
    stats = engine.gig_stats(gig.id)
    # Ticks at +900 only (+600 was evaluated at the old end; +1200 is the new end).
    assert (stats.waves_sent, stats.expired, stats.pending) == (3, 12, 0)


def test_a_restored_run_pauses_where_the_candidates_ran_out():
    def fresh() -> Engine:
        engine = quiet_engine()
        engine.create_gig(gig_create(seats_min=40, seats_max=None,
                                     filter_query={"rating": {"$gte": 4.5}}))
        return engine

    whole = fresh()
    whole.run()
    interrupted = fresh()
    interrupted.advance_to(START + HOUR)  # long after the 4 matching workers were invited
    restored = Engine.restore(interrupted.snapshot(), interrupted.population)
    restored.run()
    assert restored.snapshot()["gigs"] == whole.snapshot()["gigs"]
    assert whole.gig_stats("1").next_wave_at is None


def test_advancing_without_running_past_the_last_event_stops_where_nothing_is_left(engine):
    engine.create_gig(gig_create(invitation_mode="manual", archive_at=START + 3 * DAY))
    engine.advance_to(START + 400 * DAY, past_last_event=False)
    assert engine.clock == START + 3 * DAY  # the archiving, the last thing that can happen
    engine.advance_to(START + 800 * DAY, past_last_event=False)
    assert engine.clock == START + 3 * DAY
    engine.advance_to(START + 10 * DAY)  # the ordinary advance still goes where it is told
    assert engine.clock == START + 10 * DAY


def test_a_query_failing_as_it_runs_skips_its_gigs_waves_and_the_clock_goes_on():
    population = small_population()
    population = Population([*population.records,
                             {"id": "41", "document": {"status": "active", "email": "a" * 27 + "b"}}])
    engine = Engine(population, seed=1, clock=START - HOUR, settings=SILENT)
    stuck = engine.create_gig(gig_create(filter_query={"email": {"$regex": "^(a|a)+$"}}))
    fine = engine.create_gig(gig_create())
    engine.advance_to(START + 10 * 60)  # three ticks of both gigs
    assert engine.clock == START + 10 * 60
    assert engine.gig_invitations(stuck.id) == []
    assert len(engine.wave_records(fine.id)) >= 1  # the other gig's waves went out
    skipped = [e for e in engine.feed.entries if e["kind"] == "wave_skipped"]
    assert len(skipped) == 3 and {e["gig_id"] for e in skipped} == {stuck.id}
    assert skipped[0]["message"].startswith("wave skipped: filter_query.email.$regex: ")
