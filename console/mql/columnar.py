"""A filter query evaluated over columns (:mod:`console.mql.columns`): one numpy pass per clause.

Each field clause is decided for every row whose value on the path is a plain scalar (or missing)
with MongoDB's rules for a single terminal value: comparisons only within the operand's type
bracket, null equal to missing, NaN equal to NaN and outside every strict range. Rows the column
tags ``ODD`` (a document or array on the path) are answered by ``compile_filter`` of that clause,
for those rows only. A query with an operator this module does not decide over scalars
(:func:`supported` is false) is left to ``compile_filter`` entirely by the caller.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any

import numpy as np

from . import bson
from .clauses import FieldClause, Logical, Node
from .columns import BOOL, DOUBLE, EXACT, INT, LONG, MISSING_TAG, NULL, STRING, Column, Columns
from .filter import compile_filter
from .parse import parse_query

Mask = np.ndarray  # bool, one per row
# ODD rows answered per document between two calls of ``between`` (a cancellation point).
ODD_CHUNK = 4096
_SCALAR_OPS = frozenset({"$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists",
                         "$type", "$regex", "$not"})
_TYPE_TAGS = {10: (NULL,), 8: (BOOL,), 16: (INT,), 18: (LONG,), 1: (DOUBLE,), 2: (STRING,),
              bson.NUMBER_CODE: (INT, LONG, DOUBLE)}


def _nothing() -> None:
    return None


def supported(query: Any) -> bool:
    """Whether :func:`evaluate` decides ``query`` over columns (it must be a valid query)."""
    return _supported(parse_query(query))


def _supported(node: Node) -> bool:
    if isinstance(node, Logical):
        return all(_supported(child) for child in node.children)
    return _clause_supported(node)


def _clause_supported(clause: FieldClause) -> bool:
    if clause.op not in _SCALAR_OPS:
        return False
    if clause.op == "$not":
        return all(_clause_supported(inner) for inner in clause.operand)
    operands = clause.operand if clause.op in ("$in", "$nin") else (clause.operand,)
    # Integers float64 would round compare exactly only in Python.
    return not any(type(x) is int and abs(x) >= EXACT for x in operands)


def evaluate(
    query: Any, columns: Columns, between: Callable[[], None] = _nothing,
    within: Mask | None = None,
) -> Mask:
    """Which rows match ``query`` (supported, see :func:`supported`); ``between`` runs between
    clauses (it may raise to stop). With ``within``, only those rows are asked (the others are
    False): an ``$and`` then asks each clause only the rows the ones before it let through,
    clauses without per-document rows first, so the slow per-document fallback runs on fewer."""
    node = parse_query(query)
    if within is None:
        return _node(node, columns, between, None)
    return _node(node, columns, between, within) & within


def _cost(node: Node, columns: Columns, between: Callable[[], None]) -> float:
    """Rows a node answers per document: a clause's ODD rows; a logical node, unknown (last)."""
    if isinstance(node, FieldClause):
        return len(columns.column(node.path, between).odd)
    return math.inf


def _node(node: Node, columns: Columns, between: Callable[[], None], within: Mask | None) -> Mask:
    """The node's answers, right on ``within`` (every row when None), anything elsewhere."""
    if isinstance(node, FieldClause):
        return clause_mask(node, columns, between, within)
    if node.op == "$and":
        out = np.ones(len(columns), bool) if within is None else within.copy()
        children = node.children
        if within is not None:
            children = sorted(children, key=lambda child: _cost(child, columns, between))
        for child in children:
            out &= _node(child, columns, between, None if within is None else out)
        return out
    out = np.zeros(len(columns), bool)
    for child in node.children:
        out |= _node(child, columns, between, within)
    return out if node.op == "$or" else ~out


def clause_query(clause: FieldClause) -> dict[str, Any]:
    """The one-clause filter query a clause came from, for ``compile_filter``."""
    if clause.op == "$regex":
        return {clause.path.dotted: clause.source}
    return {clause.path.dotted: {clause.op: clause.source}}


