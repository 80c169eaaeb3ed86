"""CPU work in a background thread hands the interpreter back to the event loop's thread often.

CPython runs one thread at a time. A thread that wants the interpreter gets it when its holder
blocks (I/O, a sleep) or, failing that, after ``sys.getswitchinterval()``: the console sets that
to 20 ms so that its repaints are not cut into. So a background thread that builds rows for
10,000 invitations in one go would make a key wait up to 20 ms before the loop could even start
its repaint. Such work runs its loops through :func:`paced`: after each ``SLICE`` of work the
thread sleeps ``GAP``, the interpreter released, and the loop's thread, if it waits, takes it.
On an event loop's own thread this never sleeps (the loop must not block).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

SLICE = 0.001  # seconds of work between gaps
GAP = 0.0002  # seconds the interpreter is left to others
EVERY = 256  # items between looks at the clock (one look costs about as much as 10 items)

_since = threading.local()


def give_way() -> None:
    """Sleep ``GAP`` when ``SLICE`` has passed since this thread last gave way (never on a
    thread that runs an event loop: that loop must not block)."""
    now = time.perf_counter()
    started = getattr(_since, "at", None)
    if started is None or now - started < SLICE:
        if started is None:
            _since.at = now
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        time.sleep(GAP)
    _since.at = time.perf_counter()


def paced(items: Iterable[T]) -> Iterator[T]:
    """``items``, giving way (:func:`give_way`) every ``EVERY`` of them."""
    for i, item in enumerate(items):
        if not i % EVERY:
            give_way()
        yield item
