"""Snippets for the MQL operators people look up most: one clause each, added to a query.

A snippet is a top-level clause with a placeholder field name. Added to a query that parses, it
becomes one more key of the top-level object (under a free name), and the whole query is
reformatted; on broken text it is inserted at the cursor as a fragment for the operator to place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from console.query.diff import format_query
from console.query.locate import locate_path


@dataclass(frozen=True)
class Snippet:
    operator: str
    description: str
    field: str
    condition: Any

    def fragment(self) -> str:
        """The clause as text, ready to paste inside an object."""
        return f"{json.dumps(self.field)}: {json.dumps(self.condition, ensure_ascii=False)}"


SNIPPETS: tuple[Snippet, ...] = (
    Snippet("$in", "field equals one of the values", "country", {"$in": ["DE", "FR"]}),
    Snippet(
        "$elemMatch",
        "one array element meets every condition",
        "skills",
        {"$elemMatch": {"name": "python", "level": {"$gte": 3}}},
    ),
    Snippet("$exists", "field is present (even null)", "email", {"$exists": True}),
    Snippet("$regex", "string field matches a pattern", "city", {"$regex": "^ber", "$options": "i"}),
)


def snippet_for(operator: str) -> Snippet:
    for snippet in SNIPPETS:
        if snippet.operator == operator:
            return snippet
    known = ", ".join(s.operator for s in SNIPPETS)
    raise KeyError(f"no snippet for {operator!r} (known: {known})")


@dataclass(frozen=True)
class Insertion:
    """What adding a snippet does to the editor: new text, and where to put the cursor."""

    text: str
    cursor: tuple[int, int] | None
    merged: bool


def add_snippet(query: dict[str, Any] | None, snippet: Snippet) -> Insertion:
    """Add ``snippet`` as a clause of ``query``; ``query`` is None when the text does not parse."""
    if query is None:
        return Insertion(snippet.fragment(), None, merged=False)
    name = snippet.field
    suffix = 2
    while name in query:
        name = f"{snippet.field}_{suffix}"
        suffix += 1
    text = format_query({**query, name: snippet.condition})
    span = locate_path(text, name)
    return Insertion(text, span.start if span else None, merged=True)
