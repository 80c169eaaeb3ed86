from __future__ import annotations

import json
from pathlib import Path

import pytest
from serve_process import build_demo_dir

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def gig_page_json() -> dict:
    """The example of the gig object page, with its one missing comma fixed."""
    return json.loads((FIXTURES / "gig_object_page_fixed.json").read_text())


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """The demo simulation, built once per run (about 1.5 s); copy it before changing it."""
    return build_demo_dir(tmp_path_factory.mktemp("demo") / "sim")
