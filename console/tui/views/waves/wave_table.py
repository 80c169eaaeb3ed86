"""The wave table pane: one row per wave sent, with how its invitations went."""

from __future__ import annotations

from typing import Any

from textual.reactive import reactive

from console.models import WaveRecord
from console.tui.views.waves.rows import WAVE_COLUMNS, wave_row
from console.tui.views.waves.shown import ShownOnly
from console.tui.widgets.virtual_table import VirtualTable


class WaveTable(ShownOnly, VirtualTable):
    # No repaint of its own: set_rows repaints the rows that changed.
    waves: reactive[tuple[WaveRecord, ...]] = reactive((), init=False, repaint=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(WAVE_COLUMNS, **kwargs)

    def watch_waves(self) -> None:
        if self.apply_now():
            self.apply_model()

    def apply_model(self) -> None:
        # A few hundred rows at most, and only when a wave's counts changed.
        self.set_rows(wave_row(wave) for wave in self.waves)
