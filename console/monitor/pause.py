"""How long monitor work (reading 10,000 invitations, moving the simulation) lets others run.

Such work goes a chunk at a time and awaits a :data:`Pause` between chunks. Alone it only yields
once to the event loop; the console passes a pause that also waits while a key's repaint is due
(see ``console/tui/keys_first.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

Pause = Callable[[], Awaitable[None]]


async def yield_once() -> None:
    """The default pause: whatever is ready runs, then the work goes on."""
    await asyncio.sleep(0)
