"""Run the API app under uvicorn, on loopback unless told otherwise."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Callable

import uvicorn

from console.backends.base import Backend
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


async def serve(backend: Backend, *, host: str, port: int, verifier: TokenVerifier | None,
                on_ready: Callable[[str], None]) -> None:
    """Serve until interrupted; ``on_ready`` gets the base URL once the socket is bound."""
    config = uvicorn.Config(create_app(backend, verifier), host=host, port=port,
                            lifespan="off", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started and not task.done():
        await asyncio.sleep(0.02)
    if server.started:
        on_ready(base_url(server, host))
    await task
