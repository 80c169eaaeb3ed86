"""Validate a filter query and turn it into clauses; every rejection is an MQLError with a path."""

from __future__ import annotations

import math
from typing import Any

from . import bson
from .clauses import ElemMatch, FieldClause, Logical, Node, Regex
from .errors import MQLError, describe, join_path, kind
from .limits import REGEX_TIMEOUT, check_depth
from .paths import Path, parse_path
from .pcre import PatternError, compile_pcre, timed_search

LOGICAL_OPS = ("$and", "$or", "$nor")
COMPARISON_OPS = ("$gt", "$gte", "$lt", "$lte")
FIELD_OPS = (
    "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$not", "$exists", "$type",
    "$regex", "$options", "$mod", "$all", "$elemMatch", "$size",
)
# Real MongoDB operators this engine leaves out, so the message can say so rather than "unknown".
UNSUPPORTED_TOP = ("$expr", "$where", "$text", "$jsonSchema", "$sampleRate", "$alwaysTrue",
                   "$alwaysFalse", "$search", "$vectorSearch")
UNSUPPORTED_FIELD = ("$geoWithin", "$geoIntersects", "$near", "$nearSphere", "$box", "$center",
                     "$centerSphere", "$polygon", "$geometry", "$maxDistance", "$minDistance",
                     "$bitsAllSet", "$bitsAllClear", "$bitsAnySet", "$bitsAnyClear", "$expr",
                     "$where", "$text", "$jsonSchema")
# "u" is accepted by MongoDB as a no-op (patterns are always UTF-8); the others are PCRE flags.
REGEX_OPTIONS = frozenset("imxsu")
_JSON_SCALARS = (type(None), bool, int, float, str)


def parse_query(query: Any, regex_timeout: float = REGEX_TIMEOUT) -> Logical:
    """The clause tree of a filter query; MQLError (with its path) when MongoDB would reject it,
    or when it nests deeper than ``limits.MAX_DEPTH``. A ``$regex`` that runs longer than
    ``regex_timeout`` seconds on one value raises MQLTimeout when the filter runs."""
    check_depth(query)
    return _parse_query(query, "", regex_timeout)


def _parse_query(query: Any, where: str, timeout: float) -> Logical:
    if not isinstance(query, dict):
        raise MQLError(where, f"a query must be a JSON object, not {kind(query)}")
    children: list[Node] = []
    for key, value in query.items():
        here = join_path(where, key)
        if not isinstance(key, str):
            raise MQLError(where, f"field names must be strings, not {kind(key)} {key!r}")
        if key.startswith("$"):
            node = _parse_top_operator(key, value, here, timeout)
            if node is not None:
                children.append(node)
        else:
            children.extend(_parse_field(key, value, here, timeout))
    return Logical("$and", tuple(children), where)


def _parse_top_operator(key: str, value: Any, where: str, timeout: float) -> Node | None:
    if key in LOGICAL_OPS:
        if not isinstance(value, list) or not value:
            raise MQLError(where, f"{key} must be a non-empty array of query objects, not {describe(value)}")
        return Logical(key, tuple(_parse_query(sub, join_path(where, i), timeout) for i, sub in enumerate(value)), where)
    if key == "$comment":
        return None
    if key in UNSUPPORTED_TOP:
        raise MQLError(where, f"{key} is a MongoDB operator that cirro-console does not support")
    raise MQLError(where, f"unknown top-level operator {key}; expected a field name or one of "
                          "$and, $or, $nor, $comment")


def _is_operator_document(value: Any) -> bool:
    # MongoDB decides by the first key: {"$gt": 1, ...} is operators, {"a": 1, "$b": 2} a literal.
    return isinstance(value, dict) and bool(value) and str(next(iter(value))).startswith("$")


