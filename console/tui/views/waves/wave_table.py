"""The wave table pane: one row per wave sent, with how its invitations went."""

from __future__ import annotations

from typing import Any

from textual.reactive import reactive

from console.models import WaveRecord
from console.tui.views.waves.rows import WAVE_COLUMNS, wave_row
from console.tui.widgets.virtual_table import VirtualTable


class WaveTable(VirtualTable):
    waves: reactive[tuple[WaveRecord, ...]] = reactive((), init=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(WAVE_COLUMNS, **kwargs)

    def watch_waves(self, waves: tuple[WaveRecord, ...]) -> None:
        # A few hundred rows at most, and only when a wave's counts changed.
        self.set_rows(wave_row(wave) for wave in waves)
