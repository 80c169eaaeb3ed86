"""The monitor's forecast line reads as a sentence whatever the runs reached."""

from __future__ import annotations

from console.forecast.report import monitor_line
from console.forecast.summary import Forecast
from console.models import Gig

NOW = 1_772_445_600  # 2026-03-02 10:00 UTC


def forecast(p50: int | None, p90: int | None, probability: float) -> Forecast:
    gig = Gig.model_validate({"id": "4", "title": "t", "description": "d", "url": "https://x.test",
                              "start_at": NOW - 3600, "end_at": NOW + 86400, "total_seats": 10,
                              "invitation_mode": "auto", "filter_query": {}})
    return Forecast(gig=gig, now=NOW, runs=200, seats_min_at={"p10": p50, "p50": p50, "p90": p90},
                    seats_max_at=None, fill_probability=probability, to_send={}, invited_total={},
                    model="settings")


def test_runs_that_never_fill_are_said_so_not_as_a_time_called_never():
    assert monitor_line(forecast(None, None, 0.0)) == "most runs do not reach seats_min · 0% before end"
    assert monitor_line(forecast(NOW + 3600, None, 0.6)) == \
        "fills ~11:00 (P50) · 90% not before end · 60% before end"


def test_a_time_on_another_day_carries_its_date():
    assert monitor_line(forecast(NOW + 3600, NOW + 86400 + 60, 0.95)) == \
        "fills ~11:00 (P50) · 90% by 03-03 10:01 · 95% before end"
