"""Data files and directories that cannot be used: one line naming the file and what is wrong,
exit 2, never a traceback; and the console's own files are private (0600)."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest
from serve_process import copy_sim, local_config

from console.backends.local import LocalBackend
from console.cli.main import main
from console.monitor.recording import Recorder
from console.remote.registry import GigRegistry
from console.sim import atomic
from console.tui import startup

WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


@pytest.fixture
def local(tmp_path, monkeypatch):
    """A config whose local context keeps its simulation in tmp_path/sim."""
    monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(local_config(tmp_path / "c.toml",
                                                                tmp_path / "sim")))
    return tmp_path / "sim"


def refuse_writes(monkeypatch, root: Path, code: int) -> None:
    """The file system refuses every write under ``root`` (no permission, read-only mount):
    running as root, chmod alone would not."""
    real_open, real_mkdir = os.open, os.mkdir

    def denied(path) -> OSError:
        return OSError(code, os.strerror(code), str(path))

    def fake_open(path, flags, *args, **kwargs):
        if str(path).startswith(str(root)) and flags & WRITING:
            raise denied(path)
        return real_open(path, flags, *args, **kwargs)

    def fake_mkdir(path, *args, **kwargs):
        if str(path).startswith(str(root)):
            raise denied(path)
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "mkdir", fake_mkdir)


def one_line_error(capsys, *expected: str) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line]
    assert len(lines) == 1, err
    for text in expected:
        assert text in lines[0]
    return lines[0]


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_an_unwritable_data_dir_on_a_first_start(local, monkeypatch, capsys, code):
    refuse_writes(monkeypatch, local.parent, code)
    assert main(["gigs", "list"]) == 2
    one_line_error(capsys, str(local), os.strerror(code))


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_an_unwritable_data_dir_of_a_simulation(local, demo_dir, monkeypatch, capsys, code):
    copy_sim(demo_dir, local)
    (local / ".lock").unlink()
    refuse_writes(monkeypatch, local, code)
    assert main(["gigs", "archive", "1"]) == 2
    one_line_error(capsys, str(local / ".lock"), os.strerror(code))


def test_a_lock_that_is_a_directory(local, demo_dir, capsys):
    copy_sim(demo_dir, local)
    (local / ".lock").unlink()
    (local / ".lock").mkdir()
    assert main(["gigs", "archive", "1"]) == 2
    one_line_error(capsys, str(local / ".lock"), "Is a directory")


def test_a_first_start_on_a_full_disk(local, monkeypatch, capsys):
    def full(path, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    monkeypatch.setattr("console.sim.store.write_bytes_atomically", full)
    assert main(["gigs", "list"]) == 2
    one_line_error(capsys, str(local), "No space left on device")


def test_a_change_on_a_full_disk(local, demo_dir, monkeypatch, capsys):
    copy_sim(demo_dir, local)
    before = (local / "state.json").read_bytes()

    def full(path, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr("console.sim.store.write_bytes_atomically", full)
    monkeypatch.setattr("console.sim.journal.append_durably", full)  # where a change goes first
    assert main(["gigs", "archive", "3"]) == 2  # a live gig of the demo
    one_line_error(capsys, f"simulation not saved: {local}: No space left on device",
                   "the change was undone")
    assert (local / "state.json").read_bytes() == before


def test_a_population_with_malformed_records(local, demo_dir, capsys):
    copy_sim(demo_dir, local)
    path = local / "population.json"
    data = json.loads(path.read_text())
    data["workers"]["2"] = {"id": 5}
    path.write_text(json.dumps(data))
    assert main(["gigs", "list"]) == 2
    one_line_error(capsys, f"{path}: workers: [1].document: must be an object")


def test_a_clock_stored_as_noon(local, demo_dir, capsys):
    copy_sim(demo_dir, local)
    path = local / "state.json"
    data = json.loads(path.read_text())
    data["meta"]["1"]["clock"] = "noon"
    path.write_text(json.dumps(data))
    for command in (["gigs", "list"], ["serve", "--port", "0"]):
        assert main(command) == 2
        one_line_error(capsys, str(path), "meta.clock: Input should be a valid integer")


def test_a_state_nested_too_deep_for_the_json_reader(local, demo_dir, capsys):
    copy_sim(demo_dir, local)
    (local / "state.json").write_text("[" * 200_000)
    assert main(["gigs", "list"]) == 2
    one_line_error(capsys, str(local / "state.json"), "damaged", "maximum recursion depth")


@pytest.mark.parametrize(("setting", "limit"), [
    ("speed = 1e308", "ui.speed: Input should be less than or equal to 86400"),
    ("refresh_seconds = 1e308", "ui.refresh_seconds: Input should be less than or equal to 3600"),
    ("poll_seconds = inf", "ui.poll_seconds: Input should be less than or equal to 3600"),
])
def test_absurd_ui_settings_in_the_config(local, tmp_path, capsys, setting, limit):
    config = tmp_path / "c.toml"
    config.write_text(config.read_text() + f"[ui]\n{setting}\n")
    assert main(["gigs", "list"]) == 2
    one_line_error(capsys, "c.toml", limit)


# The console's start path ----------------------------------------------------------------------
def test_the_console_start_says_what_is_wrong_with_the_data_dir(local, demo_dir, capsys,
                                                                 monkeypatch):
    copy_sim(demo_dir, local)
    (local / ".lock").unlink()
    (local / ".lock").mkdir()
    assert startup.run_console() == 2
    one_line_error(capsys, str(local / ".lock"), "Is a directory")
    (local / ".lock").rmdir()
    refuse_writes(monkeypatch, local, errno.EROFS)
    assert startup.run_console() == 2
    one_line_error(capsys, str(local / ".lock"), "Read-only file system")


# Private files ---------------------------------------------------------------------------------
def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_locks_and_recordings_are_private(tmp_path, demo_dir):
    previous = os.umask(0o022)
    try:
        sim = copy_sim(demo_dir, tmp_path / "sim")
        (sim / ".lock").unlink()
        LocalBackend.open(sim).store.close()
        registry = GigRegistry(tmp_path / "reg" / "registry.json")
        registry.add(["1"], "tracked", 0)
        Recorder(tmp_path / "run.jsonl", "test").close()
        written = tmp_path / "atomic.json"
        atomic.write_json_atomically(written, {})
    finally:
        os.umask(previous)
    for path in (sim / ".lock", sim / "state.json", tmp_path / "reg" / "registry.json.lock",
                 tmp_path / "reg" / "registry.json", tmp_path / "run.jsonl", written):
        assert mode(path) == 0o600, f"{path} is {oct(mode(path))}"
