from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def gig_page_json() -> dict:
    """The example of the gig object page, with its one missing comma fixed."""
    return json.loads((FIXTURES / "gig_object_page_fixed.json").read_text())
