"""BSON's view of JSON values: canonical type, cross-type order, equality and type codes.

Python and BSON disagree on booleans (``True == 1`` in Python, not in BSON), on sub-document
equality (BSON is field-order sensitive) and on ordering across types; everything that compares
query values goes through here.
"""

from __future__ import annotations

import math
from typing import Any

# Canonical type ranks for the types JSON can hold, in BSON comparison order
# (MinKey < Null < Numbers < String < Object < Array < BinData < ObjectId < Boolean < ...).
# EMPTY_ARRAY_RANK is a sort-only rank: an empty array sorts below null.
EMPTY_ARRAY_RANK = 0
NULL_RANK = 1
NUMBER_RANK = 2
STRING_RANK = 3
OBJECT_RANK = 4
ARRAY_RANK = 5
BOOL_RANK = 6

_RANKS: dict[type, int] = {
    type(None): NULL_RANK,
    bool: BOOL_RANK,
    int: NUMBER_RANK,
    float: NUMBER_RANK,
    str: STRING_RANK,
    dict: OBJECT_RANK,
    list: ARRAY_RANK,
}

_INT32 = 2**31
_INT64 = 2**63


def rank(value: Any) -> int:
    """The canonical type rank of a JSON value; anything else sorts with objects."""
    return _RANKS.get(type(value), OBJECT_RANK)


# Closes an array or a document in a sort key; below every value and field token, so a prefix
# sorts first ([1] < [1, 2], {a: 1} < {a: 1, b: 1}).
_END = (-1,)


def _scalar_token(value: Any) -> tuple:
    t = type(value)
    if t is int:
        return (NUMBER_RANK, 1, value)
    if t is float:
        return (NUMBER_RANK, 0, 0) if value != value else (NUMBER_RANK, 1, value)
    if t is str:
        return (STRING_RANK, value)
    if value is None:
        return (NULL_RANK,)
    if t is bool:
        return (BOOL_RANK, value)
    return (OBJECT_RANK, _END)


def sort_key(value: Any) -> tuple:
    """A Python-comparable key giving BSON's total order over JSON values.

    The key is flat, a tuple of tokens written in one pass with an explicit stack: arrays and
    documents open with their rank and close with ``_END``, each document field is a token of
    its value's type rank and its name (BSON compares type, then name, then value). Comparing
    and hashing keys never recurses, however deep the value is nested."""
    t = type(value)
    if t is not list and t is not dict:
        return (_scalar_token(value),)
    tokens: list[tuple] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        t = type(item)
        if t is list:
            tokens.append((ARRAY_RANK,))
            stack.append(_END)
            stack.extend(reversed(item))
        elif t is dict:
            tokens.append((OBJECT_RANK,))
            stack.append(_END)
            for k, v in reversed(item.items()):
                stack.append(v)
                stack.append(_Field(rank(v), k))
        elif item is _END:
            tokens.append(_END)
        elif t is _Field:
            tokens.append((item.rank, item.name))
        else:
            tokens.append(_scalar_token(item))
    return tuple(tokens)


class _Field:
    """A document field's name token waiting on the stack of ``sort_key``."""

    __slots__ = ("rank", "name")

    def __init__(self, rank: int, name: str) -> None:
        self.rank = rank
        self.name = name


def equal(a: Any, b: Any) -> bool:
    """BSON equality: numbers across int/double, booleans apart, documents field-order sensitive.

    Iterative (a stack of pairs still to compare), so deep values cannot exhaust the stack."""
    pairs = [(a, b)]
    while pairs:
        a, b = pairs.pop()
        ta, tb = type(a), type(b)
        if ta is tb:
            if ta is dict:
                if len(a) != len(b) or list(a) != list(b):
                    return False
                pairs.extend(zip(a.values(), b.values()))
            elif ta is list:
                if len(a) != len(b):
                    return False
                pairs.extend(zip(a, b))
            elif ta is float and a != a:
                if b == b:
                    return False
            elif a != b:
                return False
        elif ((ta is int and tb is float) or (ta is float and tb is int)) and a == b:
            continue
        else:
            return False
    return True


def compare_ok(value: Any, op: str, operand: Any) -> bool:
    """``value <op> operand`` under type bracketing: only values of the operand's type compare."""
    if rank(value) != rank(operand):
        return False
    if rank(operand) == NUMBER_RANK:
        if value != value or operand != operand:
            # NaN equals NaN and is below every number, but never satisfies a strict range.
            both = value != value and operand != operand
            return both and op in ("$gte", "$lte")
        a, b = value, operand
    elif type(operand) is str or type(operand) is bool:
        a, b = value, operand
    else:
        a, b = sort_key(value), sort_key(operand)
    if op == "$gt":
        return a > b
    if op == "$gte":
        return a >= b
    if op == "$lt":
        return a < b
    return a <= b


# $type aliases and numeric codes (https://www.mongodb.com/docs/manual/reference/operator/query/type/).
TYPE_ALIASES: dict[str, int] = {
    "double": 1, "string": 2, "object": 3, "array": 4, "binData": 5, "undefined": 6,
    "objectId": 7, "bool": 8, "date": 9, "null": 10, "regex": 11, "dbPointer": 12,
    "javascript": 13, "symbol": 14, "javascriptWithScope": 15, "int": 16, "timestamp": 17,
    "long": 18, "decimal": 19, "minKey": -1, "maxKey": 127,
}
NUMBER_ALIAS = "number"
TYPE_CODES = frozenset(TYPE_ALIASES.values())
# A pseudo-code standing for the "number" alias (int, long, double, decimal; never bool).
NUMBER_CODE = 0


def type_code(value: Any) -> int:
    """The BSON type code of a JSON value as stored by a MongoDB driver."""
    t = type(value)
    if value is None:
        return 10
    if t is bool:
        return 8
    if t is int:
        return 16 if -_INT32 <= value < _INT32 else 18
    if t is float:
        return 1
    if t is str:
        return 2
    if t is list:
        return 4
    return 3


def type_matches(value: Any, codes: frozenset[int]) -> bool:
    code = type_code(value)
    return code in codes or (NUMBER_CODE in codes and code in (1, 16, 18, 19))


def fits_int64(value: float) -> bool:
    return math.isfinite(value) and -_INT64 <= value < _INT64
