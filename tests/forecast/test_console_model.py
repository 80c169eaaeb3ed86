"""The console takes a fitted model: a context's ``forecast_model`` is read at start (a bad file
is said, naming the key) and the wave monitor's forecast line runs on it and names it."""

from __future__ import annotations

import asyncio
import time

from console.forecast.fit import fit_group
from console.forecast.model import ModelFile, ResponseModel
from console.forecast.observations import Observation
from console.monitor.scenario import scenario
from console.tui import startup
from console.tui.app import CirroApp
from console.tui.views.waves import WavesScreen


def write_config(tmp_path, monkeypatch, model_path) -> None:
    monkeypatch.setenv("CIRRO_CONSOLE_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text(
        f'[contexts.local]\nkind = "local"\nforecast_model = "{model_path}"\n')


def small_model() -> ResponseModel:
    answered = [Observation(str(i), 0.5 + (i % 10) / 5, True, i % 3 == 0) for i in range(120)]
    waiting = [Observation(str(1000 + i), 6.0, False) for i in range(80)]
    return ResponseModel(fit_group(answered + waiting), source="test responses")


def test_a_bad_forecast_model_is_said_at_start_naming_the_key(tmp_path, monkeypatch, capsys):
    (tmp_path / "model.toml").write_text("respond_probability = [\n")
    write_config(tmp_path, monkeypatch, tmp_path / "model.toml")
    assert startup.run_console() == 2
    err = capsys.readouterr().err
    assert "contexts.local.forecast_model:" in err and "model.toml: not valid TOML" in err
    assert not (tmp_path / "data").exists()  # nothing was opened


def test_the_context_model_reaches_the_app(tmp_path, monkeypatch):
    (tmp_path / "model.toml").write_text(small_model().to_toml())
    write_config(tmp_path, monkeypatch, tmp_path / "model.toml")
    app, backend = startup.prepare()
    try:
        assert app.forecast_model is not None
        assert app.forecast_model.path == tmp_path / "model.toml"
        assert app.forecast_model.model.source == "test responses"
    finally:
        asyncio.run(backend.close())


async def test_the_monitor_line_runs_on_the_given_model_and_names_it(tmp_path):
    backend, _ = scenario()
    given = ModelFile(tmp_path / "team.toml", small_model())
    app = CirroApp(backend, speed=60, forecast_model=given)
    app.clock.paused = True
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("enter")
        deadline = time.monotonic() + 30
        line = ""
        while "fills ~" not in line and "runs do not" not in line:
            assert time.monotonic() < deadline, f"no forecast line: {line!r}"
            await pilot.pause(0.1)
            screen = app.screen
            if isinstance(screen, WavesScreen):
                line = str(screen.query_one("#wv-forecast").render())
        assert line.startswith("forecast: ") and line.endswith(" · team.toml")


def test_a_model_whose_value_is_nan_is_said_at_start_naming_the_parameter(tmp_path, monkeypatch,
                                                                          capsys):
    text = small_model().to_toml()
    start = text.index("[respond_probability]")
    value = text.index("value = ", start)
    end = text.index("\n", value)
    (tmp_path / "model.toml").write_text(text[:value] + "value = nan" + text[end:])
    write_config(tmp_path, monkeypatch, tmp_path / "model.toml")
    assert startup.run_console() == 2
    err = capsys.readouterr().err
    assert "forecast_model" in err and "respond_probability" in err and "nan" in err
