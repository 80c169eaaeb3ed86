"""The benches' percentile: a rank in the data, never beyond it."""

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.percentile import percentile  # noqa: E402


def test_the_95th_percentile_of_ten_keys_is_not_above_the_slowest() -> None:
    keys = [11.0, 12.0, 12.5, 13.0, 14.0, 15.0, 16.0, 18.0, 42.0, 20.0]
    assert percentile(keys, 0.95) == 42.0


def test_the_95th_of_a_hundred_is_the_96th_smallest() -> None:
    values = [float(v) for v in range(100, 0, -1)]
    assert percentile(values, 0.95) == 96.0
    assert percentile(values, 0.5) == 51.0


def test_no_values_give_nan() -> None:
    assert math.isnan(percentile([], 0.99))
