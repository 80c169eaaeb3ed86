"""Counts in words: ``1 gig``, ``2 gigs``. Every message that prints a count goes through here."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None, *, grouped: bool = False) -> str:
    """``count`` and the noun that agrees with it; ``many`` for an irregular plural, ``grouped``
    for thousands separators (``10,000 workers``)."""
    number = f"{count:,}" if grouped else str(count)
    return f"{number} {noun if count == 1 else many or noun + 's'}"
