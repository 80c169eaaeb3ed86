"""Record a run to a file: JSON Lines, a header then one frame per capture holding only what
changed since the previous frame (gig, stats, waves, invitations), so a 10,000-invitation run
stays small and a crash loses at most the line being written.

    {"format": "cirro-console-recording", "version": 1, "context": "local", "recorded_at": ...}
    {"at": 1767225600, "gigs": {"g1": {"gig": {...}, "stats": {...}, "waves": [...],
                                       "invitations": [...]}}, "deleted": []}
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

from pydantic import Field

from console.base_model import Model
from console.models import Gig, GigInvitation, GigStats, WaveRecord
from console.sim.atomic import open_private
from console.sim.engine import Engine

from console.sim.invitation_reader import EngineInvitations

FORMAT = "cirro-console-recording"
VERSION = 1


class RecordingError(Exception):
    """A recording cannot be written or read; the message names the file (and line)."""


class RecordHeader(Model):
    format: Literal["cirro-console-recording"]
    version: Literal[1]
    context: str
    recorded_at: float


class GigDelta(Model):
    gig: Gig | None = None
    stats: GigStats | None = None
    waves: list[WaveRecord] = Field(default_factory=list)
    invitations: list[GigInvitation] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return self.gig is None and self.stats is None and not self.waves and not self.invitations


class RecordFrame(Model):
    at: int
    gigs: dict[str, GigDelta] = Field(default_factory=dict)
    deleted: list[str] = Field(default_factory=list)


@dataclass
class _GigSeen:
    gig: Gig
    stats: GigStats
    waves: dict[int, WaveRecord]


class Recorder:
    """Appends a frame per :meth:`capture` of a simulation engine to a new file (it refuses to
    overwrite one). Only what changed since the last frame is converted and written: a frame of
    a 10,000-invitation gig costs a pass over plain objects, not 10,000 models."""

    def __init__(self, path: Path, context: str):
        self.path = path
        try:
            fd = open_private(path, os.O_WRONLY | os.O_EXCL)
            self._file: TextIO = os.fdopen(fd, "w", encoding="utf-8")
        except FileExistsError:
            raise RecordingError(f"{path}: already exists; remove it or record to another file") \
                from None
        except OSError as exc:
            raise RecordingError(f"{path}: cannot create: {exc.strerror or exc}") from None
        self._seen: dict[str, _GigSeen] = {}
        self._readers: dict[str, EngineInvitations] = {}
        self.frames = 0
        self.last_at: int | None = None
        header = RecordHeader(format=FORMAT, version=VERSION, context=context,
                              recorded_at=time.time())
        self._write(header.model_dump(mode="json"))

    def capture(self, engine: Engine, *, always: bool = False) -> bool:
        """Write what changed in every gig; False when nothing did and ``always`` is not set
        (no frame written). ``always`` keeps a moment where only the clock moved."""
        frame = RecordFrame(at=engine.clock)
        current: dict[str, _GigSeen] = {}
        for run in engine.ordered_runs():
            seen = self._seen.get(run.id)
            stats = engine.gig_stats(run.id)
            waves = {w.n: w for w in engine.wave_records(run.id)}
            reader = self._readers.setdefault(run.id, EngineInvitations())
            invitations, changed = reader.read(engine, run.id)
            change = GigDelta(
                gig=run.gig if seen is None or seen.gig != run.gig else None,
                stats=stats if seen is None or seen.stats != stats else None,
                waves=[w for n, w in waves.items() if seen is None or seen.waves.get(n) != w],
                invitations=[invitations[inv_id] for inv_id in changed],
            )
            if not change.is_empty():
                frame.gigs[run.id] = change
            current[run.id] = _GigSeen(run.gig, stats, waves)
        frame.deleted = sorted(set(self._seen) - set(current))
        self._seen = current
        if not frame.gigs and not frame.deleted and self.frames and not always:
            return False
        self._write(frame.model_dump(mode="json", exclude_defaults=True) | {"at": frame.at})
        self.frames += 1
        self.last_at = frame.at
        return True

    def _write(self, line: dict[str, Any]) -> None:
        try:
            self._file.write(json.dumps(line, separators=(",", ":")) + "\n")
            self._file.flush()
        except OSError as exc:
            raise RecordingError(f"{self.path}: cannot write: {exc.strerror or exc}") from None

    def close(self) -> None:
        self._file.close()


def run_recorded(engine: Engine, recorder: Recorder, until: int | None, every: int,
                 progress: Callable[[int], None] | None = None) -> None:
    """Run like :meth:`Engine.run` (to ``until``, or until nothing is left to happen), with a
    frame at most every ``every`` simulated seconds while something happens."""
    recorder.capture(engine)
    while (t := engine.next_event_at()) is not None and (until is None or t <= until):
        target = max(t, (recorder.last_at or t) + every)
        engine.advance_to(target if until is None else min(target, until), progress)
        recorder.capture(engine)
    if until is not None and engine.clock < until:
        engine.advance_to(until, progress)
        recorder.capture(engine, always=True)
