"""Hostile queries and documents (issue 13): compiling ends in a result or an MQLError naming the
place, a compiled filter or sort never raises on a document ``json.loads`` can read, and big
queries compile and match in linear time."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.mql import MQLError, compile_filter, compile_sort, explain, format_explanation
from console.mql.limits import MAX_DEPTH
from console.mql.parse import parse_query
from console.mql.predicates import node_test


def nested_and(depth: int) -> dict:
    query: dict = {"a": 1}
    for _ in range(depth):
        query = {"$and": [query]}
    return query


def deep_list(depth: int, leaf: object = 1) -> object:
    """A value nested ``depth`` arrays deep, built the way a request body is: by json.loads."""
    return json.loads("[" * depth + json.dumps(leaf) + "]" * depth)


def test_a_filter_nested_150_and_deep_is_refused_with_the_place():
    with pytest.raises(MQLError) as info:
        compile_filter(nested_and(150))
    # Levels count objects and arrays (the query is level 1, each $and adds two): the object
    # inside the 50th $and is level 101.
    assert info.value.path == ".".join(["$and", "0"] * 50)
    assert f"more than {MAX_DEPTH} levels" in str(info.value)


def test_the_deepest_accepted_filter_compiles_and_agrees_with_the_reference():
    query = nested_and(MAX_DEPTH // 2 - 1)  # 98 levels, and the {"a": 1} object: 99
    matches = compile_filter(query)
    assert matches({"a": 1}) and not matches({"a": 2})
    assert node_test(parse_query(query))({"a": [1]})


WRAPPERS = [  # (how one level wraps a query, how many levels of objects and arrays it adds)
    (lambda q: {"$or": [q, {"b": 1}]}, 2),
    (lambda q: {"$nor": [q]}, 2),
    (lambda q: {"x": {"$elemMatch": q}}, 2),
    (lambda q: {"x": {"$not": {"$elemMatch": q}}}, 3),
    (lambda q: {"$and": [{"x": {"$all": [{"$elemMatch": q}]}}]}, 6),
]


@pytest.mark.parametrize(("wrap", "levels"), WRAPPERS, ids=["or", "nor", "elemMatch", "not-elemMatch", "all"])
def test_deep_mixed_nesting_compiles_without_overflowing_the_generated_code(wrap, levels):
    query: dict = {"a": {"$not": {"$gt": 5}}}  # 3 levels
    for _ in range((MAX_DEPTH - 3) // levels):
        query = wrap(query)
    matches = compile_filter(query)
    reference = node_test(parse_query(query))
    for doc in ({"a": 1}, {"x": [{"a": 9}]}, {"b": 1}, {}, {"x": [[{"a": 1}]]}):
        assert matches(doc) is reference(doc)
    with pytest.raises(MQLError, match="levels"):
        compile_filter(wrap(wrap(query)))


def test_a_deep_sort_query_and_a_deep_literal_are_refused():
    with pytest.raises(MQLError, match="levels"):
        compile_sort({"a": deep_list(200)})
    with pytest.raises(MQLError, match="levels") as info:
        compile_filter({"a": {"$in": [deep_list(300)]}})
    assert info.value.path.startswith("a.$in.0.0.0")


def test_a_sort_direction_that_is_a_huge_value_is_described_briefly():
    with pytest.raises(MQLError) as info:
        compile_sort({"a": "x" * 100_000})
    assert len(str(info.value)) < 200


DEEP = deep_list(850)
DEEP_DOC = json.loads('{"a": ' + "[" * 700 + "1" + "]" * 700 + ', "b": ' + '{"c": ' * 500 + "1" + "}" * 500 + "}")


@pytest.mark.parametrize("query", [
    {"a": {"$gt": [1]}}, {"a": {"$lte": [[[1]]]}}, {"a": [[1]]}, {"a": {"$in": [[1], [2], {"x": 1}]}},
    {"a": {"$all": [[1], [[1]]]}}, {"b": {"$gte": {"c": {"c": 1}}}}, {"b": {"c": {"c": 2}}},
    {"a": {"$elemMatch": {"0": [1]}}}, {"b.c.c": {"$ne": {"c": 1}}}, {"a": {"$nin": [[], {}]}},
], ids=str)
def test_compiled_filters_never_raise_on_deep_documents(query):
    matches = compile_filter(query)
    reference = node_test(parse_query(query))
    for doc in (DEEP_DOC, {"a": DEEP, "b": DEEP}, {"a": [DEEP, DEEP]}):
        assert matches(doc) is reference(doc)
        format_explanation(explain(query, doc))  # the why-not text too


def test_sorting_deep_values_never_raises_and_keeps_bson_order():
    docs = [{"id": 1, "a": deep_list(800, 2)}, {"id": 2, "a": deep_list(850, 1)},
            {"id": 3, "a": deep_list(800, 1)}, {"id": 4, "a": 5}]
    # Numbers sort below arrays; [[...[1]]] below [[...[2]]] at the same depth; an array whose
    # first element is deeper sorts above (array above number at the level where they part).
    assert [d["id"] for d in compile_sort({"a": 1})(docs)] == [4, 3, 1, 2]


def test_10000_value_or_and_all_compile_and_match_in_linear_time():
    # A guard against a return to quadratic code: about 0.6 s on an idle machine, over 30 s
    # before the fix; the bound is generous for a loaded machine.
    values = list(range(10_000))
    started = time.perf_counter()
    any_of = compile_filter({"$or": [{"a": v} for v in values]})
    every = compile_filter({"a": {"$all": values}})
    wide = compile_filter({"$or": [{"a": {"$gt": v}} for v in values]})
    doc = {"a": values}
    assert any_of(doc) and every(doc) and wide(doc)
    assert not any_of({"a": -1}) and not every({"a": values[1:]}) and not wide({"a": -1})
    assert time.perf_counter() - started < 10.0


# -- properties ---------------------------------------------------------------------------------

KEYS = st.sampled_from(["a", "b", "0", "1", "a.b", "", "$x", "a..b", "99999999999999999999999"])
ODD = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4)
       | st.sampled_from(["$gt", "$elemMatch", "(?R)", "^(a|a)+$", "\x1b]52;c;x\x07"]))
OPERATORS = st.sampled_from(["$and", "$or", "$nor", "$not", "$elemMatch", "$all", "$in", "$eq",
                             "$gt", "$regex", "$size", "$type", "$exists", "$mod", "a", "b.0"])


@st.composite
def hostile_queries(draw) -> object:
    """Random JSON, or a small valid query, wrapped up to 150 times: mostly in operators that
    keep it valid (so deep queries reach the code generator), sometimes in anything at all."""
    query = draw(st.recursive(ODD, lambda inner: st.lists(inner, max_size=3)
                              | st.dictionaries(KEYS | OPERATORS, inner, max_size=3), max_leaves=6)
                 | st.sampled_from([{"a": 1}, {"a": {"$regex": "^x"}}, {"a.b": {"$gt": [1]}}, {}]))
    levels = draw(st.integers(0, 150))  # drawn first: hypothesis keeps lists short by itself
    steps = st.tuples(st.integers(0, 9), st.integers(0, 4))
    for valid, choice in draw(st.lists(steps, min_size=levels, max_size=levels)):
        if valid:
            query = WRAPPERS[choice][0](query)
        else:
            op = draw(OPERATORS)
            query = {op: [query]} if choice < 2 else {op: query} if choice < 4 else [query]
    return query


@st.composite
def deep_documents(draw) -> dict:
    depth = draw(st.integers(0, 800))
    leaf = draw(st.recursive(ODD, lambda inner: st.lists(inner, max_size=3)
                             | st.dictionaries(KEYS, inner, max_size=3), max_leaves=5))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a": ', "}"), ('{"b": [', "]}")]))
    levels = depth if opener == "[" else depth // 2
    text = opener * levels + json.dumps(leaf) + closer * levels
    return {draw(KEYS): json.loads(text), "a": draw(st.recursive(ODD, st.lists, max_leaves=4))}


def run_filter(matches, docs: list[dict]) -> None:
    assert all(matches(doc) in (True, False) for doc in docs)


def run_sort(order, docs: list[dict]) -> None:
    assert len(order(docs)) == len(docs)


@pytest.mark.parametrize(("compiler", "run"), [(compile_filter, run_filter), (compile_sort, run_sort)],
                         ids=["filter", "sort"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=hostile_queries(), docs=st.lists(deep_documents(), max_size=3))
def test_hostile_queries_compile_or_raise_mqlerror_and_never_raise_on_deep_documents(
        compiler, run, query, docs):
    try:
        compiled = compiler(query)
    except MQLError as exc:
        assert isinstance(exc.path, str) and exc.message
        return
    run(compiled, docs)
