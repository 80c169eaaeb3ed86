"""The validated form of a filter query: a tree of logical nodes and field clauses.

Parsing (``parse.py``) produces it, the evaluators (``predicates.py``, ``codegen.py``) and
``explain.py`` consume it. Operands are already checked and prepared (regexes compiled, $type
aliases turned into codes, $mod truncated), so evaluation has nothing left to reject.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Union

from .paths import Path


@dataclass(frozen=True)
class Logical:
    """``$and``/``$or``/``$nor``; a query document is the ``$and`` of its keys."""

    op: str
    children: tuple["Node", ...]
    where: str


@dataclass(frozen=True)
class FieldClause:
    """One operator applied to the values at one path (``rating: {$gt: 4}`` is one clause)."""

    path: Path
    op: str
    operand: Any
    where: str
    source: Any  # the operand as written, for explanations


@dataclass(frozen=True)
class ElemMatch:
    """``$elemMatch`` conditions: a query on document elements, or operators on each element."""

    query: "Logical | None"
    value_clauses: tuple[FieldClause, ...]


@dataclass(frozen=True)
class Regex:
    pattern: str
    options: str
    compiled: Any  # a ``regex.Pattern``
    search: Callable[[str], bool]  # a time-limited search (``pcre.timed_search``)


Node = Union[Logical, FieldClause]
