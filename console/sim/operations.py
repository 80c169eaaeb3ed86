"""The operator's changes to a simulation as data: one pydantic model per kind of change, its
arguments as JSON, applied by :meth:`Operation.apply`. The journal stores them and replays them
over the last snapshot, so what runs live and what runs on replay is this one code.

The engine is deterministic: an operation applied at the same simulated second to the same state
gives the same state (and answer), whatever else happened in memory before.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import ConfigDict

from console.base_model import Model
from console.models import (
    Gig,
    GigCreate,
    GigInvitation,
    GigResult,
    GigResultCreate,
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
from console.waves import SimSettings

from . import space
from .engine import Engine, InviteOrder
from .population import Population


def _attempt_id(value: Any) -> int | str:
    """Cirro answers an attempt's ids as integers; a simulated id that is no number stays text."""
    text = str(value)
    return int(text) if text.isdigit() else text


class Operation(Model, ABC):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: ClassVar[str]

    @abstractmethod
    def apply(self, engine: Engine) -> Any:
        """Make the change; returns the backend's answer (built under the caller's lock)."""

    def apply_to_population(self, population: Population) -> None:
        """What the operation changes in the population file's workers (most change nothing):
        replayed alone when the state snapshot holds the operation but the population file
        was not written after it."""

    def to_json(self) -> dict[str, Any]:
        # exclude_unset: an update says which fields it sets (an explicit null clears one).
        return self.model_dump(mode="json", exclude_unset=True)


class CreateGig(Operation):
    name = "create_gig"
    gig: GigCreate

    def apply(self, engine: Engine) -> Gig:
        return engine.create_gig(self.gig)


class UpdateGig(Operation):
    name = "update_gig"
    gig_id: str
    update: GigUpdate

    def apply(self, engine: Engine) -> Gig:
        return engine.update_gig(self.gig_id, self.update)


class ArchiveGig(Operation):
    name = "archive_gig"
    gig_id: str
    archive_at: int | None = None
    archived_at: int | None = None

    def apply(self, engine: Engine) -> Gig:
        return engine.archive_gig(self.gig_id, self.archive_at, archived_at=self.archived_at)


class DeleteGig(Operation):
    name = "delete_gig"
    gig_id: str

    def apply(self, engine: Engine) -> None:
        engine.delete_gig(self.gig_id)


class AddTask(Operation):
    name = "add_task"
    gig_id: str
    task: GigTaskCreate

    def apply(self, engine: Engine) -> GigTask:
        return engine.add_task(self.gig_id, self.task)


class UpdateTask(Operation):
    name = "update_task"
    gig_id: str
    task_id: str
    task: GigTaskUpdate

    def apply(self, engine: Engine) -> GigTask:
        return engine.update_task(self.gig_id, self.task_id, self.task)


class Invite(Operation):
    name = "invite"
    gig_id: str
    users: list[tuple[str, bool]]  # (user id, no_reward)

    def apply(self, engine: Engine) -> list[GigInvitation]:
        orders = [InviteOrder(user_id, no_reward) for user_id, no_reward in self.users]
        return [inv.to_model() for inv in engine.invite(self.gig_id, orders)]


class Transition(Operation):
    name = "transition"
    invitation_id: str
    action: InvitationAction
    no_reward: bool | None = None
    silent: bool = False

    def apply(self, engine: Engine) -> GigInvitation:
        return engine.transition(self.invitation_id, self.action, no_reward=self.no_reward,
                                 silent=self.silent).to_model()


class UpsertWorker(Operation):
    name = "upsert_worker"
    user_id: str
    document: dict[str, Any]

    def apply(self, engine: Engine) -> User:
        record = engine.upsert_worker(self.user_id, dict(self.document))
        return space.user(engine, record["id"])

    def apply_to_population(self, population: Population) -> None:
        population.upsert(self.user_id, dict(self.document))


class InvitationAttemptOp(Operation):
    name = "invitation_attempt"
    user_id: str
    gig_ids: list[int | str]  # as the caller gave them (the answer's payload repeats them)
    max_amount: int | None = None
    # The gigs whose filter matched the worker's document when it ran live (outside the lock,
    # a regex may take long): replay takes the same answer instead of running them again.
    matched: list[str]

    def apply(self, engine: Engine) -> InvitationAttempt:
        record = engine.worker(self.user_id)
        engine.invitation_attempt(self.user_id, self.gig_ids, self.max_amount, set(self.matched))
        payload: dict[str, Any] = {"gig_ids": list(self.gig_ids)}
        if self.max_amount is not None:
            payload["max_amount"] = self.max_amount
        return InvitationAttempt(
            id=engine.next_id("attempt"), payload=payload,
            gig_ids=[_attempt_id(g) for g in self.gig_ids],
            app_worker_id=_attempt_id(record["document"].get("app_worker_id", record["id"])),
            created_at=datetime.fromtimestamp(engine.clock, UTC).isoformat().replace("+00:00", "Z"),
        )


class CreateUser(Operation):
    name = "create_user"
    user: UserCreate

    def apply(self, engine: Engine) -> User:
        created, extra = space.create_user(engine, self.user)
        return created.model_copy(update=extra)


class DeleteUser(Operation):
    name = "delete_user"
    user_id: str

    def apply(self, engine: Engine) -> None:
        space.delete_user(engine, self.user_id)

    def apply_to_population(self, population: Population) -> None:
        population.remove(self.user_id)


class SetNotificationPreferences(Operation):
    name = "set_notification_preferences"
    user_id: str
    change: NotificationPreferenceSet

    def apply(self, engine: Engine) -> NotificationPreference:
        return space.set_notification_preferences(engine, self.user_id, self.change)


class CreateGigResult(Operation):
    name = "create_gig_result"
    result: GigResultCreate

    def apply(self, engine: Engine) -> GigResult:
        return space.create_gig_result(engine, self.result)[0]


class CreateGigTimeActivity(Operation):
    name = "create_gig_time_activity"
    activity: GigTimeActivityCreate

    def apply(self, engine: Engine) -> GigTimeActivity:
        return space.create_gig_time_activity(engine, self.activity)


class RunWaveNow(Operation):
    name = "run_wave_now"
    gig_id: str

    def apply(self, engine: Engine) -> WaveRecord | None:
        wave = engine.run_wave_now(self.gig_id)
        return None if wave is None else engine.run_of(self.gig_id).wave_record(wave)


class UpdateSettings(Operation):
    name = "update_settings"
    changes: dict[str, Any]  # by setting name, values as for ``--set``

    def apply(self, engine: Engine) -> SimSettings:
        engine.update_settings(engine.settings.with_changes(**self.changes))
        return engine.settings


OPERATIONS: dict[str, type[Operation]] = {op.name: op for op in (
    CreateGig, UpdateGig, ArchiveGig, DeleteGig, AddTask, UpdateTask, Invite, Transition,
    UpsertWorker, InvitationAttemptOp, CreateUser, DeleteUser, SetNotificationPreferences,
    CreateGigResult, CreateGigTimeActivity, RunWaveNow, UpdateSettings)}
