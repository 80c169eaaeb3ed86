"""Domain code never imports Textual, and the installed command finds its styles."""

from __future__ import annotations

import ast
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


# What owns the simulation: only console/backends may import these.
SIMULATION_INSIDES = ("console.sim.engine", "console.sim.host", "console.sim.store",
                      "console.sim.invitation_reader", "console.backends.local")


def _imports(path: Path, module: str) -> set[str]:
    """The modules ``path`` imports (relative imports resolved against ``module``)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _source(module: str) -> Path | None:
    path = ROOT / Path(*module.split("."))
    if (path / "__init__.py").exists():
        return path / "__init__.py"
    return path.with_suffix(".py") if path.with_suffix(".py").exists() else None


def test_the_console_reaches_the_simulation_only_through_the_backends():
    """console/tui, and every console/monitor module it uses (directly or through another
    monitor module), import nothing that owns the simulation: they go through console/backends
    (``backend.simulation``), never to the engine, its host or its store."""
    todo = [(p, ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"))
            for p in (ROOT / "console" / "tui").rglob("*.py")]
    seen = {module for _, module in todo}
    bad = []
    while todo:
        path, module = todo.pop()
        for name in _imports(path, module):
            if name in SIMULATION_INSIDES:
                bad.append(f"{module} imports {name}")
            elif name.startswith("console.monitor") and name not in seen:
                seen.add(name)
                if (source := _source(name)) is not None:
                    todo.append((source, name))
    assert "console.monitor.snapshot" in seen  # what the wave monitor uses is checked too
    assert bad == []
