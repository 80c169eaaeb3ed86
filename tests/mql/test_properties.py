"""Random queries and documents: compiling fails only with MQLError(path); evaluating never raises,
and the generated code, the reference evaluator and explain always agree."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.mql import MQLError, compile_filter, compile_sort, explain
from console.mql.parse import parse_query
from console.mql.predicates import node_test
from console.mql.sort import parse_sort, sort_value

KEYS = st.sampled_from(["a", "b", "0", "1"])
PATHS = st.sampled_from(["a", "b", "a.b", "a.0", "a.b.c", "b.1.a", "0", "a.1"])
OPERATORS = st.sampled_from([
    "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$not", "$exists", "$type",
    "$regex", "$options", "$mod", "$all", "$elemMatch", "$size", "$comment", "$bogus", "$expr",
])
SCALARS = (st.none() | st.booleans() | st.integers(-3, 3) | st.integers(-2**70, 2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(["", "a", "B", "ab", "1"]))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
                    max_leaves=8)
DOCS = st.dictionaries(KEYS, JSON, max_size=4)
SPECIAL = st.sampled_from(["^a", "(?i)a(?-i)b", "[[:alpha:]]", "(", "a\\Z", "imxs", "q", "number",
                           "string", "array", "bogus", 2, 4.0, [2, 0], [0, 1], [], [None], ["a", 1]])




def _operator(inner):
    """One (operator, operand) pair: mostly well-formed, sometimes anything at all."""
    def pair(ops, operands):
        names = st.just(ops) if isinstance(ops, str) else st.sampled_from(ops) if isinstance(ops, list) else ops
        return st.tuples(names, operands)
    return st.one_of(
        pair(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte"], JSON),
        pair(["$in", "$nin", "$all"], st.lists(JSON, max_size=3)),
        pair("$all", st.lists(inner.map(lambda o: {"$elemMatch": o}), min_size=1, max_size=2)),
        pair("$exists", st.booleans()),
        pair("$type", st.sampled_from(["number", "string", "array", "null", "bool", "object", "int",
                                       "long", "double", 2, ["string", 8]])),
        pair("$regex", st.sampled_from(["^a", "(?i)a(?-i)b", "^[[:alpha:]]+$", "a\\Z", "B$", ""])),
        pair("$options", st.sampled_from(["i", "m", "x", "s", "q"])),
        pair("$mod", st.sampled_from([[2, 0], [3, 1], [-2, -1], [2.5, 0]])),
        pair("$size", st.integers(0, 3)),
        pair("$elemMatch", inner | QUERIES),
        pair("$not", inner),
        pair(OPERATORS, SPECIAL | JSON),
    )


# Operator documents and queries nest in each other ($not, $elemMatch, $all, $and/$or/$nor).
OPERATOR_DOCS = st.deferred(lambda: st.lists(_operator(OPERATOR_DOCS), min_size=1, max_size=3).map(dict))
QUERIES = st.deferred(lambda: st.dictionaries(PATHS, OPERATOR_DOCS | JSON, max_size=3) | st.builds(
    lambda op, items: {op: items}, st.sampled_from(["$and", "$or", "$nor"]), st.lists(QUERIES, max_size=3) | JSON))
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(QUERIES, st.lists(DOCS, max_size=4))
def test_compile_rejects_with_mqlerror_and_evaluation_never_raises(query, docs):
    try:
        matches = compile_filter(query)
    except MQLError as exc:
        assert isinstance(exc.path, str) and str(exc)
        return
    reference = node_test(parse_query(query))
    for doc in docs:
        verdict = matches(doc)
        assert verdict is reference(doc)
        assert explain(query, doc).passed is verdict


@settings(FAST, max_examples=50)
@given(st.dictionaries(PATHS, st.sampled_from([1, -1]), max_size=3), st.lists(DOCS, max_size=6))
def test_sort_never_raises_and_is_a_permutation(sort, docs):
    ordered = compile_sort(sort)(docs)
    assert sorted(map(id, ordered)) == sorted(map(id, docs))
    # The ranked sort agrees with stable passes of the per-document BSON key, last key first.
    reference = list(docs)
    for path, descending in reversed(parse_sort(sort)):
        reference.sort(key=lambda doc: sort_value(doc, path, descending), reverse=descending)
    assert list(map(id, ordered)) == list(map(id, reference))
