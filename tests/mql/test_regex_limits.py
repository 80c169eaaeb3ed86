"""A $regex cannot hold a thread for long or blow memory: matching has a time limit that ends in
MQLTimeout naming the clause, and recursive or huge patterns are refused at compile time."""

from __future__ import annotations

import time

import pytest

from console.mql import REGEX_TIMEOUT, MQLError, MQLTimeout, compile_filter, explain


def test_catastrophic_backtracking_stops_with_the_clause_named():
    matches = compile_filter({"status": "active", "email": {"$regex": "^(a|a)+$"}})
    started = time.perf_counter()
    with pytest.raises(MQLTimeout) as info:
        matches({"status": "active", "email": "a" * 27 + "!"})  # 48 s before the limit
    assert time.perf_counter() - started < 10  # the limit is 50 ms; a loaded machine is slower
    assert isinstance(info.value, MQLError) and info.value.path == "email.$regex"
    assert f"{REGEX_TIMEOUT * 1000:g} ms" in str(info.value) and "28 characters" in str(info.value)


def test_the_limit_applies_to_array_elements_and_explain_too():
    query = {"tags": {"$regex": "^(a|a)+$"}}
    with pytest.raises(MQLTimeout, match="tags.\\$regex"):
        compile_filter(query)({"tags": ["b", "a" * 27 + "!"]})
    with pytest.raises(MQLTimeout):
        explain(query, {"tags": "a" * 27 + "!"})


def test_the_limit_is_configurable():
    matches = compile_filter({"e": {"$regex": "^(a|a)+$"}}, regex_timeout=0.02)
    with pytest.raises(MQLTimeout, match="20 ms"):
        matches({"e": "a" * 27 + "!"})
    assert matches({"e": "aaaa"})


@pytest.mark.parametrize("pattern", [
    "(?R)", "a(?R)?b", "(a)(?1)", "(a)(?-1)", "(?+1)(a)", "(?<n>a)(?&n)", "(?P<n>a)(?P>n)",
    "(a)\\g<1>", "(?<n>a)\\g'n'",
])
def test_recursive_patterns_are_refused_at_compile_time(pattern):
    with pytest.raises(MQLError, match="not supported") as info:
        compile_filter({"a": {"$not": {"$regex": pattern}}})
    assert info.value.path == "a.$not.$regex"


@pytest.mark.parametrize("pattern", [
    "a{1000000000}", "(a{60000}){60000}", "((a{1000}){1000}){1000}", "(?:x{50000}){3}",
    "(a{70000}b{70000})+",
])
def test_patterns_that_expand_past_the_limit_are_refused_quickly(pattern):
    started = time.perf_counter()
    with pytest.raises(MQLError, match="longer than 100,000 items") as info:
        compile_filter({"a": {"$regex": pattern}})
    assert info.value.path == "a.$regex"
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(("pattern", "value", "expected"), [
    ("^\\d{5}$", "12345", True), ("^\\d{2,3}$", "1234", False), ("^x{2,}$", "xxx", True),
    ("^\\p{L}{3}$", "abc", True), ("^[{]{2}$", "{{", True), ("(a)\\1", "aa", True),
    ("(?i)a(?-i)b", "AB", False), ("^(?:ab){3}$", "ababab", True),
    # A brace that opens no counted repeat is a literal in PCRE (regex would read fuzzy matching).
    ("^x{e<=1}$", "x{e<=1}", True), ("^x{e<=1}$", "y", False), ("^a{,2}$", "a{,2}", True),
])
def test_ordinary_patterns_still_work(pattern, value, expected):
    assert compile_filter({"a": {"$regex": pattern}})({"a": value}) is expected


def test_verbose_comments_are_not_read_as_repeats():
    query = {"a": {"$regex": "^a # (?R) {999999999}\n$", "$options": "x"}}
    assert compile_filter(query)({"a": "a"})


def test_a_pattern_longer_than_mongodbs_limit_is_refused_quickly():
    started = time.perf_counter()
    with pytest.raises(MQLError, match="40,000 characters long; MongoDB accepts at most 32,764"):
        compile_filter({"a": {"$regex": "a" * 40_000}})  # 1 MB took 12 s to compile before
    assert time.perf_counter() - started < 5


def test_a_long_run_without_alternatives_is_refused_before_it_can_stall_the_first_match():
    # "a" * 4000 took 29 s on its first match, beyond the reach of the time limit.
    with pytest.raises(MQLError, match="more than 500 characters in a row without a |"):
        compile_filter({"a": {"$regex": "a" * 4000}})
    matches = compile_filter({"a": {"$regex": "|".join(["a" * 500] * 30)}})
    started = time.perf_counter()
    assert matches({"a": "a" * 500}) and not matches({"a": "b" * 4000})
    assert time.perf_counter() - started < 5
