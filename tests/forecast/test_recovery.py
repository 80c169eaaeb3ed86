"""The fit finds the parameters a gig was simulated with (the fast version of
bench/forecast_recovery.py)."""

from __future__ import annotations

import pytest

from console.forecast.calibrate import calibrate
from console.forecast.fit import FitError, fit_group
from console.forecast.model import PARAMETERS
from console.forecast.observations import HOUR, Observation, observations
from console.forecast.sources import histories_from_recording
from console.forecast.synthetic import START, new_engine, plain_population, record_trial, trial_gig
from console.monitor.recording import Recorder, run_recorded
from console.waves import SimSettings

SETTINGS = SimSettings(respond_probability=0.6, accept_probability=0.3,
                       response_median_hours=2.0, response_sigma=0.8)


@pytest.fixture(scope="module")
def population():
    return plain_population(6000)


def test_parameters_are_recovered_from_recordings(tmp_path, population):
    gig = trial_gig(seats_min=150, total_seats=150, invitation_multiplier=2)
    inside = {name: 0 for name in PARAMETERS}
    for seed in range(3):
        path = tmp_path / f"{seed}.jsonl"
        record_trial(path, population, SETTINGS, seed, gig)
        fit = calibrate(histories_from_recording(path), source=str(path)).overall
        assert fit.invitations >= 2000
        for name in PARAMETERS:
            true, estimate = getattr(SETTINGS, name), fit.estimates[name]
            assert abs(estimate.value - true) / true <= 0.10, (seed, name, estimate)
            inside[name] += estimate.low <= true <= estimate.high
    assert all(count >= 2 for count in inside.values()), inside


def _archived_then_recorded_on(path, population, seed):
    """Gig 1 sends waves for 4 hours and is archived with many invitations pending; gig 2 runs
    on for days, so the recording's last frame comes long after the archiving."""
    engine, archived = new_engine(population, SETTINGS, seed, trial_gig(
        seats_min=2000, total_seats=100, invitation_multiplier=1, archive_at=START + 4 * 3600))
    engine.create_gig(trial_gig(seats_min=30, total_seats=30, invitation_multiplier=1,
                                invitation_frequency=600))
    recorder = Recorder(path, f"archived:{seed}")
    try:
        run_recorded(engine, recorder, None, 600)
    finally:
        recorder.close()
    (history,) = histories_from_recording(path, [archived])
    return history


def test_an_archived_gigs_pending_invitations_waited_only_until_the_archiving(tmp_path,
                                                                               population):
    """The simulation drops responses to an archived gig, so its pending invitations stopped
    waiting at the archiving; the last frame (days later) would make them look like refusals."""
    history = _archived_then_recorded_on(tmp_path / "r.jsonl", population, 0)
    archived_at = history.gig.archived_at
    assert archived_at is not None and history.observed_at - archived_at > 2 * 86_400
    pending = {i.user_id: i for i in history.invitations if i.status.value == "pending"}
    assert len(pending) > 300
    found = {o.user_id: o for o in observations(history)[0]}
    for user_id, inv in pending.items():
        assert found[user_id].hours == (archived_at - inv.invited_at) / HOUR


def test_parameters_are_recovered_from_a_gig_archived_while_invitations_were_pending(
        tmp_path, population):
    """Censored at the last frame instead, p came out 0.26-0.30 for 0.6, the median 1.2 h for
    2 h and sigma 0.6 for 0.8, every interval far from the truth."""
    for seed in range(2):
        history = _archived_then_recorded_on(tmp_path / f"{seed}.jsonl", population, seed)
        fit = calibrate([history], source="archived").overall
        for name in ("respond_probability", "response_median_hours", "response_sigma"):
            true, estimate = getattr(SETTINGS, name), fit.estimates[name]
            assert estimate.low <= true <= estimate.high, (seed, name, estimate)
            assert abs(estimate.value - true) / true <= 0.10, (seed, name, estimate)


def test_open_waits_are_censored_not_counted_as_refusals():
    """Half the workers answered within an hour; the other half were last seen 30 minutes
    after their invitation: the naive response rate (50%) is too low, the fit knows better."""
    answered = [Observation(str(i), 0.5 + (i % 10) / 20, True, i % 2 == 0) for i in range(200)]
    waiting = [Observation(str(1000 + i), 0.5, False) for i in range(200)]
    fit = fit_group(answered + waiting)
    assert fit.value("respond_probability") > 0.6
    assert fit.estimates["respond_probability"].n == 400
    assert fit.estimates["response_median_hours"].n == 200


def test_too_few_responses_is_a_clear_error():
    with pytest.raises(FitError, match="3 invitations with 1 responses: at least 2 responses"):
        fit_group([Observation("1", 1.0, True), Observation("2", 3.0, False),
                   Observation("3", 3.0, False)])
