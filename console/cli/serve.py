"""``cirro-console serve``: share a local simulation behind a Cirro v2-compatible API."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from console.backends.factory import open_backend
from console.backends.errors import BackendError, UnusableData
from console.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail
from console.config import ConfigError, LocalContext, load_config
from console.remote.auth import load_public_key
from console.server.auth import TokenVerifier
from console.server.run import CannotServe, is_loopback, serve

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="serve the --context simulation over a Cirro v2-compatible API")
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=f"address to listen on (default {DEFAULT_HOST}: this machine only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port (default {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--public-key", type=Path, metavar="FILE",
                        help="verify request tokens with this RSA public key (PEM), as Cirro does")
    parser.add_argument("--app-id", metavar="ID",
                        help="the app the tokens must name in sub (required with --public-key)")
    parser.add_argument("--speed", type=float, metavar="X",
                        help="simulated seconds per wall second while serving (default: the "
                             "config's ui.speed; 0 stops the clock)")
    parser.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace) -> int:
    try:
        config = load_config()
        name, context = config.context(args.context)
        if not isinstance(context, LocalContext):
            return fail(f"context {name!r} is remote; serve shares a local simulation", EXIT_USAGE)
        if args.public_key and not args.app_id:
            return fail("--public-key needs --app-id: the app whose tokens are accepted",
                        EXIT_USAGE)
        verifier = (TokenVerifier(load_public_key(args.public_key), args.app_id)
                    if args.public_key else None)
        if verifier is None and not is_loopback(args.host):
            return fail(f"refusing to listen on {args.host} without --public-key: anyone who "
                        f"can reach it could change the simulation", EXIT_USAGE)
        backend = open_backend(config, name, read_only=args.read_only)
    except (ConfigError, UnusableData) as exc:
        return fail(str(exc), EXIT_USAGE)
    except BackendError as exc:
        return fail(str(exc), EXIT_FAILED)
    if verifier is None:
        print("warning: no --public-key: request tokens are not checked", file=sys.stderr)

    def ready(url: str) -> None:
        print(f"serving context {name!r} at {url}", flush=True)

    speed = config.ui.speed if args.speed is None else args.speed

    async def run() -> None:
        try:
            await serve(backend, host=args.host, port=args.port, verifier=verifier,
                        on_ready=ready, speed=speed)
        finally:
            await backend.close()

    try:
        asyncio.run(run())
    except CannotServe:
        return fail(f"cannot serve on {args.host}:{args.port} (see the message above)",
                    EXIT_FAILED)
    return EXIT_OK
