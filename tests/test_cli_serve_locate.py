"""``serve`` refuses what it must, and ``locate`` prints every path."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from keys import key_pair
from serve_process import ROOT, copy_sim, local_config, remote_section

from console.cli.main import main


def test_serve_refuses_a_public_address_without_a_key(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(local_config(tmp_path / "c.toml", tmp_path)))
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "refusing to listen on 0.0.0.0 without --public-key" in capsys.readouterr().err


def test_serve_refuses_a_remote_context(tmp_path, monkeypatch, capsys):
    private, _ = key_pair().write(tmp_path)
    config = tmp_path / "c.toml"
    config.write_text(remote_section("prod", "https://cirro.io/api/v2", private, tmp_path))
    monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(config))
    assert main(["--context", "prod", "serve"]) == 2
    assert "context 'prod' is remote; serve shares a local simulation" in capsys.readouterr().err


def test_serve_bad_public_key(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(local_config(tmp_path / "c.toml", tmp_path)))
    assert main(["serve", "--public-key", str(tmp_path / "none.pem"), "--app-id", "a"]) == 2
    assert "cannot read public key" in capsys.readouterr().err


def test_serve_public_key_needs_the_app_id(tmp_path, monkeypatch, capsys):
    _, public = key_pair().write(tmp_path)
    monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(local_config(tmp_path / "c.toml", tmp_path)))
    assert main(["serve", "--public-key", str(public)]) == 2
    assert "--public-key needs --app-id" in capsys.readouterr().err


def test_serve_port_in_use(tmp_path, monkeypatch, capsys, demo_dir):
    sim = copy_sim(demo_dir, tmp_path / "sim")
    monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(local_config(tmp_path / "c.toml", sim)))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port), "--speed", "0"]) == 1
    assert f"cannot serve on 127.0.0.1:{port}" in capsys.readouterr().err


def test_locate_prints_every_path(tmp_path, monkeypatch, capsys):
    private, _ = key_pair().write(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(remote_section("staging", "https://cirro.io/api/v2", private,
                                     tmp_path / "reg"))
    monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(config))
    monkeypatch.setenv("CIRRO_CONSOLE_DATA", str(tmp_path / "data"))
    assert main(["locate"]) == 0
    out = capsys.readouterr().out
    assert f"config file   {config} (exists" in out
    assert f"data dir      {tmp_path / 'data'}" in out and "styles dir" in out
    assert f"console log   {tmp_path / 'data' / 'console.log'}" in out
    assert f"context local (default): local simulation\n  data dir      {tmp_path / 'data' / 'local'}" in out
    assert f"gig registry  {tmp_path / 'reg' / 'registry.json'}" in out
    assert f"private key   {private}" in out


def test_first_start_read_and_a_closed_pipe(tmp_path):
    """A read on a fresh data dir builds the demo; `| head` closing the pipe is no error."""
    env = dict(os.environ, CIRRO_CONSOLE_CONFIG=str(local_config(tmp_path / "c.toml",
                                                                 tmp_path / "fresh")),
               PYTHONPATH=str(ROOT))
    shell = f"{sys.executable} -m console gigs list | head -1"
    out = subprocess.run(shell, shell=True, capture_output=True, text=True, env=env, cwd=ROOT)
    assert out.stdout.startswith("ID  TITLE") and out.stderr == ""


def test_serve_honours_the_global_read_only(tmp_path, monkeypatch, capsys, demo_dir):
    # The lock error of a read-only directory advises --read-only; serve used to ignore it (and
    # failed on the lock again). Now it serves the simulation without writing: changes are 403s.
    sim = copy_sim(demo_dir, tmp_path / "sim")
    monkeypatch.setenv("CIRRO_CONSOLE_CONFIG", str(local_config(tmp_path / "c.toml", sim)))
    served = []

    async def record(backend, **_options):
        served.append(backend.read_only)

    monkeypatch.setattr("console.cli.serve.serve", record)
    assert main(["--read-only", "serve", "--speed", "0"]) == 0
    assert main(["serve", "--speed", "0"]) == 0
    assert served == [True, False]
