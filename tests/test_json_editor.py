"""The JSON editor mounts with tree-sitter highlighting (some tree-sitter releases segfaulted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_json_editor_highlights_marks_and_formats_in_a_subprocess():
    probe = ROOT / "tests" / "json_editor_probe.py"
    result = subprocess.run(
        [sys.executable, str(probe)], capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, (
        f"probe exited with {result.returncode} (negative = killed by a signal, e.g. -11 segfault)\n"
        f"{result.stdout}\n{result.stderr}"
    )
    assert result.stdout.strip().endswith("ok")
