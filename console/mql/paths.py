"""Dotted-path resolution as MongoDB does it (semantics §1.1).

``resolve`` returns the *terminals* a path reaches in a document: ``(value, expand)`` pairs,
with ``MISSING`` where a document lacks the key. ``expand`` is true when the value was reached by
name, so an array there is tried whole and element by element; an array reached by an explicit
index is tried whole only. Non-document array elements on a longer path contribute nothing, and
an index past the end contributes nothing (it is not "missing").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
MISSING_TERM: tuple[Any, bool] = (MISSING, False)
Terminal = tuple[Any, bool]


@dataclass(frozen=True)
class Path:
    """A parsed dotted path: its parts, and each part's array index (or -1 if not one)."""

    dotted: str
    parts: tuple[str, ...]
    indexes: tuple[int, ...]


def parse_path(dotted: str) -> Path:
    parts = tuple(dotted.split("."))
    # Only canonical ASCII digits address array positions ("01" is an ordinary key); no array
    # has 10**18 elements, and int() refuses strings of thousands of digits.
    indexes = tuple(
        int(p) if len(p) <= 18 and p.isascii() and p.isdigit() and str(int(p)) == p else -1
        for p in parts
    )
    return Path(dotted, parts, indexes)


def resolve(doc: dict, path: Path) -> list[Terminal]:
    out: list[Terminal] = []
    _from_doc(doc, path, 0, out)
    return out


def _from_doc(doc: dict, path: Path, i: int, out: list[Terminal]) -> None:
    parts = path.parts
    last = len(parts) - 1
    while True:
        value = doc.get(parts[i], MISSING)
        if value is MISSING:
            out.append(MISSING_TERM)
            return
        if i == last:
            out.append((value, True))
            return
        i += 1
        t = type(value)
        if t is dict:
            doc = value
        elif t is list:
            _from_array(value, path, i, out)
            return
        else:
            # Stepping into a scalar: the rest of the path does not exist.
            out.append(MISSING_TERM)
            return


def _from_array(arr: list, path: Path, i: int, out: list[Terminal]) -> None:
    index = path.indexes[i]
    last = i == len(path.parts) - 1
    for position, element in enumerate(arr):
        t = type(element)
        if t is dict:
            _from_doc(element, path, i, out)
        if position == index:
            if last:
                out.append((element, False))
            elif t is dict:
                _from_doc(element, path, i + 1, out)
            elif t is list:
                _from_array(element, path, i + 1, out)


def values(terminals: list[Terminal]) -> Iterator[Any]:
    """Every candidate value, leaf arrays reached by name expanded one level; MISSING skipped."""
    for value, expand in terminals:
        if value is MISSING:
            continue
        yield value
        if expand and type(value) is list:
            yield from value


def get_path_values(doc: dict, dotted: str) -> list[Any]:
    """The values a dotted path reaches in ``doc`` (arrays whole, not expanded; no MISSING)."""
    return [value for value, _ in resolve(doc, parse_path(dotted)) if value is not MISSING]
