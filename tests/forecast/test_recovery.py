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
from console.sim.responses import draw_response
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


# Gigs that stop waiting for responses early, each by one of the three ends the simulation
# has: seats_max filling (expires what is pending), end_at with expire_pending_at_end (the same
# at end_at), archiving (responses dropped, invitations left pending). Hourly frames, so an
# expiry is seen up to an hour after it happened.
STOPPED = {
    "seats_max": (SETTINGS, {"seats_min": 300, "total_seats": 300, "seats_max": 330,
                             "invitation_multiplier": 1, "invitation_frequency": 60}),
    "end_at": (SETTINGS.with_changes(expire_pending_at_end=True), {
        "seats_min": 2000, "total_seats": 100, "invitation_multiplier": 1,
        "end_at": START + 5 * 3600 + 1200}),
    "archived": (SETTINGS, {"seats_min": 2000, "total_seats": 100, "invitation_multiplier": 1,
                            "archive_at": START + 4 * 3600}),
}


def _recorded(path, population, seed, case):
    """The gig of the case, recorded with another gig that runs on for days (so the last frame
    comes long after the gig stopped), as calibrate reads it back."""
    settings, overrides = STOPPED[case]
    engine, gig_id = new_engine(population, settings, seed, trial_gig(**overrides))
    engine.create_gig(trial_gig(seats_min=30, total_seats=30, invitation_multiplier=1,
                                invitation_frequency=600))
    recorder = Recorder(path, f"{case}:{seed}")
    try:
        run_recorded(engine, recorder, None, 3600)
    finally:
        recorder.close()
    (history,) = histories_from_recording(path, [gig_id])
    return history


@pytest.mark.parametrize("case", list(STOPPED))
def test_the_fit_sees_what_the_simulation_drew(tmp_path, population, case):
    """Every invitation's observation is the response drawn for it, if that came before the gig
    stopped, else a wait open until the moment it stopped (not the frame that saw it, nor the
    last frame): before, an end_at expiry was censored at the next frame and an archived gig's
    pending at the last frame, days on."""
    settings, _ = STOPPED[case]
    history = _recorded(tmp_path / "r.jsonl", population, 0, case)
    gig, drawn = history.gig, {}
    for inv in history.invitations:
        drawn[inv.user_id] = (inv.invited_at, draw_response(settings, 0, gig.id, inv.user_id, 0,
                                                            None))
    stop = {"end_at": gig.end_at, "archived": gig.archived_at}.get(case)
    if case == "seats_max":
        accepts = sorted(at + r.delay for at, r in drawn.values() if r is not None and r.accepts)
        stop = accepts[gig.seats_max - 1]
    found, _ = observations(history)
    checked = {"responded": 0, "open": 0}
    for o in found:
        invited_at, response = drawn[o.user_id]
        if response is not None and invited_at + response.delay == stop:
            continue  # a response in the second the gig stopped: either may come first
        if response is not None and invited_at + response.delay < stop:
            assert (o.responded, o.hours, o.accepted) == (True, response.delay / HOUR,
                                                          response.accepts), o
        else:
            assert (o.responded, o.hours) == (False, (stop - invited_at) / HOUR), o
        checked["responded" if o.responded else "open"] += 1
    assert min(checked.values()) > 300, checked
    assert history.observed_at - stop > 86_400


@pytest.mark.parametrize("case", ["end_at", "archived"])
def test_parameters_are_recovered_from_a_gig_stopped_with_invitations_pending(
        tmp_path, population, case):
    """Censored at the frame that saw the end_at expiry, p came out 0.47-0.49 for 0.6; at the
    last frame after the archiving 0.26-0.32, the median 1.2 h for 2 h and sigma 0.6 for 0.8:
    every interval far from the truth."""
    for seed in range(2):
        history = _recorded(tmp_path / f"{seed}.jsonl", population, seed, case)
        fit = calibrate([history], source=case).overall
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
