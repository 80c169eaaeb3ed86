"""The wave simulation: an event loop over integer simulated seconds.

What happens at a second ``t``, in this order: worker responses due at ``t`` (in the order they
were scheduled), then, gig by gig in id order, scheduled archiving, expiry at ``end_at`` (when that
setting is on) and the gig's tick. Ticks and gig deadlines are computed from the gigs, never
stored as events, so editing a gig takes effect without stale events; only responses are queued.

The engine never reads the wall clock: the caller moves time with :meth:`Engine.advance_to`.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from console.models import (
    DEFAULT_TOPIC,
    Gig,
    GigCreate,
    GigStats,
    GigTask,
    GigTaskCreate,
    GigTaskUpdate,
    GigUpdate,
    InvalidTransition,
    InvitationAction,
    InvitationStatus,
    NotificationTopic,
    WaveRecord,
    apply_update,
    frozen_changes,
    next_status,
    problems_from_validation,
    task_count_problem,
)
from console.models.storable import DocumentError, check_document
from console.mql import MQLError
from console.plural import plural
from console.waves import (
    SimSettings,
    accepts_invitations,
    candidates_for_wave,
    expires_pending,
    next_tick_at,
    wave_due,
    wave_size,
    waves_wanted,
    worker_order_key,
)

from .errors import NotFoundError, RuleError
from .population import Population, Record
from .ranking import QueryCompiler, Ranking, compile_queries, default_compiler, is_default, rank
from .profiles import bench_status
from .records import SpaceRecords
from .responses import draw_response
from .state import (
    ACCEPTED,
    EXPIRED,
    PENDING,
    REJECTED,
    EventFeed,
    GigRun,
    Invitation,
    StateMeta,
    Wave,
)

# A queued response: (at, seq, invitation id, attempt, accepts).
QueuedResponse = tuple[int, int, str, int, bool]
QUEUE_FIELDS = ("at", "seq", "invitation_id", "attempt", "accepts")


@dataclass(frozen=True)
class InviteOrder:
    user_id: str
    no_reward: bool = False


class Engine:
    def __init__(
        self,
        population: Population,
        *,
        seed: int = 0,
        settings: SimSettings | None = None,
        clock: int = 0,
        compiler: QueryCompiler | None = None,
    ) -> None:
        self.population = population
        self.seed = seed
        self.settings = settings or SimSettings()
        self.clock = clock
        self.compiler = compiler or default_compiler()
        self.gigs: dict[str, GigRun] = {}
        self.invitations: dict[str, Invitation] = {}
        self.topics: dict[str, str] = {"1": DEFAULT_TOPIC}
        self.ids: dict[str, int] = {"gig": 0, "invitation": 0, "task": 0, "topic": 1, "queue": 0,
                                "attempt": 0}
        self.queue: list[QueuedResponse] = []
        self.feed = EventFeed()
        self.records = SpaceRecords()
        # Bumped by every change, so the store knows when there is something to save.
        self.version = 0
        self.population_version = 0
        # Called after each simulated second in which a wave went out (the store saves there).
        self.on_checkpoint: Callable[[], None] | None = None
        self._next: dict[str, int | None] = {}
        self._stale: set[str] = set()
        self._wave_in_step = False

    # Lookups -----------------------------------------------------------------------------------
    def run_of(self, gig_id: str) -> GigRun:
        run = self.gigs.get(str(gig_id))
        if run is None:
            raise NotFoundError(f"gig {gig_id} not found")
        return run

    def invitation(self, invitation_id: str) -> Invitation:
        inv = self.invitations.get(str(invitation_id))
        if inv is None:
            raise NotFoundError(f"gig invitation {invitation_id} not found")
        return inv

    def worker(self, user_id: str) -> Record:
        record = self.population.get(str(user_id))
        if record is None:
            raise NotFoundError(f"user {user_id} not found (no worker with that id in this space)")
        return record

    def ordered_runs(self) -> list[GigRun]:
        return [self.gigs[k] for k in sorted(self.gigs, key=worker_order_key)]

    def next_id(self, kind: str) -> str:
        # Kinds added later (users, results, ...) start at 0 in states saved before them.
        self.ids[kind] = self.ids.get(kind, 0) + 1
        return str(self.ids[kind])

    def _changed(self, run: GigRun | None = None) -> None:
        self.version += 1
        if run is None:
            self._stale.update(self.gigs)
        else:
            self._stale.add(run.id)

    # Time --------------------------------------------------------------------------------------
    def _gig_next(self, run: GigRun) -> int | None:
        """The next second at which something may happen to this gig by itself."""
        gig, now, times = run.gig, self.clock, []
        if gig.archive_at is not None and gig.archived_at is None:
            times.append(max(gig.archive_at, now))
        if self.settings.expire_pending_at_end and not run.end_handled:
            times.append(max(gig.end_at, now))
        if waves_wanted(gig, run.counts[ACCEPTED]) and not run.exhausted:
            not_before = now if run.last_tick is None else max(now, run.last_tick + 1)
            tick = next_tick_at(gig, not_before)
            if tick is not None:
                times.append(tick)
        return min(times, default=None)

    def _refresh(self) -> None:
        for gig_id in self._stale:
            if gig_id in self.gigs:
                self._next[gig_id] = self._gig_next(self.gigs[gig_id])
            else:
                self._next.pop(gig_id, None)
        self._stale.clear()

    def next_event_at(self) -> int | None:
        """The next simulated second at which anything happens, or None when nothing will."""
        self._refresh()
        times = [t for t in self._next.values() if t is not None]
        if self.queue:
            times.append(self.queue[0][0])
        return min(times, default=None)

    def _step(self, t: int) -> None:
        self.clock = t
        self._wave_in_step = False
        while self.queue and self.queue[0][0] <= t:
            _, _, inv_id, attempt, accepts = heapq.heappop(self.queue)
            self._respond(inv_id, attempt, accepts)
        self._refresh()
        for run in self.ordered_runs():
            if self._next.get(run.id) == t:
                self._gig_step(run, t)
        if self._wave_in_step and self.on_checkpoint is not None:
            self.on_checkpoint()

    def _gig_step(self, run: GigRun, t: int) -> None:
        gig = run.gig
        self._stale.add(run.id)
        if gig.archive_at is not None and gig.archived_at is None and gig.archive_at <= t:
            run.gig = gig = gig.model_copy(update={"archived_at": gig.archive_at})
            self.version += 1
            self.feed.add(t, "archived", gig.id, f"gig {gig.id} archived (archive_at)")
        if self.settings.expire_pending_at_end and not run.end_handled and gig.end_at <= t:
            run.end_handled = True
            self.version += 1
            expired = self._expire_pending(run)
            if expired:
                self.feed.add(t, "expired", gig.id, f"end_at: expired {expired} pending", count=expired)
        if run.last_tick is None or run.last_tick < t:
            run.last_tick = t
            self.version += 1
            if wave_due(gig, t, run.counts[ACCEPTED]):
                self._send_wave(run, t)

    def advance_to(self, target: int, progress: Callable[[int], None] | None = None, *,
                   past_last_event: bool = True) -> None:
        """Run every event up to and including ``target``, then set the clock to ``target``.

        Without ``past_last_event`` the clock stops at the last thing that can happen: once no
        event is left, no later than the last start, end or archive time of a gig (the phases
        the console shows); the fastest speed must not run on into empty centuries."""
        if target < self.clock:
            raise RuleError(f"cannot move the simulated clock back from {self.clock} to {target}")
        while (t := self.next_event_at()) is not None and t <= target:
            self._step(t)
            if progress is not None:
                progress(t)
        if not past_last_event and self.next_event_at() is None:
            target = min(target, max(self.clock, self._last_phase_change()))
        if target != self.clock:
            self.clock = target
            self.version += 1

    def _last_phase_change(self) -> int:
        times = [t for run in self.gigs.values()
                 for t in (run.gig.start_at, run.gig.end_at, run.gig.archive_at) if t is not None]
        return max(times, default=self.clock)

    def run(self, until: int | None = None, progress: Callable[[int], None] | None = None) -> None:
        """Run to completion (nothing left to happen), or up to ``until``."""
        if until is not None:
            self.advance_to(until, progress)
            return
        while (t := self.next_event_at()) is not None:
            self._step(t)
            if progress is not None:
                progress(t)

    def step_to_next_wave(self) -> int | None:
        """Advance until a wave goes out and return its time; None once nothing is left to happen."""
        start_waves = self._wave_total()
        while (t := self.next_event_at()) is not None:
            self._step(t)
            if self._wave_total() > start_waves:
                return t
        return None

    def _wave_total(self) -> int:
        return sum(len(run.waves) for run in self.gigs.values())

    # Waves and responses -----------------------------------------------------------------------
    def _ranking(self, run: GigRun) -> Ranking:
        if run.compiled is None:
            run.compiled = compile_queries(self.compiler, run.gig.filter_query, run.gig.sort_query)
        if run.ranking is None:
            predicate, sorter = run.compiled
            queries = ((run.gig.filter_query, run.gig.sort_query) if is_default(self.compiler)
                       else None)
            run.ranking = rank(self.population, predicate, sorter, run.invited, queries)
        return run.ranking

    def ranked_candidates(self, gig_id: str, count: int) -> list[str]:
        """The next ``count`` workers a wave of the gig would invite (nothing is consumed)."""
        run = self.run_of(gig_id)
        ranking = self._ranking(run)
        return candidates_for_wave(ranking.ranked, ranking.cursor, run.invited, count)[0]

    def _send_wave(self, run: GigRun, t: int) -> Wave | None:
        size = wave_size(run.gig, len(run.pending), self.settings.wave_counting)
        if size <= 0:
            return None
        try:
            ranking = self._ranking(run)
        except MQLError as exc:
            # A query failing as it runs (a $regex past its time limit on some worker) skips this
            # gig's wave, said in the feed; it must not stop the clock of every gig for good.
            where = f"filter_query.{exc.path}" if exc.path else "filter_query"
            self.feed.add(t, "wave_skipped", run.id, f"wave skipped: {where}: {exc.message}")
            return None
        taken = ranking.take(size, run.invited)
        run.exhausted = ranking.left == 0
        if not taken:
            return None
        n = len(run.waves) + 1
        for user_id in taken:
            self._invite(run, user_id, t, wave=n)
        wave = Wave(n=n, at=t, invited=len(taken), candidates_left=ranking.left)
        run.waves.append(wave)
        self._changed(run)
        self._wave_in_step = True
        self.feed.add(
            t, "wave", run.id, f"wave {n}: invited {len(taken)}, {plural(ranking.left, 'candidate')} left",
            wave=n, invited=len(taken),
        )
        return wave

    def _invite(self, run: GigRun, user_id: str, t: int, wave: int | None,
                no_reward: bool = False) -> Invitation:
        inv = Invitation(
            id=self.next_id("invitation"), gig_id=run.id, user_id=user_id, status=PENDING,
            wave=wave, invited_at=t, no_reward=no_reward,
            epam_bench_status=bench_status(self.seed, user_id),
        )
        self.invitations[inv.id] = inv
        run.invited[user_id] = inv.id
        run.count(inv, +1)
        run.edited(inv.id)
        self._schedule_response(inv, t)
        return inv

    def _schedule_response(self, inv: Invitation, t: int) -> None:
        record = self.population.get(inv.user_id)
        traits = record.get("traits") if record is not None else None
        response = draw_response(self.settings, self.seed, inv.gig_id, inv.user_id, inv.attempt, traits)
        if response is not None:
            seq = self.ids["queue"] = self.ids["queue"] + 1
            heapq.heappush(self.queue, (t + response.delay, seq, inv.id, inv.attempt, response.accepts))

    def _set_status(self, run: GigRun, inv: Invitation, status: InvitationStatus,
                    responded_at: int | None) -> None:
        run.count(inv, -1)
        inv.status = status
        inv.responded_at = responded_at
        run.count(inv, +1)
        run.edited(inv.id)
        self._changed(run)

    def _full(self, run: GigRun) -> bool:
        return expires_pending(run.gig, run.counts[ACCEPTED])

    def _respond(self, inv_id: str, attempt: int, accepts: bool) -> None:
        inv = self.invitations.get(inv_id)
        if inv is None or inv.attempt != attempt or inv.status is not PENDING:
            return
        run = self.gigs[inv.gig_id]
        t = self.clock
        if run.gig.archived_at is not None and run.gig.archived_at <= t:
            return  # an archived gig takes no more responses
        status = ACCEPTED if accepts else REJECTED
        self._set_status(run, inv, status, t)
        self.feed.add(t, status.value, run.id, f"user {inv.user_id} {status.value}",
                      user_id=inv.user_id, invitation_id=inv.id, wave=inv.wave)
        if accepts:
            self._after_accept(run, t)

    def _after_accept(self, run: GigRun, t: int) -> None:
        if self._full(run):
            expired = self._expire_pending(run)
            if expired:
                self.feed.add(t, "expired", run.id, f"seats_max reached: expired {expired} pending",
                              count=expired)

    def _expire_pending(self, run: GigRun) -> int:
        pending = sorted(run.pending, key=worker_order_key)
        for inv_id in pending:
            self._set_status(run, self.invitations[inv_id], EXPIRED, None)
        return len(pending)

    # Gigs --------------------------------------------------------------------------------------
    def _topic(self, name_or_id: str | None) -> dict[str, str]:
        if name_or_id is None:
            name_or_id = DEFAULT_TOPIC
        if name_or_id in self.topics:
            topic_id = name_or_id
        else:
            by_name = {name: tid for tid, name in self.topics.items()}
            topic_id = by_name.get(name_or_id) or self.next_id("topic")
            self.topics.setdefault(topic_id, name_or_id)
        return {"id": topic_id, "object": "notification_topic", "name": self.topics[topic_id]}

    def create_gig(self, create: GigCreate) -> Gig:
        compiled = compile_queries(self.compiler, create.filter_query, create.sort_query)
        data = create.model_dump(mode="json")
        tasks = data.pop("tasks")
        data["invitation_notification_topic"] = self._topic(data["invitation_notification_topic"])
        gig_id = self.next_id("gig")
        data.update(id=gig_id, object="gig", archived_at=None)
        data["tasks"] = {"object": "list", "data": [
            {"id": self.next_id("task"), "object": "gig_task", **task} for task in tasks
        ]}
        run = GigRun(gig=Gig.model_validate(data), compiled=compiled)
        self.gigs[gig_id] = run
        self._changed(run)
        self.feed.add(self.clock, "gig_created", gig_id, f"gig {gig_id} created: {create.title}")
        return run.gig

    def update_gig(self, gig_id: str, update: GigUpdate) -> Gig:
        run = self.run_of(gig_id)
        gig = run.gig
        frozen = frozen_changes(gig, update, self.clock)
        if frozen:
            raise RuleError(
                f"gig {gig.id} started at {gig.start_at}: {', '.join(frozen)} cannot be changed "
                "after the start"
            )
        changes = update.changes()
        compiled = None
        if "filter_query" in changes or "sort_query" in changes:
            compiled = compile_queries(
                self.compiler, changes.get("filter_query", gig.filter_query),
                changes.get("sort_query", gig.sort_query),
            )
        topic_ref = changes.get("invitation_notification_topic")
        topic = NotificationTopic(**self._topic(topic_ref)) if topic_ref is not None else None
        try:
            updated = apply_update(gig, update, topic)
        except ValidationError as exc:
            problems = "; ".join(str(p) for p in problems_from_validation(exc))
            raise RuleError(f"gig {gig.id}: {problems}") from None
        run.gig = updated
        if self._full(run):
            self._after_accept(run, self.clock)  # a lowered seats_max may fill the gig now
        if "end_at" in changes:
            run.end_handled = False  # a new end_at gets its own expiry (when that setting is on)
        if compiled is not None:
            # Later waves only: existing invitations stay; the next wave ranks afresh.
            run.forget_ranking()
            run.compiled = compiled
        self._changed(run)
        self.feed.add(self.clock, "gig_updated", gig.id,
                      f"gig {gig.id} updated: {', '.join(changes) or 'nothing'}", fields=list(changes))
        return run.gig

    def archive_gig(self, gig_id: str, archive_at: int | None = None, *,
                    archived_at: int | None = None) -> Gig:
        """Archive now, or at ``archive_at``; ``archived_at`` (the client spec's form) is the
        archiving time itself, answered as given as Cirro's ``gig/archive`` fixture shows."""
        run = self.run_of(gig_id)
        gig = run.gig
        if gig.archived_at is not None:
            raise RuleError(f"gig {gig.id} is already archived (at {gig.archived_at})")
        if archived_at is not None:
            run.gig = gig.model_copy(update={"archived_at": archived_at})
            self.feed.add(self.clock, "archived", gig.id,
                          f"gig {gig.id} archived (archived_at {archived_at})")
        elif archive_at is None or archive_at <= self.clock:
            run.gig = gig.model_copy(update={"archived_at": self.clock})
            self.feed.add(self.clock, "archived", gig.id, f"gig {gig.id} archived")
        else:
            # Validated like any update: a stored archive_at past year 9999 poisons the data dir.
            try:
                run.gig = apply_update(gig, GigUpdate(archive_at=archive_at))
            except ValidationError as exc:
                problems = "; ".join(str(p) for p in problems_from_validation(exc))
                raise RuleError(f"gig {gig.id}: {problems}") from None
            self.feed.add(self.clock, "gig_updated", gig.id,
                          f"gig {gig.id} will be archived at {archive_at}", fields=["archive_at"])
        self._changed(run)
        return run.gig

    def delete_gig(self, gig_id: str) -> None:
        run = self.run_of(gig_id)
        if self.clock >= run.gig.start_at:
            raise RuleError(
                f"gig {run.id} started at {run.gig.start_at}: only a gig that has not started can "
                "be deleted (archive it instead)"
            )
        for inv_id in run.invited.values():
            del self.invitations[inv_id]
        del self.gigs[run.id]
        self._changed(run)
        self.feed.add(self.clock, "gig_deleted", run.id, f"gig {run.id} deleted")

    def add_task(self, gig_id: str, task: GigTaskCreate) -> GigTask:
        run = self.run_of(gig_id)
        problem = task_count_problem(len(run.gig.tasks.data) + 1)
        if problem is not None:
            raise RuleError(f"gig {run.id}: tasks: {problem}")
        created = GigTask(id=self.next_id("task"), title=task.title, base_price=task.base_price)
        self._set_tasks(run, [*run.gig.tasks.data, created])
        self._changed(run)
        self.feed.add(self.clock, "gig_updated", run.id, f"task {created.id} added: {task.title}",
                      fields=["tasks"])
        return created

    def update_task(self, gig_id: str, task_id: str, update: GigTaskUpdate) -> GigTask:
        run = self.run_of(gig_id)
        for i, task in enumerate(run.gig.tasks.data):
            if task.id == str(task_id):
                changed = task.model_copy(update=update.model_dump(exclude_none=True))
                tasks = list(run.gig.tasks.data)
                tasks[i] = changed
                self._set_tasks(run, tasks)
                self._changed(run)
                return changed
        raise NotFoundError(f"task {task_id} not found in gig {run.id}")

    @staticmethod
    def _set_tasks(run: GigRun, tasks: list[GigTask]) -> None:
        # A new Gig, never one changed in place: frames handed to other threads hold the old one.
        gig = run.gig
        run.gig = gig.model_copy(update={"tasks": gig.tasks.model_copy(update={"data": tasks})})

    # Invitations -------------------------------------------------------------------------------
    def _check_can_invite(self, run: GigRun) -> None:
        if not accepts_invitations(run.gig, self.clock):
            reason = "archived" if run.gig.phase(self.clock) == "archived" else "ended"
            raise RuleError(f"gig {run.id} has {reason}: no more invitations")
        if self._full(run):
            raise RuleError(f"gig {run.id} is full: {run.counts[ACCEPTED]} accepted of seats_max "
                            f"{run.gig.seats_max}")

    def invite(self, gig_id: str, orders: Sequence[InviteOrder]) -> list[Invitation]:
        """Manual invite of one or many workers; all or nothing."""
        run = self.run_of(gig_id)
        self._check_can_invite(run)
        if not orders:
            raise RuleError("no users to invite")
        seen: set[str] = set()
        for order in orders:
            self.worker(order.user_id)
            if order.user_id in seen:
                raise RuleError(f"user {order.user_id} is listed twice")
            seen.add(order.user_id)
            existing = run.invited.get(order.user_id)
            if existing is not None:
                status = self.invitations[existing].status.value
                raise RuleError(f"user {order.user_id} is already invited to gig {run.id} "
                                f"(invitation {existing}, {status})")
        created = []
        for order in orders:
            created.append(self._invite(run, order.user_id, self.clock, None, order.no_reward))
            if run.ranking is not None:
                run.ranking.note_invited(order.user_id)
        self._changed(run)
        self.feed.add(self.clock, "invited", run.id,
                      f"manually invited {len(created)} to gig {run.id}", count=len(created))
        return created

    def transition(self, invitation_id: str, action: InvitationAction, *,
                   no_reward: bool | None = None, silent: bool = False) -> Invitation:
        inv = self.invitation(invitation_id)
        run = self.gigs[inv.gig_id]
        try:
            target = next_status(inv.id, inv.status, action)
        except InvalidTransition as exc:
            raise RuleError(str(exc)) from None
        # While a gig is full nothing of it is pending (design §2): refuse what would change that.
        if target in (ACCEPTED, PENDING) and inv.status is not ACCEPTED and self._full(run):
            raise RuleError(f"cannot {action.value} invitation {inv.id}: gig {run.id} is full "
                            f"({run.counts[ACCEPTED]} accepted, seats_max {run.gig.seats_max})")
        if no_reward is not None:
            inv.no_reward = no_reward
        if action is InvitationAction.RESET:
            inv.attempt += 1
        responded_at = self.clock if target in (ACCEPTED, REJECTED) else None
        self._set_status(run, inv, target, responded_at)
        self.feed.add(self.clock, action.value, run.id,
                      f"invitation {inv.id} (user {inv.user_id}): {action.value} -> {target.value}",
                      user_id=inv.user_id, invitation_id=inv.id)
        if target is ACCEPTED:
            self._after_accept(run, self.clock)
        if action is InvitationAction.RESET and not silent:
            self._schedule_response(inv, self.clock)
        return inv

    def _attemptable(self, run: GigRun, user_id: str) -> bool:
        return not (user_id in run.invited or self._full(run)
                    or not accepts_invitations(run.gig, self.clock))

    def attempt_filters(self, user_id: str,
                        gig_ids: Sequence[str]) -> dict[str, Callable[[Any], bool]]:
        """The compiled filter_query of each listed gig the worker could be invited to now, by
        id (NotFoundError for an unknown gig or worker); :meth:`invitation_attempt` takes what
        they say about the worker."""
        record = self.worker(user_id)
        filters: dict[str, Callable[[Any], bool]] = {}
        for gig_id in gig_ids:
            run = self.run_of(gig_id)
            if not self._attemptable(run, record["id"]):
                continue
            if run.compiled is None:
                run.compiled = compile_queries(self.compiler, run.gig.filter_query,
                                               run.gig.sort_query)
            filters[run.id] = run.compiled[0]
        return filters

    def invitation_attempt(self, user_id: str, gig_ids: Sequence[str],
                           max_amount: int | None = None,
                           matched: Collection[str] | None = None) -> list[Invitation]:
        """Invite one worker right away to each listed gig whose filter_query they match.

        ``matched`` is the ids of the gigs whose filter the caller already found the worker's
        document to match (see :meth:`attempt_filters`); without it the filters run here."""
        record = self.worker(user_id)
        runs = [self.run_of(gig_id) for gig_id in gig_ids]
        if matched is None:
            filters = self.attempt_filters(user_id, gig_ids)
            matched = {gig_id for gig_id, matches in filters.items()
                       if matches(record["document"])}
        created: list[Invitation] = []
        for run in runs:
            if max_amount is not None and len(created) >= max_amount:
                break
            if not self._attemptable(run, record["id"]) or run.id not in matched:
                continue
            created.append(self._invite(run, record["id"], self.clock, None))
            if run.ranking is not None:
                run.ranking.note_invited(record["id"])
            self._changed(run)
            self.feed.add(self.clock, "invited", run.id,
                          f"invitation attempt: user {record['id']} invited", user_id=record["id"])
        return created

    def run_wave_now(self, gig_id: str) -> Wave | None:
        """Send one wave of the gig now, whatever its mode (the operator's "run a wave now")."""
        run = self.run_of(gig_id)
        self._check_can_invite(run)
        if self.clock < run.gig.start_at:
            raise RuleError(f"gig {run.id} starts at {run.gig.start_at}: no wave before the start")
        return self._send_wave(run, self.clock)

    # Workers -----------------------------------------------------------------------------------
    def upsert_worker(self, user_id: str, document: dict[str, Any]) -> Record:
        try:
            check_document(document)
        except DocumentError as exc:
            raise RuleError(str(exc)) from None
        record = self.population.upsert(str(user_id), document)
        # The document may now match (or stop matching) any gig: rank afresh at the next wave.
        for run in self.gigs.values():
            run.forget_ranking()
        self.population_version += 1
        self._changed()
        self.feed.add(self.clock, "worker_updated", None, f"worker {user_id} document updated",
                      user_id=str(user_id))
        return record

    def update_settings(self, settings: SimSettings) -> None:
        self.settings = settings
        self._changed()

    # What the console derives ------------------------------------------------------------------
    def next_wave_at(self, run: GigRun) -> int | None:
        gig = run.gig
        if not waves_wanted(gig, run.counts[ACCEPTED]):
            return None
        if run.exhausted:
            return None
        not_before = self.clock if run.last_tick is None else max(self.clock, run.last_tick + 1)
        return next_tick_at(gig, not_before)

    def gig_stats(self, gig_id: str) -> GigStats:
        run = self.run_of(gig_id)
        counts = run.counts
        return GigStats(
            gig_id=run.id, invited=len(run.invited), accepted=counts[ACCEPTED],
            rejected=counts[REJECTED], expired=counts[EXPIRED], pending=counts[PENDING],
            waves_sent=len(run.waves), last_wave_at=run.waves[-1].at if run.waves else None,
            next_wave_at=self.next_wave_at(run),
        )

    def wave_records(self, gig_id: str) -> list[WaveRecord]:
        run = self.run_of(gig_id)
        return [run.wave_record(wave) for wave in run.waves]

    def gig_invitations(self, gig_id: str) -> list[Invitation]:
        run = self.run_of(gig_id)
        return sorted((self.invitations[i] for i in run.invited.values()),
                      key=lambda inv: worker_order_key(inv.id))

    # Persistence -------------------------------------------------------------------------------
    def snapshot(self) -> dict[str, list[dict[str, Any]]]:
        """The whole state as TinyDB tables (lists of JSON documents)."""
        meta = {
            "clock": self.clock, "seed": self.seed, "settings": self.settings.to_json(),
            "ids": dict(self.ids), "topics": dict(self.topics), "feed_next_seq": self.feed.next_seq,
            "records": self.records.to_json(),
        }
        return {
            "meta": [meta],
            "gigs": [run.to_json() for run in self.gigs.values()],
            "invitations": [inv.to_json() for inv in self.invitations.values()],
            "queue": [dict(zip(QUEUE_FIELDS, item)) for item in self.queue],
            "events": list(self.feed.entries),
        }

    @classmethod
    def restore(cls, tables: dict[str, list[dict[str, Any]]], population: Population,
                compiler: QueryCompiler | None = None) -> Engine:
        (row,) = tables["meta"]
        try:
            meta = StateMeta.model_validate(row)
        except ValidationError as exc:
            raise ValueError("; ".join(f"meta.{p}" for p in problems_from_validation(exc))) from None
        engine = cls(population, seed=meta.seed, settings=SimSettings.from_json(meta.settings),
                     clock=meta.clock, compiler=compiler)
        engine.ids = meta.ids
        engine.topics = meta.topics
        engine.records = SpaceRecords.from_json(meta.records)
        engine.feed = EventFeed(entries=tables["events"], next_seq=meta.feed_next_seq)
        for data in tables["gigs"]:
            run = GigRun.from_json(data)
            engine.gigs[run.id] = run
        for data in tables["invitations"]:
            inv = Invitation.from_json(data)
            engine.invitations[inv.id] = inv
            run = engine.gigs[inv.gig_id]
            run.invited[inv.user_id] = inv.id
            run.count(inv, +1)
        engine.queue = [
            tuple(item[f] for f in QUEUE_FIELDS) for item in tables["queue"]  # type: ignore[misc]
        ]
        heapq.heapify(engine.queue)
        engine._stale.update(engine.gigs)
        return engine
