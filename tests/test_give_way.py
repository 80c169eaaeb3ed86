"""Background CPU work gives the interpreter back every SLICE, never on an event loop."""

from __future__ import annotations

import asyncio
import threading

import pytest

from console import give_way as module


class FakeTime:
    """A clock moved by hand, and the sleeps asked of it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def perf_counter(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    clock = FakeTime()
    monkeypatch.setattr(module, "time", clock)
    monkeypatch.setattr(module, "_since", threading.local())
    return clock


def test_gives_way_once_a_slice_has_passed(fake: FakeTime) -> None:
    module.give_way()  # the first look starts the slice
    fake.now += module.SLICE / 2
    module.give_way()
    assert fake.slept == []
    fake.now += module.SLICE
    module.give_way()
    assert fake.slept == [module.GAP]
    module.give_way()  # a new slice started with the gap
    assert fake.slept == [module.GAP]


def test_never_sleeps_on_an_event_loop(fake: FakeTime) -> None:
    async def work() -> None:
        module.give_way()
        fake.now += 10 * module.SLICE
        module.give_way()

    asyncio.run(work())
    assert fake.slept == []


def test_each_thread_has_its_own_slice(fake: FakeTime) -> None:
    module.give_way()
    fake.now += 2 * module.SLICE
    other = threading.Thread(target=module.give_way)  # its first look: a slice starts
    other.start()
    other.join()
    assert fake.slept == []
    module.give_way()
    assert fake.slept == [module.GAP]


def test_paced_yields_every_item_and_looks_every_so_many(monkeypatch: pytest.MonkeyPatch) -> None:
    looks = []
    monkeypatch.setattr(module, "give_way", lambda: looks.append(1))
    items = list(range(3 * module.EVERY + 1))
    assert list(module.paced(iter(items))) == items
    assert len(looks) == 4
