"""View 3, the wave monitor: :class:`WavesScreen` and its panes, one module each."""

from console.tui.views.waves.screen import WavesScreen

__all__ = ["WavesScreen"]
