"""The view registry: the console's top-level views on keys 1, 2 and 3.

To plug a view in:

1. write ``console/tui/views/<name>.py`` with a :class:`~console.tui.views.base.ViewScreen`
   subclass: ``VIEW_TITLE``, ``SCOPES``, ``BINDINGS = actions.bindings("<scope>")``,
   ``compose_body()``, and ``on_snapshot()`` for the live data of every poll;
2. add its actions to ``console/tui/actions.py`` (ids ``<scope>.<name>``, the scope listed in
   ``SCOPES``): that gives them keys, remaps, footer entries, help and palette lines;
3. set the screen as ``screen`` of its entry in :data:`VIEWS` (through
   :func:`~console.tui.views.later.opened_later` for every view but the first one shown).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.screen import Screen

from console.tui.views.gigs import GigsScreen
from console.tui.views.later import opened_later


@dataclass(frozen=True)
class View:
    id: str
    title: str
    screen: Callable[[], Screen]


VIEWS: dict[str, View] = {
    "gigs": View("gigs", "Gigs", GigsScreen),
    "queries": View("queries", "Queries",
                    opened_later("console.tui.views.queries", "QueriesScreen")),
    "waves": View("waves", "Waves", opened_later("console.tui.views.waves", "WavesScreen")),
}
