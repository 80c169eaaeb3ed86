"""Compile a clause tree into one specialised Python function (semantics unchanged, speed ~lambda).

User values never appear in the generated source: every key, literal, pattern and helper is a
name bound in the function's namespace (``C0``, ``C1``, ...), so a query cannot inject code.

Every clause reduces to *positive atomic tests* ("some value at the path satisfies X"), because a
negation is the complement of one ($ne of $eq, $nin of $in, $exists false of $exists true, $not of
the AND of its clauses) and $all is the AND of several. A positive test decomposes over the
terminals a path reaches, so it is generated as:
- a template over one terminal value ``{v}`` (or ``_M`` when the field is missing) that decides
  plain scalars with one or two Python comparisons and hands every other shape (lists, documents,
  types where Python and BSON disagree) to the reference evaluator in ``predicates.py``;
- for a top-level field, that template applied to ``d.get(key, _M)``, read once per field;
- for a dotted path without array indexes, a generated walker function that steps through
  sub-documents and arrays of documents exactly as ``paths.resolve`` does and applies the
  template to each terminal, stopping at the first success.
Paths with numeric parts (array indexes) use ``paths.resolve`` and the reference evaluator.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from itertools import groupby
from typing import Any

from .clauses import ElemMatch, FieldClause, Logical, Node
from .paths import MISSING, resolve
from .predicates import clause_test, element_document, element_test, node_test

_NEGATED = {"$ne": "$eq", "$nin": "$in"}
_SYMBOLS = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}
# Longer index-free paths fall back to the resolver (walker code doubles with each level).
_MAX_WALK_DEPTH = 4
# Logical nodes nested deeper, or with more children, are evaluated by ``predicates.node_test``.
_MAX_INLINE_DEPTH = 12
_MAX_INLINE_CHILDREN = 64


def any_value(arr: list, value_ok: Callable[[Any], bool]) -> bool:
    for e in arr:
        if value_ok(e):
            return True
    return False


def any_str_in(arr: list, strings: frozenset[str]) -> bool:
    try:
        return not strings.isdisjoint(arr)
    except TypeError:  # unhashable elements (documents, arrays) never equal a string
        return any(e.__class__ is str and e in strings for e in arr)


def _equalities_as_in(children: tuple[Node, ...]) -> tuple[Node, ...]:
    """``$or``/``$nor`` branches that are one equality each, on one path, folded into one $in
    (an $in is the OR of its equalities, semantics §1.4): a 10,000-branch $or of values becomes a
    hash look-up. Other branches keep their place."""
    by_path: dict[str, list[FieldClause]] = {}
    for child in children:
        clause = _single_equality(child)
        if clause is not None:
            by_path.setdefault(clause.path.dotted, []).append(clause)
    folded: list[Node] = []
    done: set[str] = set()
    for child in children:
        clause = _single_equality(child)
        if clause is None or len(by_path[clause.path.dotted]) == 1:
            folded.append(child)
        elif clause.path.dotted not in done:
            done.add(clause.path.dotted)
            same = by_path[clause.path.dotted]
            operands = tuple(c.operand for c in same)
            folded.append(replace(clause, op="$in", operand=operands, source=list(operands)))
    return tuple(folded)


def _single_equality(node: Node) -> FieldClause | None:
    if isinstance(node, Logical) and node.op == "$and" and len(node.children) == 1:
        node = node.children[0]
    if isinstance(node, FieldClause) and node.op == "$eq":
        return node
    return None


def _indent(source: str) -> str:
    return "".join(f"    {line}\n" if line else "\n" for line in source.splitlines())


def _is_plain_number(x: Any) -> bool:
    return type(x) in (int, float) and math.isfinite(x)


class _Generator:
    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {
            "_M": MISSING, "_resolve": resolve,
            "_any_value": any_value, "_any_str_in": any_str_in, "_element_document": element_document,
        }
        self.functions: list[str] = []
        self._vars = 0
        self._depth = 0  # logical nodes and $not being inlined around the current one

    def const(self, value: Any) -> str:
        name = f"C{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def var(self) -> str:
        self._vars += 1
        return f"v{self._vars}"

    def function(self, node: Logical) -> Callable[[dict], bool]:
        body = self.node(node)
        functions = "".join(self.functions)
        # Constants and helpers become closure cells of a factory: faster to read than globals.
        names = ", ".join(self.namespace)
        source = f"def _factory({names}):\n{_indent(functions)}    def _filter(d):\n        return {body}\n    return _filter\n"
        scope: dict[str, Any] = {}
        exec(compile(source, "<mql filter>", "exec"), scope)
        function = scope["_factory"](**self.namespace)
        function.__mql_source__ = source  # for debugging and tests
        return function

    # -- logical structure ------------------------------------------------------------------

    def node(self, node: Node) -> str:
        if isinstance(node, FieldClause):
            return self.group([node])
        children = node.children if node.op == "$and" else _equalities_as_in(node.children)
        if self._depth >= _MAX_INLINE_DEPTH or len(children) > _MAX_INLINE_CHILDREN:
            # Deep or wide trees would overflow Python's parser, or take seconds to compile:
            # the reference evaluator is built in linear time and needs no parentheses.
            return f"{self.const(node_test(replace(node, children=children)))}(d)"
        self._depth += 1
        key = lambda c: c.path.dotted if isinstance(c, FieldClause) else id(c)  # noqa: E731
        parts = [self.group(list(g)) for _, g in groupby(children, key=key)]
        self._depth -= 1
        if node.op == "$and":
            return "(" + " and ".join(parts) + ")" if parts else "True"
        joined = "(" + " or ".join(parts) + ")"
        return joined if node.op == "$or" else f"(not {joined})"

    def group(self, nodes: list) -> str:
        """Clauses on one path; on a top-level field they share one lookup."""
        first = nodes[0]
        if isinstance(first, Logical):
            return self.node(first)
        path = first.path
        if len(path.parts) == 1:
            var = self.var()
            exprs = [self.clause(c, var) for c in nodes]
            # Every clause expression evaluates its value first, so the first one binds it.
            exprs[0] = exprs[0].replace(var, f"({var} := d.get({self.const(path.parts[0])}, _M))", 1)
        elif all(i < 0 for i in path.indexes) and len(path.parts) <= _MAX_WALK_DEPTH:
            exprs = [self.clause(c, None) for c in nodes]
        else:
            var = self.var()
            exprs = [f"{self.const(clause_test(c))}({var})" for c in nodes]
            exprs[0] = exprs[0].replace(var, f"({var} := _resolve(d, {self.const(path)}))", 1)
        return "(" + " and ".join(exprs) + ")" if len(exprs) > 1 else exprs[0]

    def clause(self, clause: FieldClause, var: str | None) -> str:
        """A clause as an expression: over ``var`` (a top-level value) or a walker of ``d``."""
        op, x = clause.op, clause.operand
        if op in _NEGATED:
            return f"(not {self.positive(replace(clause, op=_NEGATED[op]), var)})"
        if op == "$exists" and not x:
            return f"(not {self.positive(replace(clause, operand=True), var)})"
        if op == "$not":
            if self._depth >= _MAX_INLINE_DEPTH:
                return self.reference(clause, var)
            self._depth += 1
            inner = " and ".join(self.clause(c, var) for c in x)
            self._depth -= 1
            return f"(not ({inner}))"
        if op == "$all":
            if not x:
                # Matches nothing; over a shared value it must still read it first (see group).
                return "False" if var is None else f"({var} is not {var})"
            if len(x) > _MAX_INLINE_CHILDREN:
                return self.reference(clause, var)
            if isinstance(x[0], ElemMatch):
                items = [replace(clause, op="$elemMatch", operand=em) for em in x]
            else:
                items = [replace(clause, op="$eq", operand=value) for value in x]
            return "(" + " and ".join(self.positive(c, var) for c in items) + ")"
        return self.positive(clause, var)

    def reference(self, clause: FieldClause, var: str | None) -> str:
        """The reference evaluator's test of a whole clause, over ``var`` or the path's terminals."""
        test = self.const(clause_test(clause))
        if var is not None:
            return f"{test}((({var}, True),))"
        return f"{test}(_resolve(d, {self.const(clause.path)}))"

    def positive(self, clause: FieldClause, var: str | None) -> str:
        template = self.template(clause)
        if var is not None:
            return template.replace("{v}", var)
        return f"{self.walker(clause.path.parts, template)}(d)"

    # -- one terminal -----------------------------------------------------------------------

    def template(self, clause: FieldClause) -> str:
        """Whether one terminal value ``{v}`` (reached by name, or _M) satisfies a positive clause.

        ``{v}`` is always the first thing evaluated (see ``group``).
        """
        op, x = clause.op, clause.operand
        general = f"{self.const(clause_test(clause))}((({{v}}, True),))"
        if op == "$eq":
            if type(x) is str:
                c = self.const(x)
                return f"({{v}} == {c} or ({{v}}.__class__ is list and {c} in {{v}}))"
            if _is_plain_number(x):
                return f"(({{v}} == {self.const(x)} and {{v}}.__class__ is not bool) or ({{v}}.__class__ is list and {general}))"
            if type(x) is bool:
                return f"({{v}} is {self.const(x)} or ({{v}}.__class__ is list and {general}))"
            if x is None:
                return f"({{v}} is None or {{v}} is _M or ({{v}}.__class__ is list and {general}))"
            return general
        if op == "$in" and len(x) == 1:
            return self.template(replace(clause, op="$eq", operand=x[0]))
        if op == "$in" and x and all(type(i) is str or _is_plain_number(i) for i in x):
            return self._in_scalars(x, general)
        if op in _SYMBOLS:
            if _is_plain_number(x):
                check = "({v}.__class__ is int or {v}.__class__ is float)"
            elif type(x) is str:
                check = "{v}.__class__ is str"
            else:
                return general
            return f"(({check} and {{v}} {_SYMBOLS[op]} {self.const(x)}) or ({{v}}.__class__ is list and {general}))"
        if op == "$exists":
            return "({v} is not _M)"
        if op == "$size":
            return f"({{v}}.__class__ is list and len({{v}}) == {self.const(x)})"
        if op == "$regex":
            search = self.const(x.search)
            return f"(({{v}}.__class__ is str and {search}({{v}})) or ({{v}}.__class__ is list and {general}))"
        if op == "$elemMatch":
            if x.query is not None:
                return f"({{v}}.__class__ is list and {self.elem_match(x.query)}({{v}}))"
            return f"({{v}}.__class__ is list and _any_value({{v}}, {self.const(element_test(x))}))"
        return general

    def _in_scalars(self, options: tuple, general: str) -> str:
        """$in over strings and numbers: Python set membership, kept apart per BSON type bracket
        (a set holding 1 would otherwise contain True)."""
        strings = frozenset(i for i in options if type(i) is str)
        numbers = frozenset(i for i in options if type(i) is not str)
        tests = []
        if strings:
            tests.append(f"({{v}}.__class__ is str and {{v}} in {self.const(strings)})")
        if numbers:
            tests.append(f"(({{v}}.__class__ is int or {{v}}.__class__ is float) and {{v}} in {self.const(numbers)})")
            tests.append(f"({{v}}.__class__ is list and {general})")
        else:
            tests.append(f"({{v}}.__class__ is list and _any_str_in({{v}}, {self.const(strings)}))")
        return "(" + " or ".join(tests) + ")"

    def elem_match(self, query: Logical) -> str:
        """A function of an array: does some element satisfy the $elemMatch query?"""
        body = self.node(query)  # may add functions of its own: name this one after them
        name = f"_elem{len(self.functions)}"
        # Only documents and arrays (as documents of their positions) are tested (semantics §1.7
        # as corrected in docs/mql-rules.md).
        self.functions.append(f"def {name}(arr):\n    for d in arr:\n        if d.__class__ is not dict:\n"
                              f"            if d.__class__ is not list:\n                continue\n"
                              f"            d = _element_document(d)\n        if {body}:\n            return True\n    return False\n")
        return name

    # -- dotted paths -----------------------------------------------------------------------

    def walker(self, parts: tuple[str, ...], template: str) -> str:
        """A function of ``d``: does any terminal of the (index-free) path satisfy ``template``?"""
        name = f"_walk{len(self.functions)}"
        lines = [f"def {name}(d):"]
        self._walk_level(parts, 0, "d", template, 1, lines)
        lines.append("    return False")
        self.functions.append("\n".join(lines) + "\n")
        return name

    def _walk_level(self, parts, i: int, container: str, template: str, depth: int, lines: list[str]) -> None:
        pad = "    " * depth
        value = f"x{depth}"
        lines.append(f"{pad}{value} = {container}.get({self.const(parts[i])}, _M)")
        if i == len(parts) - 1:
            lines.append(f"{pad}if {template.replace('{v}', value)}: return True")
            return
        element = f"e{depth}"
        lines.append(f"{pad}if {value}.__class__ is dict:")
        self._walk_level(parts, i + 1, value, template, depth + 1, lines)
        lines.append(f"{pad}elif {value}.__class__ is list:")
        lines.append(f"{pad}    for {element} in {value}:")
        lines.append(f"{pad}        if {element}.__class__ is dict:")
        # Inside an array, the next part is looked up in each document element.
        self._walk_level(parts, i + 1, element, template, depth + 3, lines)
        lines.append(f"{pad}elif {template.replace('{v}', '_M')}:")
        lines.append(f"{pad}    return True")


def generate(query: Logical) -> Callable[[dict], bool]:
    return _Generator().function(query)
