"""``cirro-console gigs validate`` on the documented example, as printed and as fixed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

from console.cli.main import main


def test_example_as_printed_is_rejected_with_line_and_column(capsys):
    path = FIXTURES / "gig_object_page.json"
    assert main(["gigs", "validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:26:15: invalid JSON: Expecting ',' delimiter" in err


def test_fixed_example_passes(capsys):
    assert main(["gigs", "validate", str(FIXTURES / "gig_object_page_fixed.json")]) == 0
    assert "valid gig (read shape)" in capsys.readouterr().out


def test_every_problem_is_listed_with_its_path(tmp_path, capsys):
    path = tmp_path / "gig.json"
    path.write_text(json.dumps({"title": "t", "description": "d", "url": "u", "start_at": 5,
                                "end_at": 4, "total_seats": -1, "invitation_mode": "auto",
                                "filter_query": {}, "sort_query": {"a": 0}}))
    assert main(["gigs", "validate", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert f"{path}: end_at: must be after start_at (5), got 4" in err
    assert f"{path}: total_seats: must not be negative (got -1)" in err
    assert f"{path}: sort_query: sort direction of 'a' must be 1 or -1, not 0" in err


def test_a_frequency_the_clock_cannot_reach_is_invalid(tmp_path, capsys):
    path = tmp_path / "gig.json"
    path.write_text(json.dumps({"title": "t", "description": "d", "url": "u", "start_at": 5,
                                "end_at": 9, "total_seats": 1, "invitation_mode": "auto",
                                "filter_query": {}, "invitation_frequency": 1e307}))
    assert main(["gigs", "validate", str(path)]) == 1
    assert "invitation_frequency: must be at most 525,600 minutes" in capsys.readouterr().err


def test_missing_file_and_non_object(tmp_path, capsys):
    assert main(["gigs", "validate", str(tmp_path / "nope.json")]) == 1
    assert "cannot read file" in capsys.readouterr().err
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    assert main(["gigs", "validate", str(path)]) == 1
    assert "a gig must be a JSON object, not list" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["gigs", "validate"], ["gigs", "create"], ["simulate"]])
def test_a_file_nested_too_deeply_is_named_not_a_traceback(tmp_path, capsys, command):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert main([*command, str(path)]) in (1, 2)
    assert f"{path}: invalid JSON: arrays or objects nested too deeply" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs /dev/full")
def test_output_to_a_full_disk_is_one_line_not_a_traceback(tmp_path):
    # Before: exit 120 and "Exception ignored ... OSError: [Errno 28]" (a traceback for longer
    # output) when stdout could not be written.
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "console", "gigs", "validate",
                               str(FIXTURES / "gig_object_page_fixed.json")],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == "cirro-console: cannot write the output: No space left on device\n"


def test_help_lists_subcommands(capsys):
    # Without arguments the command opens the console (tests/tui); --help lists the commands.
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    assert "gigs" in capsys.readouterr().out


@pytest.mark.parametrize("query, where, message", [
    ({"rating": {"$gtx": 3}}, "filter_query.rating.$gtx", "unknown operator $gtx"),
    ({"$where": "this.rating > 3"}, "filter_query.$where",
     "$where is a MongoDB operator that cirro-console does not support"),
])
def test_validate_simulate_and_create_reject_the_same_query_alike(tmp_path, capsys, monkeypatch,
                                                                  query, where, message):
    monkeypatch.setenv("CIRRO_CONSOLE_DATA", str(tmp_path / "data"))
    path = tmp_path / "gig.json"
    path.write_text(json.dumps({"title": "t", "description": "d", "url": "u",
                                "start_at": 1_800_000_000, "end_at": 1_800_086_400,
                                "total_seats": 2, "invitation_mode": "auto",
                                "filter_query": query}))
    answers = []
    for command in (["gigs", "validate"], ["simulate"], ["gigs", "create"]):
        code = main([*command, str(path)])
        out, err = capsys.readouterr()
        answers.append((code != 0, out, err))
    expected = f"{path}: {where}: {message}"
    for refused, out, err in answers:
        assert refused and "valid gig" not in out
        assert err.splitlines()[0].startswith(expected)
    assert len({err for _, _, err in answers}) == 1  # word for word the same message
    assert not (tmp_path / "data").exists()  # refused before any simulation was opened


@pytest.mark.parametrize("shape", ["create", "read"])
def test_a_description_over_its_limit_is_refused_alike_in_either_shape(tmp_path, capsys,
                                                                       monkeypatch, shape):
    # simulate ran a read-shape file through the create it makes, and that create's refusal
    # was a pydantic traceback while gigs validate called the file valid.
    monkeypatch.setenv("CIRRO_CONSOLE_DATA", str(tmp_path / "data"))
    gig = {"title": "t", "description": "d" * 20_001, "url": "u", "start_at": 1_800_000_000,
           "end_at": 1_800_086_400, "total_seats": 2, "invitation_mode": "auto",
           "filter_query": {}}
    path = tmp_path / "gig.json"
    path.write_text(json.dumps({"id": "7", **gig} if shape == "read" else gig))
    commands = [["gigs", "validate"], ["simulate"]] + ([["gigs", "create"]] if shape == "create"
                                                       else [])
    for command in commands:
        assert main([*command, str(path)]) != 0
        out, err = capsys.readouterr()
        assert "valid gig" not in out
        assert err == f"{path}: description: must be at most 20,000 characters (got 20,001)\n"
    assert not (tmp_path / "data").exists()
