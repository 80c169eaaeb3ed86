"""The simulation settings for what Cirro leaves open (api reference §5.2), and their parsing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields, replace
from enum import StrEnum
from typing import Any


class WaveCounting(StrEnum):
    # Each wave invites wave_size new workers.
    NEW = "new"
    # Outstanding pending invitations count against the wave size.
    TOP_UP = "top_up"


class SettingError(ValueError):
    """A ``name=value`` setting that does not exist or has a bad value; names the setting."""


MAX_MEDIAN_HOURS = 1_000_000  # 114 years: delays are cut at 10**9 s (31 years) anyway
MAX_SIGMA = 20


@dataclass(frozen=True)
class SimSettings:
    wave_counting: WaveCounting = WaveCounting.NEW
    # Cirro documents no invitation TTL; optionally expire what is still pending at end_at.
    expire_pending_at_end: bool = False
    # Response model: an invited worker responds with this probability, after a lognormal delay
    # with this median and sigma, and then accepts with this probability. Per-worker traits
    # (responsiveness, eagerness, pace) scale these around 1.0.
    respond_probability: float = 0.7
    accept_probability: float = 0.35
    response_median_hours: float = 3.0
    response_sigma: float = 1.0

    def __post_init__(self) -> None:
        for name in ("respond_probability", "accept_probability"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise SettingError(f"{name}: must be between 0 and 1, got {value}")
        # Bounded so that a delay, exp(log(median) + sigma * z) with |z| < 9, stays a float: nan,
        # inf, a 1e308 median or sigma ended the run in a ValueError or OverflowError traceback.
        median, sigma = self.response_median_hours, self.response_sigma
        if not 0 < median <= MAX_MEDIAN_HOURS:
            raise SettingError(f"response_median_hours: must be > 0 and at most "
                               f"{MAX_MEDIAN_HOURS:,} (hours), got {median}")
        if not 0 <= sigma <= MAX_SIGMA:
            raise SettingError(f"response_sigma: must be between 0 and {MAX_SIGMA}, got {sigma}")

    def to_json(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, StrEnum) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SimSettings:
        return parse_settings((f"{k}={v}" for k, v in data.items()), cls())

    def with_changes(self, **changes: Any) -> SimSettings:
        return parse_settings((f"{k}={v}" for k, v in changes.items()), self)


SETTING_NAMES = tuple(f.name for f in fields(SimSettings))


def _convert(name: str, text: str, current: Any) -> Any:
    if isinstance(current, WaveCounting):
        try:
            return WaveCounting(text.replace("-", "_"))
        except ValueError:
            choices = ", ".join(c.value for c in WaveCounting)
            raise SettingError(f"{name}: must be one of {choices}, got {text!r}") from None
    if isinstance(current, bool):
        lowered = text.lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise SettingError(f"{name}: must be true or false, got {text!r}")
    try:
        return float(text)
    except ValueError:
        raise SettingError(f"{name}: must be a number, got {text!r}") from None


def parse_settings(assignments: Iterable[str], base: SimSettings | None = None) -> SimSettings:
    """Apply ``name=value`` assignments (as given to ``--set``) to ``base``."""
    settings = base or SimSettings()
    changes: dict[str, Any] = {}
    for item in assignments:
        name, sep, text = str(item).partition("=")
        name = name.strip().replace("-", "_")
        if not sep:
            raise SettingError(f"{item!r}: expected name=value")
        if name not in SETTING_NAMES:
            raise SettingError(f"{name}: unknown setting (known: {', '.join(SETTING_NAMES)})")
        changes[name] = _convert(name, text.strip(), getattr(settings, name))
    return replace(settings, **changes)
