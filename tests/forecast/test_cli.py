"""calibrate, forecast and --sweep as the operator runs them: what they print, and the messages
for bad input."""

from __future__ import annotations

import json

import pytest
from serve_process import copy_sim, local_config

from console.cli.main import main
from console.forecast.model import PARAMETERS, load_model
from console.forecast.synthetic import plain_population, record_trial, trial_gig
from console.waves import SETTING_NAMES, SimSettings


@pytest.fixture
def local(tmp_path, monkeypatch, demo_dir):
    sim = copy_sim(demo_dir, tmp_path / "sim")
    monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(local_config(tmp_path / "c.toml", sim)))
    return sim


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    path = tmp_path_factory.mktemp("rec") / "run.jsonl"
    record_trial(path, plain_population(3000), SimSettings(), 7,
                 trial_gig(seats_min=60, total_seats=60, invitation_multiplier=2))
    return path


def test_calibrate_a_recording_prints_each_estimate_with_its_interval(recording, capsys):
    assert main(["calibrate", str(recording)]) == 0
    out = capsys.readouterr().out
    assert f"response model from {recording} (gigs 1):" in out
    assert "parameter" in out and "95% interval" in out
    for name in PARAMETERS:
        line = next(line for line in out.splitlines() if line.startswith(name))
        assert " - " in line


def test_calibrate_json_names_parameters_as_simulate_set_does(recording, tmp_path, capsys):
    out_file = tmp_path / "model.toml"
    assert main(["calibrate", str(recording), "--json", "--out", str(out_file)]) == 0
    data = json.loads(capsys.readouterr().out)
    for name in PARAMETERS:
        assert name in SETTING_NAMES
        assert set(data[name]) == {"value", "low", "high", "n"}
        assert data[name]["low"] <= data[name]["value"] <= data[name]["high"]
    model = load_model(out_file)
    assert model.overall.value("response_sigma") == pytest.approx(data["response_sigma"]["value"])
    # simulate --model runs with the fitted parameters.
    gig = tmp_path / "gig.json"
    gig.write_text(trial_gig().model_dump_json())
    assert main(["simulate", str(gig), "--workers", "300", "--model", str(out_file), "--json",
                 "--state", str(tmp_path / "st")]) == 0
    settings = json.loads(capsys.readouterr().out)["settings"]
    assert settings["respond_probability"] == pytest.approx(data["respond_probability"]["value"])


def test_calibrate_by_field_of_a_recording_needs_documents(recording, capsys):
    assert main(["calibrate", str(recording), "--by", "country"]) == 2
    assert "a recording holds no worker documents; give --population FILE" in \
        capsys.readouterr().err


def test_calibrate_context_gigs_by_country(local, capsys):
    assert main(["calibrate", "2", "5", "--by", "country"]) == 0
    out = capsys.readouterr().out
    assert "response model from context 'local' gigs 2, 5:" in out
    assert "by country (" in out


def test_bad_model_file_is_named(tmp_path, local, capsys):
    bad = tmp_path / "m.toml"
    bad.write_text('format = "cirro-console-response-model"\nversion = 1\n')
    assert main(["forecast", "5", "--model", str(bad)]) == 2
    assert f"{bad}.respond_probability: missing" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["m.json", "m.toml"])
def test_a_model_file_nested_too_deeply_is_named(tmp_path, local, capsys, name):
    bad = tmp_path / name
    bad.write_text(("a = " if name.endswith(".toml") else "") + "[" * 100_000 + "]" * 100_000)
    assert main(["forecast", "5", "--model", str(bad)]) == 2
    assert "nested too deeply to read" in capsys.readouterr().err


def test_forecast_of_a_running_gig(local, capsys):
    assert main(["forecast", "5", "--runs", "40", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("gig 5 'Checkout regression (Android)' at 2026-03-02 10:00 UTC:")
    assert "seats_min (40)" in out and "seats_max (45)" in out
    assert "fills before end_at (2026-03-04 10:00):" in out
    assert "invitations still to send: P50" in out and "workers invited in all: P50" in out


def test_forecast_json_and_model(local, recording, tmp_path, capsys):
    model = tmp_path / "m.json"
    assert main(["calibrate", str(recording), "--out", str(model)]) == 0
    capsys.readouterr()
    assert main(["forecast", "5", "--runs", "30", "--jobs", "1", "--model", str(model),
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["runs"] == 30 and data["model"].startswith(str(model))
    q = data["seats_min_at"]
    assert q["p10"] <= q["p50"] <= q["p90"]
    assert 0 <= data["fill_before_end_probability"] <= 1
    assert data["workers_invited"]["p50"] >= 280  # gig 5 had invited 280 already


def test_sweep_orders_combinations_and_picks_one(local, capsys):
    assert main(["forecast", "5", "--runs", "30", "--jobs", "1",
                 "--sweep", "invitation_multiplier=1,3", "--sweep", "invitation_frequency=5,60",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = data["combinations"]
    assert len(rows) == 4
    reliable = [r for r in rows if r["fill_before_end_probability"] >= 0.9]
    invited = [r["workers_invited"]["p50"] for r in reliable]
    assert invited == sorted(invited)
    assert data["pick"] == rows[0]["settings"]
    assert main(["forecast", "5", "--runs", "20", "--jobs", "1",
                 "--sweep", "invitation_multiplier=1,3"]) == 0
    assert "<- pick" in capsys.readouterr().out


@pytest.mark.parametrize(("option", "expected"), [
    (["--runs", str(2**62)], "--runs: must be 1 to 100,000, got 4,611,686,018,427,387,904"),
    (["--jobs", "100000"], "--jobs: must be 1 to this machine's"),
    (["--seed", "-1"], "--seed: must not be negative, got -1"),
])
def test_options_no_forecast_could_finish_are_refused(monkeypatch, capsys, option, expected):
    # Before: 2**62 runs went on for good, 100,000 processes did not start, -1 was a traceback.
    def no_state(args):
        raise AssertionError("the forecast went ahead")
    monkeypatch.setattr("console.cli.forecast._read_state", no_state)
    assert main(["forecast", "5", *option]) == 2
    assert expected in capsys.readouterr().err


def test_a_directory_given_as_source_is_named(tmp_path, local, capsys):
    # Before: taken for a gig id, "gig /tmp/... not found (status 404)".
    assert main(["calibrate", str(tmp_path)]) == 2
    assert f"{tmp_path}: a directory, not a recording" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["missing/run.jsonl", "run.jsonl"])
def test_a_missing_recording_is_named_not_taken_for_a_gig(tmp_path, local, capsys, name):
    # Before: "gig /tmp/.../run.jsonl not found (status 404)", as if it were a gig id.
    missing = tmp_path / name if "/" in name else name
    assert main(["calibrate", str(missing)]) == 2
    assert f"{missing}: no such file (a recording from simulate --record, or gig ids)" in \
        capsys.readouterr().err


def test_bad_sweep_is_named(local, capsys):
    assert main(["forecast", "5", "--sweep", "wave_size=3"]) == 2
    assert "--sweep 'wave_size=3': expected NAME=V1,V2,... with NAME one of" in \
        capsys.readouterr().err
    assert main(["forecast", "5", "--sweep", "seats_max=10"]) == 2
    assert "seats_max: must be at least seats_min (40)" in capsys.readouterr().err


def test_unknown_gig(local, capsys):
    assert main(["forecast", "99"]) == 1
    assert "gig 99 not found" in capsys.readouterr().err
