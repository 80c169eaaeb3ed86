"""One policy for the cyclic garbage collector, shared by every view that holds large data."""

from __future__ import annotations

import gc


def keep_out_of_gc() -> None:
    """Move everything alive now out of the cyclic collector's reach.

    Called once large, long-lived data is loaded (the first gig rows, the query view's population
    and index, a watched gig's 10,000 invitations): a full collection over it took 100-600 ms,
    long enough to make a keystroke wait. That data holds no reference cycles, so reference
    counting still frees it once replaced.

    The collector's thresholds stay Python's: raised (to 50,000 young objects), each young
    collection ran over tens of thousands of objects (a repaint makes cyclic garbage) and held a
    key for 85-95 ms; at the default they take a few milliseconds each."""
    gc.freeze()
