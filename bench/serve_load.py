"""Benchmark: ``cirro-console serve`` under 20 concurrent clients, over loopback.

Starts a real ``serve`` process (127.0.0.1, a free port, clock stopped, no token checks) on a
fresh demo simulation in a temp directory, then:

- mixed phase: ``--clients`` httpx clients for ``--seconds``, each looping over a mix of reads
  (a gig, a page of a gig's invitations, a user), invitation actions (accept/reject/reset, on
  invitations no other client touches) and gig updates (the title of a scheduled gig);
- slow phase: ``--clients - 1`` clients read for ``--slow-seconds`` alone, then as long again
  while one client sends invitation attempts against a gig whose filter is a catastrophic
  regex (each runs to the regex time limit): the extra delay of the others' reads;
- backend alone: as many threads update gigs through ``LocalBackend`` directly (no HTTP), to
  tell what saving costs from what serving costs.

Every loop is bounded by its phase's deadline; the process is stopped at the end.

    python bench/serve_load.py                          # this checkout's serve
    python bench/serve_load.py --code /path/to/main     # another checkout's (e.g. a worktree)
    python bench/serve_load.py --before before.json     # print figures saved by --save beside
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from urllib.parse import urlencode
from email.utils import parsedate_to_datetime
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.percentile import percentile  # noqa: E402

LIVE_GIGS = ("3", "4", "5", "6")  # the demo's live gigs: their invitations take actions
SCHEDULED_GIGS = ("7", "8")  # the demo's gigs that have not started: any field may change
USERS = range(1, 5001)
CATASTROPHIC = {"segment": {"$regex": "^(a|aa)+$"}}
SLOW_SEGMENT = "a" * 40 + "!"  # backtracks until the regex time limit


@dataclass
class Samples:
    reads: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)
    slow: list[float] = field(default_factory=list)
    cpu: float = 0.0  # CPU seconds the load processes spent
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


class RawResponse:
    def __init__(self, status_code: int, body: bytes) -> None:
        self.status_code = status_code
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body)


class RawClient:
    """HTTP/1.1 with keep-alive on one connection, doing no more per request than writing it and
    reading the answer: httpx costs ~2 ms of CPU a request here, twice what serve does, so with
    it the load generator is most of what the 2 cores run (``load CPU ms/request``)."""

    def __init__(self, base_url: str, timeout: float) -> None:
        parsed = httpx.URL(base_url)
        self.host, self.port, self.prefix = parsed.host, parsed.port, parsed.path.rstrip("/")
        self.timeout = timeout
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def __aenter__(self) -> RawClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._close()

    def _close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None

    async def request(self, method: str, url: str, params: dict[str, str] | None = None,
                      json: Any = None) -> RawResponse:
        body = b"" if json is None else _dumps(json).encode()
        target = self.prefix + url + (f"?{urlencode(params)}" if params else "")
        head = (f"{method} {target} HTTP/1.1\r\nHost: {self.host}\r\n"
                f"Content-Length: {len(body)}\r\n"
                + ("Content-Type: application/json\r\n" if json is not None else "") + "\r\n")
        try:
            async with asyncio.timeout(self.timeout):
                if self._streams is None:
                    self._streams = await asyncio.open_connection(self.host, self.port)
                reader, writer = self._streams
                writer.write(head.encode() + body)
                status = int((await reader.readline()).split()[1])
                length, close = 0, False
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.partition(b":")
                    name = name.strip().lower()
                    if name == b"content-length":
                        length = int(value)
                    elif name == b"connection" and value.strip().lower() == b"close":
                        close = True
                answer = await reader.readexactly(length)
        except (OSError, TimeoutError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
            self._close()
            raise httpx.TransportError(f"{type(exc).__name__}: {exc}") from None
        if close:
            self._close()
        return RawResponse(status, answer)


_dumps = json.dumps
CLIENTS: dict[str, Callable[..., Any]] = {"raw": RawClient, "httpx": httpx.AsyncClient}


def start_serve(code: Path, data_dir: Path, config_dir: Path) -> tuple[subprocess.Popen[str], str]:
    config = config_dir / "serve.toml"
    config.write_text(f'[contexts.local]\nkind = "local"\ndata_dir = "{data_dir}"\n')
    env = dict(os.environ, CIRRO_CONSOLE_CONFIG=str(config), PYTHONPATH=str(code))
    process = subprocess.Popen([sys.executable, "-m", "console", "serve", "--port", "0",
                                "--speed", "0"], cwd=code, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline() if process.stdout else ""
    match = re.search(r"at (http://\S+)", line)
    if not match:
        process.kill()
        raise SystemExit(f"serve did not start: {line!r} {process.communicate()[1]}")
    return process, match.group(1)


async def invitation_ids(client: httpx.AsyncClient) -> list[tuple[str, str]]:
    """(id, status) of every invitation of the live gigs."""
    found = []
    for gig_id in LIVE_GIGS:
        after = None
        while True:
            params = {"gig_id": gig_id, "limit": "500", **({"after": after} if after else {})}
            page = (await client.get("/gig_invitations", params=params)).raise_for_status().json()
            found += [(inv["id"], inv["status"]) for inv in page["data"]]
            if not page["has_more"] or not page["data"]:
                break
            after = page["data"][-1]["id"]
    return found


async def timed(client: Any, method: str, url: str, into: list[float],
                samples: Samples, what: str, **kwargs: Any) -> Any:
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        samples.error(f"{what}: {type(exc).__name__}")
        return None
    into.append(time.perf_counter() - started)
    if response.status_code >= 500:
        samples.error(f"{what}: {response.status_code}")
    return response


async def read_once(client: Any, rng: random.Random, samples: Samples) -> None:
    kind = rng.randrange(3)
    if kind == 0:
        await timed(client, "GET", f"/gigs/{rng.choice(LIVE_GIGS)}", samples.reads, samples, "gig")
    elif kind == 1:
        await timed(client, "GET", "/gig_invitations", samples.reads, samples, "invitations",
                    params={"gig_id": rng.choice(LIVE_GIGS), "limit": "50"})
    else:
        await timed(client, "GET", f"/users/{rng.choice(USERS)}", samples.reads, samples, "user")


async def mixed_client(connect: Callable[..., Any], url: str, n: int, mine: list[list[str]],
                       deadline: float, samples: Samples) -> None:
    rng = random.Random(n)
    async with connect(base_url=url, timeout=30) as client:
        while time.perf_counter() < deadline:
            roll = rng.random()
            if roll < 0.6:
                await read_once(client, rng, samples)
            elif roll < 0.85 and mine:
                entry = rng.choice(mine)
                inv_id, status = entry
                action = ("reset" if status != "pending"
                          else rng.choice(("accept", "reject", "reject")))
                response = await timed(client, "POST", f"/gig_invitations/{inv_id}/{action}",
                                       samples.writes, samples, action, json={})
                if response is not None and response.status_code == 200:
                    entry[1] = response.json()["status"]
                elif response is not None:
                    entry[1] = "pending" if action == "reset" else "accepted"  # try the other way
            else:
                gig_id = rng.choice(SCHEDULED_GIGS)
                await timed(client, "POST", f"/gigs/{gig_id}", samples.writes, samples, "update",
                            json={"title": f"Bench update {n}-{rng.randrange(10**6)}"})


async def reader(connect: Callable[..., Any], url: str, n: int, deadline: float,
                 samples: Samples) -> None:
    rng = random.Random(1000 + n)
    async with connect(base_url=url, timeout=30) as client:
        while time.perf_counter() < deadline:
            await read_once(client, rng, samples)


async def slow_client(connect: Callable[..., Any], url: str, gig_id: str, user_id: str,
                      deadline: float, samples: Samples) -> None:
    async with connect(base_url=url, timeout=60) as client:
        while time.perf_counter() < deadline:
            await timed(client, "POST", f"/users/{user_id}/invitation_attempt", samples.slow,
                        samples, "slow", json={"gig_ids": [gig_id]})


async def prepare_slow(client: httpx.AsyncClient, clock: int) -> tuple[str, str]:
    """A live gig whose filter backtracks on one worker's document."""
    user_id = "4999"
    user = (await client.get(f"/users/{user_id}")).raise_for_status().json()
    document = dict(user["worker"]["document"], segment=SLOW_SEGMENT)
    (await client.post(f"/users/{user_id}/worker", json={"document": document})).raise_for_status()
    gig = {"title": "Bench: catastrophic filter", "description": "bench",
           "url": "https://space.example/b", "start_at": clock - 60, "end_at": clock + 86_400,
           "total_seats": 5, "seats_min": 5, "seats_max": 5, "invitation_mode": "manual",
           "invitation_multiplier": 1, "invitation_frequency": 5, "filter_query": CATASTROPHIC,
           "sort_query": {}, "tasks": [{"title": "t", "base_price": 100}]}
    created = (await client.post("/gigs", json=gig)).raise_for_status().json()
    return created["id"], user_id


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def phase(task: tuple[str, str, str, list[int], list[list[list[str]]], float,
                      tuple[str, str] | None]) -> Samples:
    """One load process's part of a phase: its clients, until the shared deadline (wall time)."""
    client, kind, url, numbers, shares, until, slow = task
    connect = CLIENTS[client]

    async def clients() -> None:
        deadline = time.perf_counter() + (until - time.time())
        work = []
        for n, share in zip(numbers, shares):
            if kind == "mixed":
                work.append(mixed_client(connect, url, n, share, deadline, samples))
            else:
                work.append(reader(connect, url, n, deadline, samples))
        if slow is not None:
            work.append(slow_client(connect, url, *slow, deadline, samples))
        await asyncio.gather(*work)

    samples = Samples()
    cpu = time.process_time()
    asyncio.run(clients())
    samples.cpu = time.process_time() - cpu
    return samples


