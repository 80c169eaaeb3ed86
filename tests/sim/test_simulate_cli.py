"""``cirro-console simulate``: reports, bad input, reproducibility and surviving SIGKILL."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.cli.main import main
from console.cli.simulate import InputError, parse_until

from .conftest import DAY, START

ROOT = Path(__file__).resolve().parents[2]


def write_gig(path: Path, **overrides) -> Path:
    gig = {
        "title": "Checkout regression", "description": "d", "url": "https://space.example/1",
        "start_at": START, "end_at": START + 14 * DAY, "total_seats": 10, "seats_min": 10,
        "seats_max": 12, "invitation_mode": "auto", "invitation_multiplier": 3,
        "invitation_frequency": 5, "filter_query": {"status": "active"},
        "sort_query": {"rating": -1}, "tasks": [{"title": "Run", "base_price": 100}],
    }
    gig.update(overrides)
    path.write_text(json.dumps(gig))
    return path


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CIRRO_CONSOLE_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def run_json(capsys, *args: str) -> dict:
    assert main(["simulate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_report_shape_and_consistency(tmp_path, capsys):
    report = run_json(capsys, str(write_gig(tmp_path / "gig.json")), "--workers", "800",
                      "--seed", "4")
    assert set(report) == {"gig", "settings", "waves", "invitations", "totals"}
    assert report["settings"]["seed"] == 4 and report["settings"]["wave_counting"] == "new"
    totals = report["totals"]
    assert totals["invited"] == len(report["invitations"]) == sum(w["invited"] for w in report["waves"])
    assert totals["accepted"] == 12 and totals["pending"] == 0  # seats_max reached
    assert set(report["waves"][0]) == {"n", "at", "invited", "accepted", "rejected", "expired",
                                       "pending"}
    assert set(report["invitations"][0]) == {"user_id", "wave", "invited_at", "status",
                                             "responded_at"}


def test_same_seed_same_bytes_and_other_seed_other_run(tmp_path):
    gig = str(write_gig(tmp_path / "gig.json"))

    def output(*args: str) -> bytes:
        return subprocess.run([sys.executable, "-m", "console", "simulate", gig, "--json",
                               "--workers", "600", *args], cwd=ROOT, capture_output=True,
                              check=True, env=dict(os.environ)).stdout

    first = output("--seed", "1", "--state", str(tmp_path / "a"))
    assert output("--seed", "1", "--state", str(tmp_path / "b")) == first
    assert output("--seed", "1", "--state", str(tmp_path / "a")) == first  # finished: reprinted
    assert output("--seed", "2", "--state", str(tmp_path / "c")) != first


def test_table_output_answers_when_full_and_how_many_bothered(tmp_path, capsys):
    assert main(["simulate", str(write_gig(tmp_path / "gig.json")), "--workers", "500"]) == 0
    out = capsys.readouterr().out
    assert "wave  at (UTC)" in out and "total" in out
    assert "full (seats_min 10 accepted) at" in out and "workers bothered:" in out


def test_until_stops_early_and_a_rerun_continues(tmp_path, capsys):
    gig = str(write_gig(tmp_path / "gig.json"))
    early = run_json(capsys, gig, "--workers", "500", "--until", "+20m")
    assert [w["at"] for w in early["waves"]] == [START + i * 300 for i in range(5)]
    rest = run_json(capsys, gig, "--workers", "500")
    whole = run_json(capsys, gig, "--workers", "500", "--state", str(tmp_path / "whole"))
    assert rest == whole


@pytest.mark.parametrize("overrides, expected", [
    ({"seats_max": 1}, "seats_max: must be at least seats_min (10), got 1"),
    ({"filter_query": {"$or": []}}, "filter_query.$or: "),
    ({"filter_query": {"rating": {"$gt": 1, "$bogus": 2}}}, "filter_query.rating.$bogus"),
    ({"sort_query": {"rating": 2}}, "sort_query: sort direction of 'rating' must be 1 or -1"),
    ({"invitation_multiplier": 1e308}, "invitation_multiplier: must be at most 1,000"),
])
def test_bad_gig_names_the_field_exits_2_and_writes_nothing(tmp_path, capsys, data_dir,
                                                            overrides, expected):
    gig = write_gig(tmp_path / "gig.json", **overrides)
    assert main(["simulate", str(gig), "--workers", "50"]) == 2
    assert expected in capsys.readouterr().err
    assert not data_dir.exists()


@pytest.mark.parametrize("args, expected", [
    (["--set", "accept_probability=7"], "accept_probability: must be between 0 and 1"),
    (["--set", "speed=2"], "speed: unknown setting"),
    # Before: a ValueError or OverflowError traceback from the first response drawn.
    (["--set", "response_sigma=nan"], "response_sigma: must be between 0 and 20, got nan"),
    (["--set", "response_median_hours=1e308"], "response_median_hours: must be > 0 and at most"),
    (["--checkpoint-every", "nan"], "--checkpoint-every: must be 0 or more seconds, got nan"),
    (["--checkpoint-every", "-1"], "--checkpoint-every: must be 0 or more seconds, got -1.0"),
    (["--until", "tomorrow"], "--until: 'tomorrow' is not"),
    (["--population", "missing.json"], "cannot read population"),
])
def test_bad_options_exit_2_and_write_nothing(tmp_path, capsys, data_dir, args, expected):
    gig = write_gig(tmp_path / "gig.json")
    assert main(["simulate", str(gig), *args]) == 2
    assert expected in capsys.readouterr().err
    assert not data_dir.exists()


def test_more_synthetic_workers_than_memory_holds_are_refused(tmp_path, capsys, data_dir,
                                                              monkeypatch):
    def no_population(count, seed):  # before the check, 10**12 ran until memory ran out
        raise AssertionError(f"would build {count:,} workers")
    monkeypatch.setattr("console.sim.runner.generate_population", no_population)
    gig = write_gig(tmp_path / "gig.json")
    assert main(["simulate", str(gig), "--workers", str(10**12)]) == 2
    assert "--workers: at most 1,000,000 synthetic workers" in capsys.readouterr().err
    assert not data_dir.exists()


def test_broken_json_gig_file_names_line_and_column(tmp_path, capsys):
    gig = tmp_path / "gig.json"
    gig.write_text('{"title": "x",\n "description": }')
    assert main(["simulate", str(gig)]) == 2
    assert f"{gig}:2:" in capsys.readouterr().err


def test_population_file_round_trip(tmp_path, capsys):
    gig = str(write_gig(tmp_path / "gig.json"))
    saved = tmp_path / "pop.json"
    generated = run_json(capsys, gig, "--workers", "300", "--save-population", str(saved))
    records = json.loads(saved.read_text())
    assert len(records) == 300 and set(records[0]) >= {"id", "document"}
    loaded = run_json(capsys, gig, "--population", str(saved))
    assert loaded["invitations"] == generated["invitations"]


def test_bad_population_item_is_named(tmp_path, capsys):
    pop = tmp_path / "pop.json"
    pop.write_text(json.dumps([{"id": "1", "document": {}}, {"id": "2", "document": [1]}]))
    assert main(["simulate", str(write_gig(tmp_path / "gig.json")), "--population", str(pop)]) == 2
    assert f"{pop}: [1].document: must be an object" in capsys.readouterr().err


def test_damaged_state_is_reported_and_kept(tmp_path, capsys):
    gig = str(write_gig(tmp_path / "gig.json"))
    state = tmp_path / "state"
    assert main(["simulate", gig, "--workers", "100", "--state", str(state), "--until", "+5m"]) == 0
    (state / "state.json").write_text("{broken")
    assert main(["simulate", gig, "--workers", "100", "--state", str(state)]) == 1
    assert "state.json: damaged or truncated" in capsys.readouterr().err
    assert (state / "state.json").read_text() == "{broken"


def test_other_inputs_in_the_same_state_directory_are_refused(tmp_path, capsys):
    gig = str(write_gig(tmp_path / "gig.json"))
    state = str(tmp_path / "state")
    assert main(["simulate", gig, "--workers", "100", "--state", state]) == 0
    assert main(["simulate", gig, "--workers", "100", "--state", state, "--seed", "9"]) == 1
    assert "other inputs" in capsys.readouterr().err
    assert main(["simulate", gig, "--workers", "100", "--state", state, "--seed", "9",
                 "--fresh"]) == 0


def saved_clock(state: Path) -> int | None:
    """The simulated time of the run's last save (None before its first, or mid-replace)."""
    try:
        (meta,) = json.loads((state / "state.json").read_text())["meta"].values()
    except (OSError, ValueError):
        return None
    return meta["clock"]


