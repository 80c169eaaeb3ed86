"""The pure wave rules of design §2."""

from __future__ import annotations

import pytest

from console.models import Gig
from console.waves import (
    SettingError,
    SimSettings,
    WaveCounting,
    candidates_for_wave,
    expires_pending,
    next_tick_at,
    parse_settings,
    tick_period,
    wave_due,
    wave_size,
    worker_order_key,
)

from .conftest import START, gig_create


def gig(**overrides) -> Gig:
    data = gig_create(**overrides).model_dump(mode="json")
    data.pop("tasks")
    data.pop("invitation_notification_topic")
    return Gig.model_validate({"id": "1", **data})


def test_ticks_fall_on_the_start_plus_whole_periods():
    g = gig(invitation_frequency=5)
    assert tick_period(g) == 300
    assert next_tick_at(g, START - 1000) == START
    assert next_tick_at(g, START) == START
    assert next_tick_at(g, START + 1) == START + 300
    assert next_tick_at(g, START + 300) == START + 300


def test_no_tick_at_or_after_end_or_archiving():
    g = gig(end_at=START + 600)
    assert next_tick_at(g, START + 301) is None  # START+600 is end_at itself
    archived = gig(archive_at=START + 300)
    assert next_tick_at(archived, START + 1) is None


def test_fractional_frequency_rounds_to_whole_seconds():
    assert tick_period(gig(invitation_frequency=1.5)) == 90


def test_wave_due_needs_auto_mode_schedule_and_open_seats():
    g = gig(seats_min=2)
    assert wave_due(g, START, accepted=1)
    assert not wave_due(g, START, accepted=2)
    assert not wave_due(g, START + 1, accepted=0)
    assert not wave_due(gig(invitation_mode="manual"), START, accepted=0)
    assert not wave_due(g, START - 300, accepted=0)


def test_wave_size_new_or_top_up():
    g = gig(total_seats=3, invitation_multiplier=2.5)
    assert wave_size(g, pending=4, counting=WaveCounting.NEW) == 7
    assert wave_size(g, pending=4, counting=WaveCounting.TOP_UP) == 3
    assert wave_size(g, pending=9, counting=WaveCounting.TOP_UP) == 0


def test_seats_max_expires_pending_only_when_set_and_reached():
    assert expires_pending(gig(seats_max=3), accepted=3)
    assert not expires_pending(gig(seats_max=3), accepted=2)
    assert not expires_pending(gig(seats_max=None), accepted=100)


def test_candidates_skip_the_invited_and_report_where_they_stopped():
    taken, position = candidates_for_wave(["5", "2", "9", "4"], 0, {"2"}, 2)
    assert taken == ["5", "9"] and position == 3
    assert candidates_for_wave(["5", "2", "9", "4"], 3, {"2"}, 5) == (["4"], 4)


def test_worker_order_is_numeric_for_numeric_ids():
    assert sorted(["10", "9", "100", "1"], key=worker_order_key) == ["1", "9", "10", "100"]


def test_settings_parse_and_name_what_is_wrong():
    settings = parse_settings(["wave_counting=top-up", "expire_pending_at_end=yes",
                               "accept_probability=0.5"])
    assert settings.wave_counting is WaveCounting.TOP_UP and settings.expire_pending_at_end
    assert SimSettings.from_json(settings.to_json()) == settings
    for bad, name in (("nope=1", "nope"), ("accept_probability=2", "accept_probability"),
                      ("wave_counting=some", "wave_counting"), ("respond_probability", "expected")):
        with pytest.raises(SettingError, match=name):
            parse_settings([bad])
