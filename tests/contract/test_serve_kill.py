"""kill -9 of ``serve`` while clients write: every change it answered is there after a restart."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time

import httpx
from serve_process import ROOT, copy_sim, local_config

from console.backends.local import LocalBackend
from console.models import InvitationStatus
from console.sim.demo import DEMO_NOW

WRITERS = 4


def start(sim, work) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, CIRRO_CONSOLE_CONFIG=str(local_config(work / "serve.toml", sim)),
               PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "console", "serve", "--port", "0"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    line = process.stdout.readline()
    match = re.search(r"at (http://\S+)", line)
    assert match, (line, process.stderr.read() if process.poll() is not None else "")
    return process, match.group(1)


def gig(title: str) -> dict:
    return {"title": title, "description": "d", "url": "https://space.example/k",
            "start_at": DEMO_NOW + 86_400, "end_at": DEMO_NOW + 2 * 86_400, "total_seats": 1,
            "seats_min": 1, "seats_max": 1, "invitation_mode": "manual",
            "invitation_multiplier": 1, "invitation_frequency": 5, "filter_query": {},
            "sort_query": {}, "tasks": [{"title": "t", "base_price": 100}]}


async def test_every_answered_change_survives_kill_9(demo_dir, tmp_path):
    sim = copy_sim(demo_dir, tmp_path / "sim")
    pending = [i.id for i in LocalBackend.open(sim, read_only=True).engine.invitations.values()
               if i.status is InvitationStatus.PENDING]
    process, url = start(sim, tmp_path)
    created: list[str] = []
    rejected: list[str] = []
    stop = threading.Event()

    def writer(n: int) -> None:
        with httpx.Client(base_url=url, timeout=10) as client:
            for i in range(1000):
                if stop.is_set():
                    return
                try:
                    if i % 2:
                        title = f"kill test {n}-{i}"
                        if client.post("/gigs", json=gig(title)).status_code == 201:
                            created.append(title)
                    else:
                        inv = pending[(i // 2) * WRITERS + n]
                        if client.post(f"/gig_invitations/{inv}/reject").status_code == 200:
                            rejected.append(inv)
                except httpx.HTTPError:
                    return  # killed meanwhile: not answered, so not promised

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(created) + len(rejected) < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
        process.kill()  # SIGKILL, with writes in flight
        answered_created, answered_rejected = list(created), list(rejected)
    finally:
        stop.set()
        process.kill()
        process.communicate(timeout=10)
        for thread in threads:
            thread.join(timeout=10)
    assert len(answered_created) + len(answered_rejected) >= 40
    backend = LocalBackend.open(sim)
    try:
        titles = {g.title for g in await backend.list_gigs()}
        assert set(answered_created) <= titles
        for inv in answered_rejected:
            assert backend.engine.invitations[inv].status is InvitationStatus.REJECTED
    finally:
        await backend.close()
