"""Run the API app under uvicorn, on loopback unless told otherwise."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections.abc import Callable

import uvicorn

from console.backends.base import Backend
from console.backends.errors import BackendError
from console.backends.local import SimulationControls
from console.server.app import API_PREFIX, create_app
from console.server.auth import TokenVerifier

log = logging.getLogger(__name__)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url(server: uvicorn.Server, host: str) -> str:
    """The URL clients use; reads the bound port, so ``--port 0`` works."""
    port = server.servers[0].sockets[0].getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{API_PREFIX}"


async def run_clock(simulation: SimulationControls, speed: float, interval: float = 1.0) -> None:
    """Move the simulated clock ``speed`` simulated seconds per wall second, until cancelled."""
    started_wall, started_sim = time.monotonic(), simulation.now
    while True:
        await asyncio.sleep(interval)
        target = started_sim + int((time.monotonic() - started_wall) * speed)
        try:
            await simulation.advance_to(target)
        except BackendError as exc:
            log.error("simulation clock stopped at %d: %s", simulation.now, exc)
            return


async def serve(backend: Backend, *, host: str, port: int, verifier: TokenVerifier | None,
                on_ready: Callable[[str], None], speed: float = 0.0) -> None:
    """Serve until interrupted; ``on_ready`` gets the base URL once the socket is bound.

    ``speed`` > 0 moves a simulation's clock that fast while serving."""
    # uvicorn's own Date header would be wall time; the app sends the backend's.
    config = uvicorn.Config(create_app(backend, verifier), host=host, port=port,
                            lifespan="off", log_level="warning", access_log=False,
                            date_header=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started and not task.done():
        await asyncio.sleep(0.02)
    if not server.started:
        await task  # uvicorn logged why (address in use...) and exits
        return
    on_ready(base_url(server, host))
    simulation = getattr(backend, "simulation", None)
    clock = (asyncio.create_task(run_clock(simulation, speed))
             if speed > 0 and isinstance(simulation, SimulationControls) else None)
    try:
        await task
    finally:
        if clock is not None:
            clock.cancel()
