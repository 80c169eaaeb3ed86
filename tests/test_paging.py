"""Cursor paging bounds, shared by the simulation and ``serve``."""

from __future__ import annotations

import pytest

from console.backends.errors import BadRequest
from console.backends.paging import page_bounds

IDS = [str(i) for i in range(1, 11)]


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"limit": 3}, (0, 3, True)),
    ({"limit": 10}, (0, 10, False)),
    ({"limit": 3, "after": "3"}, (3, 6, True)),
    ({"limit": 3, "after": "8"}, (8, 10, False)),
    ({"limit": 3, "after": "10"}, (10, 10, False)),
    ({"limit": 3, "before": "5"}, (1, 4, True)),
    ({"limit": 3, "before": "3"}, (0, 2, False)),
])
def test_bounds(kwargs, expected):
    assert page_bounds(IDS, **kwargs) == expected


def test_refusals():
    with pytest.raises(BadRequest, match="either after or before"):
        page_bounds(IDS, 3, after="1", before="2")
    with pytest.raises(BadRequest, match="No such object: 99"):
        page_bounds(IDS, 3, after="99")
    with pytest.raises(BadRequest, match="between 1 and 500"):
        page_bounds(IDS, 501)
