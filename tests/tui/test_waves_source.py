"""The monitor's data source hands its screen work to run, never a coroutine made in advance."""

from __future__ import annotations

import gc
import warnings

from console.tui.views.waves.source import MonitorSource


def test_a_read_whose_worker_never_starts_leaves_no_coroutine_unawaited(backend) -> None:
    # A screen being removed cancels its workers before they start; what was handed over must
    # not be a coroutine already made (it would never be awaited, and Python warns of it).
    dropped: list[object] = []
    source = MonitorSource(backend, "g1", lambda reading: None, dropped.append)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        source.request(lambda error: None)
        assert len(dropped) == 1 and callable(dropped[0])
        dropped.clear()
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)], \
        [str(w.message) for w in caught]
