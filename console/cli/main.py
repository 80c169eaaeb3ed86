"""Entry point: parse the command line and dispatch to a subcommand.

Without a subcommand it opens the console (the TUI). Each subcommand module exposes
``register(subparsers)``, which adds its parser and sets ``handler`` to a function taking the
parsed arguments and returning the exit code.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from console import __version__
from console.cli import calibrate, forecast, gigs, locate, replay, serve, simulate
from console.cli.common import DEFAULT_DEADLINE
from console.cli.output import CleanFormatter

SUBCOMMANDS = (gigs, simulate, calibrate, forecast, replay, serve, locate)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cirro-console",
        description="Keyboard-driven operations console for Cirro gigs.",
    )
    parser.add_argument("--version", action="version", version=f"cirro-console {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="log more to stderr (-v: info, -vv: every request; never a token or key)")
    parser.add_argument("--context", metavar="NAME",
                        help="the context (config file profile) to use; default: default_context")
    parser.add_argument("--read-only", action="store_true",
                        help="the console refuses every change to gigs (the context's read_only "
                             "setting does the same)")
    parser.add_argument("--deadline", type=_seconds, default=DEFAULT_DEADLINE, metavar="SECONDS",
                        help=f"give up on a gigs command after this long in all (default "
                             f"{DEFAULT_DEADLINE:g}; each request also stops after the context's "
                             f"timeout)")
    subparsers = parser.add_subparsers(title="subcommands", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {text}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Warnings (a retry, a key others can read) reach stderr even without -v.
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)]
    stderr = logging.StreamHandler()
    stderr.setFormatter(CleanFormatter("%(levelname)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[stderr])
    handler = getattr(args, "handler", None)
    if handler is None:
        # Imported here so that headless commands never load Textual.
        from console.tui.startup import run_console

        return run_console(context=args.context, read_only=args.read_only)
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`gigs list | head`): not an error; keep Python's exit quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
