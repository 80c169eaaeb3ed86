"""How an invited worker responds: drawn from the worker's own random stream.

The stream is a stable hash of (seed, gig, worker, attempt), not a shared generator, so a run gives
the same responses whatever order the events are processed in, and after a restart.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

from console.waves import SimSettings

_NORMAL = NormalDist()
_SCALE = float(1 << 53)


def uniforms(*parts: object, count: int = 3) -> list[float]:
    """``count`` uniform numbers in (0, 1) from a stable hash of ``parts``."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8 * count).digest()
    return [
        ((int.from_bytes(digest[8 * i : 8 * i + 8], "big") >> 11) + 0.5) / _SCALE
        for i in range(count)
    ]


@dataclass(frozen=True)
class Response:
    """``delay`` seconds after the invitation the worker accepts (or rejects)."""

    delay: int
    accepts: bool


def draw_response(
    settings: SimSettings,
    seed: int,
    gig_id: str,
    user_id: str,
    attempt: int,
    traits: dict[str, Any] | None,
) -> Response | None:
    """The worker's response to an invitation, or None when they never respond."""
    traits = traits or {}
    u_respond, u_delay, u_accept = uniforms(seed, gig_id, user_id, attempt)
    respond = min(1.0, settings.respond_probability * traits.get("responsiveness", 1.0))
    if u_respond >= respond:
        return None
    median = settings.response_median_hours * 3600 * traits.get("pace", 1.0)
    delay = math.exp(math.log(max(median, 1.0)) + settings.response_sigma * _NORMAL.inv_cdf(u_delay))
    accept = min(1.0, settings.accept_probability * traits.get("eagerness", 1.0))
    return Response(delay=max(1, min(int(delay), 10**9)), accepts=u_accept < accept)
