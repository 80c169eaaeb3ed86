"""The console's start imports only what its first view needs (bench/startup.py times it): the
forecast (scipy, numpy), the query preview (numpy, tree-sitter), serve (uvicorn, starlette) and
remote contexts (httpx, the JWT signer), the regex package for MQL's $regex, the gig editor, the
dialogs, help and export load when they are used, and of the pydantic models only those the
first frame validates with are built. The simulation's clock starts (its waves rank with numpy)
once the gig list painted its first data. A subcommand loads no other subcommand's module."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from serve_process import copy_sim
from terminal.harness import scratch_env
from tui.screen import screen_lines

from console.backends.local import LocalBackend
from console.cli.main import SUBCOMMANDS
from console.tui.app import CirroApp
from console.tui.views import later

# Packages and modules the gig list of a local context does not need.
DEFERRED = ("scipy", "numpy", "uvicorn", "starlette", "httpx", "jwt", "tree_sitter", "regex",
            "console.forecast", "console.query", "console.server", "console.remote",
            "console.mql.columns", "console.mql.columnar", "console.mql.column_sort",
            "console.sim.population_file",
            "console.tui.views.queries", "console.tui.views.waves",
            "console.tui.widgets.forecast_line", "console.tui.views.gig_editor",
            "console.tui.gig_form", "console.tui.widgets.dialogs", "console.tui.help",
            "console.tui.export")
# Light (tomllib, json): a context's forecast_model is read at start, so a bad file is said then.
ALLOWED = ("console.forecast", "console.forecast.model", "console.forecast.context_model")

# The pydantic models the first frame validates with: the config's, the saved state's meta, the
# gigs (with their tasks' list envelope) and their stats.
FIRST_FRAME_MODELS = {"console.config.Config", "console.config.LocalContext",
                      "console.config.UISettings", "console.sim.state.StateMeta",
                      "console.models.gig.Gig", "console.models.envelope.ListEnvelope",
                      "console.models.stats.GigStats"}

# The installed entry point on the default context, headless (Pilot) at 80x24, until the gig list
# shows the first poll's data and asks for the other views to load: the modules loaded by then,
# and the console's pydantic models built by then (the others wait for their first use).
FIRST_FRAME = """
import asyncio, json, sys, time
from pydantic import BaseModel
from console.tui.app import CirroApp
from console.tui.views import later

def models(base):
    for model in base.__subclasses__():
        if model.__module__.startswith("console."):
            yield model
        yield from models(model)

def built():
    return sorted({f"{model.__module__}.{model.__qualname__}" for model in models(BaseModel)
                   if model.__pydantic_complete__})

loaded = []
later.preload = lambda: loaded.append({"modules": sorted(sys.modules), "models": built()})

async def first_frame(app):
    async with app.run_test(size=(80, 24)) as pilot:
        deadline = time.monotonic() + 20
        while not loaded:
            if time.monotonic() > deadline:
                raise SystemExit("no data in the gig list after 20 s")
            await pilot.pause(0.01)
        assert "of 8 gigs" in str(app.screen.query_one("#gigs-status").render())
    print(json.dumps(loaded[0]))

CirroApp.run = lambda app, *args, **kwargs: asyncio.run(first_frame(app))
from console.cli.main import main
main([])
"""

# The later views' modules, loaded in the background once asked.
PRELOAD = """
import json, sys, threading
import console.tui.app
from console.tui.views import later

later.preload()
for thread in threading.enumerate():
    if thread.name == "preload-views":
        thread.join(60)
print(json.dumps(sorted(sys.modules)))
"""


# A subcommand's command line (a gig file that is not there: the command says so and exits 1).
SUBCOMMAND = """
import json, sys
from console.cli.main import main

assert main(["gigs", "validate", "no-such-gig.json"]) == 1
print(json.dumps(sorted(sys.modules)))
"""


def printed(code: str, env: dict[str, str] | None = None) -> Any:
    """The JSON the last line of ``code``'s output holds."""
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def deferred(modules: list[str], also_allowed: tuple[str, ...] = ()) -> list[str]:
    packages = tuple(f"{name}." for name in DEFERRED)
    allowed = tuple(f"{name}." for name in also_allowed)
    return [name for name in modules
            if (name in DEFERRED or name.startswith(packages)) and name not in ALLOWED
            and name not in also_allowed and not name.startswith(allowed)]


def test_importing_the_app_loads_none_of_the_deferred_modules():
    modules = printed("import json, sys\nimport console.tui.app\n"
                             "print(json.dumps(sorted(sys.modules)))")
    assert deferred(modules) == []


def test_the_summary_and_its_rows_load_neither_textual_nor_pydantic():
    """The first frame reads them before either loads (console/tui/first_frame.py)."""
    modules = printed("import json, sys\nimport console.gig_facts, console.sim.gig_summary\n"
                      "print(json.dumps(sorted(sys.modules)))")
    assert [name for name in modules if name.split(".")[0] in ("textual", "pydantic")] == []


def test_the_console_shows_its_gig_list_without_the_deferred_modules(demo_dir, tmp_path: Path):
    copy_sim(demo_dir, tmp_path / ".local/share/cirro-console/local")
    first_frame = printed(FIRST_FRAME, scratch_env(tmp_path))
    modules = first_frame["modules"]
    assert "console.tui.views.gigs" in modules  # it did reach the gig list
    # The simulation's clock is held until then: no wave has ranked with numpy yet.
    assert deferred(modules) == []
    assert "console.models.gig.Gig" in first_frame["models"]
    assert set(first_frame["models"]) <= FIRST_FRAME_MODELS


def test_a_subcommand_loads_no_other_subcommand(tmp_path: Path):
    modules = printed(SUBCOMMAND, scratch_env(tmp_path))
    assert "console.cli.gigs" in modules
    others = {f"console.cli.{name}" for name in SUBCOMMANDS} - {"console.cli.gigs"}
    assert sorted(others & set(modules)) == []
    assert deferred(modules, also_allowed=("httpx", "jwt", "console.remote")) == []


async def test_the_clock_starts_once_the_gig_list_painted_its_first_data(demo_dir, tmp_path,
                                                                         monkeypatch):
    backend = LocalBackend.open(copy_sim(demo_dir, tmp_path / "sim"))
    start = backend.engine.clock
    app = CirroApp(backend, speed=600.0)
    shown: list[tuple[str, bool, int]] = []
    # Asked for once the first view's data is on the screen.
    monkeypatch.setattr(later, "preload", lambda: shown.append(
        ("\n".join(screen_lines(app)), backend.host.pace.paused, backend.engine.clock)))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            deadline = time.monotonic() + 20
            while not shown:
                assert time.monotonic() < deadline, "the gig list never showed its data"
                await pilot.pause(0.01)
            screen, held, clock = shown[0]
            assert "Onboarding survey" in screen and "8 of 8 gigs" in screen
            assert held and clock == start  # the first frame came before the clock moved
            header = screen.splitlines()[0]
            # A moment later the demo runs: the header's simulated time moves on.
            while screen_lines(app)[0] == header:
                assert time.monotonic() < deadline, f"the clock never moved: {header}"
                await pilot.pause(0.05)
            assert backend.engine.clock > start and not backend.host.pace.paused
    finally:
        await backend.close()


def test_the_other_views_load_in_the_background_once_asked():
    modules = printed(PRELOAD)
    assert {"console.tui.views.queries", "console.tui.views.waves",
            "console.tui.widgets.forecast_line", "scipy"} <= set(modules)