def _parse_field(key: str, value: Any, where: str, timeout: float) -> list[FieldClause]:
    path = parse_path(key)
    if _is_operator_document(value):
        return _parse_operators(path, value, where, timeout)
    _check_literal(value, where)
    return [FieldClause(path, "$eq", value, where, value)]


def _parse_operators(path: Path, ops: dict, where: str, timeout: float) -> list[FieldClause]:
    clauses: list[FieldClause] = []
    if "$options" in ops and "$regex" not in ops:
        raise MQLError(join_path(where, "$options"), "$options needs a $regex next to it")
    for op, operand in ops.items():
        here = join_path(where, op)
        if op == "$options":
            continue
        if op == "$regex":
            clauses.append(_parse_regex(path, operand, ops.get("$options", ""), where, timeout))
        else:
            clauses.append(_parse_operator(path, op, operand, here, timeout))
    return clauses


def _parse_operator(path: Path, op: Any, operand: Any, where: str, timeout: float) -> FieldClause:
    if op in ("$eq", "$ne") or op in COMPARISON_OPS:
        _check_literal(operand, where)
        return FieldClause(path, op, operand, where, operand)
    if op in ("$in", "$nin", "$all"):
        return _parse_list_operator(path, op, operand, where, timeout)
    if op == "$exists":
        if not isinstance(operand, (bool, int, float)):
            raise MQLError(where, f"$exists needs true or false, not {describe(operand)}")
        return FieldClause(path, op, bool(operand), where, operand)
    if op == "$type":
        return FieldClause(path, op, _parse_type(operand, where), where, operand)
    if op == "$mod":
        return FieldClause(path, op, _parse_mod(operand, where), where, operand)
    if op == "$size":
        return FieldClause(path, op, _parse_size(operand, where), where, operand)
    if op == "$elemMatch":
        return FieldClause(path, op, _parse_elem_match(path, operand, where, timeout), where, operand)
    if op == "$not":
        if not _is_operator_document(operand):
            raise MQLError(where, f"$not needs an operator document such as {{\"$gt\": 5}} or "
                                  f"{{\"$regex\": \"^a\"}}, not {describe(operand)}")
        return FieldClause(path, op, tuple(_parse_operators(path, operand, where, timeout)), where, operand)
    if op in UNSUPPORTED_FIELD:
        raise MQLError(where, f"{op} is a MongoDB operator that cirro-console does not support")
    raise MQLError(where, f"unknown operator {op}; expected one of {', '.join(FIELD_OPS)}")


def _parse_regex(path: Path, pattern: Any, options: Any, ops_where: str,
                 timeout: float) -> FieldClause:
    """``$regex`` with the ``$options`` beside it, both located inside the operator document."""
    where = join_path(ops_where, "$regex")
    if not isinstance(pattern, str):
        raise MQLError(where, f"$regex needs a pattern string, not {describe(pattern)}")
    if not isinstance(options, str) or set(options) - REGEX_OPTIONS:
        raise MQLError(join_path(ops_where, "$options"),
                       f"invalid regex options {describe(options)}; expected a string of i, m, x, s (or u)")
    try:
        compiled = compile_pcre(pattern, options)
    except PatternError as exc:
        shown = pattern if len(pattern) <= 60 else pattern[:57] + "..."  # patterns reach 32 kB
        raise MQLError(where, f"invalid regular expression {shown!r}: {exc}") from None
    source = {"$regex": pattern, "$options": options} if options else {"$regex": pattern}
    return FieldClause(path, "$regex", Regex(pattern, options, compiled,
                                             timed_search(compiled, timeout, where)), where, source)


