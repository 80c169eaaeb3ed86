import asyncio

from console.monitor.poller import PollClock, PollLoop, PollState, next_interval


class FakeTime:
    def __init__(self):
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def test_states_follow_successes_and_failures():
    clock = PollClock(interval=10)
    assert clock.status(0).state is PollState.CONNECTING
    clock.started()
    clock.succeeded(1)
    assert clock.next_at == 11
    status = clock.status(6)
    assert status.state is PollState.UPDATED and status.describe() == "updated 5 s ago"
    assert clock.status(40).state is PollState.STALE
    clock.failed(41, "connection refused")
    assert clock.status(41).state is PollState.STALE
    clock.failed(52, "connection refused")
    status = clock.status(52)
    assert status.state is PollState.DISCONNECTED
    assert "connection refused" in status.describe() and "51 s ago" in status.describe()
    clock.succeeded(63)
    assert clock.status(63).state is PollState.UPDATED


def test_interval_change_applies_to_the_wait_in_progress():
    clock = PollClock(interval=30)
    clock.started()
    clock.succeeded(100)
    clock.set_interval(5, now=102)
    assert clock.next_at == 105
    clock.set_interval(2, now=104)
    assert clock.next_at == 104  # already overdue: poll now, not in the past
    assert next_interval(10) == 30 and next_interval(60) == 2


async def test_loop_never_overlaps_and_schedules_from_the_end_of_each_poll():
    fake = FakeTime()
    clock = PollClock(interval=10)
    starts: list[float] = []
    running = 0

    async def slow_poll():
        nonlocal running
        running += 1
        assert running == 1, "polls overlapped"
        starts.append(fake.now)
        await fake.sleep(4)  # the poll itself takes 4 s
        running -= 1

    loop = PollLoop(clock, slow_poll, fake.monotonic, fake.sleep)
    task = asyncio.create_task(loop.run())
    while len(starts) < 4:
        await asyncio.sleep(0)
    task.cancel()
    # each poll starts 10 s after the previous one *finished* (4 s later than it started)
    assert starts == [0, 14, 28, 42]


async def test_failures_are_reported_not_raised():
    fake = FakeTime()
    clock = PollClock(interval=5)

    async def broken():
        raise ConnectionError("api.example: timed out")

    loop = PollLoop(clock, broken, fake.monotonic, fake.sleep)
    assert await loop.run_once()
    fake.now = 5
    assert await loop.run_once()
    status = clock.status(fake.now)
    assert status.state is PollState.DISCONNECTED and "timed out" in status.describe()
    assert not await loop.run_once()  # not due again until 5 s after the failure
