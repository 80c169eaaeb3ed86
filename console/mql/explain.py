"""Why a document does or does not match: the clause tree with each clause's verdict and values.

``explain`` evaluates every clause (no short-circuit), so the console can show all the reasons a
worker is not invited, not just the first. Verdicts come from the reference evaluator, the same
rules the compiled filter follows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .clauses import Logical, Node
from .parse import parse_query
from .paths import MISSING, resolve
from .predicates import clause_test

_LOGICAL_LABELS = {"$and": "all of", "$or": "any of", "$nor": "none of"}


@dataclass(frozen=True)
class Explanation:
    """One clause of a query and its verdict on one document.

    ``where`` is the clause's location in the query (as in MQLError.path; "" for the whole
    query). Field clauses carry the field ``path``, the ``operator`` and its ``operand`` as
    written, the ``values`` found at the path (arrays whole) and whether the path is ``missing``
    somewhere. Logical nodes (``$and``/``$or``/``$nor``, and ``$not``) carry ``children``.
    """

    where: str
    operator: str
    passed: bool
    path: str | None = None
    operand: Any = None
    values: tuple[Any, ...] = ()
    missing: bool = False
    children: tuple["Explanation", ...] = ()


def explain(query: Any, doc: dict) -> Explanation:
    """Explain ``query`` (raw, validated here: MQLError if malformed) against ``doc``."""
    return explain_node(parse_query(query), doc)


def explain_node(node: Node, doc: dict) -> Explanation:
    if isinstance(node, Logical):
        if node.op == "$and" and len(node.children) == 1 and node.where:
            # A one-clause branch of $or/$nor: the clause says it all.
            return explain_node(node.children[0], doc)
        children = tuple(explain_node(child, doc) for child in node.children)
        verdicts = [c.passed for c in children]
        passed = all(verdicts) if node.op == "$and" else any(verdicts) if node.op == "$or" else not any(verdicts)
        return Explanation(node.where, node.op, passed, children=children)
    terminals = resolve(doc, node.path)
    found = tuple(v for v, _ in terminals if v is not MISSING)
    missing = any(v is MISSING for v, _ in terminals)
    children: tuple[Explanation, ...] = ()
    if node.op == "$not":
        children = tuple(explain_node(inner, doc) for inner in node.operand)
    return Explanation(node.where, node.op, clause_test(node)(terminals), node.path.dotted,
                       node.source, found, missing, children)


def format_explanation(explanation: Explanation, indent: str = "  ") -> str:
    """Plain text, one clause per line, nested by indentation: for the CLI and logs."""
    lines: list[str] = []
    _format(explanation, 0, indent, lines)
    return "\n".join(lines)


def _format(e: Explanation, depth: int, indent: str, lines: list[str]) -> None:
    mark = "PASS" if e.passed else "FAIL"
    if e.path is None:
        label = _LOGICAL_LABELS[e.operator]
        where = f" ({e.where})" if e.where else " (query)"
        if not e.children:
            label = "empty query, matches everything"
        lines.append(f"{indent * depth}{mark}  {label}{where}")
    else:
        lines.append(f"{indent * depth}{mark}  {e.path} {e.operator} {_json(e.operand)}    found: {_found(e)}")
    for child in e.children:
        _format(child, depth + 1, indent, lines)


def _found(e: Explanation) -> str:
    shown = [_json(v) for v in e.values]
    if e.missing:
        shown.append("(missing)")
    return ", ".join(shown) if shown else "nothing"


def _json(value: Any) -> str:
    try:
        text = json.dumps(value, default=repr, ensure_ascii=False)
    except RecursionError:  # a document value nested nearly as deep as json.loads allows
        return "[...]" if isinstance(value, list) else "{...}"
    return text if len(text) <= 60 else text[:57] + "..."
