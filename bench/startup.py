"""Start-up: the installed console's first painted gig list against a bare Textual app.

Each program runs in a pseudo-terminal at 80x24 under TERM=screen, on a scratch HOME, read
through tests/terminal's harness (ptyprocess + pyte); a run is timed from the spawn to the first
screen that shows the gig list's rows (the bare app: its Static's text). The console starts on
a demo its program built once before (a first start, which builds the demo, is timed apart);
runs of the programs take turns, so that the load of a shared machine falls on each alike.
Python's bytecode cache is on for every program, in a scratch folder the first starts fill, as
an installed package has it (pip compiles Textual's; an environment with
PYTHONDONTWRITEBYTECODE would otherwise have the console compile its own ~90 modules, ~0.08 s
CPU, at every start).

    python bench/startup.py [--runs 9] [--baseline OTHER_VENV/bin/cirro-console] [--workers N]

``--baseline`` names another install's console (main's code: a second clone of main with an
editable install in its own venv) to print today's figure beside this tree's.
``--workers`` sets the demo's population (the local context's ``workers``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from terminal.harness import Terminal, console_script, scratch_env  # noqa: E402

from bare_app import TEXT as BARE_TEXT  # noqa: E402

TARGET = 1.5  # the console's first frame at most this many times the bare app's
POLL = 0.005
DATA = Path(".local/share/cirro-console/local")  # the default context's data dir under HOME
# The gig list with its rows: the demo's first gig and the status line under the list.
GIG_ROWS = re.compile(r"^1 +Onboarding survey .*^ 8 of 8 gigs", re.M | re.S)


@dataclass
class Timing:
    """Seconds from the spawn to the first non-blank screen and to the awaited frame, and the
    CPU seconds the program had used by then (what a loaded machine changes least)."""

    painted: float
    frame: float
    cpu: float


def cpu_seconds(pid: int) -> float:
    """User and system time of a running process (Linux: /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Program:
    label: str
    command: list[str]
    frame: Callable[[str], bool]
    console: bool  # runs on a seeded HOME; times its first start
    template: Path | None = None  # a data dir holding the demo it built
    first_start: Timing | None = None
    runs: list[Timing] = field(default_factory=list)


def timed_start(program: Program, home: Path, deadline: float, bytecode: Path) -> Timing:
    env = scratch_env(home, PYTHONDONTWRITEBYTECODE=None, PYTHONPYCACHEPREFIX=str(bytecode))
    terminal = Terminal([], env, cwd=home, program=program.command)
    start = time.monotonic()
    painted = None
    try:
        while True:
            text = terminal.screen_text()
            now = time.monotonic() - start
            if painted is None and text.strip():
                painted = now
            if program.frame(text):
                return Timing(painted if painted is not None else now, now,
                              cpu_seconds(terminal.process.pid))
            if not terminal.process.isalive():
                raise SystemExit(f"{program.label} exited ({terminal.exit_status()}):\n"
                                 f"{text}\n{terminal.tail()}")
            if now > deadline:
                raise SystemExit(f"{program.label}: no first frame after {deadline} s:\n{text}")
            time.sleep(POLL)
    finally:
        terminal.close()


def seeded_home(scratch: Path, program: Program, config: str) -> Path:
    home = Path(tempfile.mkdtemp(dir=scratch))
    if config:
        (home / ".config/cirro-console").mkdir(parents=True)
        (home / ".config/cirro-console/config.toml").write_text(config, encoding="utf-8")
    if program.template is not None:
        shutil.copytree(program.template, home / DATA)
    return home


def first_start(program: Program, scratch: Path, config: str, deadline: float) -> None:
    """Start the program once, filling the bytecode cache; the console on an empty HOME (it
    builds the demo), keeping the demo it built."""
    home = seeded_home(scratch, program, config)
    timing = timed_start(program, home, deadline, scratch / "bytecode")
    if program.console:
        program.first_start = timing
        program.template = Path(tempfile.mkdtemp(dir=scratch)) / "demo"
        shutil.copytree(home / DATA, program.template)


def row(label: str, times: Sequence[float], bare: float | None) -> str:
    median = statistics.median(times)
    ratio = f"{median / bare:5.2f}x" if bare else "     -"
    verdict = ("" if bare is None or label.startswith("bare") else
               "  meets" if median / bare <= TARGET else "  misses")
    return (f"{label:<34} {median:7.3f} {min(times):7.3f} {max(times):7.3f}  {ratio}{verdict}")


def report(programs: Sequence[Program], runs: int) -> None:
    bare = statistics.median(t.frame for t in programs[0].runs)
    print(f"\nstart-up to the first frame, 80x24 TERM=screen, {runs} runs each "
          f"(seconds; target: at most {TARGET}x the bare app)")
    print(f"{'program':<34} {'median':>7} {'min':>7} {'max':>7}  vs bare")
    for program in programs:
        print(row(program.label, [t.frame for t in program.runs], bare))
    print("first paint (any text on the screen)")
    for program in programs[1:]:
        print(row(program.label, [t.painted for t in program.runs], bare))
    print("CPU seconds used by the first frame")
    bare_cpu = statistics.median(t.cpu for t in programs[0].runs)
    for program in programs:
        print(row(program.label, [t.cpu for t in program.runs], bare_cpu))
    for program in programs[1:]:
        if program.first_start is not None:
            print(f"{program.label}: first start (builds the demo) "
                  f"{program.first_start.frame:.3f} s, {program.first_start.cpu:.2f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--baseline", type=Path, metavar="SCRIPT",
                        help="another install's cirro-console (main's code), timed alike")
    parser.add_argument("--workers", type=int, help="workers of the demo's population")
    parser.add_argument("--deadline", type=float, default=120.0,
                        help="seconds a start may take before the bench gives up")
    args = parser.parse_args()
    config = (f'[contexts.local]\nkind = "local"\nworkers = {args.workers}\n'
              if args.workers else "")

    programs = [Program("bare textual app", [sys.executable, str(ROOT / "bench/bare_app.py")],
                        lambda text: BARE_TEXT in text, console=False)]
    if args.baseline is not None:
        programs.append(Program("cirro-console (baseline)", [str(args.baseline)],
                                GIG_ROWS.search, console=True))
    programs.append(Program("cirro-console (this tree)", [str(console_script())],
                            GIG_ROWS.search, console=True))
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as name:
        scratch = Path(name)
        for program in programs:
            first_start(program, scratch, config, args.deadline)
        for turn in range(args.runs):
            # Each program in turn, the order rotated, so none always follows another.
            for program in programs[turn % len(programs):] + programs[:turn % len(programs)]:
                home = seeded_home(scratch, program, config)
                timing = timed_start(program, home, args.deadline, scratch / "bytecode")
                program.runs.append(timing)
                shutil.rmtree(home)
            print(f"run {turn + 1}/{args.runs}", file=sys.stderr)
    report(programs, args.runs)


if __name__ == "__main__":
    main()
