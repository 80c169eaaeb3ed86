"""``+90m``-style times: a duration after a base moment (a gig's start for ``simulate --until``,
the current clock in the gig editor). One parser for every place that takes them."""

from __future__ import annotations

import re

_RELATIVE = re.compile(r"^\+(\d+)([smhd]?)$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
FORMS = "+DURATION (+90s, +10m, +2h, +3d)"


def relative_seconds(text: str) -> int | None:
    """The seconds ``+DURATION`` stands for (``+2h`` is 7200); None when ``text`` is not one."""
    match = _RELATIVE.match(text.strip())
    if match is None:
        return None
    return int(match.group(1)) * _UNITS[match.group(2)]
