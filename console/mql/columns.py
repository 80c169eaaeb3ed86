"""A population as columns made for scanning: per dotted path, a type tag and a number per worker.

A filter over a million documents in Python costs a second; the same test over a numpy array
costs milliseconds. Each path is read once, the first time a query uses it, straight from the
documents (no copy of them is kept). A value is tagged with its BSON type (MongoDB compares only
within a type bracket, so the tag decides before the value does) and stored as one float64:
the number itself, 0/1 for a boolean, or for a string its index into the path's sorted distinct
strings (so string order is code order). What a flat column cannot hold, a document or array on
the path or an integer a float64 would round, is tagged ``ODD``: callers answer those rows with
the per-document evaluator.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import count
from operator import methodcaller
from typing import Any

import numpy as np

from .paths import MISSING, Path

# Type tags (int8). INT is a 32-bit integer, LONG a wider one ($type tells them apart).
MISSING_TAG, NULL, INT, LONG, DOUBLE, STRING, BOOL, ODD = range(8)
_TAG_OF_TYPE: dict[type, int] = {
    type(MISSING): MISSING_TAG, type(None): NULL, int: INT, float: DOUBLE, str: STRING, bool: BOOL,
}
# Integers of this size or more may not survive float64 exactly: their rows are ODD.
EXACT = 2.0**53
_INT32 = 2.0**31
CHUNK = 65_536


@dataclass(frozen=True)
class Column:
    """One path's values: ``tags`` and ``values`` per worker, ``strings`` sorted and distinct."""

    tags: np.ndarray
    values: np.ndarray
    strings: tuple[str, ...]
    odd: np.ndarray = field(repr=False)  # positions tagged ODD, ascending
    # What users of the column derive from it once (sort ranks), by name.
    kept: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # The ascending sort ranks and their count as a columnar file holds them (any unsigned
    # dtype, see console.mql.column_sort), or None: computed when first asked.
    stored_ranks: tuple[np.ndarray, int] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def is_number(self) -> np.ndarray:
        """Rows in the number bracket (kept: most numeric clauses need it)."""
        return (self.tags >= INT) & (self.tags <= DOUBLE)

    def string_code(self, text: str) -> int | None:
        """The code ``text`` has in this column, None if no worker has it."""
        i = bisect_left(self.strings, text)
        return i if i < len(self.strings) and self.strings[i] == text else None


def _walker(parts: tuple[str, ...]):
    """Reads one path of a document as ``paths.resolve`` would for a walk through documents only;
    an array met on the way is returned as is (its row becomes ODD)."""
    if len(parts) == 1:
        return methodcaller("get", parts[0], MISSING)

    def walk(doc: dict) -> Any:
        value: Any = doc
        for part in parts:
            if value.__class__ is dict:
                value = value.get(part, MISSING)
            elif value.__class__ is list:
                return value
            else:  # stepping into a scalar or a missing field: nothing there
                return MISSING
        return value

    return walk


def _nothing() -> None:
    return None


def build_column(
    documents: Sequence[dict], path: Path, between: Callable[[], None] = _nothing
) -> Column:
    """The column of ``path`` over ``documents``. Per-value work runs in C-level maps; the
    Python-level work is per distinct string. Documents are read in chunks with ``between``
    before each (it may raise to stop): one C-level map over a million holds the GIL ~0.5 s."""
    walk = _walker(path.parts)
    raw: list[Any] = []
    for start in range(0, len(documents), CHUNK):
        between()
        raw.extend(map(walk, documents[start : start + CHUNK]))
    size = len(raw)
    tags = np.fromiter(map(_TAG_OF_TYPE.get, map(type, raw), [ODD] * size), np.int8, size)
    values = np.zeros(size, np.float64)
    objects = np.fromiter(raw, object, size)  # fromiter never reads a list as a row
    numeric = (tags == INT) | (tags == DOUBLE) | (tags == BOOL)
    try:
        values[numeric] = objects[numeric].astype(np.float64)
    except OverflowError:  # an integer beyond float64's range: convert one by one
        for i in np.flatnonzero(numeric):
            try:
                values[i] = float(raw[i])
            except OverflowError:
                tags[i] = ODD
    ints = tags == INT
    tags[ints & (np.abs(values) >= EXACT)] = ODD
    tags[(tags == INT) & ((values < -_INT32) | (values >= _INT32))] = LONG
    is_string = tags == STRING
    strings: tuple[str, ...] = ()
    if is_string.any():
        texts = objects[is_string].tolist()
        # One hashing pass over the texts: each one's first-seen number; the few distinct
        # texts are then sorted, and each row's code found from its first-seen number.
        first_seen: dict[str, int] = {}
        seen = np.fromiter(map(first_seen.setdefault, texts, count()), np.int64, len(texts))
        strings = tuple(sorted(first_seen))
        code = {text: i for i, text in enumerate(strings)}
        firsts = np.fromiter(first_seen.values(), np.int64, len(first_seen))  # ascending
        codes = np.fromiter(map(code.__getitem__, first_seen), np.float64, len(first_seen))
        values[is_string] = codes[np.searchsorted(firsts, seen)]
    values[tags == ODD] = 0.0
    return Column(tags, values, strings, np.flatnonzero(tags == ODD))


class Columns:
    """The columns of one population (documents in a fixed order), built on first use, or
    given already built (``built``, by dotted path: read from a columnar file)."""

    def __init__(self, documents: Sequence[dict], built: dict[str, Column] | None = None) -> None:
        self.documents = documents
        self._columns: dict[str, Column] = dict(built or {})
        # One builder at a time: a reader asking for a column being built (the query view while
        # a loading thread prepares it) waits for it instead of building it a second time.
        self._building = threading.Lock()

    def __len__(self) -> int:
        return len(self.documents)

    def built(self, dotted: str) -> bool:
        return dotted in self._columns

    def column(self, path: Path, between: Callable[[], None] = _nothing) -> Column:
        column = self._columns.get(path.dotted)
        if column is None:
            with self._building:
                column = self._columns.get(path.dotted)
                if column is None:
                    column = self._columns[path.dotted] = build_column(self.documents, path,
                                                                       between)
        return column
