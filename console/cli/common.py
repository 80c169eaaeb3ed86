"""What every headless command that talks to a backend shares: opening the context's backend,
showing its warnings, and turning errors into messages and exit codes.

Exit codes: 0 ok, 1 the backend refused or failed (API error, validation), 2 usage or config,
or a data file or directory that cannot be used (damaged, unwritable).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable

from console.backends.base import Backend
from console.backends.errors import BackendError, UnusableData
from console.backends.factory import open_backend
from console.cli.main import DEFAULT_DEADLINE
from console.cli.output import clean, say
from console.config import ConfigError, load_config

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def fail(message: str, code: int) -> int:
    say(f"error: {message}", err=True)
    return code


def with_backend(args: argparse.Namespace, action: Callable[[Backend], Awaitable[int]], *,
                 read_only: bool = False) -> int:
    """Run ``action`` against the backend of ``--context``; errors become messages, not tracebacks."""
    try:
        backend = open_backend(load_config(), args.context, read_only=read_only)
    except (ConfigError, UnusableData) as exc:
        return fail(str(exc), EXIT_USAGE)
    except BackendError as exc:  # e.g. a simulation another process holds
        return fail(str(exc), EXIT_FAILED)
    for warning in backend.warnings:
        say(f"warning: {warning}", err=True)

    deadline = getattr(args, "deadline", DEFAULT_DEADLINE)

    async def run() -> int:
        try:
            async with asyncio.timeout(deadline):
                return await action(backend)
        finally:
            await backend.close()

    try:
        return asyncio.run(run())
    except UnusableData as exc:  # e.g. a damaged gig registry: a file to mend, not a refusal
        return fail(f"{backend.context}: {exc.message}", EXIT_USAGE)
    except BackendError as exc:
        return fail(f"{backend.context}: {clean(exc.with_status())}", EXIT_FAILED)
    except TimeoutError:
        return fail(f"{backend.context}: the command did not finish within {deadline:g} s "
                    f"(--deadline); the API answers too slowly or not at all", EXIT_FAILED)
