"""Over columns, filters give compile_filter's answers and sort ranks sort_ranks', row for row,
on mixed-type populations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.mql import compile_filter
from console.mql.column_sort import column_ranks, fold_column_ranks
from console.mql.columnar import evaluate, supported
from console.mql.columns import INT, LONG, ODD, STRING, Columns, build_column
from console.mql.paths import parse_path
from console.mql.sort import sort_ranks

STRINGS = st.sampled_from(["", "a", "B", "ab", "b", "é", "1", "abc"])
SCALARS = (st.none() | st.booleans() | st.integers(-3, 3) | st.integers(-2**70, 2**70)
           | st.sampled_from([2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**53, 2**53 + 1, 10**400])
           | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.5, 1.0, -0.0, 2.0])
           | STRINGS)
KEYS = st.sampled_from(["a", "b", "c"])
NESTED = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(KEYS, inner, max_size=3), max_leaves=6)
# Mostly scalars (the column's case), sometimes a document or array (the per-row fallback).
VALUES = st.one_of(SCALARS, SCALARS, SCALARS, NESTED)
DOCS = st.dictionaries(KEYS, VALUES | st.dictionaries(KEYS, VALUES, max_size=3), max_size=3)
PATHS = st.sampled_from(["a", "b", "c", "a.b", "b.c", "a.b.c", "a.0"])
OPERAND = SCALARS | st.sampled_from([[], [1], {"b": 1}, [None]])
SCALAR_OP = st.one_of(
    st.tuples(st.sampled_from(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte"]), OPERAND),
    st.tuples(st.sampled_from(["$in", "$nin"]), st.lists(OPERAND, max_size=3)),
    st.tuples(st.just("$exists"), st.booleans()),
    st.tuples(st.just("$type"), st.sampled_from(["number", "string", "null", "bool", "int", "long",
                                                 "double", "object", "array", ["string", 8]])),
    st.tuples(st.just("$regex"), st.sampled_from(["^a", "b$", "(?i)^a", "", "é"])),
)
OP_DOC = st.lists(SCALAR_OP, min_size=1, max_size=2).map(dict)
CLAUSE_VALUE = (OPERAND | OP_DOC | OP_DOC.map(lambda ops: {"$not": ops})
                | st.just({"$mod": [2, 0]}))  # $mod: not columnar, compile_filter answers alone
QUERIES = st.deferred(lambda: st.dictionaries(PATHS, CLAUSE_VALUE, max_size=3) | st.builds(
    lambda op, items: {op: items}, st.sampled_from(["$and", "$or", "$nor"]),
    st.lists(QUERIES, min_size=1, max_size=3)))


def _valid(query) -> bool:
    try:
        compile_filter(query)
    except Exception:
        return False
    return True


def _has_wide_int(value) -> bool:
    if isinstance(value, dict):
        return any(map(_has_wide_int, value.values()))
    if isinstance(value, list):
        return any(map(_has_wide_int, value))
    return type(value) is int and abs(value) >= 2**53


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(DOCS, max_size=12), st.lists(QUERIES.filter(_valid), min_size=1, max_size=4),
       st.lists(st.booleans(), min_size=12, max_size=12))
def test_columnar_answers_equal_compile_filter(docs, queries, asked):
    columns = Columns(docs)  # shared by the queries, as the preview shares it between edits
    within = np.array(asked[: len(docs)], bool)
    for query in queries:
        expected = [compile_filter(query)(d) for d in docs]
        if supported(query):
            assert evaluate(query, columns).tolist() == expected, query
            # Asked on some rows only (the engine's rankings): those rows' answers, False elsewhere.
            assert evaluate(query, columns, within=within).tolist() == [
                e and w for e, w in zip(expected, asked)], query
        else:  # only what the generator makes unsupported on purpose
            assert "$mod" in repr(query) or _has_wide_int(query), query


def test_column_tags_each_bson_type_and_keeps_exact_numbers_only():
    docs = [{"a": 1}, {"a": 2**31}, {"a": 2**53}, {"a": 10**400}, {"a": 1.5}, {"a": "x"},
            {"a": True}, {"a": None}, {}, {"a": [1, 2]}, {"a": {"b": 1}}, {"a": float("nan")}]
    column = build_column(docs, parse_path("a"))
    assert column.tags.tolist() == [INT, LONG, ODD, ODD, 4, STRING, 6, 1, 0, ODD, ODD, 4]
    assert column.odd.tolist() == [2, 3, 9, 10]
    assert column.values[0] == 1 and column.values[6] == 1 and math.isnan(column.values[11])


def test_dotted_column_reads_through_documents_and_marks_arrays_odd():
    docs = [{"a": {"b": "x"}}, {"a": 3}, {"a": [{"b": "y"}]}, {"a": {"c": 1}}, {"a": {"b": [1]}}]
    column = build_column(docs, parse_path("a.b"))
    assert column.tags.tolist() == [STRING, 0, ODD, 0, ODD]
    assert column.strings == ("x",)


@pytest.mark.parametrize("query, expected", [
    ({"a": {"$gt": "a"}}, [False, True, True, False]),   # "b", "é" > "a"; 5 is not a string
    ({"a": {"$lte": "b"}}, [True, True, False, False]),
    ({"a": {"$nin": ["a", 5]}}, [False, True, True, False]),
    ({"a": {"$not": {"$regex": "^[ab]"}}}, [False, False, True, True]),
])
def test_string_order_is_code_point_order(query, expected):
    docs = [{"a": "a"}, {"a": "b"}, {"a": "é"}, {"a": 5}]
    assert evaluate(query, Columns(docs)).tolist() == expected
    assert [compile_filter(query)(d) for d in docs] == expected


def test_unsupported_operators_are_reported_so():
    assert not supported({"a": {"$size": 1}})
    assert not supported({"$or": [{"a": 1}, {"b": {"$elemMatch": {"$gt": 1}}}]})
    assert not supported({"a": 2**60})  # float64 would round the operand
    assert supported({"a.b": {"$in": [1, "x", None]}, "$nor": [{"c": {"$exists": False}}]})
    assert evaluate({}, Columns([{}, {"a": 1}])).dtype == np.bool_


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dictionaries(KEYS, SCALARS, max_size=2), max_size=12), st.booleans())
def test_column_ranks_equal_sort_ranks_on_scalar_paths(docs, descending):
    path = parse_path("a")
    ranked = column_ranks(build_column(docs, path), descending)
    expected = sort_ranks(docs, path, descending)
    if ranked is None:  # only integers float64 would round make a scalar column ODD
        assert any(type(d.get("a")) is int and abs(d["a"]) >= 2**53 for d in docs)
    else:
        assert (ranked[0].tolist(), ranked[1]) == expected


def test_folded_ranks_order_by_each_key_then_position_even_when_they_overflow_int64():
    ranks = [(np.array([1, 0, 1, 0]), 2), (np.array([0, 1, 0, 0]), 2)]
    assert np.argsort(fold_column_ranks(ranks, 4)).tolist() == [3, 1, 0, 2]
    huge = [(np.array([1, 0, 1, 0]), 2**40), (np.array([0, 1, 0, 0]), 2**40)]
    assert np.argsort(fold_column_ranks(huge, 4)).tolist() == [3, 1, 0, 2]


def test_a_regex_past_its_time_limit_stops_over_columns_as_it_does_per_document():
    import threading

    from console.mql.errors import MQLTimeout

    columns = Columns([{"email": "a" * 27 + "b"}, {"email": "ok"}])
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            evaluate({"email": {"$regex": "^(a|a)+$"}}, columns)
        except BaseException as exc:  # what the evaluation raised, for the assertion below
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)  # an unbounded search would never end
    worker.start()
    worker.join(timeout=15)
    assert not worker.is_alive(), "the search ran on past its time limit"
    assert len(outcome) == 1 and isinstance(outcome[0], MQLTimeout)
    assert outcome[0].path == "email.$regex"
