"""A served simulation's clock moves while serving, shows in the Date header, and is saved when
serve is stopped."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime

import httpx
from serve_process import copy_sim, serve_process

from console.backends.local import LocalBackend
from console.sim.demo import DEMO_NOW


def test_clock_moves_and_is_saved_on_stop(demo_dir, tmp_path):
    sim = copy_sim(demo_dir, tmp_path / "sim")
    with serve_process(sim, tmp_path, None, speed=3600) as url:
        time.sleep(1.5)
        date = httpx.get(f"{url}/gigs/3").headers["Date"]
    served_now = parsedate_to_datetime(date).timestamp()
    assert served_now >= DEMO_NOW + 3600
    reopened = LocalBackend.open(sim, read_only=True)
    assert reopened.engine.clock >= served_now
