"""The lines above the panes: title and countdown, counts, seats gauge, forecast."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static

from console.monitor.gauge import fitted_gauge
from console.monitor.glyphs import Line, Run
from console.tui import format as fmt
from console.tui.views.waves.source import Reading
from console.tui.widgets.forecast_line import ForecastLine
from console.tui.widgets.runs import RunsView
from console.tui.widgets.wrapped import Wrapped
from console.waves import SimSettings

if TYPE_CHECKING:
    from console.models import GigStats


class GigHeader(Vertical):
    DEFAULT_CSS: ClassVar[str] = """
    GigHeader { height: auto; }
    GigHeader #wv-title { width: 100%; text-style: bold; padding: 0 1; }
    GigHeader #wv-counts { height: 1; width: 100%; padding: 0 1; }
    GigHeader #wv-gauge { height: 1; padding: 0 1; }
    GigHeader #wv-forecast { height: auto; width: 100%; padding: 0 1; color: $text-muted; }
    """

    # The watcher paints the lines that changed: a repaint of the whole header (a container,
    # four lines) at every reading drew the lines that had not changed too.
    reading: reactive[Reading | None] = reactive(None, init=False, repaint=False)
    ascii_only: reactive[bool] = reactive(False, init=False)

    def __init__(self, ascii_only: bool, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_reactive(GigHeader.ascii_only, ascii_only)
        # Kept, not queried: a reading that lands while the console closes finds them gone.
        self.title_line = Wrapped(id="wv-title")
        self.counts = Static(id="wv-counts")
        self.gauge = RunsView(self.draw_gauge, id="wv-gauge")
        self.forecast = ForecastLine(id="wv-forecast")
        self._counts_text = ""

    def compose(self) -> ComposeResult:
        yield self.title_line
        yield self.counts
        yield self.gauge
        yield self.forecast

    def watch_reading(self, reading: Reading | None) -> None:
        if reading is None:
            return
        snap = reading.snapshot
        gig, stats = snap.gig, snap.stats
        seconds = reading.countdown.seconds
        # Wrapped, never cut: a long title pushes the countdown to a second line.
        self.title_line.show(
            f"{gig.id} {gig.title}", gig.phase(snap.at).value,
            f"{gig.invitation_mode} x{gig.invitation_multiplier:g}/{gig.invitation_frequency:g}min",
            "no wave due" if seconds is None else f"next wave in {fmt.duration(seconds)}")
        self._paint_counts()
        self.gauge.redraw()
        sim, clock = self.app.backend.simulation, self.app.clock
        self.forecast.gig_changed(
            self.app.backend, snap, sim.settings if sim is not None else SimSettings(),
            self.app.population_file, fastest=clock is not None and clock.fastest)

    def on_resize(self) -> None:
        self._paint_counts()

    def _paint_counts(self) -> None:
        if self.reading is None:
            return
        # Before the first layout the width is 0: the full line, until the resize says.
        counts = counts_line(self.reading.snapshot.stats, self.counts.content_size.width or 1_000)
        if counts != self._counts_text:  # one line of fixed size: no layout pass
            self._counts_text = counts
            self.counts.update(counts, layout=False)

    def watch_ascii_only(self, _ascii_only: bool) -> None:
        self.gauge.redraw()

    def draw_gauge(self, width: int, _height: int) -> list[Line]:
        seats = self.reading.seats if self.reading is not None else None
        if seats is None:
            return [[Run("loading...", "label")]]
        return [fitted_gauge(seats, width, self.ascii_only)]


def counts_line(stats: GigStats, width: int) -> str:
    """The counts in full where they fit, else with short names: cut, the last ones lost their
    numbers (at 60 columns "expired" had none)."""
    full = (f"invited {stats.invited}  accepted {stats.accepted}  pending {stats.pending}  "
            f"rejected {stats.rejected}  expired {stats.expired}  waves {stats.waves_sent}")
    if len(full) <= width:
        return full
    return (f"inv {stats.invited} acc {stats.accepted} pend {stats.pending} "
            f"rej {stats.rejected} exp {stats.expired} waves {stats.waves_sent}")