def spread(pool: ProcessPoolExecutor, client: str, processes: int, kind: str, url: str,
           clients: int,
           shares: list[list[list[str]]], seconds: float,
           slow: tuple[str, str] | None = None) -> Samples:
    """Run a phase's clients over ``processes`` load processes (one Python process cannot keep
    20 httpx clients busy: the load generator would be what is measured)."""
    until = time.time() + 1.0 + seconds  # a second for the processes to get going
    tasks = [(client, kind, url, list(range(p, clients, processes)), shares[p::processes], until,
              slow if p == 0 else None) for p in range(processes)]
    merged = Samples()
    for part in pool.map(phase, tasks):
        merged.reads += part.reads
        merged.writes += part.writes
        merged.slow += part.slow
        merged.cpu += part.cpu
        for what, count in part.errors.items():
            merged.errors[what] = merged.errors.get(what, 0) + count
    return merged


async def setup(url: str) -> tuple[list[tuple[str, str]], int]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        return await invitation_ids(client), await sim_clock(client)


async def slow_setup(url: str, clock: int) -> tuple[str, str]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        return await prepare_slow(client, clock)


def run(url: str, pid: int, client: str, clients: int, processes: int, seconds: float,
        slow_seconds: float) -> dict[str, float]:
    invitations, clock = asyncio.run(setup(url))
    shares: list[list[list[str]]] = [[] for _ in range(clients)]
    for i, (inv_id, status) in enumerate(invitations):
        shares[i % clients].append([inv_id, status])
    with ProcessPoolExecutor(processes) as pool:
        cpu = cpu_seconds(pid)
        mixed = spread(pool, client, processes, "mixed", url, clients, shares, seconds)
        cpu = cpu_seconds(pid) - cpu
        slow = asyncio.run(slow_setup(url, clock))
        readers = [[] for _ in range(clients - 1)]
        quiet = spread(pool, client, processes, "reads", url, clients - 1, readers, slow_seconds)
        loaded = spread(pool, client, processes, "reads", url, clients - 1, readers, slow_seconds,
                        slow)
    for name, samples in (("mixed", mixed), ("quiet reads", quiet), ("with slow", loaded)):
        if samples.errors:
            print(f"errors ({name}): {samples.errors}", file=sys.stderr)
    ms = 1000
    requests = len(mixed.reads) + len(mixed.writes)
    return {
        "requests/s": requests / seconds,
        "writes/s": len(mixed.writes) / seconds,
        # What one request costs serve, less dependent on what else the machine runs.
        "serve CPU ms/request": cpu / max(requests, 1) * ms,
        # The clients' share of the same cores: what the load itself costs.
        "load CPU ms/request": mixed.cpu / max(requests, 1) * ms,
        "read p50 ms": percentile(mixed.reads, 0.5) * ms,
        "read p99 ms": percentile(mixed.reads, 0.99) * ms,
        "write p50 ms": percentile(mixed.writes, 0.5) * ms,
        "write p99 ms": percentile(mixed.writes, 0.99) * ms,
        "slow request p50 ms": percentile(loaded.slow, 0.5) * ms,
        "quiet read p99 ms": percentile(quiet.reads, 0.99) * ms,
        "read p99 beside slow ms": percentile(loaded.reads, 0.99) * ms,
        "slow: extra read p50 ms": (percentile(loaded.reads, 0.5)
                                    - percentile(quiet.reads, 0.5)) * ms,
        "slow: extra read p99 ms": (percentile(loaded.reads, 0.99)
                                    - percentile(quiet.reads, 0.99)) * ms,
    }


