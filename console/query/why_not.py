""""Why not?": a worker's verdict against the filter, clause by clause, with the values found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.mql import Explanation, MQLTimeout, explain, format_explanation
from console.plural import plural


@dataclass(frozen=True)
class WhyNot:
    worker_id: str
    headline: str
    # One line per clause, nested by indentation, each starting with PASS or FAIL.
    lines: tuple[str, ...]


def _failing(explanation: Explanation) -> int:
    if explanation.passed:
        return 0
    if not explanation.children or explanation.path is not None:
        return 1
    return sum(_failing(child) for child in explanation.children) or 1


def why_not(
    filter_query: dict[str, Any], worker_id: str, document: dict[str, Any] | None, invited: bool
) -> WhyNot:
    """Explain ``filter_query`` on the worker's document (None: no such worker)."""
    if document is None:
        return WhyNot(worker_id, f"No worker {worker_id!r} in the preview population.", ())
    try:
        explanation = explain(filter_query, document)
    except MQLTimeout as exc:
        return WhyNot(worker_id, f"Cannot explain worker {worker_id}: {exc}", ())
    if explanation.passed:
        state = "already invited" if invited else "not invited yet: a later wave may take them"
        headline = f"Worker {worker_id} matches the filter ({state})."
    else:
        count = _failing(explanation)
        headline = f"Worker {worker_id} does not match: {plural(count, 'failing clause')}."
    return WhyNot(worker_id, headline, tuple(format_explanation(explanation).splitlines()))
