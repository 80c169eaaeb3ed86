"""CirroApp: the shell around the views: header and footer, views on 1/2/3, palette, help,
the simulation's frames (or the remote poll) that feed them, the clock keys, and every gig
mutation (confirmed, read-only aware).
"""

from __future__ import annotations

import asyncio
import gc
import concurrent.futures
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal

from console.monitor import speeds
from console.paths import styles_dir
from console.plural import plural
from console.tui import actions
from console.tui.clock import Clock
from console.tui.format import full_timestamp
from console.tui.key_order import KeyOrder
from console.tui.messages import (Connection, DemoReset, GigCreated, PollFailed, Snapshot,
                                  SnapshotReady)
from console.tui.palette import ActionsProvider
from console.tui.paste_guard import keep_escapes_in_pastes
from console.tui.theme import CIRRO_THEMES
from console.tui.timer_ticks import skip_to_next_tick
from console.tui.views import VIEWS, later
from console.tui.views.base import HoldsEdits, ViewScreen

if TYPE_CHECKING:
    # Types only: the first frame of a local context is painted from its gig list's summary
    # before the backend, the models and pydantic load (console/tui/first_frame.py).
    from console.backends.base import Backend
    from console.backends.controls import Frame
    from console.forecast.model import ModelFile
    from console.models import Gig, GigCreate, GigStats, GigUpdate
    from console.sim.gig_summary import GigSummary
    from console.tui.first_frame import Opened, Opening
    from console.tui.views.gig_editor import GigEditor

REMOTE_CONCURRENCY = 8
# Seconds a busy thread keeps the interpreter before another may take it (see on_mount).
SWITCH_INTERVAL = 0.02
# Allocations between young collections, from the first frame on (Python's default is 700).
# The monitor makes rows and models by the thousand at each frame of a running simulation, on
# this thread and in its row builders, and each young collection holds the interpreter for
# every thread. bench/monitor.py, three interleaved pairs at load 1.5-2.7, median/95th/worst
# key (ms): 700 gave 23/67/155, 28/71/103, 27/78/114; 20,000 gave 13/48/66, 18/58/89,
# 20/65/121. What lives on is frozen out of every pass anyway (FREEZE_EVERY, console/sim/host.py).
YOUNG_GC_THRESHOLD = 20_000
# What the first view does not show, imported when first used or in the background once it
# painted (console/tui/views/later.py): the gig editor and its form, the dialogs, help, export.
later.imported_later("console.tui.views.gig_editor", "console.tui.widgets.dialogs",
                     "console.tui.help", "console.tui.export")