async def sim_clock(client: httpx.AsyncClient) -> int:
    """The simulated now, from the Date header serve sets to the simulation's clock."""
    response = await client.get(f"/gigs/{LIVE_GIGS[0]}")
    return int(parsedate_to_datetime(response.headers["date"]).timestamp())


TARGETS = {"read p99 ms": "<= 50", "writes/s": ">= 300", "write p99 ms": "<= 100",
           "slow: extra read p99 ms": "<= 50"}


# The backend alone, without HTTP: 20 clients updating gigs through LocalBackend, as serve's
# requests do: tasks awaiting the simulation host, or (a checkout from before the host) worker
# threads each completing a call. Run with the checkout's own code, on its own fresh demo.
BACKEND_ALONE = """
import asyncio, json, sys, tempfile, threading, time
from pathlib import Path
from console.backends.local import LocalBackend
from console.models import GigUpdate
backend = LocalBackend.open(Path(tempfile.mkdtemp()) / "sim")
seconds, clients = float(sys.argv[1]), int(sys.argv[2])
latencies = []
def update(n):
    return backend.update_gig(("7", "8")[n % 2], GigUpdate(title=f"alone {n}"))
try:
    from console.server.offloop import _complete
except ImportError:
    async def writer(n):
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            await update(n)
            latencies.append(time.perf_counter() - started)
    async def writers():
        await asyncio.gather(*(writer(n) for n in range(clients)))
    asyncio.run(writers())
else:
    def writer(n):
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            _complete(update(n))
            latencies.append(time.perf_counter() - started)
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
print(json.dumps(latencies))
"""


