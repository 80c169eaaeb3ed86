"""Compile a clause tree into one specialised Python function (semantics unchanged, speed ~lambda).

The generated source is a single expression over the document ``d``. User values never appear in
it: every key, literal, pattern and helper is a name bound in the function's namespace (``C0``,
``C1``, ...). A clause on a top-level field reads ``d.get(key, MISSING)`` once and, when the value
found is a plain scalar, decides with one or two Python comparisons; any other shape (a list, or a
type where Python and BSON disagree) goes to the reference evaluator in ``predicates.py``, so the
fast paths never change an answer. Dotted paths always take the reference resolver.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import groupby
from typing import Any

from .clauses import FieldClause, Logical, Node
from .paths import MISSING, resolve
from .predicates import clause_test, eq_test, in_test

_EMPTY: dict = {}


def any_element(arr: list, doc_ok: Callable[[dict], bool]) -> bool:
    for e in arr:
        if doc_ok(e if type(e) is dict else _EMPTY):
            return True
    return False


def _is_plain_number(x: Any) -> bool:
    return type(x) in (int, float) and math.isfinite(x)


class _Generator:
    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {"_M": MISSING, "_resolve": resolve, "_any_element": any_element}
        self._vars = 0

    def const(self, value: Any) -> str:
        name = f"C{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def var(self) -> str:
        self._vars += 1
        return f"v{self._vars}"

    def function(self, node: Logical) -> Callable[[dict], bool]:
        source = f"def _filter(d):\n    return {self.node(node)}\n"
        exec(compile(source, "<mql filter>", "exec"), self.namespace)
        function = self.namespace["_filter"]
        function.__mql_source__ = source  # for debugging and tests
        return function

    def node(self, node: Node) -> str:
        if isinstance(node, FieldClause):
            return self.group([node])
        parts = [self.group(list(g)) for _, g in groupby(
            node.children, key=lambda c: c.path.dotted if isinstance(c, FieldClause) else id(c))]
        if node.op == "$and":
            return "(" + " and ".join(parts) + ")" if parts else "True"
        joined = "(" + " or ".join(parts) + ")"
        return joined if node.op == "$or" else f"(not {joined})"

    def group(self, nodes: list) -> str:
        """Clauses on one path share one lookup; the first clause evaluated binds it."""
        first = nodes[0]
        if isinstance(first, Logical):
            return self.node(first)
        var = self.var()
        if len(first.path.parts) == 1:
            bind = f"({var} := d.get({self.const(first.path.parts[0])}, _M))"
            exprs = [self.top_level(c) for c in nodes]
        else:
            bind = f"({var} := _resolve(d, {self.const(first.path)}))"
            exprs = [f"{self.const(clause_test(c))}({{v}})" for c in nodes]
        exprs = [e.replace("{v}", var) for e in exprs]
        exprs[0] = exprs[0].replace(var, bind, 1)
        return "(" + " and ".join(exprs) + ")" if len(exprs) > 1 else exprs[0]

    def top_level(self, clause: FieldClause) -> str:
        """An expression over ``{v}`` (the value of a top-level field, or _M); ``{v}`` comes first."""
        op, x = clause.op, clause.operand
        general = f"{self.const(clause_test(clause))}((({{v}}, True),))"
        if op in ("$eq", "$ne"):
            fast = self._eq_scalar(x)
            if fast is None:
                return general
            positive = f"{self.const(eq_test(x))}((({{v}}, True),))"
            expr = f"({fast} or ({{v}}.__class__ is list and {positive}))"
            return expr if op == "$eq" else f"(not {expr})"
        if op in ("$in", "$nin") and x and all(type(i) is str for i in x):
            strings = self.const(frozenset(x))
            positive = f"{self.const(in_test(x))}((({{v}}, True),))"
            expr = f"(({{v}}.__class__ is str and {{v}} in {strings}) or ({{v}}.__class__ is not str and {positive}))"
            return expr if op == "$in" else f"(not {expr})"
        if op in ("$gt", "$gte", "$lt", "$lte"):
            symbol = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}[op]
            if _is_plain_number(x):
                check = "({v}.__class__ is int or {v}.__class__ is float)"
            elif type(x) is str:
                check = "{v}.__class__ is str"
            else:
                return general
            return f"(({check} and {{v}} {symbol} {self.const(x)}) or ({{v}}.__class__ is list and {general}))"
        if op == "$exists":
            return "({v} is not _M)" if x else "({v} is _M)"
        if op == "$size":
            return f"({{v}}.__class__ is list and len({{v}}) == {self.const(x)})"
        if op == "$regex":
            search = self.const(x.compiled.search)
            return f"(({{v}}.__class__ is str and {search}({{v}}) is not None) or ({{v}}.__class__ is list and {general}))"
        if op == "$elemMatch" and x.query is not None:
            sub = self.const(_Generator().function(x.query))
            return f"({{v}}.__class__ is list and _any_element({{v}}, {sub}))"
        return general

    def _eq_scalar(self, x: Any) -> str | None:
        """Equality with ``x`` for a value that is not a list, or None if only the general path knows.

        Each form is false for a list, so the caller can add the list case with ``or``.
        """
        if type(x) is str:
            return f"{{v}} == {self.const(x)}"
        if _is_plain_number(x):
            return f"({{v}} == {self.const(x)} and {{v}}.__class__ is not bool)"
        if type(x) is bool:
            return f"{{v}} is {self.const(x)}"
        if x is None:
            return "{v} is None or {v} is _M"
        return None


def generate(query: Logical) -> Callable[[dict], bool]:
    return _Generator().function(query)
