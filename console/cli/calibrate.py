"""``cirro-console calibrate SOURCE``: fit the response model to what workers did.

SOURCE is a recording (`simulate --record`) or gig ids of the context. Exit codes: 0 fitted,
1 the context failed, 2 bad input or too little data to fit."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from console.backends.errors import BackendError
from console.backends.factory import open_backend
from console.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail
from console.config import ConfigError, RemoteContext, load_config
from console.forecast.calibrate import calibrate
from console.forecast.fit import FitError
from console.forecast.observations import GigHistory
from console.forecast.report import format_model
from console.forecast.sources import SourceError, histories_from_recording, history_from_backend
from console.monitor.recording import RecordingError
from console.query.sources import preview_population
from console.sim.population import PopulationError, load_population


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "calibrate", help="fit the response model to a recording or to gigs of the context",
        description="Fit the probability to respond, to accept given a response, and the "
        "lognormal response delay from each invitation's invited_at, responded_at and status "
        "(pending and expired invitations are censored), with 95% intervals.")
    parser.add_argument("source", nargs="+", metavar="SOURCE",
                        help="a recording file (simulate --record), or gig ids of the context")
    parser.add_argument("--gig", action="append", default=[], metavar="ID",
                        help="with a recording: only this gig (repeatable; default every gig)")
    parser.add_argument("--by", metavar="FIELD",
                        help="also fit per value of this worker document field (e.g. country)")
    parser.add_argument("--population", type=Path, metavar="FILE",
                        help="worker documents for --by (default: the simulation's, or the "
                        "remote context's population file)")
    parser.add_argument("--json", action="store_true", help="print the model as JSON")
    parser.add_argument("--out", type=Path, metavar="FILE",
                        help="also write the model to FILE (TOML; .json for JSON)")
    parser.set_defaults(handler=_calibrate)


def context_population(context_name: str | None) -> Path | None:
    """The population file a remote context names (None for local contexts or when unset)."""
    try:
        _, context = load_config().context(context_name)
    except ConfigError:
        return None
    return context.population if isinstance(context, RemoteContext) else None


def _documents(records: Sequence[Mapping[str, Any]] | None) -> dict[str, Any]:
    return {r["id"]: r["document"] for r in records or ()}


def _from_context(args: argparse.Namespace) -> tuple[list[GigHistory], dict[str, Any], str]:
    backend = open_backend(load_config(), args.context, read_only=True)

    async def read() -> tuple[list[GigHistory], dict[str, Any]]:
        try:
            histories = [await history_from_backend(backend, g) for g in args.source]
            documents: dict[str, Any] = {}
            if args.by and args.population is None:
                source = preview_population(backend, context_population(args.context))
                if source.population is None:
                    raise FitError(f"--by {args.by}: " + source.description.replace(
                        "No preview", "no worker documents") + " (or give --population FILE)")
                documents = _documents(source.population)
            return histories, documents
        finally:
            await backend.close()

    histories, documents = asyncio.run(read())
    return histories, documents, f"context {backend.context!r} gigs {', '.join(args.source)}"


def _calibrate(args: argparse.Namespace) -> int:
    first = Path(args.source[0])
    is_recording = len(args.source) == 1 and first.is_file()
    for text, given in zip(args.source, map(Path, args.source), strict=True):
        if given.is_dir():  # else taken for a gig id: "gig DIR not found (status 404)"
            return fail(f"{given}: a directory, not a recording (simulate --record FILE) or a "
                        "gig id", EXIT_USAGE)
        # Gig ids have neither a folder nor a suffix: such a name is a file that is not there.
        if ("/" in text or given.suffix) and not given.exists():
            return fail(f"{given}: no such file (a recording from simulate --record, or gig "
                        "ids)", EXIT_USAGE)
    try:
        if is_recording:
            histories = histories_from_recording(first, args.gig)
            documents: dict[str, Any] = {}
            source = f"{first} (gigs {', '.join(h.gig.id for h in histories) or 'none'})"
            if args.by and args.population is None:
                return fail(f"--by {args.by}: a recording holds no worker documents; give "
                            "--population FILE", EXIT_USAGE)
        else:
            if args.gig:
                return fail("--gig applies to a recording; list the context's gig ids as "
                            "SOURCE instead", EXIT_USAGE)
            histories, documents, source = _from_context(args)
        if args.population is not None:
            documents = _documents(load_population(args.population))
        model = calibrate(histories, source=source, by=args.by, documents=documents)
    except (RecordingError, SourceError, PopulationError, FitError) as exc:
        return fail(str(exc), EXIT_USAGE)
    except ConfigError as exc:
        return fail(str(exc), EXIT_USAGE)
    except BackendError as exc:
        return fail(f"{exc.message} (status {exc.status})", EXIT_FAILED)
    if args.out is not None:
        text = (json.dumps(model.to_json(), indent=2) + "\n" if args.out.suffix == ".json"
                else model.to_toml())
        try:
            args.out.write_text(text, encoding="utf-8")
        except OSError as exc:
            return fail(f"{args.out}: cannot write: {exc.strerror or exc}", EXIT_FAILED)
        print(f"model written to {args.out}", file=sys.stderr)
    print(json.dumps(model.to_json()) if args.json else format_model(model))
    return EXIT_OK
