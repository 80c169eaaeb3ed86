"""Sort ranks from columns (:mod:`console.mql.columns`): the dense ranks of ``sort.sort_ranks``,
computed with numpy for a path whose every value is a scalar or missing.

BSON's order over such values is: null and missing (tied) < numbers (NaN first) < strings
< booleans. Arrays and documents (``ODD`` rows) sort by rules a flat column does not hold, so a
column with any gets None and the caller ranks document by document.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from .columns import BOOL, DOUBLE, INT, MISSING_TAG, NULL, STRING, Column

_INT64_MAX = 2**63 - 1


def column_ranks(column: Column, descending: bool) -> tuple[np.ndarray, int] | None:
    """Each row's dense rank on this column, 0 first in this direction, and how many ranks.

    Over scalars, descending order is ascending order reversed (no array picks its min or max
    element), so only ascending ranks are computed, once per column."""
    ascending = ascending_ranks(column)
    if ascending is None:
        return None
    ranks, count = ascending
    return (count - 1 - ranks, count) if descending else ascending


def ranks_at_hand(column: Column) -> bool:
    """Whether the column's sort ranks exist and cost nothing more to get (read from a columnar
    file, or computed before)."""
    kept = column.kept.get("ascending ranks")
    return column.stored_ranks is not None if kept is None else kept[0] is not None


def ascending_ranks(column: Column) -> tuple[np.ndarray, int] | None:
    """Each row's dense ascending rank (int64) and how many ranks; None over arrays and
    documents (``ODD`` rows). Once per column: a thread asking while another computes them (the
    query view's first preview, while the console prepares the gigs' sorts) waits for those."""
    kept = column.kept.get("ascending ranks")
    if kept is None:
        with column.kept.setdefault("ranking", threading.Lock()):  # setdefault: atomic
            kept = column.kept.get("ascending ranks")
            if kept is None:
                stored = column.stored_ranks
                ranked = _rank(column) if stored is None else (
                    stored[0].astype(np.int64), stored[1])
                kept = column.kept["ascending ranks"] = (ranked,)
    return kept[0]


def _rank(column: Column) -> tuple[np.ndarray, int] | None:
    if len(column.odd):
        return None
    tags, values = column.tags, column.values
    number = (tags >= INT) & (tags <= DOUBLE)
    nan = number & np.isnan(values)
    # Groups in ascending BSON order: a mask and each member's dense rank within the group.
    groups: list[tuple[np.ndarray, np.ndarray | None, int]] = []
    for mask in ((tags == MISSING_TAG) | (tags == NULL), nan):
        if mask.any():
            groups.append((mask, None, 1))
    for mask in (number & ~nan, tags == STRING, tags == BOOL):
        if mask.any():
            members = values[mask]
            # unique without return_inverse, then searchsorted: no stable argsort of every row.
            distinct = np.unique(members)
            groups.append((mask, np.searchsorted(distinct, members), len(distinct)))
    ranks = np.zeros(len(tags), np.int64)
    start = 0
    for mask, inverse, count in groups:
        if inverse is not None:
            ranks[mask] = start + inverse
        else:
            ranks[mask] = start
        start += count
    return ranks, start


def fold_column_ranks(
    columns: Sequence[tuple[np.ndarray, int]], size: int, rows: np.ndarray | None = None
) -> np.ndarray:
    """One distinct int64 per row ordering by the first key's rank, then the next, ..., then
    the row's position (the stable tie-break): ``sort.fold_ranks`` with numpy. With ``rows``
    (positions), only those rows' integers, in that order: a preview's candidates."""
    scale = size
    for _, count in columns:
        scale *= max(count, 1)
    if scale > _INT64_MAX:  # too many ranks to fold into one integer: place rows by a sort
        order = np.lexsort([ranks for ranks, _ in reversed(columns)]) if columns else np.arange(size)
        place = np.empty(size, np.int64)
        place[order] = np.arange(size)
        return place if rows is None else place[rows]
    folded = np.arange(size, dtype=np.int64) if rows is None else rows.astype(np.int64)
    scale = size
    for ranks, count in reversed(columns):
        folded += (ranks if rows is None else ranks[rows]) * scale
        scale *= max(count, 1)
    return folded
