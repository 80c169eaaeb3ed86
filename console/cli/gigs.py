"""``cirro-console gigs ...``: headless gig commands, on the context ``--context`` names."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from console.backends.base import Backend
from console.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail, with_backend
from console.cli.output import clean, print_json, say
from console.monitor.timefmt import minute
from console.gigfile import load_gig_file
from console.models import Gig, GigCreate
from console.remote.backend import RemoteBackend


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("gigs", help="inspect and manage gigs")
    gig_commands = parser.add_subparsers(title="gig commands", metavar="ACTION", required=True)

    validate = gig_commands.add_parser(
        "validate",
        help="check a gig JSON file (read or create shape) and list every problem",
    )
    validate.add_argument("file", type=Path, help="a gig JSON file")
    validate.set_defaults(handler=_validate)

    listing = gig_commands.add_parser("list", help="list the gigs this context knows")
    listing.add_argument("--json", action="store_true", help="print the gigs as a JSON array")
    listing.set_defaults(handler=_list)

    show = gig_commands.add_parser("show", help="show one gig")
    show.add_argument("gig_id", metavar="ID")
    show.add_argument("--json", action="store_true", help="print the gig as the API returns it")
    show.set_defaults(handler=_show)

    create = gig_commands.add_parser("create", help="create a gig from a JSON file (create shape)")
    create.add_argument("file", type=Path, help="a gig JSON file, the body of POST /gigs")
    create.set_defaults(handler=_create)

    archive = gig_commands.add_parser("archive", help="archive a gig now, or schedule it")
    archive.add_argument("gig_id", metavar="ID")
    archive.add_argument("--at", type=int, metavar="UNIX", help="archive at this UNIX time")
    archive.set_defaults(handler=_archive)

    track = gig_commands.add_parser(
        "track", help="remember a gig of a remote context (the API cannot list gigs)")
    track.add_argument("gig_id", metavar="ID")
    track.add_argument("--watch", action="store_true",
                       help="also watch it: `gigs poll` records its invitations (wave history)")
    track.set_defaults(handler=_track)

    poll = gig_commands.add_parser(
        "poll", help="poll every watched gig of a remote context once and record its wave "
                     "history (run it from cron to keep history while no console is open)")
    poll.set_defaults(handler=_poll)


def _validate(args: argparse.Namespace) -> int:
    result = load_gig_file(args.file)
    if result.problems:
        for line in result.messages():
            say(line, err=True)
        return EXIT_FAILED
    say(f"{args.file}: valid gig ({result.shape} shape)")
    return EXIT_OK


def _seats(gig: Gig) -> str:
    return f"{gig.seats_min}..{gig.seats_max if gig.seats_max is not None else '-'}"


def gig_table(gigs: list[Gig], now: int) -> list[str]:
    rows = [("ID", "TITLE", "PHASE", "MODE", "SEATS", "START (UTC)", "END (UTC)")]
    rows += [tuple(map(clean, (g.id, g.title if len(g.title) <= 40 else g.title[:39] + "…",
                               g.phase(now).value, g.invitation_mode, _seats(g), minute(g.start_at),
                               minute(g.end_at)))) for g in gigs]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]


def _list(args: argparse.Namespace) -> int:
    async def action(backend: Backend) -> int:
        gigs = await backend.list_gigs()
        if args.json:
            print_json([gig.to_api() for gig in gigs])
        elif not gigs:
            say(f"no gigs known in context {backend.context!r}")
        else:
            say("\n".join(gig_table(gigs, await backend.now())))
        return EXIT_OK
    return with_backend(args, action, read_only=True)


def _show(args: argparse.Namespace) -> int:
    async def action(backend: Backend) -> int:
        gig = await backend.get_gig(args.gig_id)
        if args.json:
            print_json(gig.to_api())
            return EXIT_OK
        now = await backend.now()
        lines = [
            ("id", gig.id), ("title", gig.title), ("phase", gig.phase(now).value),
            ("url", gig.url), ("start", minute(gig.start_at)), ("end", minute(gig.end_at)),
            ("archive at", minute(gig.archive_at)), ("archived", minute(gig.archived_at)),
            ("mode", gig.invitation_mode), ("seats", f"total {gig.total_seats}, {_seats(gig)}"),
            ("wave", f"{gig.wave_size} every {gig.invitation_frequency} min"),
            ("filter", json.dumps(gig.filter_query)), ("sort", json.dumps(gig.sort_query)),
            ("tasks", ", ".join(f"{t.title} ({t.base_price})" for t in gig.tasks.data) or "-"),
        ]
        width = max(len(name) for name, _ in lines)
        say("\n".join(f"{name.ljust(width)}  {clean(value)}" for name, value in lines))
        return EXIT_OK
    return with_backend(args, action, read_only=True)


def _create(args: argparse.Namespace) -> int:
    result = load_gig_file(args.file, "create")
    if result.problems:
        for line in result.messages():
            say(line, err=True)
        return EXIT_FAILED
    assert isinstance(result.gig, GigCreate)
    gig = result.gig

    async def action(backend: Backend) -> int:
        created = await backend.create_gig(gig)
        say(f"created gig {clean(created.id)} in context {backend.context!r}: {clean(created.title)}")
        return EXIT_OK
    return with_backend(args, action)


def _archive(args: argparse.Namespace) -> int:
    async def action(backend: Backend) -> int:
        gig = await backend.archive_gig(args.gig_id, args.at)
        done = "archived" if args.at is None else f"will archive at {minute(gig.archive_at)} UTC"
        say(f"gig {clean(gig.id)} {done}")
        return EXIT_OK
    return with_backend(args, action)


def _track(args: argparse.Namespace) -> int:
    async def action(backend: Backend) -> int:
        if not isinstance(backend, RemoteBackend):
            return fail(f"context {backend.context!r} is a simulation, which knows all its gigs; "
                        f"track is for remote contexts", EXIT_USAGE)
        gig = await backend.track(args.gig_id, watch=args.watch)
        watching = " (watched)" if args.watch else ""
        say(f"tracking gig {clean(gig.id)} in context {backend.context!r}{watching}: "
            f"{clean(gig.title)}")
        return EXIT_OK
    return with_backend(args, action, read_only=True)


def _poll(args: argparse.Namespace) -> int:
    async def action(backend: Backend) -> int:
        if not isinstance(backend, RemoteBackend):
            return fail(f"context {backend.context!r} is a simulation, which records its waves "
                        f"itself; poll is for remote contexts", EXIT_USAGE)
        errors = await backend.poll_watched()
        for error in errors:
            say(f"error: {backend.context}: {clean(error.with_status())}", err=True)
        return EXIT_FAILED if errors else EXIT_OK
    return with_backend(args, action, read_only=True)