class CirroApp(App[None]):
    TITLE = "cirro-console"
    CSS_PATH = str(styles_dir() / "app.tcss")
    BINDINGS: ClassVar = actions.bindings("app")
    COMMANDS: ClassVar = {ActionsProvider}
    MODES: ClassVar = {view.id: view.screen for view in VIEWS.values() if view.screen is not None}

    # Bumped whenever the header has something new to show. Its watchers paint what shows it;
    # no repaint of the whole screen (an app's reactive repaints the screen by default: 3-4 ms
    # at every frame, 4 a second at the fastest speed).
    status_version: reactive[int] = reactive(0, init=False, repaint=False)

    def __init__(
        self,
        backend: Backend | None,
        *,
        theme: str = "cirro-dark",
        keymap: Mapping[str, str] | None = None,
        read_only: bool = False,
        speed: float = 60.0,
        paused: bool = False,
        poll_seconds: float = 1.0,
        population_file: Path | None = None,
        forecast_model: ModelFile | None = None,
        start_view: str = "gigs",
        opening: Opening | None = None,
        summary: GigSummary | None = None,
        context: str = "",
    ) -> None:
        """Without ``backend``, ``opening`` opens it on a thread once the gig list painted
        ``summary`` (the context ``context``'s gigs as last saved); until then keys wait."""
        # The first screen is the start view's own (Textual mounts DEFAULT_MODE's at start):
        # switching to it on mount held the first frame back for switch_mode's 50 ms
        # delay_update, and parsed the CSS twice more.
        self.DEFAULT_MODE = start_view
        skip_to_next_tick()  # before the app's timers start
        keep_escapes_in_pastes()  # before its driver starts
        super().__init__()
        self.start_view = start_view
        for cirro_theme in CIRRO_THEMES:
            self.register_theme(cirro_theme)
        self.theme = theme
        self.keymap = actions.check_keymap(keymap or {})
        # Remaps that were left out or take a key from another action: said at start and in help.
        self.key_warnings = actions.keymap_warnings(keymap or {})
        self.read_only = read_only
        self.key_order = KeyOrder(self, super().on_event)
        self.start_speed = speed
        self._start_paused = paused
        self._backend: Backend | None = None
        self.clock: Clock | None = None
        self.context_name = context
        self.summary = summary
        self._opening = opening
        # What the gig list says while the backend opens (None once it is open).
        self.loading: str | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._ran_out = False
        self.poll_interval = poll_seconds
        self.snapshot: Snapshot | None = None
        self._opener: threading.Thread | None = None
        self.open_result: concurrent.futures.Future[Opened] = concurrent.futures.Future()
        # Set once the first view painted data: see first_frame_painted.
        self.first_frame_shown = False
        self.connection = Connection()
        self.snapshots: Signal[Snapshot] = Signal(self, "snapshots")
        self._poll_timer = None
        # The gig under the gig list's cursor: view 2 edits its queries.
        self.selected_gig_id: str | None = None
        # A remote context's population file ([{id, document}]) for the query preview.
        self.population_file = population_file
        # The context's forecast_model for the wave monitor's forecast line (None: as `forecast`).
        self.forecast_model = forecast_model
        if backend is not None:
            self._use_backend(backend)
        elif opening is None:
            raise ValueError("CirroApp needs a backend or a way of opening one")
        else:
            self.loading = "the context"
            self.key_order.hold()  # until the backend's first data is shown

    @property
    def backend(self) -> Backend:
        """The context's backend; while it opens (``loading``), nothing may ask for it: every
        key waits, and the other ways in (a click) check ``loading`` first."""
        if self._backend is None:
            raise RuntimeError("the backend is still opening")
        return self._backend

    @property
    def context_kind(self) -> str:
        # Before the backend opens, only a local context's summary is shown (first_frame.py).
        return self._backend.kind if self._backend is not None else "local"

    def _use_backend(self, backend: Backend) -> None:
        self._backend = backend
        self.context_name = backend.context
        self.read_only = self.read_only or backend.read_only
        # A backend with a clock (the simulation, a replay) pushes frames; the API is polled.
        simulation = backend.simulation
        if simulation is not None:
            self.clock = Clock(simulation, self.start_speed, self._start_paused)

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        # Messages carry gig titles and backend errors: never read them as markup.
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    async def on_event(self, event: events.Event) -> None:
        if KeyOrder.typed(event) and not event.is_forwarded:
            await self.key_order.arrived(event)  # in turn, to the widget focused by then
            return
        await super().on_event(event)

    @property
    def now(self) -> int:
        """The latest known backend time (wall time until the first poll answers)."""
        return self.snapshot.now if self.snapshot is not None else int(time.time())

    def on_mount(self) -> None:
        self._switch_interval = sys.getswitchinterval()
        self._gc_threshold = gc.get_threshold()
        self.set_keymap(self.keymap)
        if self._backend is not None:
            self._start_feed()

    def _start_feed(self) -> None:
        """The backend is open: its warnings, then its data (frames, or the first poll)."""
        # e.g. a private key others can read: said once, where the operator looks.
        for warning in self.backend.warnings:
            self.notify(str(warning), title="Warning", severity="warning", timeout=15)
        if self.key_warnings:
            self.notify("\n".join(self.key_warnings), title="Keys (also listed in ? help)",
                        severity="warning", timeout=15)
        if self.clock is not None:
            # The current frame, with the clock still held: it starts once the first view
            # painted it (first_frame_painted), so its first waves (numpy, the rankings) do
            # not take the interpreter from the first frame.
            self._unsubscribe = self.clock.simulation.subscribe(self._on_frame)
        else:
            self.poll_now()

    # Opening the backend behind the summary's first frame ---------------------------------------
    def on_ready(self) -> None:
        if self._opening is not None:
            # Ready comes after the first layout; what it set off (the rows, then the footer's
            # keys) is painted and handed to Textual's output thread once the screen is idle.
            self.screen.call_after_refresh(self._open_backend)

    def _open_backend(self) -> None:
        """The first frame (the gig list of the saved summary) is out: now the backend opens,
        on a thread of its own (a plain thread: the run waits for it after the app exits, to
        close what it opened); its progress and result come back through the loop. Not sooner:
        its imports would take the interpreter from the frame's layout."""
        if self._opening is None or self._backend is not None or self._opener is not None:
            return
        loop = asyncio.get_running_loop()
        opening = self._opening

        def report(call: Callable[..., None], *args: Any) -> None:
            try:
                loop.call_soon_threadsafe(call, *args)
            except RuntimeError:  # the app exited meanwhile: the run closes what was opened
                pass

        def run() -> None:
            try:
                opened = opening(lambda step: report(self._loading_step, step))
            except Exception as exc:  # OpenFailed (config, store) or a bug: said, then exit
                self.open_result.set_exception(exc)
                report(self._open_failed, exc)
                return
            self.open_result.set_result(opened)
            report(self._opened, opened)

        self._opener = threading.Thread(target=run, name="open-backend", daemon=True)
        self._opener.start()

    def _loading_step(self, step: str) -> None:
        if self._backend is None:
            self.loading = step
            self._bump()

    def _opened(self, opened: Opened) -> None:
        if not self.is_running:
            return
        self.start_speed = opened.speed
        self.poll_interval = opened.poll_seconds
        self.population_file = opened.population_file
        self.forecast_model = opened.forecast_model
        self.read_only = opened.read_only
        self._use_backend(opened.backend)
        self.loading = "its first data"
        self._bump()
        self._start_feed()

    def _open_failed(self, error: BaseException) -> None:
        # run_console says why on stderr once the terminal is back, as before the app ran.
        self.exit(return_code=2)

    def finish_opening(self) -> Opened | None:
        """After the app ran: wait for a backend still opening; what it opened (to close), or
        None (none was asked for, or it failed: see ``open_result``)."""
        if self._opener is not None:
            self._opener.join()
        if not self.open_result.done() or self.open_result.exception() is not None:
            return None
        return self.open_result.result()

    def first_frame_painted(self) -> None:
        """The first view has painted its first data: now the heavy work starts, off this
        thread: the other views' imports, the simulation's clock, the population's columns (the
        query view's first preview and the next rankings read them)."""
        if self.first_frame_shown:
            return
        self.first_frame_shown = True
        # A thread that wants the interpreter takes it from this one after the switch interval:
        # 5 ms by default, so the simulation host (or a preview worker) cut into a key's 10-30 ms
        # repaint several times. The host gives the interpreter back after each 1 ms slice on its
        # own; a longer interval lets a repaint finish first. (Measured again with the monitor's
        # incremental reads: 5 ms gave a 95th percentile of 91-99 ms against 76-87 ms, within
        # the noise at load 3-6, so kept; docs/architecture.md.) Only from here: until the
        # first frame is out, Textual's output thread waited up to that long for each write.
        sys.setswitchinterval(SWITCH_INTERVAL)
        gc.set_threshold(YOUNG_GC_THRESHOLD, *self._gc_threshold[1:])
        if not gc.isenabled():  # the console's start turned it off (console/cli/main.py)
            gc.freeze()  # what start-up made stays: later passes need not go over it
            gc.enable()
        later.preload()
        if self.clock is not None:
            self.clock.start()
            self.run_worker(self.clock.simulation.prepare_population, thread=True,
                            group="prepare-population", exit_on_error=False)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        sys.setswitchinterval(self._switch_interval)
        gc.set_threshold(*self._gc_threshold)

    # Views, help, palette ------------------------------------------------------------------------
    async def action_quit(self) -> None:
        """Quit; with edits not saved on any screen (a query draft, a gig form), only once the
        operator said to drop them."""
        from console.tui.widgets.dialogs import ConfirmDialog

        unsaved = self.unsaved_edits()
        if not unsaved:
            self.exit()
            return
        if isinstance(self.screen, ConfirmDialog):
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self.exit()

        self.push_screen(ConfirmDialog("Quit and drop what is not saved?", "\n".join(
            [*unsaved, "n goes back to it."])), answered)

    def unsaved_edits(self) -> list[str]:
        """What every open screen, in every view, holds unsaved."""
        found = []
        for mode in (*self.MODES, self.DEFAULT_MODE):
            try:
                stack = self.get_screen_stack(mode)
            except KeyError:  # a view not opened yet holds nothing
                continue
            found += [edits for screen in stack if isinstance(screen, HoldsEdits)
                      and (edits := screen.unsaved_edits()) is not None]
        return found

    def action_show_view(self, view_id: str) -> None:
        if view_id == self.start_view or not self.still_opening(
                f"open the {VIEWS[view_id].title} view"):
            self.switch_mode(view_id)

    def scopes_of(self, screen: Screen[Any]) -> set[str]:
        """The registry scopes whose actions work on ``screen``."""
        from console.tui.views.gig_editor import GigEditor

        if isinstance(screen, ViewScreen):
            return set(screen.SCOPES)
        if isinstance(screen, GigEditor):
            return {"gig"}
        return set()

    def action_help(self) -> None:
        from console.tui.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.scopes_of(self.screen)))

    async def run_registry_action(self, screen: Screen[Any], action: actions.Action) -> None:
        """Run a palette pick on the node that owns its scope."""
        if action.scope == "app":
            await self.run_action(action.action)
        elif action.scope == "list":
            await self.run_action(action.action, screen.query_one("VirtualTable"))
        else:
            await self.run_action(action.action, screen)

    # Clock and poll ------------------------------------------------------------------------------
    def action_toggle_clock(self) -> None:
        if self.still_opening("the clock"):
            return
        if self.clock is None:
            self.notify("This context runs on wall time; there is no clock to pause.")
            return
        paused = self.clock.toggle()
        self.notify("Simulation paused" if paused else "Simulation running")
        self._bump()

    def action_speed_step(self, direction: int) -> None:
        if self.still_opening("the clock"):
            return
        if self.clock is None:
            self.notify("This context runs on wall time; its speed cannot change.")
            return
        # The header says the new speed: a toast per key piled up over it in a burst of keys.
        self.clock.set_speed(speeds.step(self.clock.speed, direction))
        self._bump()

    def _say_nothing_left(self, now: int) -> None:
        self.notify(f"Nothing is left to happen after {full_timestamp(now)} UTC, the last "
                    "scheduled event: the simulation paused there (p resumes)",
                    title="Simulation paused", timeout=10)
        self._bump()

    def action_reset_demo(self) -> None:
        from console.sim.demo import DEMO_NOW

        if self.still_opening("reset the demo"):
            return
        simulation = self.backend.simulation
        if simulation is None:
            self.notify(f"Context {self.backend.context!r} is not a local simulation: there is "
                        "no demo to reset.", severity="warning")
            return
        if self.refuse_if_read_only("reset the demo"):
            return

        def done(now: int) -> None:
            if self.clock is not None:
                self.clock.set_speed(self.start_speed)
                self.clock.paused = False
            try:
                waves = self.get_screen_stack("waves")
            except KeyError:  # the wave monitor was never opened
                waves = []
            for screen in waves:
                screen.post_message(DemoReset())  # it watched a gig of the old simulation
            self.notify(f"Demo reset: the clock is back at {full_timestamp(now)} UTC, "
                        f"running {speeds.label(self.start_speed)}")

        self.confirm_then(
            "Reset the demo?",
            # Lines short enough for the dialog at 80 columns.
            f"All gigs, invitations and events of {self.backend.context!r} are replaced\n"
            f"by the demo's; the clock goes back to {full_timestamp(DEMO_NOW)[:16]} UTC.\n"
            "The workers stay as they are.",
            simulation.reset_demo, done)

    def poll_now(self) -> None:
        """Poll at once; the next poll is scheduled when this one finishes, so none overlap."""
        if self.still_opening("refresh"):
            return
        if self._poll_timer is not None:
            self._poll_timer.stop()
            self._poll_timer = None
        self._poll()

    @work(exclusive=True, group="poll")
    async def _poll(self) -> None:
        """A frame made now from a backend with a clock (after a change, to show it at once);
        else one read of the API."""
        from console.backends.base import KeepsLastRead
        from console.backends.errors import BackendError, ConnectionFailed

        try:
            if self.clock is not None:
                self._on_frame(await self.clock.simulation.frame())
                return
            now = await self.backend.now()
            gigs = await self.backend.list_gigs()
            stats = await self._all_stats(gigs)
            # A remote context keeps its last good read, to show while the API cannot be reached.
            if isinstance(self.backend, KeepsLastRead):
                await self.backend.remember_read(gigs, stats)
        except BackendError as exc:
            reason = exc.reason if isinstance(exc, ConnectionFailed) else str(exc)
            self.post_message(PollFailed(reason, await self._last_read(), exc.brief))
            return
        by_id: dict[str, GigStats] = {s.gig_id: s for s in stats}
        self.post_message(SnapshotReady(Snapshot(now, gigs, by_id, time.monotonic())))

    def _on_frame(self, frame: Frame) -> None:
        """A frame of the clock's (on this loop): the gig list's snapshot, and what the clock
        did by itself."""
        if frame.ran_out and not self._ran_out:
            self._say_nothing_left(frame.now)
        self._ran_out = frame.ran_out
        if frame.error is not None:
            self.post_message(PollFailed(f"The simulation's clock stopped: {frame.error}",
                                         short="clock stopped"))
        self.post_message(SnapshotReady(Snapshot(frame.now, list(frame.gigs), dict(frame.stats),
                                                 time.monotonic())))

    async def _last_read(self) -> Snapshot | None:
        """Before any poll answered: the last good read a remote context kept, if any."""
        from console.backends.base import KeepsLastRead

        if (self.snapshot is not None or not isinstance(self.backend, KeepsLastRead)
                or (last := await self.backend.last_read()) is None):
            return None
        return Snapshot(last.now, last.gigs, {s.gig_id: s for s in last.stats}, time.monotonic(),
                        read_at=last.read_at)

    async def _all_stats(self, gigs: list[Gig]) -> list[GigStats]:
        # Over the network, a few requests in flight at once, never thousands.
        limit = asyncio.Semaphore(REMOTE_CONCURRENCY)

        async def one(gig_id: str) -> GigStats:
            async with limit:
                return await self.backend.gig_stats(gig_id)

        return list(await asyncio.gather(*(one(gig.id) for gig in gigs)))

    def on_snapshot_ready(self, message: SnapshotReady) -> None:
        self.snapshot = message.snapshot
        self.connection = Connection(last_ok=message.snapshot.fetched_at,
                                     last_ok_at=message.snapshot.read_at)
        self.snapshots.publish(message.snapshot)
        if self.loading is not None:  # the gig list now shows the backend's data, not the summary
            self.loading = None
            self.call_later(self.key_order.release)
        self._bump()
        self._schedule_poll()

    def on_poll_failed(self, message: PollFailed) -> None:
        last_ok_at = self.connection.last_ok_at
        if message.last_read is not None and self.snapshot is None:
            # Shown marked stale (the gig list says since when) rather than as no gigs at all.
            self.snapshot = message.last_read
            last_ok_at = message.last_read.read_at
            self.snapshots.publish(message.last_read)
        if self.connection.error is None:  # said once, when the backend stops answering
            shown = ("Nothing was read yet." if last_ok_at is None else
                     f"The gigs shown are the last good read, of {full_timestamp(last_ok_at)} UTC.")
            self.notify(f"{message.error}\n{shown}", title="No answer", severity="warning",
                        timeout=10)
        self.connection = Connection(last_ok=self.connection.last_ok, error=message.error,
                                     short=message.short, last_ok_at=last_ok_at)
        self._bump()
        self._schedule_poll()

    def _schedule_poll(self) -> None:
        if self.clock is None:  # a clock's frames come by themselves
            self._poll_timer = self.set_timer(self.poll_interval, self._poll)

    def _bump(self) -> None:
        self.status_version += 1

    # Gig screens ---------------------------------------------------------------------------------
    def still_opening(self, what: str) -> bool:
        """Whether the backend is still opening (then said so). Keys wait for it by themselves;
        a click on a row or the footer can come before."""
        if self._backend is None:
            self.notify(f"Cannot {what} yet: the context is still opening ({self.loading}).",
                        severity="warning")
        return self._backend is None

    def _gig(self, gig_id: str) -> Gig | None:
        if self.still_opening(f"open gig {gig_id}"):
            return None
        gig = self.snapshot.gig(gig_id) if self.snapshot is not None else None
        if gig is None:
            self.notify(f"Gig {gig_id} is not listed any more", severity="warning")
        return gig

    def open_gig(self, gig_id: str) -> None:
        from console.tui.views.gig_editor import GigEditor

        if (gig := self._gig(gig_id)) is not None:
            self.push_screen(GigEditor("view", gig))

    def new_gig(self) -> None:
        from console.tui import gig_form
        from console.tui.views.gig_editor import GigEditor

        if not self.still_opening("create a gig") and not self.refuse_if_read_only("create a gig"):
            self.push_screen(GigEditor("create", values=gig_form.new_gig_values(self.now)))

    def duplicate_gig(self, gig_id: str) -> None:
        from console.tui import gig_form
        from console.tui.views.gig_editor import GigEditor

        if self.refuse_if_read_only("duplicate a gig") or (gig := self._gig(gig_id)) is None:
            return
        self.push_screen(GigEditor("create", values=gig_form.duplicate_values(gig, self.now)))

    def copy_gig_id(self, gig_id: str) -> None:
        self.copy_to_clipboard(gig_id)
        self.notify(f"Copied gig id {gig_id} (OSC 52)")

    # Mutations: refused when read-only, confirmed, then run in a worker --------------------------
    def refuse_if_read_only(self, what: str) -> bool:
        if self.read_only:
            self.notify(f"Read-only context {self.context_name!r}: cannot {what}.",
                        title="Refused", severity="error")
        return self.read_only

    def confirm_then(self, title: str, detail: str, call: Callable[[], Awaitable[Any]],
                     done: Callable[[Any], None], failed: Callable[[str], None] | None = None,
                     declined: Callable[[], None] | None = None) -> None:
        from console.tui.widgets.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self._mutate(call, done, failed)
            elif declined is not None:
                declined()

        self.push_screen(ConfirmDialog(title, detail), answered)

    @work(group="mutation")
    async def _mutate(self, call: Callable[[], Awaitable[Any]], done: Callable[[Any], None],
                      failed: Callable[[str], None] | None) -> None:
        from console.backends.errors import BackendError

        try:
            result = await call()
        except BackendError as exc:
            message = exc.with_status()
            if failed is not None:
                failed(message)
            self.notify(message, title="Refused by the backend", severity="error", timeout=8)
            return
        done(result)
        self.poll_now()

    def archive_gig(self, gig_id: str) -> None:
        if self.refuse_if_read_only("archive a gig") or (gig := self._gig(gig_id)) is None:
            return
        if gig.archived_at is not None:
            self.notify(f"Gig {gig_id} is already archived")
            return
        self.confirm_then(
            f"Archive gig {gig_id}?", f"{gig.title!r}: no more waves; it leaves the live list.",
            lambda: self.backend.archive_gig(gig_id),
            lambda g: self.notify(f"Archived gig {g.id}"),
        )

    def delete_gig(self, gig_id: str, before_start: bool) -> None:
        if self.refuse_if_read_only("delete a gig") or (gig := self._gig(gig_id)) is None:
            return
        if not before_start:
            self.notify(f"Gig {gig_id} has started: only gigs that have not started can be "
                        "deleted; archive it instead.", severity="warning")
            return

        def deleted(_: object) -> None:
            from console.tui.views.gig_editor import GigEditor

            self.notify(f"Deleted gig {gig_id}")
            if isinstance(self.screen, GigEditor):
                self.screen.dismiss()

        self.confirm_then(f"Delete gig {gig_id}?", f"{gig.title!r} is removed for good.",
                          lambda: self.backend.delete_gig(gig_id), deleted)

    def confirm_create(self, create: GigCreate, editor: GigEditor) -> None:
        from console.tui import gig_form

        def created(gig: Gig) -> None:
            self.notify(f"Created gig {gig.id}")
            editor.dismiss()
            for screen in self.screen_stack:  # the gig list takes it; other screens let it pass
                screen.post_message(GigCreated(gig.id))

        detail = f"{create.invitation_mode} mode, {plural(create.total_seats, 'seat')}"
        warning = gig_form.empty_filter_warning(create.invitation_mode, create.filter_query)
        self.confirm_then(f"Create gig {create.title!r}?",
                          detail if warning is None else f"{detail}\n{warning}",
                          lambda: self.backend.create_gig(create), created, editor.show_problem)

    def confirm_update(self, gig: Gig, update: GigUpdate, editor: GigEditor) -> None:
        from console.tui import gig_form

        changes = update.changes()
        lines = gig_form.update_changes(gig, update)
        warning = gig_form.empty_filter_warning(changes.get("invitation_mode", gig.invitation_mode),
                                                changes.get("filter_query", gig.filter_query))
        if warning is not None and ({"filter_query", "invitation_mode"} & changes.keys()):
            lines = [*lines, warning]
        self.confirm_then(f"Save gig {gig.id}?", "\n".join(lines),
                          lambda: self.backend.update_gig(gig.id, update), editor.saved,
                          editor.show_problem)
