from console.monitor.chart import ChartSpec, Sample, column_values, render_chart
from console.monitor.gauge import Seats, render_gauge, seats_state
from console.monitor.glyphs import plain


def test_columns_carry_the_last_value_forward_up_to_now():
    samples = [Sample(15, 1, 5), Sample(50, 3, 2)]
    cols = column_values(samples, 0, 100, 10)
    assert cols[0] is None  # before the first sample
    assert cols[1] == samples[0] and cols[3] == samples[0]
    assert cols[4:] == [samples[1]] * 6


def test_ascii_chart_uses_distinct_glyphs_and_stays_within_width():
    samples = [Sample(0, 0, 10), Sample(50, 5, 5), Sample(100, 10, 0)]
    spec = ChartSpec(width=30, height=5, start=0, end=100, seats_min=5, seats_max=10,
                     ascii_only=True)
    lines = [plain(line) for line in render_chart(samples, spec)]
    assert len(lines) == 5 + 3
    assert all(len(line) <= 30 for line in lines[:6])
    body = "\n".join(lines[:5])
    assert "#" in body and "*" in body and "-" in body
    assert all(ord(ch) < 128 for line in lines for ch in line)
    # the top row is the seat maximum and a quarter; accepted reaches the maximum's row
    assert lines[0].startswith("12|") and lines[1].rstrip().endswith("#")
    # pending at 10 sits on that row at the start
    assert lines[1][3] == "*"


def test_hundreds_pending_leave_accepted_and_the_seat_limits_readable():
    # A gig mid-waves: 228 pending, 17 accepted against seats 40-45.
    samples = [Sample(0, 0, 40), Sample(50, 10, 150), Sample(100, 17, 228)]
    spec = ChartSpec(width=40, height=12, start=0, end=100, seats_min=40, seats_max=45,
                     ascii_only=True)
    lines = [plain(line) for line in render_chart(samples, spec)]
    assert lines[0].startswith("56|")  # 45 and a quarter: pending does not stretch the scale
    limit_rows = [i for i, line in enumerate(lines[:12]) if "-" in line]
    assert len(limit_rows) == 2 and limit_rows[0] > 0  # min and max apart, below the top
    assert [lines[i].split("|")[0].strip() for i in limit_rows] == ["45", "40"]  # on the axis
    bar_rows = [i for i, line in enumerate(lines[:12]) if "#" in line]
    assert len(bar_rows) == 4  # 17 of 56 over 12 rows
    assert lines[0].rstrip().endswith("^")  # pending above the scale, on the top row
    assert lines[-1] == "# accepted  * pending  ^ above 56, peak 228  - seats min/max"


def test_unicode_chart_and_roles():
    spec = ChartSpec(width=20, height=3, start=0, end=10, seats_min=2)
    lines = render_chart([Sample(0, 2, 1)], spec)
    roles = {run.role for line in lines for run in line}
    assert {"accepted", "pending", "axis", "label"} <= roles
    assert "█" in plain(lines[1])  # accepted 2 of a top of 3 (2 and a quarter, at least 1)


def test_gauge_states_and_caption():
    below = Seats(accepted=2, total_seats=10, seats_min=5, seats_max=10)
    assert seats_state(below) == "below"
    assert seats_state(Seats(5, 10, 5, 10)) == "met"
    assert seats_state(Seats(10, 10, 5, 10)) == "full"
    assert seats_state(Seats(50, 10, 5, None)) == "met"
    text = plain(render_gauge(below, 10, ascii_only=True))
    assert text.startswith("[##..|....|]")
    assert "2 accepted  min 5  max 10  (below min)" in text
    full = plain(render_gauge(Seats(10, 10, 5, 10), 10, ascii_only=True))
    assert full.startswith("[##########]")


def test_the_time_axis_gives_the_dates_when_the_chart_crosses_midnight():
    day = 1_772_409_600  # 2026-03-02 00:00 UTC
    samples = [Sample(at=day + 82_800, accepted=1, pending=3)]
    within = ChartSpec(width=40, height=3, start=day + 3_600, end=day + 82_800)
    axis = plain(render_chart(samples, within)[-2])
    assert axis.split() == ["01:00:00", "23:00:00"]
    across = ChartSpec(width=40, height=3, start=day - 3_600, end=day + 32_400)
    axis = plain(render_chart(samples, across)[-2])
    assert axis.split() == ["03-01", "23:00", "03-02", "09:00"] and len(axis) <= 40