def clause_mask(
    clause: FieldClause, columns: Columns, between: Callable[[], None] = _nothing,
    within: Mask | None = None,
) -> Mask:
    """One supported clause: vectorised on scalars, per document on ODD rows (of ``within`` only,
    when given: the answers on other rows are then left undefined)."""
    between()
    column = columns.column(clause.path, between)
    mask = _scalar(clause, column)
    odd = column.odd if within is None else column.odd[within[column.odd]]
    if len(odd):
        matches = compile_filter(clause_query(clause))
        documents = columns.documents
        odd = odd.tolist()
        for start in range(0, len(odd), ODD_CHUNK):
            between()
            part = odd[start : start + ODD_CHUNK]
            mask[part] = [matches(documents[i]) for i in part]
    return mask


def _scalar(clause: FieldClause, column: Column) -> Mask:
    op, x = clause.op, clause.operand
    if op == "$eq":
        return _eq(column, x)
    if op == "$ne":
        return ~_eq(column, x)
    if op in ("$in", "$nin"):
        mask = np.zeros(len(column.tags), bool)
        for option in x:
            mask |= _eq(column, option)
        return mask if op == "$in" else ~mask
    if op in ("$gt", "$gte", "$lt", "$lte"):
        return _compare(column, op, x)
    if op == "$exists":
        return (column.tags != MISSING_TAG) if x else (column.tags == MISSING_TAG)
    if op == "$type":
        tags = [tag for code in x for tag in _TYPE_TAGS.get(code, ())]
        return np.isin(column.tags, tags)
    if op == "$regex":
        # The time-limited search: a pattern that backtracks exponentially raises MQLTimeout here
        # as it does in compile_filter, instead of holding the thread for minutes.
        hits = np.array([x.search(s) for s in column.strings] or [False])
        is_string = column.tags == STRING
        return is_string & hits[np.where(is_string, column.values, 0).astype(np.intp)]
    if op == "$not":
        mask = np.ones(len(column.tags), bool)
        for inner in x:
            mask &= _scalar(inner, column)
        return ~mask
    raise AssertionError(f"unsupported clause {op} reached the columnar evaluator")


def _eq(column: Column, x: Any) -> Mask:
    tags, values = column.tags, column.values
    t = type(x)
    if x is None:
        return (tags == NULL) | (tags == MISSING_TAG)
    if t is bool:
        return (tags == BOOL) & (values == float(x))
    if t is int or t is float:
        if math.isnan(x):
            return column.is_number & np.isnan(values)
        return column.is_number & (values == x)
    if t is str:
        code = column.string_code(x)
        if code is None:
            return np.zeros(len(tags), bool)
        return (tags == STRING) & (values == code)
    # A document or array equals no scalar.
    return np.zeros(len(tags), bool)


_NUMPY_OPS = {"$gt": np.greater, "$gte": np.greater_equal, "$lt": np.less, "$lte": np.less_equal}


def _compare(column: Column, op: str, x: Any) -> Mask:
    tags, values = column.tags, column.values
    t = type(x)
    if x is None:
        # Null is its own bracket: $gte/$lte null are null equality; $gt/$lt null match nothing.
        return _eq(column, None) if op in ("$gte", "$lte") else np.zeros(len(tags), bool)
    if t is int or t is float:
        if math.isnan(x):
            if op in ("$gte", "$lte"):
                return column.is_number & np.isnan(values)
            return np.zeros(len(tags), bool)
        # A NaN value compares false with numpy as with BSON.
        return column.is_number & _NUMPY_OPS[op](values, x)
    if t is bool:
        return (tags == BOOL) & _NUMPY_OPS[op](values, float(x))
    if t is str:
        # Codes follow string order: compare with where x would sit among the distinct strings.
        if op in ("$gt", "$lte"):
            bound = bisect_right(column.strings, x)
        else:
            bound = bisect_left(column.strings, x)
        within = values >= bound if op in ("$gt", "$gte") else values < bound
        return (tags == STRING) & within
    # A document or array operand compares only with documents or arrays (ODD rows).
    return np.zeros(len(tags), bool)

