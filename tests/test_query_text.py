"""The query editor's text logic: error positions, key spans, diff, snippets, $EDITOR hand-off."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from console.query.diff import Queries, format_query, query_diff
from console.query.editor_handoff import EditorError, edit_text, editor_command
from console.query.locate import JsonProblem, Span, locate_path, parse_object
from console.query.validate import QueryProblem, check_filter
from console.query.snippets import SNIPPETS, add_snippet, snippet_for

QUERY = '{"$or": [\n  {"a": 1},\n  {"rating": {"$gt": "x", "$bad": 2}}\n], "s.k": {"$in": 3}}'


def test_broken_json_reports_line_and_column():
    problem = parse_object('{\n  "a": 1,\n}')
    assert isinstance(problem, JsonProblem)
    assert (problem.line, problem.column) == (3, 1)
    assert str(problem).startswith("line 3, column 1: ")


def test_a_query_must_be_an_object():
    problem = parse_object("[1, 2]")
    assert isinstance(problem, JsonProblem) and "not an array" in problem.message


@pytest.mark.parametrize(
    ("path", "marked"),
    [
        ("$or.1.rating.$bad", '"$bad"'),
        ("$or.1.rating.$gt", '"$gt"'),
        ("s.k.$in", '"$in"'),  # a key holding a dot
        ("$or.0", '{"a": 1}'),  # an array element
        ("$or.1.nothing", '{"rating": {"$gt": "x", "$bad": 2}}'),  # deepest existing ancestor
    ],
)
def test_error_path_marks_the_offending_key(path, marked):
    span = locate_path(QUERY, path)
    assert span is not None
    (row, start), (end_row, end) = span.start, span.end
    assert row == end_row
    assert QUERY.splitlines()[row][start:end] == marked


def test_locate_prefers_the_longest_key_and_the_last_duplicate():
    text = '{"a": {"$x": 1}, "a.b": {"$y": 1}, "c": 1, "c": {"$z": 2}}'
    assert _marked(text, "a.b.$y") == '"$y"'
    assert _marked(text, "c.$z") == '"$z"'


def _marked(text: str, path: str) -> str:
    span = locate_path(text, path)
    assert isinstance(span, Span) and span.start[0] == 0
    return text[span.start[1] : span.end[1]]


@pytest.mark.parametrize(("text", "where", "name"), [
    ('{"a": NaN}', (1, 7), "NaN"),
    ('{"a": {"$gt":\n  -Infinity}}', (2, 3), "-Infinity"),
    ('{"NaN": "NaN", "b": [1, Infinity]}', (1, 25), "Infinity"),
])
def test_nan_and_infinity_are_not_json_numbers_and_are_placed(text, where, name):
    """Python's json reads them, a gig's query refuses them when saved: the editor says so
    while it is typed, at the constant."""
    problem = parse_object(text)
    assert isinstance(problem, JsonProblem)
    assert (problem.line, problem.column) == where
    assert problem.message == f"{name} is not a JSON number"


@pytest.mark.parametrize("depth", [100, 700, 5000])
def test_nan_deep_inside_arrays_is_a_problem_at_any_depth(depth):
    problem = parse_object('{"a":' + "[" * depth + "NaN" + "]" * depth + "}")
    assert isinstance(problem, JsonProblem)
    assert problem.message in ("NaN is not a JSON number", "nested too deeply to be a query")


def test_a_filter_with_nan_beside_a_bad_operator_is_a_problem_not_a_crash():
    problem = check_filter('{"a": NaN, "$bogus": 1}')
    assert isinstance(problem, QueryProblem)
    assert problem.message == "JSON line 1, column 7: NaN is not a JSON number"


def test_locate_on_broken_json_or_unknown_path_is_none():
    assert locate_path('{"a": ', "a") is None
    assert locate_path('{"a": 1}', "b") is None


def test_diff_shows_only_changed_queries_and_keeps_key_order():
    saved = Queries({"a": 1}, {"x": 1, "y": -1})
    assert query_diff(saved, Queries({"a": 1}, {"x": 1, "y": -1})) == []
    lines = query_diff(saved, Queries({"a": 2}, {"y": -1, "x": 1}))
    assert "--- saved filter_query" in lines and "+++ edited sort_query" in lines
    assert '-  "a": 1' in lines and '+  "a": 2' in lines
    assert '+  "x": 1' in lines  # reordered sort keys are a change


def test_snippets_cover_the_common_operators_and_are_valid_json():
    assert {s.operator for s in SNIPPETS} >= {"$in", "$elemMatch", "$exists", "$regex"}
    for snippet in SNIPPETS:
        assert json.loads("{" + snippet.fragment() + "}")[snippet.field] == snippet.condition


def test_snippet_merges_into_a_parsed_query_under_a_free_name():
    snippet = snippet_for("$in")
    inserted = add_snippet({"country": "DE"}, snippet)
    assert inserted.merged
    merged = json.loads(inserted.text)
    assert merged == {"country": "DE", "country_2": {"$in": ["DE", "FR"]}}
    assert inserted.text == format_query(merged)
    row, column = inserted.cursor
    assert inserted.text.splitlines()[row][column:].startswith('"country_2"')


def test_snippet_on_broken_text_is_a_fragment_and_unknown_operator_is_named():
    inserted = add_snippet(None, snippet_for("$exists"))
    assert not inserted.merged and inserted.text == '"email": {"$exists": true}'
    with pytest.raises(KeyError, match=r"\$where.*known: \$in"):
        snippet_for("$where")


def _script(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-editor.py"
    script.write_text(f"#!{sys.executable}\nimport sys\npath = sys.argv[-1]\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_edit_text_returns_what_the_editor_wrote_and_removes_the_temp_file(tmp_path):
    seen = tmp_path / "seen"
    editor = _script(
        tmp_path,
        f"open({str(seen)!r}, 'w').write(path + '\\n' + open(path).read())\n"
        "open(path, 'w').write('{\"edited\": true}')",
    )
    assert edit_text('{"a": 1}', environ={"EDITOR": editor}) == '{"edited": true}'
    temp_path, original = seen.read_text().split("\n", 1)
    assert original == '{"a": 1}' and temp_path.endswith(".json")
    assert not Path(temp_path).exists()


def test_visual_wins_over_editor_and_arguments_are_split():
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "vi"}) == ["code", "--wait"]
    assert editor_command({"EDITOR": "vi"}) == ["vi"]


def test_without_editor_set_the_first_fallback_on_the_path_is_used(tmp_path):
    for name in ("nano", "vi"):
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    assert editor_command({"PATH": str(tmp_path)}) == [str(tmp_path / "nano")]


def test_editor_failures_are_clear(tmp_path):
    with pytest.raises(EditorError, match="none of editor, nano, vi is on the PATH"):
        editor_command({"PATH": str(tmp_path)})
    with pytest.raises(EditorError, match="cannot run editor '/nonexistent/ed'"):
        edit_text("{}", environ={"EDITOR": "/nonexistent/ed"})
    failing = _script(tmp_path, "sys.exit(3)")
    name = Path(failing).name
    with pytest.raises(EditorError, match=f"^editor '{name}' exited with status 3; edit discarded$"):
        edit_text("{}", environ={"EDITOR": failing})


def test_absurdly_deep_queries_are_problems_not_crashes():
    from console.query.validate import QueryProblem, check_filter

    deep_json = "[" * 100_000 + "]" * 100_000
    assert isinstance(parse_object(deep_json), JsonProblem)
    deep_query = '{"$and": [' * 2000 + '{"a": 1}' + "]}" * 2000
    problem = check_filter(deep_query)
    assert isinstance(problem, QueryProblem)