def _parse_list_operator(path: Path, op: str, operand: Any, where: str,
                         timeout: float) -> FieldClause:
    if not isinstance(operand, list):
        raise MQLError(where, f"{op} needs an array, not {describe(operand)}")
    if op == "$all" and any(_is_elem_match(item) for item in operand):
        matchers = []
        for i, item in enumerate(operand):
            if not _is_elem_match(item):
                raise MQLError(join_path(where, i), "$all cannot mix $elemMatch clauses with plain values")
            matchers.append(_parse_elem_match(path, item["$elemMatch"], join_path(join_path(where, i), "$elemMatch"), timeout))
        return FieldClause(path, op, tuple(matchers), where, operand)
    for i, item in enumerate(operand):
        if _is_operator_document(item):
            raise MQLError(join_path(where, i), f"{op} takes plain values, not an operator document "
                                                f"({next(iter(item))})")
        _check_literal(item, join_path(where, i))
    return FieldClause(path, op, tuple(operand), where, operand)


def _is_elem_match(item: Any) -> bool:
    return isinstance(item, dict) and len(item) == 1 and "$elemMatch" in item


def _parse_elem_match(path: Path, operand: Any, where: str, timeout: float) -> ElemMatch:
    if not isinstance(operand, dict):
        raise MQLError(where, f"$elemMatch needs an object, not {describe(operand)}")
    if _is_operator_document(operand) and next(iter(operand)) not in LOGICAL_OPS:
        return ElemMatch(None, tuple(_parse_operators(path, operand, where, timeout)))
    return ElemMatch(_parse_query(operand, where, timeout), ())


def _parse_type(operand: Any, where: str) -> frozenset[int]:
    items = operand if isinstance(operand, list) else [operand]
    if not items:
        raise MQLError(where, "$type needs at least one type")
    codes = set()
    for i, item in enumerate(items):
        here = join_path(where, i) if isinstance(operand, list) else where
        if isinstance(item, str):
            if item == bson.NUMBER_ALIAS:
                codes.add(bson.NUMBER_CODE)
            elif item in bson.TYPE_ALIASES:
                codes.add(bson.TYPE_ALIASES[item])
            else:
                raise MQLError(here, f"unknown $type alias {item!r}; expected one of "
                                     f"{', '.join([*bson.TYPE_ALIASES, bson.NUMBER_ALIAS])} or a numeric code")
        elif _is_number(item) and float(item).is_integer() and int(item) in bson.TYPE_CODES:
            codes.add(int(item))
        else:
            raise MQLError(here, f"$type needs a type alias or a BSON type code, not {describe(item)}")
    return frozenset(codes)


def _parse_mod(operand: Any, where: str) -> tuple[int, int]:
    if not isinstance(operand, list) or len(operand) != 2:
        raise MQLError(where, f"$mod needs an array [divisor, remainder], not {describe(operand)}")
    divisor, remainder = operand
    for i, item in enumerate(operand):
        if not _is_number(item) or not bson.fits_int64(float(item)):
            raise MQLError(join_path(where, i), f"$mod needs finite numbers in the 64-bit range, "
                                                f"not {describe(item)}")
    if int(divisor) == 0:
        raise MQLError(join_path(where, 0), "$mod divisor cannot be 0")
    return int(divisor), int(remainder)


def _parse_size(operand: Any, where: str) -> int:
    if not _is_number(operand) or not math.isfinite(operand) or not float(operand).is_integer():
        raise MQLError(where, f"$size needs a whole number, not {describe(operand)}")
    if operand < 0:
        raise MQLError(where, f"$size cannot be negative (got {operand})")
    return int(operand)


def _check_literal(value: Any, where: str) -> None:
    """Reject values JSON cannot hold (a Python re.Pattern, a set, ...): they cannot be stored."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise MQLError(where, f"object keys must be strings, not {kind(key)} {key!r}")
            _check_literal(item, join_path(where, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_literal(item, join_path(where, i))
    elif type(value) not in _JSON_SCALARS:
        raise MQLError(where, f"{kind(value)} is not a JSON value; write regexes as {{\"$regex\": ...}}"
                       if hasattr(value, "pattern") else f"{kind(value)} is not a JSON value")


def _is_number(value: Any) -> bool:
    return type(value) in (int, float)
