"""The console-facing helpers: explain, format_explanation, query_fields, get_path_values,
and the safety of the generated code."""

from __future__ import annotations

import pytest

from console.mql import (
    Explanation, MQLError, compile_filter, explain, format_explanation, get_path_values, query_fields,
)

WORKER = {"status": "active", "rating": 3.5, "devices": [{"os": "ios"}, {"model": "x"}], "langs": ["en"]}
QUERY = {"status": "active", "rating": {"$gte": 4}, "$or": [{"devices.os": "android"}, {"langs": {"$all": ["en", "de"]}}]}


def test_explain_gives_every_clause_its_verdict_and_values():
    root = explain(QUERY, WORKER)
    assert isinstance(root, Explanation) and root.passed is False and root.where == ""
    status, rating, either = root.children
    assert (status.path, status.operator, status.passed, status.values) == ("status", "$eq", True, ("active",))
    assert (rating.where, rating.passed, rating.values, rating.operand) == ("rating.$gte", False, (3.5,), 4)
    assert either.operator == "$or" and either.passed is False
    devices, langs = either.children
    assert devices.values == ("ios",) and devices.missing is True
    assert langs.where == "$or.1.langs.$all" and langs.values == (["en"],)


def test_explain_not_shows_the_inner_clause():
    node = explain({"rating": {"$not": {"$gt": 3}}}, WORKER).children[0]
    assert node.passed is False and node.children[0].passed is True and node.children[0].operator == "$gt"


def test_format_explanation_is_one_line_per_clause():
    text = format_explanation(explain(QUERY, WORKER))
    assert text.splitlines() == [
        "FAIL  all of (query)",
        '  PASS  status $eq "active"    found: "active"',
        "  FAIL  rating $gte 4    found: 3.5",
        "  FAIL  any of ($or)",
        '    FAIL  devices.os $eq "android"    found: "ios", (missing)',
        '    FAIL  langs $all ["en", "de"]    found: ["en"]',
    ]


def test_format_explanation_of_the_empty_query():
    assert format_explanation(explain({}, {})) == "PASS  empty query, matches everything (query)"


def test_explain_rejects_a_malformed_query():
    with pytest.raises(MQLError):
        explain({"a": {"$size": "x"}}, {})


def test_query_fields_in_first_use_order():
    assert query_fields(QUERY, {"rating": -1, "id": 1}) == ["status", "rating", "devices.os", "langs", "id"]
    assert query_fields({"a": {"$elemMatch": {"b": 1}}, "$nor": [{"c": 1}, {"a": 2}]}) == ["a", "c"]


def test_get_path_values_follows_mongodb_paths():
    doc = {"a": [{"b": [1, 2]}, {"c": 1}, 5], "x": {"0": "key"}}
    assert get_path_values(doc, "a.b") == [[1, 2]]
    assert get_path_values(doc, "a.2") == [5]
    assert get_path_values(doc, "x.0") == ["key"]
    assert get_path_values(doc, "nope") == []


@pytest.mark.parametrize("key", ['a"), __import__("os"), ("', "x\nimport os", "{v}", "C1", "_M"])
def test_keys_and_values_never_become_code(key):
    matches = compile_filter({key: key, f"{key}.y": {"$ne": key}, "$or": [{key: {"$in": [key, "z"]}}]})
    assert matches({key: key}) is True
    assert matches({key: "other"}) is False


def test_generated_source_holds_no_user_text():
    matches = compile_filter({"secret_field": "secret value", "n.m": {"$gt": 1}})
    assert "secret" not in matches.__mql_source__


def test_a_compiled_filter_is_reusable_and_independent():
    first, second = compile_filter({"a": 1}), compile_filter({"a": 2})
    assert [first({"a": 1}), second({"a": 1}), first({"a": 2})] == [True, False, False]


def test_mqlerror_is_a_valueerror_with_a_path_and_message():
    with pytest.raises(ValueError) as info:
        compile_filter({"$and": [{"a": {"$type": "strng"}}]})
    error = info.value
    assert isinstance(error, MQLError)
    assert error.path == "$and.0.a.$type"
    assert "unknown $type alias 'strng'" in error.message and str(error).startswith("$and.0.a.$type: ")


def test_regex_option_u_is_accepted_as_mongodb_does():
    assert compile_filter({"a": {"$regex": "é", "$options": "iu"}})({"a": "É"}) is True
