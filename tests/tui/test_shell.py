"""The shell: first start on an empty data dir, layout at 80x24, remapped keys, palette, help,
views 2/3, the simulation clock."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.command import CommandPalette

from console.backends.errors import BadRequest, ConnectionFailed
from console.config import ConfigError, load_config
from console.tui import startup
from console.tui.help import HelpScreen
from console.tui.views.gigs import GigsScreen
from console.tui.widgets.virtual_table import VirtualTable

from .conftest import SIZE, count_repaints, listed, wait_for
from .fakes import T0
from .screen import screen_lines


@pytest.fixture
def xdg(tmp_path, monkeypatch):
    """An empty data dir and a config file path, as on a fresh machine."""
    monkeypatch.setenv("CIRRO_CONSOLE_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(tmp_path / "config.toml"))
    return tmp_path


def help_text(app) -> str:
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(app.screen.query_one("#help-table").content)
    return console.export_text()


async def test_first_start_builds_the_demo_and_lists_its_gigs(xdg):
    app, backend = startup.prepare()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await listed(pilot)
            table = app.screen.query_one(VirtualTable)
            phases = {row.cells[2] for row in table.visible_rows()}
            modes = {row.cells[3] for row in table.visible_rows()}
            assert table.row_count >= 8
            assert phases == {"scheduled", "live", "ended", "archived"}
            assert modes == {"auto", "manual"}
            # An auto gig in the middle of its waves: waves sent and a next wave due.
            assert any(r.cells[3] == "auto" and r.cells[6] != "0" and r.cells[7]
                       for r in table.visible_rows())
            first = app.snapshot.now
            # The clock runs while the console is open: the host's next frames move on.
            await wait_for(lambda: app.snapshot.now > first)
    finally:
        await backend.close()
    assert (xdg / "data" / "local").is_dir()


async def test_layout_at_80x24_shows_every_column_header_and_footer(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        table = app.screen.query_one(VirtualTable)
        header = table.render_line(0).text
        # The titles take the room they need: what does not fit is to the right, and said so.
        for label in ("ID", "TITLE", "PHASE", "MODE", "ACCEPTED", "PEND", "WAVES", "NEXT",
                      "START", "END"):
            assert label in header or label in table.beyond_edge
        assert table.beyond_edge == ["END"]
        assert "END to the right (l)" in screen_lines(app)[-2]
        status = app.screen.query_one("StatusHeader").render().plain
        assert "test (local)" in status and "x60" in status and "ago" in status
        footer_keys = {b.binding.id for b in app.screen.active_bindings.values()
                       if b.binding.show}
        assert {"gigs.open", "gigs.filter", "app.help", "app.quit"} <= footer_keys


async def test_remapped_key_from_the_config_file(xdg, backend):
    (xdg / "config.toml").write_text('[keys]\n"gigs.filter" = "f"\n"list.down" = "ctrl+n"\n')
    config = load_config()
    app = startup.create_app(config, backend)
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("ctrl+n")
        assert app.screen.query_one(VirtualTable).cursor_key == "2"
        await pilot.press("slash")
        assert not app.screen.query_one("#gig-filter").has_class("-shown")
        await pilot.press("f")
        assert app.focused is app.screen.query_one("#gig-filter")
        await pilot.press("escape", "f1")
        await pilot.pause()
        lines = help_text(app).splitlines()
        assert any("^n" in line and "Move down" in line for line in lines)
        assert any(" f " in f"{line} " and "Filter" in line for line in lines)


def test_unknown_action_in_keys_is_a_config_error(xdg):
    (xdg / "config.toml").write_text('[keys]\n"gigs.teleport" = "t"\n')
    with pytest.raises(ConfigError, match=r"config.toml: keys.gigs.teleport: no such action"):
        startup.check_ui(load_config())


def test_unknown_theme_is_a_config_error(xdg):
    (xdg / "config.toml").write_text('[ui]\ntheme = "neon"\n')
    with pytest.raises(ConfigError, match=r"ui.theme: unknown theme 'neon'.*ansi-dark"):
        startup.check_ui(load_config())


async def test_palette_lists_the_actions_of_this_screen_and_runs_them(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("colon")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"sort by")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "ChoiceDialog"


async def test_help_on_question_mark_lists_every_group(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = help_text(app)
        for heading in ("Everywhere", "Lists", "Gig list  (here)", "Gig view and editor"):
            assert heading in text
        await pilot.press("escape")
        assert isinstance(app.screen, GigsScreen)


async def test_clock_pauses_and_changes_speed(make_app, backend):
    app = make_app(speed=60.0)
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        await pilot.press("p")
        paused_at = backend.clock
        await pilot.pause(0.2)
        app.poll_now()
        await listed(pilot)
        assert backend.clock == paused_at
        assert "paused" in app.screen.query_one("StatusHeader").render().plain
        await pilot.press("p", "plus")
        assert app.clock.speed == 600.0  # the next step of the one ladder
        await pilot.pause(0.2)
        app.poll_now()
        await pilot.pause(0.1)
        await listed(pilot)
        assert backend.clock > paused_at


async def test_sixteen_colour_theme(make_app, backend):
    app = make_app(theme="ansi-dark")
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        assert app.current_theme.name == "ansi-dark"
        assert backend.clock >= T0


def test_no_subcommand_opens_the_console_with_context_and_read_only(monkeypatch):
    from console.cli import main as cli

    opened = []
    monkeypatch.setattr(startup, "run_console", lambda **kw: opened.append(kw) or 0)
    assert cli.main(["--context", "staging", "--read-only"]) == 0
    assert opened == [{"context": "staging", "read_only": True}]


def test_broken_config_is_reported_not_raised(xdg, capsys):
    (xdg / "config.toml").write_text("[ui\n")
    assert startup.run_console() == 2
    assert "config.toml: invalid TOML" in capsys.readouterr().err


async def test_no_color_is_respected(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        assert app.no_color


async def test_failed_poll_shows_in_the_header_and_keeps_the_rows(make_app, backend):
    backend.simulation = None  # no clock: polled, as the API is
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)

        async def down() -> list:
            raise ConnectionFailed("cirro.io unreachable after 3 tries")

        backend.list_gigs = down
        app.poll_now()
        await app.workers.wait_for_complete()
        await pilot.pause()
        header = app.screen.query_one("StatusHeader").render().plain
        assert "● cirro.io unreachable after 3 tries" in header
        assert app.screen.query_one(VirtualTable).row_count == 4


@pytest.mark.parametrize(("error", "short"), [
    (ConnectionFailed("cannot connect to api.staging.cirro.io:443: connection refused"),
     "● no answer"),
    (BadRequest("the server answered something this console cannot read at all, twice"),
     "● error (status 400)"),
])
async def test_at_80_columns_a_long_poll_error_shows_a_short_form_whole(
        make_app, backend, error, short):
    backend.simulation = None  # no clock: polled, as the API is
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await listed(pilot)

        async def down() -> list:
            raise error

        backend.list_gigs = down
        app.poll_now()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen_lines(app)[0].rstrip().endswith(short)


async def test_a_poll_repaints_the_status_lines_not_the_whole_screen(make_app, monkeypatch):
    """Each poll (a frame, 4 a second at the fastest speed) bumps the status: the lines that
    show it paint again; a repaint of the whole screen (3-4 ms) had cost every frame."""
    from textual.screen import Screen

    from console.tui.widgets.status_header import StatusHeader

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot)
        repaints = count_repaints(monkeypatch, Screen)
        header = app.screen.query_one(StatusHeader)
        painted = []
        monkeypatch.setattr(header, "render", lambda render=header.render: painted.append(1) or render())
        version = app.status_version
        app.poll_now()
        await wait_for(lambda: app.status_version > version and painted)
        assert repaints == []
