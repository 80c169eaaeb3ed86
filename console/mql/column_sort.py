"""Sort ranks from columns (:mod:`console.mql.columns`): the dense ranks of ``sort.sort_ranks``,
computed with numpy for a path whose every value is a scalar or missing.

BSON's order over such values is: null and missing (tied) < numbers (NaN first) < strings
< booleans. Arrays and documents (``ODD`` rows) sort by rules a flat column does not hold, so a
column with any gets None and the caller ranks document by document.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .columns import BOOL, DOUBLE, INT, MISSING_TAG, NULL, STRING, Column

_INT64_MAX = 2**63 - 1


def column_ranks(column: Column, descending: bool) -> tuple[np.ndarray, int] | None:
    """Each row's dense rank on this column, 0 first in this direction, and how many ranks."""
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
            distinct, inverse = np.unique(values[mask], return_inverse=True)
            groups.append((mask, inverse, len(distinct)))
    if descending:
        groups.reverse()
    ranks = np.zeros(len(tags), np.int64)
    start = 0
    for mask, inverse, count in groups:
        if inverse is not None:
            ranks[mask] = start + (count - 1 - inverse if descending else inverse)
        else:
            ranks[mask] = start
        start += count
    return ranks, start


def fold_column_ranks(columns: Sequence[tuple[np.ndarray, int]], size: int) -> np.ndarray:
    """One distinct int64 per row ordering by the first key's rank, then the next, ..., then
    the row's position (the stable tie-break): ``sort.fold_ranks`` with numpy."""
    scale = size
    for _, count in columns:
        scale *= max(count, 1)
    if scale > _INT64_MAX:  # too many ranks to fold into one integer: place rows by a sort
        order = np.lexsort([ranks for ranks, _ in reversed(columns)]) if columns else np.arange(size)
        place = np.empty(size, np.int64)
        place[order] = np.arange(size)
        return place
    folded = np.arange(size, dtype=np.int64)
    scale = size
    for ranks, count in reversed(columns):
        folded += ranks * scale
        scale *= max(count, 1)
    return folded
