"""The one error a malformed query raises, naming where in the query it is wrong."""

from __future__ import annotations

import json
from typing import Any


class MQLError(ValueError):
    """A query MongoDB would reject (or one we do not support), found when it is compiled.

    ``path`` locates the offending key inside the query, dotted, with list positions as numbers:
    ``$or.1.rating.$gt``. It is empty when the query itself (not one of its keys) is wrong.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


class MQLTimeout(MQLError):
    """A clause (a ``$regex``) ran past its time limit on one document; raised when a compiled
    filter runs, not when it is compiled. ``path`` names the clause (``email.$regex``)."""


def join_path(base: str, part: str | int) -> str:
    return f"{base}.{part}" if base else str(part)


def kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
            int: "a number", float: "a number", type(None): "null"}.get(type(value), f"a Python {type(value).__name__}")


def describe(value: Any) -> str:
    """A value's kind and its JSON, cut short: for messages (values are depth-checked first)."""
    try:
        shown = json.dumps(value, default=repr)
    except (ValueError, RecursionError):  # a circular or too deep non-query value
        shown = "..."
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{kind(value)} ({shown})"
