"""Entry point: parse the command line and dispatch to a subcommand.

Without a subcommand it opens the console (the TUI). Each subcommand module exposes
``register(subparsers)``, which adds its parser and sets ``handler`` to a function taking the
parsed arguments and returning the exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from console import __version__
from console.cli import gigs, simulate

SUBCOMMANDS = (gigs, simulate)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cirro-console",
        description="Keyboard-driven operations console for Cirro gigs.",
    )
    parser.add_argument("--version", action="version", version=f"cirro-console {__version__}")
    parser.add_argument("--read-only", action="store_true",
                        help="refuse every change to gigs (the context's read_only setting "
                             "does the same)")
    subparsers = parser.add_subparsers(title="subcommands", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        # Imported here so that headless commands never load Textual.
        from console.tui.startup import run_console

        return run_console(context=getattr(args, "context", None), read_only=args.read_only)
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
