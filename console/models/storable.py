"""What can be stored and read back: JSON values the simulation's files and the API hold."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

# MongoDB's own limit for a document's nesting; the API's serializer gives up past ~250.
MAX_DOCUMENT_DEPTH = 100


class DocumentError(ValueError):
    """A JSON value (a worker document, a gig's query or options) that could be saved but
    never read back, or not as it was; the message names the field."""


def _check_text(text: str, where: str) -> None:
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise DocumentError(
                f"{where}: not valid Unicode text (a lone surrogate, "
                f"{ascii(text[exc.start])}, at character {exc.start})") from None


def _walk(document: Any, where: str) -> Iterator[tuple[Any, str, int]]:
    """Every value inside ``document`` with its field path and depth; keys are checked as text
    on the way, since every check wants them encodable."""
    stack: list[tuple[Any, str, int]] = [(document, where, 1)]
    while stack:
        value, path, depth = stack.pop()
        yield value, path, depth
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(str(key), f"{path}: key {ascii(key)}" if path
                            else f"key {ascii(key)}")
                stack.append((item, f"{path}.{key}" if path else str(key), depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}.{i}" if path else str(i), depth + 1)
                         for i, item in enumerate(value))


def check_text(value: Any, where: str = "") -> None:
    """Refuse any string or key inside ``value`` that is not encodable UTF-8 (a lone surrogate,
    which JSON's escapes and a plain ``str`` field let through): the journal cannot write it, and
    a snapshot that did would hold a record no answer can encode. Raises
    :class:`DocumentError` naming the field path."""
    for item, path, _depth in _walk(value, where):
        if isinstance(item, str):
            _check_text(item, path)


def check_document(document: Any, where: str = "document") -> None:
    """Refuse a worker document that would be stored and then fail every read of it: nested
    deeper than :data:`MAX_DOCUMENT_DEPTH` objects and arrays, a key or string that is not
    encodable UTF-8 (JSON's ``"\\udfff"`` escape lets a lone surrogate in), or a number that is
    not finite (JSON has no NaN). Raises :class:`DocumentError` naming the field path."""
    for value, path, depth in _walk(document, where):
        if isinstance(value, str):
            _check_text(value, path)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise DocumentError(f"{path}: {value} is not a JSON number")
        elif isinstance(value, dict | list) and depth > MAX_DOCUMENT_DEPTH:
            raise DocumentError(
                f"{path}: nested deeper than {MAX_DOCUMENT_DEPTH} levels of objects and arrays")
