"""The fit finds the parameters a gig was simulated with (the fast version of
bench/forecast_recovery.py)."""

from __future__ import annotations

import pytest

from console.forecast.calibrate import calibrate
from console.forecast.fit import FitError, fit_group
from console.forecast.model import PARAMETERS
from console.forecast.observations import Observation
from console.forecast.sources import histories_from_recording
from console.forecast.synthetic import plain_population, record_trial, trial_gig
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
