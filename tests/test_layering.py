"""Domain code never imports Textual, and the installed command finds its styles."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import console

ROOT = Path(__file__).resolve().parent.parent


def non_tui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(console.__path__, "console."):
        if info.name.startswith("console.tui") or info.name == "console.__main__":
            continue
        names.append(info.name)
    return names


def test_non_tui_modules_do_not_import_textual():
    modules = non_tui_modules()
    assert "console.models" in modules and "console.cli.main" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "", f"textual imported by domain code: {out.stdout}"


def test_styles_are_found_from_any_directory(tmp_path):
    """From outside the checkout: the installed package's styles where it is installed (as in CI,
    which installs the wheel), else the checkout's."""
    code = "from console.paths import styles_dir; print(styles_dir())"
    installed = subprocess.run([sys.executable, "-c", "import console"], cwd=tmp_path).returncode == 0
    env = dict(os.environ) if installed else dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=tmp_path, env=env)
    assert (Path(out.stdout.strip()) / "app.tcss").is_file(), out.stdout


def test_version_command_runs():
    out = subprocess.run([sys.executable, "-m", "console", "--version"], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == f"cirro-console {console.__version__}"
