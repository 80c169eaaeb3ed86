"""Where things are in a query's JSON text: the line and column of a syntax error, and the span of
the key an ``MQLError`` path names, so the editor can mark it.

Positions are 0-based ``(line, column)`` in characters, as Textual's ``TextArea`` counts them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

Location = tuple[int, int]

_WS = re.compile(r"[ \t\n\r]*")
# Python's json also reads NaN and (-)Infinity; they are not JSON, and a query refuses them.
_CONSTANT = re.compile(r"-?Infinity|NaN")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|"
                     + _CONSTANT.pattern)


@dataclass(frozen=True)
class Span:
    start: Location
    end: Location


@dataclass
class _Node:
    """One JSON value with the spans of its object keys (or array elements) and its children."""

    span: tuple[int, int]
    children: list[tuple[str, tuple[int, int], _Node]] = field(default_factory=list)


@dataclass(frozen=True)
class JsonProblem:
    """Broken JSON, with a 1-based line and column as an editor shows them."""

    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


def parse_object(text: str) -> dict[str, Any] | JsonProblem:
    """The JSON object in ``text``, or where and why it is not one."""
    constants: list[str] = []
    try:
        value = json.loads(text, parse_constant=constants.append)
    except json.JSONDecodeError as exc:
        return JsonProblem(exc.lineno, exc.colno, exc.msg)
    except RecursionError:
        return JsonProblem(1, 1, "nested too deeply to be a query")
    if constants:
        return JsonProblem(*_first_constant(text), f"{constants[0]} is not a JSON number")
    if not isinstance(value, dict):
        return JsonProblem(1, 1, f"a query must be a JSON object, not {_json_type(value)}")
    return value


def _first_constant(text: str) -> tuple[int, int]:
    """The 1-based line and column of the first NaN or Infinity in ``text`` (valid to
    ``json.loads``); 1, 1 when the text is nested deeper than the scanner recurses."""
    scanner = _Scanner(text)
    try:
        scanner.value(0)
    except RecursionError:
        return 1, 1
    line, column = _to_location(text, scanner.constants[0])
    return line + 1, column + 1


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return "a number"


class _Scanner:
    """A position-keeping JSON reader for text that ``json.loads`` already accepted."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.constants: list[int] = []  # where each NaN or Infinity starts

    def skip(self, pos: int) -> int:
        return _WS.match(self.text, pos).end()  # type: ignore[union-attr]

    def value(self, pos: int) -> tuple[_Node, int]:
        pos = self.skip(pos)
        char = self.text[pos]
        if char == "{":
            return self._container(pos, "}", keyed=True)
        if char == "[":
            return self._container(pos, "]", keyed=False)
        if char == '"':
            _, end = json.decoder.scanstring(self.text, pos + 1)
            return _Node((pos, end)), end
        match = _SCALAR.match(self.text, pos)
        assert match is not None, "text was validated by json.loads"
        if _CONSTANT.fullmatch(match.group()):
            self.constants.append(pos)
        return _Node((pos, match.end())), match.end()

    def _container(self, start: int, close: str, *, keyed: bool) -> tuple[_Node, int]:
        node = _Node((start, start))
        pos = self.skip(start + 1)
        index = 0
        while self.text[pos] != close:
            if keyed:
                key, key_end = json.decoder.scanstring(self.text, pos + 1)
                key_span = (pos, key_end)
                pos = self.skip(self.skip(key_end) + 1)  # past the colon
                child, pos = self.value(pos)
            else:
                key = str(index)
                child, pos = self.value(pos)
                key_span = child.span
            node.children.append((key, key_span, child))
            index += 1
            pos = self.skip(pos)
            if self.text[pos] == ",":
                pos = self.skip(pos + 1)
        node.span = (start, pos + 1)
        return node, pos + 1


def _to_location(text: str, offset: int) -> Location:
    line = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return line, offset - line_start


def locate_path(text: str, path: str) -> Span | None:
    """The span of the deepest key on ``path`` (an ``MQLError`` path such as ``$or.1.rating.$gt``).

    Keys may themselves hold dots (``"skills.level"``), so a key matches when the path starts with
    it followed by a dot or the end. ``None`` when the text is not valid JSON or nothing matches.
    """
    try:
        json.loads(text)
        root, _ = _Scanner(text).value(0)
    except (json.JSONDecodeError, RecursionError):
        return None
    best = _deepest(root, path)
    if best is None:
        return None
    return Span(_to_location(text, best[0]), _to_location(text, best[1]))


def _deepest(node: _Node, path: str) -> tuple[int, int] | None:
    if not path:
        return None
    # Longest key first (``"a.b"`` before ``"a"``); among duplicates the last, as json.loads keeps it.
    for key, key_span, child in sorted(reversed(node.children), key=lambda c: -len(c[0])):
        if path == key:
            return key_span
        if path.startswith(key + "."):
            return _deepest(child, path[len(key) + 1 :]) or key_span
    return None
