"""Pure wave rules: when a gig's waves tick, whether one goes out, how big it is, whom it takes.

No I/O, no clock: every function is given the time and the counts it needs.
"""

from .rules import (
    accepts_invitations,
    candidates_for_wave,
    closed_at,
    expires_pending,
    next_tick_at,
    tick_period,
    wave_due,
    wave_size,
    waves_wanted,
    worker_order_key,
)
from .settings import SETTING_NAMES, SettingError, SimSettings, WaveCounting, parse_settings

__all__ = [
    "SETTING_NAMES", "SettingError", "SimSettings", "WaveCounting", "accepts_invitations",
    "candidates_for_wave", "closed_at", "expires_pending", "next_tick_at", "parse_settings",
    "tick_period", "wave_due", "wave_size", "waves_wanted", "worker_order_key",
]
