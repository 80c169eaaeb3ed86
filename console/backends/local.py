"""The embedded default backend: the wave simulation and its TinyDB store behind the Backend protocol.

It owns the simulated clock; ``backend.simulation`` moves it (the TUI decides the pace). Every
call runs under one lock (the engine is not thread-safe); a mutation is an Operation, journaled
and answered once on the disk (its fsync waited for outside the lock), and time advances go into
a snapshot at most once per ``save_interval`` wall seconds (and on close): see
console/sim/persistence.py.
"""

from __future__ import annotations

import asyncio
import copy
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
from console.sim.persistence import Persistence
from console.sim.population import DEFAULT_WORKERS, Population
from console.sim.ranking import QueryCompiler
from console.sim.state import Invitation
from console.sim.store import SimStore, StoreError, StoreLocked
from console.waves import SettingError, SimSettings

from .base import BackendKind, InvitationFilter, InviteRequest
from .errors import BackendError, NotFound, ReadOnlyError, Unprocessable, UnusableData
from .paging import DEFAULT_LIMIT, Page, page_bounds


class LocalBackend:
    kind: BackendKind = "local"

    def __init__(self, engine: Engine, store: SimStore | None = None, *, context: str = "local",
                 read_only: bool = False, save_interval: float = 1.0) -> None:
        self.store = store
        self.context = context
        self.read_only = read_only
        self.save_interval = save_interval
        self._lock = threading.RLock()
        self.simulation = LocalSimulation(self)
        self._use(engine)
        # Set when a failed save could not be undone: the engine then holds changes the files do
        # not, and every call refuses rather than answer from it.
        self._broken: str | None = None
        # Changes go to a journal (console/sim/persistence.py decides when snapshots are written).
        self.persistence = Persistence(store, read_only)
        self.persistence.open(engine)

    def _use(self, engine: Engine) -> None:
        self.engine = engine
        # Long advances save after waves, throttled like any advance.
        engine.on_checkpoint = lambda: self._save(min_interval=self.save_interval)

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

    @contextmanager
    def _call(self, mutation: bool = False) -> Iterator[Engine]:
        """Run one request: refuse mutations when read-only, map simulation errors onto the API's
        status codes."""
        if mutation and self.read_only:
            raise ReadOnlyError(f"context {self.context!r} is read-only")
        with self._lock:
            if self._broken is not None:
                raise BackendError(self._broken)
            try:
                yield self.engine
            except NotFoundError as exc:
                raise NotFound(str(exc)) from None
            except (RuleError, SettingError) as exc:
                raise Unprocessable(str(exc)) from None
            except MQLError as exc:
                # A query that fails as it runs (a regex over its time limit) outside a wave,
                # e.g. listing a gig's next candidates: said, not a foreign exception.
                raise Unprocessable(f"a gig's query failed as it ran: {exc}") from None

    def _reason(self, exc: StoreError | OSError) -> str:
        if isinstance(exc, StoreError) or self.store is None:
            return str(exc)
        return f"{exc.filename or self.store.directory}: {exc.strerror or exc}"

    def _mutate(self, op: ops.Operation) -> Any:
        """Apply an operator's change and return its answer once the change is saved. A change
        that could not be saved is undone, with every later one (the simulation goes back to
        what its files hold): a change answered "not saved" must not stay live, nor reach the
        disk later. Unsaved time advances go back with it (kept in memory only, as between
        throttled snapshots)."""
        with self._call(mutation=True) as engine:
            result, ticket = self.persistence.apply(engine, op)
        if ticket is None:
            return result
        try:
            ticket.wait()  # outside the lock: other calls go on while the disk works
        except OSError as exc:
            reason = self._reason(exc)
            with self._lock:
                if self.persistence.failed:  # not yet undone by another waiting change
                    self._undo(reason)
            raise UnusableData(f"simulation not saved: {reason}; the change was undone") from None
        return result

    def _undo(self, reason: str) -> None:
        self.persistence.drain()
        try:
            self._reload()
        except (StoreError, OSError) as reload_exc:
            self._broken = (f"simulation not saved ({reason}) and not reloaded ({reload_exc}): "
                            "restart to continue from the last save")
            raise UnusableData(self._broken) from None
        self.persistence.recovered()

    def _save(self, min_interval: float = 0.0) -> None:
        """After time moved: a snapshot now and then (see Persistence.advanced)."""
        if self.read_only:
            return
        try:
            self.persistence.advanced(self.engine, min_interval)
        except (StoreError, OSError) as exc:
            raise UnusableData(f"simulation not saved: {self._reason(exc)}") from None

    def _reload(self) -> None:
        """The engine as its files hold it; the population is read again only if it changed
        since it was last written."""
        assert self.store is not None
        engine = self.engine
        population = (engine.population
                      if engine.population_version == self.store.saved_population_version
                      else self.store.load_population())
        self._use(self.store.load_engine(population, engine.compiler))

    async def now(self) -> int:
        return self.engine.clock

    # Gigs --------------------------------------------------------------------------------------
    async def list_gigs(self) -> list[Gig]:
        with self._call() as engine:
            return [run.gig for run in engine.ordered_runs()]

    async def get_gig(self, gig_id: str) -> Gig:
        with self._call() as engine:
            return engine.run_of(gig_id).gig

    async def create_gig(self, gig: GigCreate) -> Gig:
        return self._mutate(ops.CreateGig(gig=gig))

    async def update_gig(self, gig_id: str, update: GigUpdate) -> Gig:
        return self._mutate(ops.UpdateGig(gig_id=gig_id, update=update))

    async def archive_gig(self, gig_id: str, archive_at: int | None = None, *,
                          archived_at: int | None = None) -> Gig:
        return self._mutate(ops.ArchiveGig(gig_id=gig_id, archive_at=archive_at,
                                           archived_at=archived_at))

    async def delete_gig(self, gig_id: str) -> None:
        self._mutate(ops.DeleteGig(gig_id=gig_id))

    async def add_task(self, gig_id: str, task: GigTaskCreate) -> GigTask:
        return self._mutate(ops.AddTask(gig_id=gig_id, task=task))

    async def update_task(self, gig_id: str, task_id: str, task: GigTaskUpdate) -> GigTask:
        return self._mutate(ops.UpdateTask(gig_id=gig_id, task_id=task_id, task=task))

    # Invitations -------------------------------------------------------------------------------
    async def invite(self, gig_id: str, users: Sequence[InviteRequest]) -> list[GigInvitation]:
        return self._mutate(ops.Invite(gig_id=gig_id,
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
        with self._call() as engine:
            return [inv.to_model() for inv in self._matching(engine, query)]

    async def page_invitations(self, query: InvitationFilter, *, limit: int = DEFAULT_LIMIT,
                               after: str | None = None,
                               before: str | None = None) -> Page[GigInvitation]:
        with self._call() as engine:
            matching = self._matching(engine, query)
            # Only the page becomes models: a full conversion costs ~40 µs per invitation.
            start, end, has_more = page_bounds([inv.id for inv in matching], limit, after, before)
            return Page([inv.to_model() for inv in matching[start:end]], has_more)

    async def _transition(self, invitation_id: str, action: InvitationAction,
                          **options: Any) -> GigInvitation:
        return self._mutate(ops.Transition(invitation_id=invitation_id, action=action, **options))

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
        with self._call() as engine:
            return space.user(engine, user_id)

    async def upsert_worker_document(self, user_id: str, document: dict[str, object]) -> User:
        if not isinstance(document, dict):
            raise Unprocessable(f"document: must be an object, not {type(document).__name__}")
        return self._mutate(ops.UpsertWorker(user_id=user_id, document=dict(document)))

    async def invitation_attempt(self, user_id: str, gig_ids: Sequence[str],
                                 max_amount: int | None = None) -> InvitationAttempt:
        with self._call() as engine:
            document = copy.deepcopy(engine.worker(user_id)["document"])
            filters = engine.attempt_filters(user_id, gig_ids)
        # Matching may take long (a regex): outside the lock, so other calls go on meanwhile.
        try:
            matched = {gig_id for gig_id, matches in filters.items() if matches(document)}
        except MQLError as exc:
            where = f"filter_query.{exc.path}" if exc.path else "filter_query"
            raise Unprocessable(f"{where}: {exc.message}") from None
        return self._mutate(ops.InvitationAttemptOp(
            user_id=user_id, gig_ids=list(gig_ids), max_amount=max_amount,
            matched=sorted(matched)))

    async def create_user(self, user: UserCreate) -> User:
        return self._mutate(ops.CreateUser(user=user))

    async def delete_user(self, user_id: str) -> None:
        self._mutate(ops.DeleteUser(user_id=user_id))

    async def notification_preference(self, user_id: str) -> NotificationPreference:
        with self._call() as engine:
            return space.notification_preference(engine, user_id)

    async def set_notification_preferences(
        self, user_id: str, change: NotificationPreferenceSet
    ) -> NotificationPreference:
        return self._mutate(ops.SetNotificationPreferences(user_id=user_id, change=change))

    # What a finished gig produces --------------------------------------------------------------
    async def gig_results(self, gig_id: str | None = None,
                          user_id: str | None = None) -> list[GigResult]:
        with self._call() as engine:
            return space.gig_results(engine, gig_id, user_id)

    async def create_gig_result(self, result: GigResultCreate) -> GigResult:
        return self._mutate(ops.CreateGigResult(result=result))

    async def gig_time_activities(self, gig_id: str | None = None,
                                  user_id: str | None = None) -> list[GigTimeActivity]:
        with self._call() as engine:
            return space.gig_time_activities(engine, gig_id, user_id)

    async def create_gig_time_activity(self, activity: GigTimeActivityCreate) -> GigTimeActivity:
        return self._mutate(ops.CreateGigTimeActivity(activity=activity))

    # What the console derives ------------------------------------------------------------------
    async def gig_stats(self, gig_id: str) -> GigStats:
        with self._call() as engine:
            return engine.gig_stats(gig_id)

    async def waves(self, gig_id: str) -> list[WaveRecord]:
        with self._call() as engine:
            return engine.wave_records(gig_id)

    async def close(self) -> None:
        with self._lock:
            try:
                if self._broken is None and not self.read_only:
                    self.persistence.checkpoint(self.engine)
            except (StoreError, OSError) as exc:
                raise UnusableData(f"simulation not saved: {self._reason(exc)}") from None
            finally:
                self.persistence.close()
                if self.store is not None:
                    self.store.close()


class LocalSimulation:
    """The simulation's :class:`console.backends.controls.SimulationControls`, plus the moves
    only the console's clock makes (``advance_by``, ``advance_fastest``) and ``reset_demo``."""

    rewind = None  # a live simulation does not go back

    def __init__(self, backend: LocalBackend) -> None:
        self._backend = backend

    @property
    def now(self) -> int:
        return self._backend.engine.clock

    @property
    def settings(self) -> SimSettings:
        return self._backend.engine.settings

    def next_event_at(self) -> int | None:
        with self._backend._call() as engine:
            return engine.next_event_at()

    def _advanced(self) -> None:
        # Moving time is not an operator action: allowed read-only, kept in memory then.
        self._backend._save(min_interval=self._backend.save_interval)

    async def advance_to(self, t: int) -> int:
        """Run the simulation up to simulated second ``t``; returns the new clock."""
        with self._backend._call() as engine:
            engine.advance_to(int(t))
            self._advanced()
            return engine.clock

    async def advance_by(self, seconds: int) -> int:
        return await self.advance_to(self.now + int(seconds))

    async def advance_fastest(self, seconds: int) -> int:
        """Advance by at most ``seconds``, never past the last scheduled event: the clock stays
        put once nothing is left to happen (the console then pauses its fastest speed)."""
        with self._backend._call() as engine:
            engine.advance_to(engine.clock + int(seconds), past_last_event=False)
            self._advanced()
            return engine.clock

    async def reset_demo(self) -> int:
        """Replace every gig, invitation and event by the demo's, its clock back at the demo's
        start; the workers stay as they are (a custom population is never touched; the demo's
        own would be rebuilt the same). Built in a thread: it takes a second or two. Returns
        the new clock."""
        backend = self._backend
        if backend.read_only:
            raise ReadOnlyError(f"context {backend.context!r} is read-only")
        old = backend.engine
        # Copies of the records: the running engine may replace a document meanwhile.
        population = Population([dict(record) for record in old.population.records])
        engine = await asyncio.to_thread(build_demo, seed=old.seed, compiler=old.compiler,
                                         population=population)
        with backend._call(mutation=True):
            engine.population_version = old.population_version  # the same workers: not rewritten
            engine.on_checkpoint = old.on_checkpoint
            backend.engine = engine
            if backend.store is not None:
                backend.store.saved_version = None  # a new engine: its state is written whole
            try:
                backend.persistence.checkpoint(engine)  # a snapshot, not a journal entry
            except (StoreError, OSError) as exc:
                backend._undo(backend._reason(exc))
                raise UnusableData(f"simulation not saved: {backend._reason(exc)}; the change "
                                   "was undone") from None
        return engine.clock

    async def step_to_next_wave(self) -> int | None:
        """Advance to the next wave of any gig; its time, or None when no wave will come."""
        with self._backend._call() as engine:
            t = engine.step_to_next_wave()
            self._advanced()
            return t

    async def run_wave_now(self, gig_id: str) -> WaveRecord | None:
        """Send one wave of the gig now (any mode); None when no candidate is left."""
        return self._backend._mutate(ops.RunWaveNow(gig_id=gig_id))

    async def update_settings(self, **changes: Any) -> SimSettings:
        """Change settings by name (values as for ``--set``); they apply from now on."""
        return self._backend._mutate(ops.UpdateSettings(changes=changes))

    def population(self) -> Population:
        """The live population (do not edit it): no copy, so the preview reads the columns the
        engine's rankings built, and one copy of a million workers is in memory."""
        with self._backend._call() as engine:
            return engine.population

    def prepare_population(self) -> None:
        with self._backend._call() as engine:
            population = engine.population
            queries = [(run.gig.filter_query, run.gig.sort_query) for run in engine.gigs.values()]
        population.prepare(queries)

    async def events_since(self, seq: int = 0) -> list[dict[str, Any]]:
        """Feed entries newer than ``seq``: ``{seq, at, kind, gig_id, message, ...}``."""
        with self._backend._call() as engine:
            return engine.feed.since(seq)
