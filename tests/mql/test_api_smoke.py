"""The API the simulation relies on: compile_filter, compile_sort, MQLError."""

import pytest

from console.mql import MQLError, compile_filter, compile_sort


def test_filter_and_sort_compose():
    docs = [{"id": 1, "rating": 4, "country": "DE"}, {"id": 2, "rating": 5, "country": "DE"},
            {"id": 3, "rating": 5, "country": "FR"}]
    matches = compile_filter({"country": "DE"})
    ordered = compile_sort({"rating": -1})
    assert [d["id"] for d in ordered(d for d in docs if matches(d))] == [2, 1]


def test_malformed_query_names_the_path():
    with pytest.raises(MQLError) as info:
        compile_filter({"$or": [{"a": 1}, {"rating": {"$gt": 1, "$bogus": 2}}]})
    assert info.value.path == "$or.1.rating.$bogus"
    assert isinstance(info.value, ValueError)
