"""The embedded default backend: the wave simulation and its TinyDB store behind the Backend protocol.

The engine and its store belong to a :class:`console.sim.host.SimHost`, one thread that runs
every call in order and moves the clock itself; every method here is an honest async client of
it (it awaits the host's answer, it never blocks the loop and never takes a lock). A mutation
is an Operation, applied and journaled by the host and answered once it is on the disk (the
fsync is waited for off the host, so waiting writers share one); time advances go into a
snapshot at most once per ``save_interval`` wall seconds (and on close): see
console/sim/persistence.py. ``backend.simulation`` sets the clock's pace and hands out the
host's frames.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from console.config import LocalContext
from console.models import (
    Gig,
    GigCreate,
    GigInvitation,
    GigResult,
    GigResultCreate,
    GigStats,
    GigTask,
    GigTaskCreate,
    GigTaskUpdate,
    GigTimeActivity,
    GigTimeActivityCreate,
    GigUpdate,
    InvitationAction,
    InvitationAttempt,
    NotificationPreference,
    NotificationPreferenceSet,
    User,
    UserCreate,
    WaveRecord,
)
from console.mql import MQLError
from console.sim.demo import DEMO_NOW, DEMO_SEED, build_demo
from console.sim.engine import Engine
from console.sim.errors import NotFoundError, RuleError
from console.sim import operations as ops
from console.sim import space
from console.sim.host import ClockState, HostStopped, PersistError, SimHost
from console.sim.invitation_reader import EngineInvitations
from console.sim.pace import Pace
from console.sim.population import DEFAULT_WORKERS, Population
from console.sim.ranking import QueryCompiler
from console.sim.state import Invitation
from console.sim.store import SimStore, StoreError, StoreLocked
from console.waves import SettingError, SimSettings

from .base import BackendKind, InvitationFilter, InviteRequest
from .controls import Frame
from .errors import BackendError, NotFound, ReadOnlyError, Unprocessable, UnusableData
from .paging import DEFAULT_LIMIT, Page, page_bounds

T = TypeVar("T")

# Threads that run gigs' filters over a worker document (invitation attempts): off the host,
# so a slow evaluation (a regex near its time limit) holds neither the simulation nor the loop;
# however many hang, they hold at most this many threads.
QUERY_THREADS = 4


def describe(engine: Engine, clock: ClockState) -> Frame:
    """The host's frame of ``engine`` (run on the host's thread)."""
    runs = engine.ordered_runs()
    return Frame(now=engine.clock, gigs=tuple(run.gig for run in runs),
                 stats={run.id: engine.gig_stats(run.id) for run in runs},
                 speed=clock.speed, paused=clock.paused, ran_out=clock.ran_out, error=clock.error,
                 next_event_at=engine.next_event_at(), clock_seq=clock.seq)


class LocalBackend:
    kind: BackendKind = "local"

    def __init__(self, engine: Engine, store: SimStore | None = None, *, context: str = "local",
                 read_only: bool = False, save_interval: float = 1.0) -> None:
        self.store = store
        self.context = context
        self.read_only = read_only
        self.warnings: list[str] = []
        self.host: SimHost[Frame] = SimHost(engine, store, describe=describe, read_only=read_only,
                                            save_interval=save_interval)
        self.simulation = LocalSimulation(self)
        self._matcher: ThreadPoolExecutor | None = None

    @property
    def engine(self) -> Engine:
        """The host's engine: for code running on the host, and for tests and tools while the
        clock is paused and no call is under way."""
        return self.host.engine

    def release_engine(self) -> Engine:
        """Stop the host (saving, and freeing the files) and hand back its engine."""
        self.host.close_blocking()
        return self.host.engine

    @classmethod
    def open(cls, data_dir: Path, *, context: str = "local", read_only: bool = False,
             create_demo: bool = True, seed: int = DEMO_SEED, workers: int = DEFAULT_WORKERS,
             now: int = DEMO_NOW, compiler: QueryCompiler | None = None) -> LocalBackend:
        """Open the simulation in ``data_dir``. When there is none: with ``create_demo`` build the
        demo there (``workers`` workers, ``seed``, clock at ``now``), or, when the directory
        already holds a population, a simulation without gigs on it (that file is never
        replaced); otherwise raise :class:`NotFound`. A simulation another process holds raises
        :class:`BackendError`; damaged, unreadable or unwritable files :class:`UnusableData`,
        naming the file. Nothing is written then."""
        try:
            store = SimStore.open(Path(data_dir), read_only=read_only)
        except StoreLocked as exc:
            raise BackendError(str(exc)) from None
        except StoreError as exc:
            raise UnusableData(str(exc)) from None
        try:
            if store.exists():
                engine = store.load_engine(store.load_population(), compiler)
            elif not create_demo or read_only:
                raise NotFound(f"no simulation in {data_dir}")
            elif store.is_empty():
                engine = build_demo(seed=seed, now=now, workers=workers, compiler=compiler)
                cls._first_save(store, engine)
            else:
                engine = Engine(store.load_population(), seed=seed, clock=now, compiler=compiler)
                store.save(engine)
        except StoreError as exc:
            store.close()
            raise UnusableData(str(exc)) from None
        except OSError as exc:
            store.close()
            raise UnusableData(f"{exc.filename or data_dir}: cannot write the simulation: "
                               f"{exc.strerror or exc}") from None
        except BaseException:
            store.close()
            raise
        return cls(engine, store, context=context, read_only=read_only)

    @staticmethod
    def _first_save(store: SimStore, engine: Engine) -> None:
        """Save a new demo whole or not at all: a population without its state (the disk filled
        up in between) would not be taken for an empty directory at the next start."""
        try:
            store.save(engine)
        except BaseException:
            store.population_path.unlink(missing_ok=True)
            store.state_path.unlink(missing_ok=True)
            raise

    @classmethod
    def from_context(cls, name: str, settings: LocalContext, **options: Any) -> LocalBackend:
        """Open a ``local`` context of the config file (demo on first start)."""
        return cls.open(settings.resolved_data_dir(name), context=name,
                        read_only=settings.read_only, seed=settings.seed,
                        workers=settings.workers, **options)

    async def _call(self, run: Callable[[Engine], T]) -> T:
        """Run one request on the host, mapping simulation errors onto the API's status codes."""
        return await self._answer(self.host.call(run))

    async def _mutate(self, op: ops.Operation) -> Any:
        """An operator's change (refused when read-only), answered once it is saved: the host's
        one way to the disk (SimHost.apply)."""
        if self.read_only:
            raise ReadOnlyError(f"context {self.context!r} is read-only")
        return await self._answer(self.host.apply(op))

    async def _answer(self, call: Awaitable[T]) -> T:
        try:
            return await call
        except NotFoundError as exc:
            raise NotFound(str(exc)) from None
        except (RuleError, SettingError) as exc:
            raise Unprocessable(str(exc)) from None
        except MQLError as exc:
            # A query that fails as it runs (a regex over its time limit) outside a wave,
            # e.g. listing a gig's next candidates: said, not a foreign exception.
            raise Unprocessable(f"a gig's query failed as it ran: {exc}") from None
        except PersistError as exc:
            raise UnusableData(exc.reason) from None
        except (StoreError, OSError) as exc:  # a time advance's save, in a clock move
            reason = str(exc) if isinstance(exc, StoreError) else (
                f"{exc.filename or self.store and self.store.directory}: {exc.strerror or exc}")
            raise UnusableData(f"simulation not saved: {reason}") from None
        except HostStopped as exc:
            raise BackendError(str(exc)) from None

    async def now(self) -> int:
        # One int read across threads: atomic, as recent as the host's last step, and never
        # waiting behind a slow command (serve stamps every answer's Date header with it).
        return self.host.engine.clock

    # Gigs --------------------------------------------------------------------------------------
    async def list_gigs(self) -> list[Gig]:
        return await self._call(lambda engine: [run.gig for run in engine.ordered_runs()])

    async def get_gig(self, gig_id: str) -> Gig:
        return await self._call(lambda engine: engine.run_of(gig_id).gig)

    async def create_gig(self, gig: GigCreate) -> Gig:
        return await self._mutate(ops.CreateGig(gig=gig))

    async def update_gig(self, gig_id: str, update: GigUpdate) -> Gig:
        return await self._mutate(ops.UpdateGig(gig_id=gig_id, update=update))

    async def archive_gig(self, gig_id: str, archive_at: int | None = None, *,
                          archived_at: int | None = None) -> Gig:
        return await self._mutate(ops.ArchiveGig(gig_id=gig_id, archive_at=archive_at,
                                                 archived_at=archived_at))

    async def delete_gig(self, gig_id: str) -> None:
        await self._mutate(ops.DeleteGig(gig_id=gig_id))

    async def add_task(self, gig_id: str, task: GigTaskCreate) -> GigTask:
        return await self._mutate(ops.AddTask(gig_id=gig_id, task=task))

    async def update_task(self, gig_id: str, task_id: str, task: GigTaskUpdate) -> GigTask:
        return await self._mutate(ops.UpdateTask(gig_id=gig_id, task_id=task_id, task=task))

    # Invitations -------------------------------------------------------------------------------
    async def invite(self, gig_id: str, users: Sequence[InviteRequest]) -> list[GigInvitation]:
        return await self._mutate(ops.Invite(gig_id=gig_id,
                                             users=[(str(u.user_id), u.no_reward) for u in users]))

    @staticmethod
    def _matching(engine: Engine, query: InvitationFilter) -> list[Invitation]:
        if query.gig_id is not None:
            if str(query.gig_id) not in engine.gigs:
                return []
            invitations: list[Invitation] = engine.gig_invitations(query.gig_id)
        else:
            invitations = list(engine.invitations.values())
        statuses = set(query.status)
        now = engine.clock
        return [
            inv for inv in invitations
            if (query.user_id is None or inv.user_id == str(query.user_id))
            and (not statuses or inv.status in statuses)
            and not (query.exclude_archived_gigs
                     and engine.gigs[inv.gig_id].gig.phase(now) == "archived")
        ]

    async def list_invitations(self, query: InvitationFilter) -> list[GigInvitation]:
        return await self._call(
            lambda engine: [inv.to_model() for inv in self._matching(engine, query)])

    async def page_invitations(self, query: InvitationFilter, *, limit: int = DEFAULT_LIMIT,
                               after: str | None = None,
                               before: str | None = None) -> Page[GigInvitation]:
        def page(engine: Engine) -> Page[GigInvitation]:
            matching = self._matching(engine, query)
            # Only the page becomes models: a full conversion costs ~40 µs per invitation.
            start, end, has_more = page_bounds([inv.id for inv in matching], limit, after, before)
            return Page([inv.to_model() for inv in matching[start:end]], has_more)
        return await self._call(page)

    async def _transition(self, invitation_id: str, action: InvitationAction,
                          **options: Any) -> GigInvitation:
        return await self._mutate(ops.Transition(invitation_id=invitation_id, action=action,
                                                 **options))

    async def accept_invitation(self, invitation_id: str,
                                no_reward: bool | None = None) -> GigInvitation:
        return await self._transition(invitation_id, InvitationAction.ACCEPT, no_reward=no_reward)

    async def reject_invitation(self, invitation_id: str) -> GigInvitation:
        return await self._transition(invitation_id, InvitationAction.REJECT)

    async def expire_invitation(self, invitation_id: str) -> GigInvitation:
        return await self._transition(invitation_id, InvitationAction.EXPIRE)

    async def reset_invitation(self, invitation_id: str, silent: bool = False) -> GigInvitation:
        return await self._transition(invitation_id, InvitationAction.RESET, silent=silent)

    # Users -------------------------------------------------------------------------------------
    async def get_user(self, user_id: str) -> User:
        return await self._call(lambda engine: space.user(engine, user_id))

    async def upsert_worker_document(self, user_id: str, document: dict[str, object]) -> User:
        if not isinstance(document, dict):
            raise Unprocessable(f"document: must be an object, not {type(document).__name__}")
        return await self._mutate(ops.UpsertWorker(user_id=user_id, document=dict(document)))

    async def invitation_attempt(self, user_id: str, gig_ids: Sequence[str],
                                 max_amount: int | None = None) -> InvitationAttempt:
        def prepare(engine: Engine) -> tuple[Any, dict[str, Callable[[Any], bool]]]:
            document = copy.deepcopy(engine.worker(user_id)["document"])
            return document, engine.attempt_filters(user_id, gig_ids)

        document, filters = await self._call(prepare)
        if self._matcher is None:
            self._matcher = ThreadPoolExecutor(QUERY_THREADS, thread_name_prefix="sim-match")
        try:
            matched = await asyncio.get_running_loop().run_in_executor(
                self._matcher, _match, filters, document)
        except MQLError as exc:
            where = f"filter_query.{exc.path}" if exc.path else "filter_query"
            raise Unprocessable(f"{where}: {exc.message}") from None

        return await self._mutate(ops.InvitationAttemptOp(
            user_id=user_id, gig_ids=list(gig_ids), max_amount=max_amount,
            matched=sorted(matched)))

    async def create_user(self, user: UserCreate) -> User:
        return await self._mutate(ops.CreateUser(user=user))

    async def delete_user(self, user_id: str) -> None:
        await self._mutate(ops.DeleteUser(user_id=user_id))

    async def notification_preference(self, user_id: str) -> NotificationPreference:
        return await self._call(lambda engine: space.notification_preference(engine, user_id))

    async def set_notification_preferences(
        self, user_id: str, change: NotificationPreferenceSet
    ) -> NotificationPreference:
        return await self._mutate(ops.SetNotificationPreferences(user_id=user_id, change=change))

    # What a finished gig produces --------------------------------------------------------------
    async def gig_results(self, gig_id: str | None = None,
                          user_id: str | None = None) -> list[GigResult]:
        return await self._call(lambda engine: space.gig_results(engine, gig_id, user_id))

    async def create_gig_result(self, result: GigResultCreate) -> GigResult:
        return await self._mutate(ops.CreateGigResult(result=result))

    async def gig_time_activities(self, gig_id: str | None = None,
                                  user_id: str | None = None) -> list[GigTimeActivity]:
        return await self._call(lambda engine: space.gig_time_activities(engine, gig_id, user_id))

    async def create_gig_time_activity(self, activity: GigTimeActivityCreate) -> GigTimeActivity:
        return await self._mutate(ops.CreateGigTimeActivity(activity=activity))

    # What the console derives ------------------------------------------------------------------
    async def gig_stats(self, gig_id: str) -> GigStats:
        return await self._call(lambda engine: engine.gig_stats(gig_id))

    async def waves(self, gig_id: str) -> list[WaveRecord]:
        return await self._call(lambda engine: engine.wave_records(gig_id))

    async def close(self) -> None:
        await self._answer(self.host.close())
        if self._matcher is not None:
            self._matcher.shutdown(wait=False, cancel_futures=True)


