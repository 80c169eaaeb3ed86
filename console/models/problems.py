"""Turn validation failures into messages that name the field path (or the line and column)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (a dotted field path, or ``line:col``) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


_UNION_TAGS = frozenset({"int", "float", "str", "bool", "none"})
# After the first branch of a union has spoken, the others' type complaints add nothing.
_UNION_BRANCH_TYPES = frozenset({"int_type", "int_parsing", "float_type", "float_parsing"})


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _clean(message: str) -> str:
    # pydantic prefixes messages raised by our validators with "Value error, ".
    return message.removeprefix("Value error, ")


def problems_from_validation(exc: ValidationError) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    seen_paths: set[str] = set()
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        # Unions report one error per branch, tagged with the branch's type; keep one per field.
        loc = tuple(p for p in error["loc"] if p not in _UNION_TAGS)
        path = _path(loc)
        if error["type"] == "extra_forbidden":
            message = "is not a field of this object"
        elif error["type"] == "missing":
            message = "is required"
        elif path in seen_paths and error["type"] in _UNION_BRANCH_TYPES:
            continue
        else:
            message = _clean(error["msg"])
        if (path, message) in seen:
            continue
        seen.add((path, message))
        seen_paths.add(path)
        problems.append(Problem(path, message))
    return problems


def problem_from_json(exc: json.JSONDecodeError, source: str = "") -> Problem:
    where = f"{source}:{exc.lineno}:{exc.colno}" if source else f"{exc.lineno}:{exc.colno}"
    return Problem(where, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
