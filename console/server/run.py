"""Run the API app under uvicorn, on loopback unless told otherwise."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

import uvicorn

from console.backends.base import Backend
from console.backends.controls import Frame, SimulationControls
from console.server.app import API_PREFIX, create_app
from console.server.auth import TokenVerifier
from console.server.protocol import CirroHttpToolsProtocol

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


class CannotServe(Exception):
    """uvicorn could not start (it logged why: address in use, permission denied...)."""


async def _run(server: uvicorn.Server) -> None:
    try:
        await server.serve()
    except SystemExit:
        # uvicorn exits the process when it cannot bind; the caller reports it instead.
        pass


# A clock that stopped by itself is started again after this many seconds, doubling up to the
# most: serve has no operator to resume it, and a passing failure (out of file descriptors
# while clients flooded it) froze its simulated time for good.
CLOCK_RETRY_FIRST = 5.0
CLOCK_RETRY_MOST = 60.0


async def run_clock(simulation: SimulationControls, speed: float) -> None:
    """Run the simulation's clock at ``speed`` simulated seconds per wall second (its host moves
    it, on its own thread) until cancelled; the clock pauses again then. A clock that stops by
    itself (a failed move or save) is logged, nothing else would see it, and started again
    after a backoff."""
    loop = asyncio.get_running_loop()
    delay, resumed_at = CLOCK_RETRY_FIRST, loop.time()
    retry: asyncio.TimerHandle | None = None

    def resume() -> None:
        nonlocal retry, resumed_at
        retry, resumed_at = None, loop.time()
        simulation.set_paused(False)

    def seen(frame: Frame) -> None:
        nonlocal retry, delay
        if frame.error is None:
            if retry is None and loop.time() - resumed_at > CLOCK_RETRY_MOST:
                delay = CLOCK_RETRY_FIRST  # it ran a while since: a new failure starts over
            return
        if retry is None:
            log.error("simulation clock stopped at %d: %s; starting it again in %g s",
                      frame.now, frame.error, delay)
            retry = loop.call_later(delay, resume)
            delay = min(delay * 2, CLOCK_RETRY_MOST)

    unsubscribe = simulation.subscribe(seen)
    simulation.set_speed(speed)
    simulation.set_paused(False)
    try:
        await asyncio.Event().wait()
    finally:
        unsubscribe()
        if retry is not None:
            retry.cancel()
        simulation.set_paused(True)


async def serve(backend: Backend, *, host: str, port: int, verifier: TokenVerifier | None,
                on_ready: Callable[[str], None], speed: float = 0.0) -> None:
    """Serve until interrupted; ``on_ready`` gets the base URL once the socket is bound.

    ``speed`` > 0 moves a simulation's clock that fast while serving."""
    # uvicorn's own Date header would be wall time; the app sends the backend's.
    config = uvicorn.Config(create_app(backend, verifier), host=host, port=port,
                            lifespan="off", log_level="warning", access_log=False,
                            date_header=False, http=CirroHttpToolsProtocol,
                            # Not behind a proxy: a loopback client's X-Forwarded-For is no
                            # address of ours (and the middleware costs every request).
                            proxy_headers=False)
    server = uvicorn.Server(config)
    with _stop_gracefully(server):
        await _serve(server, backend, host, on_ready, speed)


@contextlib.contextmanager
def _stop_gracefully(server: uvicorn.Server) -> Iterator[None]:
    """SIGINT/SIGTERM stop the server and let the caller save and close the backend.

    uvicorn re-raises the signal it caught once it has shut down, which would kill the process
    before the simulation is saved; our handler, restored under uvicorn's, only asks it to exit.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        server.should_exit = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


async def _serve(server: uvicorn.Server, backend: Backend, host: str,
                 on_ready: Callable[[str], None], speed: float) -> None:
    task = asyncio.create_task(_run(server))
    while not server.started and not task.done():
        await asyncio.sleep(0.02)
    if not server.started:
        await task
        raise CannotServe("the server did not start (see the message above)")
    on_ready(base_url(server, host))
    simulation = backend.simulation
    clock = (asyncio.create_task(run_clock(simulation, speed))
             if speed > 0 and simulation is not None else None)
    try:
        await task
    finally:
        if clock is not None:
            clock.cancel()
