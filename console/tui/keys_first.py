"""Keys before background work: from a key press until the screen has repainted after it, the
console's background loops (simulation frames, invitation reads, row building) hold still.

A pane switch costs Textual 10-30 ms of layout and render, after a wait of one or two frames
for the screen's update timer. Background chunks that ran in that wait (simulation slices,
invitations read, rows built) stacked on top of it and made a key take over 100 ms. Holding them
costs the simulation a few milliseconds of progress per key; the operator's key comes first.
"""

from __future__ import annotations

import asyncio

# A repaint that never comes (a key on a screen that is closing) frees the work after this long.
HOLD_LIMIT = 0.25


class KeysFirst:
    def __init__(self, hold_limit: float = HOLD_LIMIT) -> None:
        self._free = asyncio.Event()
        self._free.set()
        self.hold_limit = hold_limit

    @property
    def holding(self) -> bool:
        return not self._free.is_set()

    def key_pressed(self) -> None:
        self._free.clear()

    def repainted(self) -> None:
        self._free.set()

    async def pause(self) -> None:
        """A :data:`console.monitor.pause.Pause`: yield once, then wait while a key's repaint is
        due (at most ``hold_limit``). Checked again on waking: another key may have come in
        between the repaint that woke this wait and this task running."""
        await asyncio.sleep(0)
        if self._free.is_set():
            return  # the common case, once per chunk of background work: nothing more to do
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.hold_limit
        while not self._free.is_set():
            remaining = deadline - loop.time()
            if remaining <= 0:
                self._free.set()  # whatever held it is gone; do not make every chunk wait again
                return
            try:
                await asyncio.wait_for(self._free.wait(), remaining)
            except TimeoutError:
                continue
