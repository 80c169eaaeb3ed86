"""A tiny stand-in for console.mql (equality, $in, $gte on top-level fields; one-key sorts), so
the engine's tests do not depend on the MQL engine's completeness."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class FakeMQLError(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


def _condition(field: str, spec: Any) -> Callable[[dict], bool]:
    if isinstance(spec, dict):
        ((op, arg),) = spec.items()
        if op == "$in":
            return lambda d: d.get(field) in arg
        if op == "$gte":
            return lambda d: isinstance(d.get(field), (int, float)) and d[field] >= arg
        raise FakeMQLError(f"{field}.{op}", f"unknown operator {op}")
    return lambda d: d.get(field) == spec


def compile_filter(query: dict[str, Any]) -> Callable[[dict], bool]:
    checks = [_condition(field, spec) for field, spec in query.items()]
    return lambda doc: all(check(doc) for check in checks)


def compile_sort(sort_query: dict[str, Any]) -> Callable[[Iterable[dict]], list[dict]]:
    keys = list(sort_query.items())

    def sorter(docs: Iterable[dict]) -> list[dict]:
        result = list(docs)
        for field, direction in reversed(keys):
            present = [d for d in result if isinstance(d.get(field), (int, float))]
            missing = [d for d in result if not isinstance(d.get(field), (int, float))]
            present.sort(key=lambda d: d[field], reverse=direction == -1)
            # Missing sorts as null: lowest ascending, last descending.
            result = missing + present if direction == 1 else present + missing
        return result

    return sorter
