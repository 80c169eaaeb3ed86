"""The conformance tables run against the compiled filter, the reference evaluator and explain."""

from __future__ import annotations

import pytest

from console.mql import MQLError, compile_filter, compile_sort, explain
from console.mql.parse import parse_query
from console.mql import sort as sort_module
from console.mql.predicates import node_test
from console.mql.sort import parse_sort, sort_value

from .error_cases import FILTER_ERRORS, SORT_ERRORS
from .filter_cases import FILTER_CASES
from .sort_cases import SORT_CASES


def _ids(cases):
    return [f"{i}-{case[0]}" for i, case in enumerate(cases)]


def test_the_suite_is_large_enough():
    assert len(FILTER_CASES) + len(FILTER_ERRORS) + len(SORT_ERRORS) + len(SORT_CASES) >= 120


@pytest.mark.parametrize(("rule", "query", "doc", "expected"), FILTER_CASES, ids=_ids(FILTER_CASES))
def test_filter(rule, query, doc, expected):
    assert compile_filter(query)(doc) is expected
    assert node_test(parse_query(query))(doc) is expected
    assert explain(query, doc).passed is expected


ERRORS = [(compile_filter, *case) for case in FILTER_ERRORS] + [(compile_sort, *case) for case in SORT_ERRORS]


@pytest.mark.parametrize(("compiler", "query", "path", "words"), ERRORS,
                         ids=[f"{c[0].__name__}-{c[2] or 'root'}" for c in ERRORS])
def test_malformed_query_is_rejected_with_its_path(compiler, query, path, words):
    with pytest.raises(MQLError) as info:
        compiler(query)
    assert info.value.path == path
    assert words in str(info.value)


@pytest.mark.parametrize(("rule", "sort", "docs", "expected"), SORT_CASES, ids=_ids(SORT_CASES))
def test_sort(rule, sort, docs, expected):
    assert [d["id"] for d in compile_sort(sort)(docs)] == expected


def test_sort_in_chunks_keeps_the_order(monkeypatch):
    # Large inputs are ranked in chunks (runs sorted and merged): the same order in tiny chunks.
    monkeypatch.setattr(sort_module, "CHUNK", 2)
    for _, sort, docs, expected in SORT_CASES:
        assert [d["id"] for d in compile_sort(sort)(docs)] == expected
    values = [None, "b", "a", 3, 2.5, -1, 7, "zz", 2.5, 0]
    docs = [{"id": i, "v": values[(i * 7) % len(values)], "w": (i * 13) % 5} for i in range(40)]
    del docs[3]["v"]
    for sort in ({"v": 1, "w": -1}, {"v": -1}, {"w": 1, "v": -1}):
        reference = list(docs)
        for path, descending in reversed(parse_sort(sort)):
            reference.sort(key=lambda d: sort_value(d, path, descending), reverse=descending)
        assert compile_sort(sort)(docs) == reference