def test_a_run_killed_at_arbitrary_points_ends_with_the_same_report(tmp_path):
    gig = str(write_gig(tmp_path / "gig.json", total_seats=10, seats_min=20, seats_max=None,
                        invitation_multiplier=2))
    # About 90 waves, each saved (checkpoint every wave), so kills land mid-run and mid-write.
    common = [sys.executable, "-m", "console", "simulate", gig, "--json", "--workers", "3000",
              "--seed", "11", "--set", "accept_probability=0.03", "--checkpoint-every", "0"]
    reference = subprocess.run([*common, "--state", str(tmp_path / "reference")], cwd=ROOT,
                               capture_output=True, check=True).stdout
    assert len(json.loads(reference)["waves"]) > 20
    state = tmp_path / "killed"
    delays = random.Random(5)
    killed_mid_run = 0
    for _ in range(4):
        before = saved_clock(state) or START
        process = subprocess.Popen([*common, "--state", str(state)], cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # The waves take a small part of a run (start-up and the population come first): kill
        # once this run has saved a wave of its own, a few waves later or not at all.
        deadline = time.monotonic() + 60
        while process.poll() is None and (saved_clock(state) or START) <= before:
            assert time.monotonic() < deadline, "the run saved no wave in 60 s"
            time.sleep(0.005)
        waves_more = delays.randint(0, 8)
        while process.poll() is None and waves_more:
            clock = saved_clock(state)
            while process.poll() is None and saved_clock(state) == clock:
                time.sleep(0.001)
            waves_more -= 1
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.communicate()
            # Killed after a wave of its own and before the end: the next run must resume.
            killed_mid_run += (saved_clock(state) or START) > before
        else:
            process.communicate()
    assert killed_mid_run >= 1
    final = subprocess.run([*common, "--state", str(state)], cwd=ROOT, capture_output=True,
                           check=True)
    assert final.stdout == reference


def test_unwritable_save_population_is_reported(tmp_path, capsys):
    target = tmp_path / "missing-dir" / "sub" / "pop.json"
    (tmp_path / "missing-dir").write_text("a file, not a directory")
    gig = str(write_gig(tmp_path / "gig.json"))
    assert main(["simulate", gig, "--workers", "10", "--save-population", str(target)]) == 1
    assert "cannot write population" in capsys.readouterr().err


def test_save_population_to_a_device_or_pipe_leaves_it_as_it_is(tmp_path, capsys):
    # As root, --save-population /dev/full renamed a regular file over the device. A FIFO
    # stands in for it here: replacing one takes no privilege.
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    gig = str(write_gig(tmp_path / "gig.json"))
    assert main(["simulate", gig, "--workers", "10", "--save-population", str(fifo)]) == 1
    assert f"{fifo}: cannot write population: not a regular file" in capsys.readouterr().err
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert not (tmp_path / "pipe.json.columns").exists()


@pytest.mark.parametrize("text, expected", [
    ("1800000900", 1_800_000_900),
    ("+15m", START + 900),
    ("+2d", START + 2 * DAY),
    ("+30", START + 30),
    ("2027-01-15T08:15:00Z", 1_800_000_900),
])
def test_until_forms(text, expected):
    assert parse_until(text, START) == expected


def test_until_without_time_zone_is_refused():
    with pytest.raises(InputError, match="time zone"):
        parse_until("2027-01-15T08:15:00", START)


def test_record_on_a_finished_saved_run_starts_afresh_and_holds_the_whole_run(tmp_path, capsys):
    gig = str(write_gig(tmp_path / "gig.json"))
    first = run_json(capsys, gig, "--workers", "400")
    assert main(["simulate", gig, "--workers", "400", "--json"]) == 0
    again = capsys.readouterr()
    assert json.loads(again.out) == first
    assert "resumed the saved run in " in again.err and "(finished): reprinting its report" \
        in again.err
    fresh, rerun = tmp_path / "fresh.jsonl", tmp_path / "rerun.jsonl"
    assert main(["simulate", gig, "--workers", "400", "--state", str(tmp_path / "new"),
                 "--record", str(fresh)]) == 0
    frames = len(fresh.read_text().splitlines()) - 1
    assert f"recorded {frames} frames to {fresh}" in capsys.readouterr().err and frames > 1
    assert main(["simulate", gig, "--workers", "400", "--record", str(rerun), "--json"]) == 0
    out, err = capsys.readouterr()
    assert "is finished; starting it afresh so that the recording holds the whole run" in err
    assert f"recorded {frames} frames to {rerun}" in err
    assert rerun.read_text().splitlines()[1:] == fresh.read_text().splitlines()[1:]
    assert json.loads(out) == first  # the same run, the same report
