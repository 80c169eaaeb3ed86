"""``cirro-console gigs ...``: headless gig commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console.gigfile import load_gig_file


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("gigs", help="inspect and manage gigs")
    gig_commands = parser.add_subparsers(title="gig commands", metavar="ACTION", required=True)

    validate = gig_commands.add_parser(
        "validate",
        help="check a gig JSON file (read or create shape) and list every problem",
    )
    validate.add_argument("file", type=Path, help="a gig JSON file")
    validate.set_defaults(handler=_validate)


def _validate(args: argparse.Namespace) -> int:
    result = load_gig_file(args.file)
    if result.problems:
        for line in result.messages():
            print(line, file=sys.stderr)
        return 1
    print(f"{args.file}: valid gig ({result.shape} shape)")
    return 0
