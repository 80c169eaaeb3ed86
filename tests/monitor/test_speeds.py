from console.monitor.speeds import FASTEST, label, step
from console.sim.pace import Pace, SliceSizer


def test_steps_walk_the_presets_and_stop_at_the_ends():
    assert step(1, 1) == 10 and step(60, 1) == 600 and step(600, 1) == FASTEST
    assert step(FASTEST, 1) == FASTEST and step(FASTEST, -1) == 600
    assert step(1, -1) == 1 and step(30, -1) == 10 and step(30, 1) == 60
    assert label(FASTEST) == "max" and label(60.0) == "x60"


def test_slices_grow_while_quick_and_shrink_on_overrun():
    sizer = SliceSizer(budget=0.04, start=60)
    sizer.took(0.001)
    assert sizer.size == 91
    sizer.took(0.02)
    assert sizer.size == 91
    sizer.took(0.5)
    assert sizer.size == 45
    for _ in range(20):
        sizer.took(1.0)
    assert sizer.size == 1


def test_pace_carries_fractions_and_pauses():
    wall = iter([0.0, 0.25, 0.5, 0.75, 1.0, 2.0, 3.0])
    pace = Pace(speed=6.0, paused=False, wall=lambda: next(wall))
    assert [pace.due(), pace.due(), pace.due(), pace.due()] == [1, 2, 1, 2]
    pace.set_paused(True)
    assert pace.due() == 0
