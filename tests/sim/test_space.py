"""The simulation's user profiles and the Space's other records (users, preferences, results)."""

from __future__ import annotations

from collections import Counter

from serve_process import copy_sim

from console.backends.base import InvitationFilter
from console.backends.local import LocalBackend
from console.models import GigTimeActivityCreate, InvitationStatus, NotificationPreferenceSet, UserCreate
from console.sim.population import generate_population
from console.sim.profiles import BENCH_STATUSES, profile

ACCEPTED = InvitationStatus.ACCEPTED


def test_profiles_are_seeded_and_follow_the_document():
    population = generate_population(2000, seed=3)
    profiles = {r["id"]: profile(3, r["id"], r["document"]) for r in population.records}
    assert profiles == {r["id"]: profile(3, r["id"], r["document"]) for r in population.records}
    assert profiles["5"] != profile(4, "5", population.get("5")["document"])  # the seed matters
    for record in population.records:
        if "country" in record["document"]:
            assert profiles[record["id"]]["country_code"] == record["document"]["country"]
    epam = Counter(p["epam"]["bench_status"] for p in profiles.values() if p["epam"])
    assert set(epam) == set(BENCH_STATUSES) and 150 < sum(epam.values()) < 330  # ~12%
    banned = [p["banned_with_reason"] for p in profiles.values() if p["banned_with_reason"]]
    assert 5 < len(banned) < 40  # ~1%
    assert all(b["detected_country_code"] != b["input_country_code"] for b in banned)


async def test_records_survive_a_restart(demo_dir, tmp_path):
    sim = copy_sim(demo_dir, tmp_path / "sim")
    backend = LocalBackend.open(sim)
    made = await backend.create_user(UserCreate(first_name="Ada", country_code="GB"))
    await backend.set_notification_preferences("9", NotificationPreferenceSet.model_validate(
        {"locale": "fr", "topics": [{"id": "1", "preferences": {"email": "never"}}]}))
    accepted = await backend.list_invitations(InvitationFilter(gig_id="3", status=[ACCEPTED]))
    worker = accepted[0].user_id
    activity = await backend.create_gig_time_activity(GigTimeActivityCreate(
        gig_id="3", user_id=worker, date="2026-03-02", duration_in_ms=3_600_000))
    await backend.delete_user("4998")
    await backend.close()

    reopened = LocalBackend.open(sim)
    assert (await reopened.get_user(made.id)).first_name == "Ada"
    assert (await reopened.notification_preference("9")).locale == "fr"
    assert activity in await reopened.gig_time_activities(gig_id="3", user_id=worker)
    assert "4998" not in {r["id"] for r in reopened.simulation.population()}
    again = await reopened.create_user(UserCreate())
    assert int(again.id) == int(made.id) + 1  # ids are not reused
    await reopened.close()
