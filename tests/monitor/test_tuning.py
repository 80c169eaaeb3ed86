import pytest

from console.monitor.tuning import TuningError, current_values, tuning_update

from .helpers import gig


def test_only_changed_fields_and_seats_max_can_be_cleared():
    g = gig()
    form = current_values(g)
    assert form["seats_max"] == "5" and form["invitation_multiplier"] == "2"
    assert tuning_update(g, form) is None
    update = tuning_update(g, form | {"invitation_frequency": "2.5", "seats_max": ""})
    assert update.changes() == {"invitation_frequency": 2.5, "seats_max": None}


@pytest.mark.parametrize("change, message", [
    ({"seats_min": "ten"}, "seats_min: not a number"),
    ({"seats_min": ""}, "seats_min: a value is required"),
    ({"seats_max": "1"}, "seats_max"),
    ({"invitation_multiplier": "0"}, "invitation_multiplier"),
])
def test_bad_values_name_the_field(change, message):
    g = gig()
    with pytest.raises(TuningError, match=message):
        tuning_update(g, current_values(g) | change)
