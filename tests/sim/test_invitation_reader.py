"""The incremental reader of a gig's invitations: work in proportion to what changed, and the
same models a full conversion gives."""

from __future__ import annotations

from console.models import InvitationAction
from console.monitor.scenario import START, watch_gig
from console.sim.engine import Engine
from console.sim.invitation_reader import EngineInvitations, trusted_model
from console.sim.population import generate_population


class CountingRecords(dict):
    """The engine's invitation records, counting the lookups of single records."""

    looked = 0

    def __getitem__(self, key):
        self.looked += 1
        return super().__getitem__(key)


def busy_engine() -> tuple[Engine, str]:
    engine = Engine(generate_population(2_000, 5, now=START), seed=5, clock=START)
    gig = engine.create_gig(watch_gig(seats_min=2_000, seats_max=None, invitation_multiplier=50,
                                      invitation_frequency=1))
    engine.advance_to(START + 40 * 60)
    return engine, gig.id


def test_a_read_after_ten_changes_looks_at_those_ten_only():
    engine, gig_id = busy_engine()
    reader = EngineInvitations()
    first, changed = reader.read(engine, gig_id)
    assert len(first) == len(changed) >= 1_000
    pending = [i for i in first.values() if i.status == "pending"][:10]
    for inv in pending:
        engine.transition(inv.id, InvitationAction.REJECT)
    engine.invitations = records = CountingRecords(engine.invitations)

    after, changed = reader.read(engine, gig_id)

    assert sorted(changed) == sorted(inv.id for inv in pending)
    assert records.looked == 10  # not one per invitation of the gig
    assert all(after[inv.id].status == "rejected" for inv in pending)
    # The others are the models handed out before, not new ones.
    assert all(after[k] is first[k] for k in first if k not in changed)
    assert after is not first  # each read hands out its own mapping


def test_incremental_reads_give_what_a_full_conversion_gives():
    engine, gig_id = busy_engine()
    reader = EngineInvitations()
    for minutes in (41, 60, 61, 180, 600, 2_000):
        engine.advance_to(START + minutes * 60)
        models, _ = reader.read(engine, gig_id)
        assert models == {inv.id: inv.to_model() for inv in engine.gig_invitations(gig_id)}


def test_a_new_run_of_the_same_gig_is_read_whole():
    engine, gig_id = busy_engine()
    reader = EngineInvitations()
    reader.read(engine, gig_id)
    restored = Engine.restore(engine.snapshot(), engine.population)
    models, changed = reader.read(restored, gig_id)
    assert len(changed) == len(models) == len(restored.gig_invitations(gig_id))


def test_trusted_models_equal_validated_ones():
    engine, gig_id = busy_engine()
    engine.advance_to(START + 3 * 86400)  # answers, expiries, no-reward: every status
    records = engine.gig_invitations(gig_id)
    assert {r.status for r in records} >= {"pending", "accepted", "rejected"}
    engine.transition(records[0].id, InvitationAction.RESET)
    for record in records:
        trusted, validated = trusted_model(record), record.to_model()
        assert trusted == validated
        assert trusted.model_fields_set == validated.model_fields_set
        assert trusted.model_dump_json() == validated.model_dump_json()
        assert trusted.to_api() == validated.to_api()
        assert type(trusted.status) is type(validated.status)