def backend_alone(code: Path, seconds: float, clients: int) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(code))
    out = subprocess.run([sys.executable, "-c", BACKEND_ALONE, str(seconds), str(clients)],
                         cwd=code, env=env, capture_output=True, text=True, check=True).stdout
    latencies = json.loads(out)
    return {"backend alone: writes/s": len(latencies) / seconds,
            "backend alone: write p99 ms": percentile(latencies, 0.99) * 1000}


def print_table(figures: dict[str, float], before: dict[str, float] | None) -> None:
    head = f"{'measure':<28}{'before':>10}{'now':>10}  target" if before else \
        f"{'measure':<28}{'now':>10}  target"
    print(head)
    for name, value in figures.items():
        was = f"{before[name]:>10.1f}" if before and name in before else (" " * 10 if before else "")
        print(f"{name:<28}{was}{value:>10.1f}  {TARGETS.get(name, '')}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="the checkout whose serve runs (default: this one)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--client", choices=sorted(CLIENTS), default="raw",
                        help="the clients' HTTP code: raw keep-alive (default), or httpx (as "
                        "before: then httpx's CPU is most of what is measured)")
    parser.add_argument("--processes", type=int, default=4, help="load processes the clients "
                        "are spread over")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--slow-seconds", type=float, default=5.0)
    parser.add_argument("--save", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--before", type=Path, help="figures saved by --save, printed beside")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-load-") as work:
        process, url = start_serve(args.code.resolve(), Path(work) / "sim", Path(work))
        try:
            figures = run(url, process.pid, args.client, args.clients, args.processes, args.seconds,
                          args.slow_seconds)
        finally:
            process.terminate()
            process.communicate(timeout=60)
    figures.update(backend_alone(args.code.resolve(), min(args.seconds, 5.0), args.clients))
    if args.save:
        args.save.write_text(json.dumps(figures, indent=1))
    before = json.loads(args.before.read_text()) if args.before else None
    print(f"serve {args.code}: {args.clients} clients in {args.processes} processes, "
          f"{args.client} client, {args.seconds:g} s mixed, "
          f"{os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f})")
    print_table(figures, before)
    return 0


if __name__ == "__main__":
    sys.exit(main())
