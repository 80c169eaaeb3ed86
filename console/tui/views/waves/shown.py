"""Panes that keep their data current while hidden but put it in their widget only when shown.

Every frame (4 a second at the fastest speed) brings each pane new data; a hidden pane that
applied it to its table (sort, filter, index over 10,000 rows) took the event loop from the keys
for nothing. A hidden pane notes that its widget is behind its model; shown again, it brings
the widget up to the model at once, before the first paint (from rows built already: a swap,
no build), so it never shows stale rows.
"""

from __future__ import annotations


class ShownOnly:
    """Mixed into a pane's table; the screen calls :meth:`show` as panes switch."""

    showing = True
    _behind = False  # the widget lags the model (the pane was hidden when data came)

    def show(self, showing: bool) -> None:
        self.showing = showing
        if showing and self._behind:
            self._behind = False
            self.apply_model()

    def apply_now(self) -> bool:
        """Whether new data goes into the widget now (else it waits for :meth:`show`)."""
        if not self.showing:
            self._behind = True
        return self.showing

    def apply_model(self) -> None:
        """Bring the widget up to the model (on the loop, from rows made already)."""
        raise NotImplementedError
