"""The simulation host: one thread that alone owns an Engine and its SimStore.

Everything that touches the engine runs on the host's thread, in order: operator actions and
reads arrive as commands (each answered through a ``concurrent.futures.Future`` that the async
side awaits), and between commands the host moves the clock itself (``Pace``: a speed, paused,
or as fast as possible in slices of ~1 ms), saves (operator changes through one method,
:meth:`SimHost.apply`, into the journal), and publishes immutable frames to
subscribers at a bounded rate. The one-writer rule is the host's, not a lock around calls.

The GIL: on two cores a busy host thread would take the interpreter from the console's thread
after ``sys.getswitchinterval()`` at a time, and a key's repaint needs 10-30 ms of it. So the
host's work is short slices (~1 ms), and after each slice at the fastest speed it waits
``FASTEST_GAP`` with the GIL released: a key never waits behind more than one slice, and the
console's thread gets most of the interpreter while it has work to do (docs/architecture.md
has the figures).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .engine import Engine
from .operations import Operation
from .pace import Pace, SliceSizer
from .persistence import Persistence
from .store import SimStore, StoreError

T = TypeVar("T")
F = TypeVar("F")

# Wall seconds between frames: at the fastest speed (each frame makes the console repaint its
# tables: at 0.1 s keys waited behind those repaints, P95 62-67 ms against 43-50 ms at 0.25 s,
# bench/monitor.py on a quiet machine), and the shortest gap after an operator's action (its
# effect shows at once, a burst of actions does not flood the console).
FASTEST_FRAME = 0.25
ACTION_FRAME = 0.05
# At the fastest speed: the GIL is released this long after each slice (see the module doc).
FASTEST_GAP = 0.004
# At a finite speed the clock moves at most this often (600x: 30 simulated seconds per step).
TICK = 0.05
# While things change, what lives on (the engine's records, the models handed out, the
# console's rows) is moved out of the cyclic collector's reach this often: full collections over
# a watched gig's 10,000 invitations, their models and rows took 50-220 ms each, every few
# seconds, stalling both threads (bench/monitor.py, loaded machine); freezing every 2 s still
# left 18 of 15-46 ms in a bench run on a quiet machine, every 0.5 s 2. Measured again once the
# monitor's reads and rows were made incremental: without the freeze, 6-7 full collections of
# 50-91 ms in 9 s of keys and a 95th percentile of 117-174 ms, against none and 76-87 ms
# (load 3-6). That data holds no cycles: reference counting still frees it once dropped.
FREEZE_EVERY = 0.5


class HostStopped(RuntimeError):
    """A command reached a host that is closed."""


class PersistError(Exception):
    """A change could not be saved; ``undone`` tells whether the engine went back to the files."""

    def __init__(self, reason: str, undone: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.undone = undone


class _NotSaved(Exception):
    """The journal could not write a change (its OSError): the host undoes it."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True)
class ClockState:
    """The host's clock as a frame reports it."""

    speed: float
    paused: bool
    # The fastest speed found nothing left to happen and paused itself at the last event.
    ran_out: bool = False
    # What stopped the clock when moving it failed (it stays paused until resumed).
    error: str | None = None
    # The tag of the last speed or pause change applied (see set_speed).
    seq: int = 0


@dataclass
class _Command(Generic[T]):
    run: Callable[[Engine], T]
    future: concurrent.futures.Future[T]
    # False for closing: a broken simulation still releases its files.
    refuse_if_broken: bool = True


class _Subscriber:
    """Frames for one event loop: only the latest is kept while the loop is busy, so a slow
    console never receives a backlog."""

    def __init__(self, callback: Callable[[Any], None], loop: asyncio.AbstractEventLoop) -> None:
        self.callback = callback
        self.loop = loop
        self._latest: Any = None
        self._pending = False
        self._lock = threading.Lock()

    def offer(self, frame: Any) -> bool:
        """Hand the frame over; False once the subscriber's loop is gone."""
        with self._lock:
            self._latest = frame
            if self._pending:
                return True
            self._pending = True
        try:
            self.loop.call_soon_threadsafe(self._deliver)
        except RuntimeError:  # the loop was closed: the subscriber went away without a word
            return False
        return True

    def _deliver(self) -> None:
        with self._lock:
            frame, self._latest, self._pending = self._latest, None, False
        self.callback(frame)


