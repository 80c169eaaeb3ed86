"""``cirro-console replay FILE``: open a recorded run (``simulate --record``) in the console, on
the wave monitor. The recording's clock is the console's: ``p`` plays and pauses, ``<``/``>``
change the speed, ``n``/``b`` step a frame, ``J`` jumps."""

from __future__ import annotations

import argparse
from pathlib import Path

from console.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail
from console.cli.output import say
from console.config import ConfigError, load_config
from console.monitor.recording import RecordingError
from console.monitor.replay import Recording, ReplayBackend


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "replay", help="replay a recorded simulation run in the wave monitor",
        description="Open FILE (written by simulate --record) in the console's wave monitor.")
    parser.add_argument("file", type=Path, metavar="FILE", help="the recording")
    parser.add_argument("--speed", type=float, default=60.0, metavar="X",
                        help="simulated seconds per second to play at (default 60)")
    parser.add_argument("--paused", action="store_true", help="start paused on the first frame")
    parser.set_defaults(handler=_replay)


def _replay(args: argparse.Namespace) -> int:
    try:
        recording = Recording.load(args.file)
        config = load_config()
    except (RecordingError, ConfigError) as exc:
        return fail(str(exc), EXIT_USAGE)
    if args.speed <= 0:
        return fail(f"--speed: must be above 0, got {args.speed:g}", EXIT_USAGE)
    # Textual only here: the headless commands never import it.
    from console.tui.actions import KeymapError
    from console.tui.app import CirroApp

    backend = ReplayBackend(recording)
    try:
        app = CirroApp(backend, theme=config.ui.theme, keymap=config.keys, speed=args.speed,
                       paused=args.paused, poll_seconds=config.ui.refresh_seconds,
                       start_view="waves")
    except KeymapError as exc:
        return fail(str(exc), EXIT_USAGE)
    app.run()
    # The console showed it as a notification; said again where it stays after the console closes.
    if recording.warning:
        say(f"warning: {recording.warning}", err=True)
    return EXIT_OK if app.return_code in (None, 0) else EXIT_FAILED
