"""The Space's other records in the simulation: users made and deleted through the API, their
notification preferences, and the results and paid time of gigs. Functions over an Engine (its
records, population and gigs); they raise the simulation's errors like the engine does."""

from __future__ import annotations

from typing import Any

from console.models import (
    GigResult,
    GigResultCreate,
    GigTimeActivity,
    GigTimeActivityCreate,
    NotificationPreference,
    NotificationPreferenceSet,
    User,
    UserCreate,
    Worker,
)

from .engine import Engine
from .errors import NotFoundError, RuleError
from .profiles import profile

DEFAULT_LOCALE = "en"
DEFAULT_EMAIL_PREFERENCE = "immediately"


def _known(engine: Engine, user_id: str) -> bool:
    return engine.population.get(user_id) is not None or user_id in engine.records.users


def _check_user(engine: Engine, user_id: str) -> None:
    if not _known(engine, user_id):
        raise NotFoundError(f"user {user_id} not found")


def user(engine: Engine, user_id: str) -> User:
    """A worker (seeded profile beside its document) or a user made with POST /users."""
    user_id = str(user_id)
    record = engine.population.get(user_id)
    if record is not None:
        fields = engine.records.users.get(user_id) or profile(engine.seed, user_id,
                                                               record["document"])
        return User(id=user_id, **fields, worker=Worker(document=record["document"]))
    if user_id in engine.records.users:
        return User(id=user_id, **engine.records.users[user_id], worker=None)
    raise NotFoundError(f"user {user_id} not found (no worker with that id in this space)")


def _new_user_id(engine: Engine) -> str:
    # Above every worker id and every id handed out before (a deleted user's id is not reused).
    highest = max((int(i) for i in engine.population.by_id if i.isdigit()), default=0)
    engine.ids["user"] = max(engine.ids.get("user", 0), highest, *map(int, (
        i for i in engine.records.users if i.isdigit()))) + 1
    return str(engine.ids["user"])


def create_user(engine: Engine, create: UserCreate) -> tuple[User, dict[str, Any]]:
    """A new user without a worker document; what was not given is seeded. Also returns what
    the answer adds (Cirro's create answer echoes ``email`` and ``password``; neither is kept
    beyond the email)."""
    user_id = _new_user_id(engine)
    given = create.model_dump(exclude_none=True, exclude={"email", "password"})
    # The seeded rest follows the country given (names, time zone).
    seeded = profile(engine.seed, user_id, {"country": create.country_code})
    engine.records.users[user_id] = {**seeded, **given}
    engine._changed()
    engine.feed.add(engine.clock, "user_created", None, f"user {user_id} created", user_id=user_id)
    extra = {"email": create.email or f"user-{user_id}@space.example"}
    if create.password is not None:
        extra["password"] = create.password
    return user(engine, user_id), extra


def delete_user(engine: Engine, user_id: str) -> None:
    user_id = str(user_id)
    _check_user(engine, user_id)
    engine.records.users.pop(user_id, None)
    engine.records.preferences.pop(user_id, None)
    if engine.population.remove(user_id):
        for run in engine.gigs.values():
            run.forget_ranking()  # a deleted worker is nobody's candidate any more
        engine.population_version += 1
    engine.records.deleted_users.add(user_id)
    engine._changed()
    engine.feed.add(engine.clock, "user_deleted", None, f"user {user_id} deleted", user_id=user_id)


def _topic_preference(user_id: str, topic_id: str, preferences: dict[str, str]) -> dict[str, Any]:
    return {"id": f"{user_id}.{topic_id}", "object": "notification_topic_preference",
            "preferences": preferences, "notification_topic_id": topic_id, "user_id": user_id}


def notification_preference(engine: Engine, user_id: str) -> NotificationPreference:
    """Every topic of the space, with the user's choice or the default (email immediately)."""
    user_id = str(user_id)
    _check_user(engine, user_id)
    saved = engine.records.preferences.get(user_id, {})
    chosen = saved.get("topics", {})
    topics = [_topic_preference(user_id, tid, chosen.get(tid, {"email": DEFAULT_EMAIL_PREFERENCE}))
              for tid in sorted(engine.topics, key=int)]
    return NotificationPreference.model_validate({
        "id": user_id, "locale": saved.get("locale", DEFAULT_LOCALE),
        "topics": {"object": "list", "data": topics}})


