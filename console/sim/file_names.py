"""The names of a simulation directory's files (see ``console.sim.store``), apart from the
modules that read them so that the console's first frame (``console.sim.gig_summary``) finds
them without loading pydantic."""

from __future__ import annotations

import re
from pathlib import Path

STATE_FILE = "state.json"
SUMMARY_FILE = "gigs.summary.json"
SEGMENT = re.compile(r"journal\.(\d{12})\.jsonl")


def segment_name(first_seq: int) -> str:
    return f"journal.{first_seq:012d}.jsonl"


def segments(directory: Path) -> list[Path]:
    """The journal's segment files, oldest first."""
    try:
        names = [p for p in directory.iterdir() if SEGMENT.fullmatch(p.name)]
    except FileNotFoundError:
        return []
    return sorted(names, key=lambda p: p.name)
