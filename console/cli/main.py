"""Entry point: parse the command line and dispatch to a subcommand.

Without a subcommand it opens the console (the TUI). Each subcommand module exposes
``register(subparsers)``, which adds its parser and sets ``handler`` to a function taking the
parsed arguments and returning the exit code.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import NoReturn

from console import __version__
from console.cli.output import CleanFormatter, OutputFailed, guard_stdout

# Modules of console.cli, in the order --help lists them.
SUBCOMMANDS = ("gigs", "simulate", "calibrate", "forecast", "replay", "serve", "locate")
# Seconds a headless command may take in all (each request also has the context's timeout), so
# a stuck server cannot pile up cron runs of `gigs poll`. (Here, not in console.cli.common: the
# console's start reads it and must not load the backends that module does.)
DEFAULT_DEADLINE = 600.0


class _ConsoleOptions(argparse.ArgumentParser):
    """Only the console's own options: any error is left to the whole parser to word."""

    def error(self, message: str) -> NoReturn:
        raise argparse.ArgumentError(None, message)


def build_parser(subcommands: bool = True, only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``only``, of the subcommands that one alone (the one a
    command line names: each subcommand's module loads what it runs, calibrate and forecast
    scipy, serve uvicorn, gigs httpx); without ``subcommands``, only the options of the console
    itself (no -h either), to read a command line that names no subcommand."""
    parser = (argparse.ArgumentParser if subcommands else _ConsoleOptions)(
        prog="cirro-console",
        description="Keyboard-driven operations console for Cirro gigs.",
        add_help=subcommands, exit_on_error=subcommands,
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
    if subcommands:
        subparsers = parser.add_subparsers(title="subcommands", metavar="COMMAND")
        for name in SUBCOMMANDS if only is None else (only,):
            import_module(f"console.cli.{name}").register(subparsers)
    return parser


def console_arguments(argv: Sequence[str] | None) -> tuple[argparse.Namespace | None, str | None]:
    """The options of a command line that opens the console, read without loading any
    subcommand's module, or else the subcommand it names. (None, None) when it asks for help,
    names no known subcommand or has an error: the whole parser then reads it, and words it as
    always."""
    try:
        args, rest = build_parser(subcommands=False).parse_known_args(argv)
    except argparse.ArgumentError:
        return None, None
    if not rest:
        return args, None
    return None, rest[0] if rest[0] in SUBCOMMANDS else None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {text}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args, subcommand = console_arguments(argv)
    if args is None:
        args = build_parser(only=subcommand).parse_args(argv)
    # Warnings (a retry, a key others can read) reach stderr even without -v.
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)]
    stderr = logging.StreamHandler()
    stderr.setFormatter(CleanFormatter("%(levelname)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[stderr])
    handler = getattr(args, "handler", None)
    if handler is None:
        # The console's start allocates much and frees little (imports, the first frame): the
        # collector's passes over it took ~0.03 s of CPU. Off until the first view shows its
        # data (CirroApp.first_frame_painted freezes what start-up made, then turns it on).
        gc.disable()
        # Imported here so that headless commands never load Textual.
        from console.tui.startup import run_console

        try:
            return run_console(context=args.context, read_only=args.read_only)
        finally:
            gc.enable()
    original = guard_stdout()
    try:
        code = int(handler(args))
        sys.stdout.flush()  # a full disk shows here when the whole output fitted in the buffer
        return code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OutputFailed as exc:
        # What is still buffered would fail again, as a traceback, when Python exits.
        _discard_stdout(original)
        if isinstance(exc.error, BrokenPipeError):
            return 0  # the reader went away (`gigs list | head`): not an error
        print(f"cirro-console: cannot write the output: {exc}", file=sys.stderr)
        return 1
    finally:
        sys.stdout = original


def _discard_stdout(stream: object) -> None:
    try:
        fd = stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return  # not a file (a test's capture)
    os.dup2(os.open(os.devnull, os.O_WRONLY), fd)
