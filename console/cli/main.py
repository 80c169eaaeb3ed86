"""Entry point: parse the command line and dispatch to a subcommand.

Each subcommand module exposes ``register(subparsers)``, which adds its parser and sets
``handler`` to a function taking the parsed arguments and returning the exit code.
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
    subparsers = parser.add_subparsers(title="subcommands", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
