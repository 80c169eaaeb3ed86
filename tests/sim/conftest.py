from __future__ import annotations

from typing import Any

import pytest

from console.models import GigCreate
from console.sim.engine import Engine
from console.sim.population import Population

START = 1_800_000_000
HOUR = 3600
DAY = 86400


def gig_create(**overrides: Any) -> GigCreate:
    data: dict[str, Any] = {
        "title": "Test gig", "description": "d", "url": "https://space.example/g",
        "start_at": START, "end_at": START + 2 * DAY, "total_seats": 2, "seats_min": 2,
        "seats_max": 3, "invitation_mode": "auto", "invitation_multiplier": 2,
        "invitation_frequency": 5, "filter_query": {"status": "active"}, "sort_query": {},
        "tasks": [{"title": "t", "base_price": 100}],
    }
    data.update(overrides)
    return GigCreate.model_validate(data)


def small_population(n: int = 40) -> Population:
    """Workers 1..n: every third inactive; rating falls with the id so sorts are checkable."""
    return Population([
        {"id": str(i), "document": {"status": "inactive" if i % 3 == 0 else "active",
                                    "rating": round(5 - i * 0.1, 1)}}
        for i in range(1, n + 1)
    ])


@pytest.fixture
def engine() -> Engine:
    return Engine(small_population(), seed=1, clock=START - HOUR)
