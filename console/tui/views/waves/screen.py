"""View 3: the wave monitor. All live gigs, then one gig: a screen composed of one widget per
pane, each painting from its own reactive data, fed by one :class:`MonitorSource` per open gig
(read after every poll of the app on a simulation or replay, on its own schedule when remote)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical

from console.backends.errors import BackendError
from console.tui import actions
from console.tui.messages import DemoReset, Snapshot
from console.tui.views.base import ViewScreen
from console.tui.views.waves.chart import ChartPane, ascii_terminal
from console.tui.views.waves.clock_commands import ClockCommands
from console.tui.views.waves.gig_commands import GigCommands
from console.tui.views.waves.event_log import EventLog
from console.tui.views.waves.filter import MonitorFilter
from console.tui.views.waves.header import GigHeader
from console.tui.views.waves.invitations import InvitationTable
from console.tui.views.waves.lines import MonitorLines
from console.tui.views.waves.overview import OverviewTable
from console.tui.views.waves.shown import ShownOnly
from console.tui.views.waves.source import MonitorSource, Reading
from console.tui.views.waves.table_keys import TableKeys
from console.tui.views.waves.wave_table import WaveTable
from console.tui.widgets.fitted import Fitted
from console.tui.widgets.forecast_line import ForecastLine
from console.tui.widgets.virtual_table import VirtualTable
from console.tui.widgets.wrapped import Wrapped


class WavesScreen(ClockCommands, GigCommands, TableKeys, MonitorLines, ViewScreen):
    VIEW_TITLE = "3 Waves"
    SCOPES = frozenset({"waves", "list"})
    # The list keys are the screen's own and move the visible table: no table ever takes the
    # focus, so switching panes changes no focus (which would rebuild the footer each time).
    BINDINGS: ClassVar = actions.bindings("waves") + actions.bindings("list")
    DEFAULT_CSS = """
    WavesScreen #wv-detail { height: 1fr; }
    WavesScreen #wv-tabs { height: 1; width: 100%; padding: 0 1; color: $text-muted; }
    WavesScreen #wv-status { width: 100%; background: $panel; color: $text-muted; padding: 0 1; }
    WavesScreen MonitorFilter { display: none; }
    WavesScreen MonitorFilter.-shown { display: block; }
    WavesScreen MonitorFilter.-error { color: $text-error; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.pane = "waves"
        self.source: MonitorSource | None = None
        self.filter_error: str | None = None
        ascii_only = ascii_terminal()
        self.overview = OverviewTable(id="wv-overview")
        self.header = GigHeader(ascii_only)
        self.tabs = Fitted(id="wv-tabs")
        self.waves_table = WaveTable(id="wv-waves")
        self.chart = ChartPane(ascii_only, id="wv-chart")
        self.invitations_table = InvitationTable(id="wv-invitations", on_swapped=self._paint_tabs)
        self.events_table = EventLog(id="wv-events", on_swapped=self._paint_tabs)
        self.panes = {"waves": self.waves_table, "chart": self.chart,
                      "invitations": self.invitations_table, "events": self.events_table}
        self.detail = Vertical(id="wv-detail")
        # Shown by their own display, not ContentSwitchers: a switcher's `current` repaints the
        # whole container (every line of it, all hidden behind what it shows) at each switch,
        # and each container level is one more widget every repaint of a pane goes through.
        self.detail.display = False  # the overview shows first
        self._show_only(self.pane)

    def compose_body(self) -> ComposeResult:
        yield self.overview
        with self.detail:
            yield self.header
            yield self.tabs
            yield from self.panes.values()
        yield MonitorFilter(placeholder="filter: regex over the row text, leading ! excludes",
                            id="wv-filter")
        yield Wrapped(id="wv-status")

    def on_mount(self) -> None:
        for table in self.query(VirtualTable):
            table.can_focus = False
        self.set_interval(1.0, self._paint_status)
        # The clock keys (pause, speed) change the app's status: this line says it too.
        self.watch(self.app, "status_version", lambda _: self._paint_status(), init=False)
        self._paint_status()

    # What tests and the commands read -----------------------------------------------------------
    @property
    def gig_id(self) -> str | None:
        return self.source.gig_id if self.source is not None else None

    @property
    def monitor(self) -> Any:
        return self.source.monitor if self.source is not None else None

    @property
    def selected(self) -> set[str]:
        return self.invitations_table.selected

    @property
    def poll_clock(self) -> Any:
        return self.source.poll_clock if self.source is not None else None

    @property
    def backend(self) -> Any:
        return self.cirro.backend

    def table(self, name: str) -> VirtualTable:
        return self.query_one(f"#wv-{name}", VirtualTable)

    def current_table(self) -> VirtualTable | None:
        if self.gig_id is None:
            return self.overview
        return None if self.pane == "chart" else self.table(self.pane)

    # Data -----------------------------------------------------------------------------------------
    def on_snapshot(self, snapshot: Snapshot) -> None:
        self.overview.snapshot = snapshot
        if self.source is None:
            self.overview.measure_rates(self.backend)
        elif self.backend.simulation is not None:
            self.refresh_detail()  # the poll moved the clock
        self._paint_status()

    def refresh_detail(self) -> None:
        if self.source is not None:
            self.source.request(self._read_failed)

    def _read_failed(self, exc: BackendError) -> None:
        self.notify(f"{exc}", title="Wave monitor", severity="error")

    def _take(self, source: MonitorSource, reading: Reading) -> None:
        """A reading of the open gig: each pane takes its part (and paints if it changed)."""
        if source is not self.source:
            return  # the operator moved on while it was read
        if not self.waves_table.is_attached:
            return  # the app is closing: its panes went before this screen and its read
        self.header.reading = reading
        self.waves_table.waves = tuple(reading.snapshot.waves)
        self.chart.reading = reading
        self.chart.forecast = self.header.forecast.result
        self.invitations_table.invitations = reading.snapshot.invitations
        self.events_table.log = (reading.appended, reading.events)
        self._paint_tabs()

    def on_forecast_line_ready(self, message: ForecastLine.Ready) -> None:
        self.chart.forecast = message.result

    # Navigation -----------------------------------------------------------------------------------
    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        if self.gig_id is None:  # enter on the overview; the detail's tables have no enter
            self.open(event.key)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The footer offers enter on the list of gigs and escape on a watched one: each key
        # does nothing in the other.
        if action == "open_gig":
            return self.gig_id is None
        if action == "back":
            return self.gig_id is not None
        return True

    def action_open_gig(self) -> None:
        if self.gig_id is None and (key := self.overview.cursor_key) is not None:
            self.open(key)

    def open(self, gig_id: str) -> None:
        """Watch one gig (the overview's enter; also what tests call)."""
        self._close_source()
        source = MonitorSource(self.backend, gig_id, lambda r: self._take(source, r),
                               lambda work: self.run_worker(work, group="waves-source"))
        self.source = source
        self.invitations_table.start_over()
        self.events_table.start_over()
        self.overview.display, self.detail.display = False, True
        self.show_pane(self.pane)
        if self.backend.simulation is None:
            source.start_polling(self.cirro.poll_interval, after=self._paint_status)
        else:
            self.refresh_detail()
        self._paint_status()
        self.refresh_bindings()

    def _close_source(self) -> None:
        self.workers.cancel_group(self, "waves-source")
        self.source = None

    def action_back(self) -> None:
        if self.gig_id is None:
            return
        self._close_source()
        self.overview.display, self.detail.display = True, False
        self._paint_status()
        self.refresh_bindings()

    def on_demo_reset(self, _: DemoReset) -> None:
        self.action_back()  # the gig watched was of the old simulation

    def action_show_pane(self, pane: str) -> None:
        if self.gig_id is None:
            self.notify("Open a gig first (enter)", severity="warning")
            return
        self.show_pane(pane)

    def show_pane(self, pane: str) -> None:
        self.pane = pane
        # The pane shown brings its widget up to its data before the first paint.
        for name, widget in self.panes.items():
            if isinstance(widget, ShownOnly):
                widget.show(name == pane)
        self._show_only(pane)
        self._paint_tabs()

    def _show_only(self, pane: str) -> None:
        for name, widget in self.panes.items():
            widget.display = name == pane
