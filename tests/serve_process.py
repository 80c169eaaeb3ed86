"""Run ``cirro-console serve`` in a subprocess on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from shutil import copytree

from console.backends.local import LocalBackend

ROOT = Path(__file__).resolve().parent.parent
# The app id served contexts check tokens against: Cirro's client spec configures client_id 1,
# and signs it as an integer ``sub``.
APP_ID = "1"


def build_demo_dir(directory: Path) -> Path:
    """The first-start demo simulation, built once and copied wherever a test needs one."""
    backend = LocalBackend.open(directory)
    backend.store.close()
    return directory


def copy_sim(source: Path, target: Path) -> Path:
    copytree(source, target)
    return target


def local_section(name: str, data_dir: Path) -> str:
    return f'[contexts.{name}]\nkind = "local"\ndata_dir = "{data_dir}"\n'


def remote_section(name: str, base_url: str, private_key: Path, data_dir: Path,
                   extra: str = "") -> str:
    return (f'[contexts.{name}]\nkind = "remote"\nbase_url = "{base_url}"\napp_id = "{APP_ID}"\n'
            f'private_key = "{private_key}"\ndata_dir = "{data_dir}"\n{extra}')


def local_config(path: Path, data_dir: Path) -> Path:
    path.write_text(local_section("local", data_dir))
    return path


@contextmanager
def serve_process(data_dir: Path, config_dir: Path, public_key: Path | None,
                  speed: float = 0) -> Iterator[str]:
    """Yields the base URL of a serve process on ``data_dir`` (clock stopped by default)."""
    config = local_config(config_dir / "serve.toml", data_dir)
    env = dict(os.environ, CIRRO_CONSOLE_CONFIG=str(config), PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "console", "serve", "--port", "0", "--speed", str(speed)]
    if public_key is not None:
        command += ["--public-key", str(public_key), "--app-id", APP_ID]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline() if process.stdout else ""
        match = re.search(r"at (http://\S+)", line)
        if not match:
            process.kill()
            raise RuntimeError(f"serve did not start: {line!r} {process.communicate()[1]}")
        yield match.group(1)
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=10)
    assert process.returncode == 0, errors
    # Whatever serve logged, no token ever appears in it (JWTs start with "eyJ").
    assert "eyJ" not in errors and "bearer" not in errors.lower(), errors
