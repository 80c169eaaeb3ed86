"""The view registry: the console's top-level views on keys 1, 2 and 3.

To plug a view in, write ``console/tui/views/<name>.py`` with a :class:`ViewScreen` subclass and
set it as ``screen`` of its entry in :data:`VIEWS`. A view whose screen is None is not built yet:
its key says so instead of showing an empty screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.screen import Screen

from console.tui.views.gigs import GigsScreen
from console.tui.views.waves import WavesScreen


@dataclass(frozen=True)
class View:
    id: str
    title: str
    screen: Callable[[], Screen] | None


VIEWS: dict[str, View] = {
    "gigs": View("gigs", "Gigs", GigsScreen),
    "queries": View("queries", "Queries", None),
    "waves": View("waves", "Waves", WavesScreen),
}