def _match(filters: Mapping[str, Callable[[Any], bool]], document: Any) -> set[str]:
    return {gig_id for gig_id, matches in filters.items() if matches(document)}


class LocalSimulation:
    """The simulation's :class:`console.backends.controls.SimulationControls`, plus
    ``advance_by`` for scripts and tests."""

    rewind = None  # a live simulation does not go back

    def __init__(self, backend: LocalBackend) -> None:
        self._backend = backend
        self._host = backend.host
        # The clock as the console last set it; frames that include every change made here
        # (clock_seq) replace it, so the clock's own pauses (out of events) show too.
        self._pace = Pace()
        self._speed, self._paused = self._pace.speed, self._pace.paused
        self._sent = 0
        self._seq = itertools.count(1)
        # The host's incremental readers of watched gigs' invitations (used on its thread only).
        self._readers: dict[str, EngineInvitations] = {}
        self._readers_of: int | None = None

    @property
    def now(self) -> int:
        # One int read across threads: atomic, and as recent as the host's last step.
        return self._host.engine.clock

    @property
    def settings(self) -> SimSettings:
        return self._host.engine.settings  # replaced whole by update_settings: atomic too

    # The clock ---------------------------------------------------------------------------------
    @property
    def speed(self) -> float:
        return self._speed

    @property
    def paused(self) -> bool:
        return self._paused

    def set_speed(self, speed: float) -> None:
        self._sent = next(self._seq)
        self._speed = self._pace.set_speed(speed)
        self._host.set_speed(speed, self._sent)

    def set_paused(self, paused: bool) -> None:
        self._sent = next(self._seq)
        self._paused = paused
        self._host.set_paused(paused, self._sent)

    def _seen(self, frame: Frame) -> None:
        if frame.clock_seq >= self._sent:
            self._speed, self._paused = frame.speed, frame.paused

    def subscribe(self, callback: Callable[[Frame], None]) -> Callable[[], None]:
        def deliver(frame: Frame) -> None:
            self._seen(frame)
            callback(frame)
        return self._host.subscribe(deliver)

    async def frame(self) -> Frame:
        frame = await self._backend._call(self._host.frame_now)
        self._seen(frame)
        return frame

    async def invitations(self, gig_id: str) -> Mapping[str, GigInvitation]:
        def read(engine: Engine) -> Mapping[str, GigInvitation]:
            if self._readers_of != id(engine):  # a reset or a reload: other invitations
                self._readers, self._readers_of = {}, id(engine)
            reader = self._readers.setdefault(gig_id, EngineInvitations())
            return reader.read(engine, gig_id)[0]
        return await self._backend._call(read)

    # Moves -------------------------------------------------------------------------------------
    async def advance_to(self, t: int) -> int:
        """Run the simulation up to simulated second ``t``; returns the new clock."""
        def advance(engine: Engine) -> int:
            engine.advance_to(int(t))
            self._host.save_advance()
            self._host.shown_soon()
            return engine.clock
        return await self._backend._call(advance)

    async def advance_by(self, seconds: int) -> int:
        def advance(engine: Engine) -> int:
            engine.advance_to(engine.clock + int(seconds))
            self._host.save_advance()
            self._host.shown_soon()
            return engine.clock
        return await self._backend._call(advance)

    async def reset_demo(self) -> int:
        """Replace every gig, invitation and event by the demo's, its clock back at the demo's
        start; the workers stay as they are (a custom population is never touched; the demo's
        own would be rebuilt the same). Built in a thread: it takes a second or two. Returns
        the new clock."""
        backend = self._backend
        if backend.read_only:
            raise ReadOnlyError(f"context {backend.context!r} is read-only")

        def workers(engine: Engine) -> tuple[Engine, Population]:
            # Copies of the records: the running engine may replace a document meanwhile.
            return engine, Population([dict(record) for record in engine.population.records])

        old, population = await backend._call(workers)
        engine = await asyncio.to_thread(build_demo, seed=old.seed, compiler=old.compiler,
                                         population=population)

        engine.population_version = old.population_version  # the same workers: not rewritten
        return await backend._answer(self._host.replace_whole(engine))

    async def step_to_next_wave(self) -> int | None:
        """Advance to the next wave of any gig; its time, or None when no wave will come."""
        def step(engine: Engine) -> int | None:
            t = engine.step_to_next_wave()
            self._host.save_advance()
            self._host.shown_soon()
            return t
        return await self._backend._call(step)

    async def run_wave_now(self, gig_id: str) -> WaveRecord | None:
        """Send one wave of the gig now (any mode); None when no candidate is left."""
        return await self._backend._mutate(ops.RunWaveNow(gig_id=gig_id))

    async def update_settings(self, **changes: Any) -> SimSettings:
        """Change settings by name (values as for ``--set``); they apply from now on."""
        return await self._backend._mutate(ops.UpdateSettings(changes=changes))

    def population(self) -> Population:
        """The live population (do not edit it): no copy, so the preview reads the columns the
        engine's rankings built, and one copy of a million workers is in memory."""
        return self._host.call_blocking(lambda engine: engine.population)

    def prepare_population(self) -> None:
        """Build the columns the gigs' queries read, on the calling thread (never the host's):
        the host only hands over the population and the queries."""
        population, queries = self._host.call_blocking(lambda engine: (
            engine.population,
            [(run.gig.filter_query, run.gig.sort_query) for run in engine.gigs.values()]))
        population.prepare(queries)

    async def events_since(self, seq: int = 0) -> list[dict[str, Any]]:
        """Feed entries newer than ``seq``: ``{seq, at, kind, gig_id, message, ...}``."""
        return await self._backend._call(lambda engine: engine.feed.since(seq))
