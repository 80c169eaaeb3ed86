"""Pydantic models of Cirro's v2 objects, and the console's own records about them."""

from .envelope import Deleted, ListEnvelope
from .gig import (
    DEFAULT_FREQUENCY_MINUTES,
    DEFAULT_MULTIPLIER,
    DEFAULT_SEATS_MIN,
    DEFAULT_TOPIC,
    FROZEN_AFTER_START,
    Gig,
    GigCreate,
    GigPhase,
    GigTask,
    GigTaskCreate,
    GigTaskUpdate,
    GigUpdate,
    NotificationTopic,
    apply_update,
    frozen_changes,
    gig_phase,
    gig_warnings,
    task_count_problem,
)
from .invitation import (
    TRANSITIONS,
    GigInvitation,
    InvalidTransition,
    InvitationAction,
    InvitationStatus,
    next_status,
)
from .problems import Problem, problem_from_json, problems_from_validation
from .results import (
    CostCenterData,
    GigResult,
    GigResultCreate,
    GigTimeActivity,
    GigTimeActivityCreate,
)
from .stats import GigStats, WaveRecord
from .user import (
    EMAIL_PREFERENCES,
    InvitationAttempt,
    InvitationAttemptCreate,
    NotificationPreference,
    NotificationPreferenceSet,
    NotificationTopicPreference,
    User,
    UserCreate,
    Worker,
)

__all__ = [
    "DEFAULT_FREQUENCY_MINUTES", "DEFAULT_MULTIPLIER", "DEFAULT_SEATS_MIN", "DEFAULT_TOPIC",
    "FROZEN_AFTER_START", "TRANSITIONS", "Deleted", "Gig", "GigCreate", "GigInvitation", "GigPhase",
    "GigStats", "GigTask", "GigTaskCreate", "GigTaskUpdate", "GigUpdate", "InvalidTransition",
    "InvitationAction", "InvitationAttempt", "InvitationAttemptCreate", "InvitationStatus",
    "ListEnvelope", "NotificationTopic", "Problem", "User", "WaveRecord", "Worker", "apply_update",
    "frozen_changes", "gig_phase", "next_status", "problem_from_json", "problems_from_validation",
    "CostCenterData", "EMAIL_PREFERENCES", "GigResult", "GigResultCreate", "GigTimeActivity",
    "GigTimeActivityCreate", "NotificationPreference", "NotificationPreferenceSet",
    "NotificationTopicPreference", "UserCreate", "gig_warnings",
    "task_count_problem",
]