class SimHost(Generic[F]):
    """Owns ``engine`` and ``store`` on its own thread; ``describe(engine, clock)`` builds a
    frame (on the host's thread) for the subscribers."""

    def __init__(self, engine: Engine, store: SimStore | None, *,
                 describe: Callable[[Engine, ClockState], F], read_only: bool = False,
                 save_interval: float = 1.0, frame_every: float = 1.0) -> None:
        self.store = store
        self.read_only = read_only
        self.save_interval = save_interval
        self.frame_every = frame_every
        self.pace = Pace(paused=True)
        self.sizer = SliceSizer()
        self._describe = describe
        self._ran_out = False
        self._clock_error: str | None = None
        self._clock_seq = 0
        self._commands: queue.SimpleQueue[_Command[Any]] = queue.SimpleQueue()
        self._subscribers: list[_Subscriber] = []
        self._subscribers_lock = threading.Lock()
        self._published: tuple[Any, ...] | None = None
        self._published_at = -math.inf
        self._frozen_at = time.monotonic()
        self._urgent = False
        self._stopped = False
        # Set when a failed save could not be undone: the engine then holds changes the files do
        # not, and every command refuses rather than answer from it.
        self.broken: str | None = None
        # Operator changes go to a journal; it decides when snapshots are written.
        self.persistence = Persistence(store, read_only)
        self.persistence.open(engine)
        self._use(engine)
        self._thread = threading.Thread(target=self._serve, name="sim-host", daemon=True)
        self._thread.start()

    # The engine, for code that runs on the host (commands) and for tests while nothing moves.
    @property
    def engine(self) -> Engine:
        return self._engine

    def _use(self, engine: Engine) -> None:
        self._engine = engine
        # Long advances save after waves, throttled like any advance.
        engine.on_checkpoint = self.save_advance

    # Commands ----------------------------------------------------------------------------------
    def submit(self, run: Callable[[Engine], T], *,
               _refuse_if_broken: bool = True) -> concurrent.futures.Future[T]:
        """Queue ``run(engine)``: a read, or a change that is not an operator's (changes go
        through :meth:`apply`)."""
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        if self._stopped:
            future.set_exception(HostStopped("the simulation is closed"))
        else:
            self._commands.put(_Command(run, future, _refuse_if_broken))
        return future

    async def call(self, run: Callable[[Engine], T]) -> T:
        """:meth:`submit` and await the answer without blocking the loop. A caller cancelled
        before the host took the command up cancels the command too."""
        return await asyncio.wrap_future(self.submit(run))

    async def apply(self, op: Operation) -> Any:
        """An operator's change: the one way changes reach the disk. Applied and journaled on
        the host, which goes on at once; the journal's thread answers once the entry is on the
        disk, waking every writer of one fsync together (one hop back to the loop per request,
        no thread waiting for it). A change that could not be saved is undone, with every later
        one: the simulation goes back to what its files hold (unsaved time advances with it,
        kept in memory only as between snapshots)."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Any] = loop.create_future()

        def settle(result: Any, error: BaseException | None) -> None:  # on the loop
            if answer.done():  # the caller gave up (cancelled)
                return
            if error is None:
                answer.set_result(result)
            else:
                answer.set_exception(error)

        def run(engine: Engine) -> None:
            self._urgent = True  # its effect shows in a frame at once
            result, ticket = self.persistence.apply(engine, op)
            journal = self.persistence.journal
            if ticket is None or journal is None:
                loop.call_soon_threadsafe(settle, result, None)
            else:
                journal.when_durable(ticket, loop, lambda error: settle(
                    result, None if error is None else _NotSaved(error)))

        def refused(command: concurrent.futures.Future[None]) -> None:  # on the host
            if not command.cancelled() and (error := command.exception()) is not None:
                loop.call_soon_threadsafe(settle, None, error)

        command = self.submit(run)
        command.add_done_callback(refused)
        try:
            return await answer
        except _NotSaved as not_saved:
            reason = self._reason(not_saved.error)
            await asyncio.wrap_future(self.submit(lambda _: self._undo(reason)))
            raise PersistError(f"simulation not saved: {reason}; the change was undone",
                               undone=True) from None
        except asyncio.CancelledError:
            command.cancel()  # not applied if the host had not taken it up yet
            raise

    async def replace_whole(self, engine: Engine) -> int:
        """Put ``engine`` in place of the running one (a demo reset), saved as a snapshot (not a
        journal entry) before the answer; returns its clock."""
        def swap(old: Engine) -> int:
            self.replace_engine(engine)
            if self.store is not None:
                self.store.saved_version = None  # a new engine: its state is written whole
            try:
                self.persistence.checkpoint(engine)
            except (StoreError, OSError) as exc:
                reason = self._reason(exc)
                self._undo(reason)
                raise PersistError(f"simulation not saved: {reason}; the change was undone",
                                   undone=True) from None
            return engine.clock
        return await self.call(swap)

    def call_blocking(self, run: Callable[[Engine], T]) -> T:
        """:meth:`submit` and wait, from a thread that is not the host's (or any loop's)."""
        if threading.current_thread() is self._thread:
            return run(self._engine)
        return self.submit(run).result()

    def shown_soon(self) -> None:
        """From a command that moved time for an operator (a step): its frame goes out at once."""
        self._urgent = True

    def replace_engine(self, engine: Engine) -> None:
        """Swap the engine (a reset or a reload); only from a command."""
        self._use(engine)
        self._urgent = True

    # The clock ---------------------------------------------------------------------------------
    def set_speed(self, speed: float, seq: int = 0) -> concurrent.futures.Future[float]:
        """Change the speed; ``seq`` tags the change, and frames say the last tag applied (a
        client tells by it whether a frame already shows its change)."""
        def change(_: Engine) -> float:
            self._clock_changed(seq)
            return self.pace.set_speed(speed)
        return self.submit(change, _refuse_if_broken=False)

    def set_paused(self, paused: bool, seq: int = 0) -> concurrent.futures.Future[bool]:
        def change(_: Engine) -> bool:
            self._clock_changed(seq)
            self.pace.set_paused(paused)
            return paused
        return self.submit(change, _refuse_if_broken=False)

    def _clock_changed(self, seq: int) -> None:
        self._ran_out, self._clock_error = False, None
        self._clock_seq = max(self._clock_seq, seq)
        self._urgent = True

    # Frames ------------------------------------------------------------------------------------
    def subscribe(self, callback: Callable[[F], None]) -> Callable[[], None]:
        """Call ``callback(frame)`` on the running event loop for each frame (the latest one if
        the loop falls behind), starting with the current one. Returns the unsubscribe."""
        subscriber = _Subscriber(callback, asyncio.get_running_loop())
        with self._subscribers_lock:
            self._subscribers.append(subscriber)

        self.submit(lambda engine: subscriber.offer(self.frame_now(engine)),
                    _refuse_if_broken=False)

        def unsubscribe() -> None:
            with self._subscribers_lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)
        return unsubscribe

    def frame_now(self, engine: Engine) -> F:
        """The current frame (a command: run it through :meth:`call`)."""
        return self._describe(engine, self._clock_state())

    def _clock_state(self) -> ClockState:
        return ClockState(self.pace.speed, self.pace.paused, self._ran_out, self._clock_error,
                          self._clock_seq)

    def _state_key(self) -> tuple[Any, ...]:
        engine = self._engine
        return (id(engine), engine.version, engine.clock, self.pace.speed, self.pace.paused,
                self._ran_out, self._clock_error, self._clock_seq)

    def _frame_due(self, now: float) -> float | None:
        """Seconds until a frame is due (0: now); None when nothing changed since the last."""
        if self._state_key() == self._published:
            self._urgent = False
            return None
        if self._urgent:
            every = ACTION_FRAME
        else:
            every = FASTEST_FRAME if self.pace.fastest else self.frame_every
        return max(self._published_at + every - now, 0.0)

    def _publish(self, now: float) -> None:
        if now - self._frozen_at >= FREEZE_EVERY:
            gc.freeze()
            self._frozen_at = now
        self._published = self._state_key()
        self._published_at = now
        self._urgent = False
        with self._subscribers_lock:
            subscribers = list(self._subscribers)
        if not subscribers:
            return
        frame = self._describe(self._engine, self._clock_state())
        gone = [s for s in subscribers if not s.offer(frame)]
        if gone:
            with self._subscribers_lock:
                self._subscribers = [s for s in self._subscribers if s not in gone]

    # The thread --------------------------------------------------------------------------------
    def _serve(self) -> None:
        while True:
            timeout = self._step()
            try:
                command = self._commands.get(timeout=timeout)
            except queue.Empty:
                continue
            if not self._run(command):
                break
            # Every command that is queued now runs before the clock moves on.
            while not self._stopped:
                try:
                    command = self._commands.get_nowait()
                except queue.Empty:
                    break
                self._run(command)
            if self._stopped:
                break
        self._refuse_the_rest()

    def _refuse_the_rest(self) -> None:
        while True:
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                return
            if command.future.set_running_or_notify_cancel():
                command.future.set_exception(HostStopped("the simulation is closed"))

    def _step(self) -> float | None:
        """Move the clock by one slice when it runs, publish a frame when one is due; returns
        how long to wait for a command (None: until one comes)."""
        now = time.monotonic()
        waits: list[float] = []
        if self.broken is None and not self.pace.paused:
            self._advance()
            waits.append(FASTEST_GAP if self.pace.fastest else TICK)
        now = time.monotonic()
        due = self._frame_due(now)
        if due is not None:
            if due <= 0:
                self._publish(now)
            else:
                waits.append(due)
        return min(waits, default=None)

    def _advance(self) -> None:
        engine = self._engine
        try:
            if self.pace.fastest:
                started, before = time.monotonic(), engine.clock
                engine.advance_to(engine.clock + self.sizer.size, past_last_event=False)
                if engine.clock == before:
                    # Nothing is left to happen: the clock stays there, paused (said in frames).
                    self.pace.set_paused(True)
                    self._ran_out = self._urgent = True
                self.sizer.took(time.monotonic() - started)
            elif (seconds := self.pace.due()) > 0:
                engine.advance_to(engine.clock + seconds)
            self.save_advance()
        except Exception as exc:
            # A failed save (disk full) or an engine bug must neither kill the thread every call
            # waits on nor stop the clock unseen: it pauses, and the frames say why.
            self.pace.set_paused(True)
            self._clock_error = (str(exc) if isinstance(exc, StoreError)
                                 else f"{type(exc).__name__}: {exc}")

    def _run(self, command: _Command[Any]) -> bool:
        """Run one command; False when it asked the host to stop."""
        if not command.future.set_running_or_notify_cancel():
            return True
        try:
            if self.broken is not None and command.refuse_if_broken:
                raise PersistError(self.broken, undone=False)
            result = command.run(self._engine)
        except BaseException as exc:
            command.future.set_exception(exc)
        else:
            command.future.set_result(result)
        return not self._stopped

    # Saving ----------------------------------------------------------------------------------
    def save_advance(self) -> None:
        """After time moved: a snapshot now and then, at most once per ``save_interval`` (moving
        time is not an operator action: allowed read-only, kept in memory then)."""
        if not self.read_only:
            self.persistence.advanced(self._engine, self.save_interval)

    def _reason(self, exc: StoreError | OSError) -> str:
        if isinstance(exc, StoreError) or self.store is None:
            return str(exc)
        return f"{exc.filename or self.store.directory}: {exc.strerror or exc}"

    def _undo(self, reason: str) -> None:
        """Back to what the files hold, after a journal write failed (once, whichever waiting
        change gets here first)."""
        if not self.persistence.failed:
            return
        self.persistence.drain()
        try:
            self._reload()
        except (StoreError, OSError) as reload_exc:
            self.broken = (f"simulation not saved ({reason}) and not reloaded ({reload_exc}): "
                           "restart to continue from the last save")
            raise PersistError(self.broken, undone=False) from None
        self.persistence.recovered()

    def _reload(self) -> None:
        """The engine as its files hold it; the population is read again only if it changed
        since it was last written."""
        assert self.store is not None
        engine = self._engine
        population = (engine.population
                      if engine.population_version == self.store.saved_population_version
                      else self.store.load_population())
        self.replace_engine(self.store.load_engine(population, engine.compiler))

    # Closing -----------------------------------------------------------------------------------
    async def close(self) -> None:
        await asyncio.wrap_future(self._stop())
        await asyncio.to_thread(self._thread.join)

    def close_blocking(self) -> None:
        self._stop().result()
        self._thread.join()

    def _stop(self) -> concurrent.futures.Future[None]:
        def stop(engine: Engine) -> None:
            self._stopped = True
            try:
                if self.broken is None and not self.read_only:
                    self.persistence.checkpoint(engine)
            finally:
                self.persistence.close()
                if self.store is not None:
                    self.store.close()
        if self._stopped:
            done: concurrent.futures.Future[None] = concurrent.futures.Future()
            done.set_result(None)
            return done
        return self.submit(stop, _refuse_if_broken=False)