def set_notification_preferences(engine: Engine, user_id: str,
                                 change: NotificationPreferenceSet) -> NotificationPreference:
    user_id = str(user_id)
    _check_user(engine, user_id)
    for i, topic in enumerate(change.topics):
        if topic.id not in engine.topics:
            raise RuleError(f"topics.{i}.id: no notification topic {topic.id} in this space")
    saved = engine.records.preferences.setdefault(user_id, {"topics": {}})
    saved["locale"] = change.locale
    for topic in change.topics:
        saved["topics"][topic.id] = {**saved["topics"].get(topic.id, {}), **topic.preferences}
    engine._changed()
    return notification_preference(engine, user_id)


def _paid_invitation(engine: Engine, gig_id: str, user_id: str) -> None:
    """Results and time are only for users invited to the gig with a reward (Cirro's rule)."""
    run = engine.run_of(gig_id)
    _check_user(engine, user_id)
    inv_id = run.invited.get(user_id)
    if inv_id is None:
        raise RuleError(f"user {user_id} is not invited to gig {gig_id}")
    if engine.invitations[inv_id].no_reward:
        raise RuleError(f"user {user_id} is invited to gig {gig_id} with no_reward")


def task_gig(engine: Engine, task_id: str) -> str:
    for run in engine.gigs.values():
        if any(t.id == task_id for t in run.gig.tasks.data):
            return run.id
    raise NotFoundError(f"gig task {task_id} not found")


def create_gig_result(engine: Engine, create: GigResultCreate) -> tuple[GigResult, bool]:
    """The new result, and False; or the one made before with the same idempotency key, and
    True (Cirro answers it with 208)."""
    known = engine.records.idempotency.get(create.idempotency_key or "")
    if known is not None:
        return next(GigResult.model_validate(r) for r in engine.records.gig_results
                    if r["id"] == known), True
    gig_id = task_gig(engine, create.gig_task_id)
    _paid_invitation(engine, gig_id, create.user_id)
    result = GigResult.model_validate({
        "id": engine.next_id("gig_result"),
        **create.model_dump(mode="json", exclude={"idempotency_key", "currency"})})
    engine.records.gig_results.append(result.model_dump(mode="json"))
    if create.idempotency_key:
        engine.records.idempotency[create.idempotency_key] = result.id
    engine._changed()
    engine.feed.add(engine.clock, "gig_result", gig_id,
                    f"result {result.id} for user {result.user_id}: {result.title}")
    return result, False


def gig_results(engine: Engine, gig_id: str | None = None,
                user_id: str | None = None) -> list[GigResult]:
    tasks = None
    if gig_id is not None:
        run = engine.gigs.get(str(gig_id))
        tasks = set() if run is None else {t.id for t in run.gig.tasks.data}
    return [GigResult.model_validate(r) for r in engine.records.gig_results
            if (tasks is None or r["gig_task_id"] in tasks)
            and (user_id is None or r["user_id"] == str(user_id))]


def create_gig_time_activity(engine: Engine, create: GigTimeActivityCreate) -> GigTimeActivity:
    _paid_invitation(engine, create.gig_id, create.user_id)
    activity = GigTimeActivity.model_validate({"id": engine.next_id("gig_time_activity"),
                                               **create.model_dump(mode="json")})
    engine.records.gig_time_activities.append(activity.model_dump(mode="json"))
    engine._changed()
    engine.feed.add(engine.clock, "gig_time_activity", create.gig_id,
                    f"time {activity.id} for user {activity.user_id}: "
                    f"{activity.duration_in_ms // 60000} min")
    return activity


def gig_time_activities(engine: Engine, gig_id: str | None = None,
                        user_id: str | None = None) -> list[GigTimeActivity]:
    return [GigTimeActivity.model_validate(a) for a in engine.records.gig_time_activities
            if (gig_id is None or a["gig_id"] == str(gig_id))
            and (user_id is None or a["user_id"] == str(user_id))]
