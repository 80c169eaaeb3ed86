"""Record a run to a file: JSON Lines, a header then one frame per capture holding only what
changed since the previous frame (gig, stats, waves, invitations), so a 10,000-invitation run
stays small and a crash loses at most the line being written.

    {"format": "cirro-console-recording", "version": 1, "context": "local", "recorded_at": ...}
    {"at": 1767225600, "gigs": {"g1": {"gig": {...}, "stats": {...}, "waves": [...],
                                       "invitations": [...]}}, "deleted": []}
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Literal, TextIO

from pydantic import BaseModel, Field

from console.backends.base import Backend
from console.models import Gig, GigInvitation, GigStats, WaveRecord

from .snapshot import GigSnapshot, take_snapshot

FORMAT = "cirro-console-recording"
VERSION = 1


class RecordingError(Exception):
    """A recording cannot be written or read; the message names the file (and line)."""


class RecordHeader(BaseModel):
    format: Literal["cirro-console-recording"]
    version: Literal[1]
    context: str
    recorded_at: float


class GigDelta(BaseModel):
    gig: Gig | None = None
    stats: GigStats | None = None
    waves: list[WaveRecord] = Field(default_factory=list)
    invitations: list[GigInvitation] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return self.gig is None and self.stats is None and not self.waves and not self.invitations


class RecordFrame(BaseModel):
    at: int
    gigs: dict[str, GigDelta] = Field(default_factory=dict)
    deleted: list[str] = Field(default_factory=list)


def delta(before: GigSnapshot | None, after: GigSnapshot) -> GigDelta:
    """What changed from ``before`` to ``after`` (everything when there is no ``before``)."""
    if before is None:
        return GigDelta(gig=after.gig, stats=after.stats, waves=list(after.waves),
                        invitations=list((after.invitations or {}).values()))
    old_waves = {w.n: w for w in before.waves}
    return GigDelta(
        gig=after.gig if after.gig != before.gig else None,
        stats=after.stats if after.stats != before.stats else None,
        waves=[w for w in after.waves if old_waves.get(w.n) != w],
        invitations=[inv for inv_id, inv in (after.invitations or {}).items()
                     if (before.invitations or {}).get(inv_id) != inv],
    )


class Recorder:
    """Appends a frame per :meth:`capture` to a new file; refuses to overwrite an existing one."""

    def __init__(self, path: Path, context: str):
        self.path = path
        try:
            self._file: TextIO = path.open("x", encoding="utf-8")
        except FileExistsError:
            raise RecordingError(f"{path}: already exists; remove it or record to another file") \
                from None
        except OSError as exc:
            raise RecordingError(f"{path}: cannot create: {exc.strerror or exc}") from None
        self._last: dict[str, GigSnapshot] = {}
        self.frames = 0
        header = RecordHeader(format=FORMAT, version=VERSION, context=context,
                              recorded_at=time.time())
        self._write(header.model_dump(mode="json"))

    async def capture(self, backend: Backend) -> bool:
        """Snapshot every gig and write what changed; False when nothing did (no frame)."""
        at = await backend.now()
        gigs = await backend.list_gigs()
        frame = RecordFrame(at=at)
        current: dict[str, GigSnapshot] = {}
        for gig in gigs:
            snap = await take_snapshot(backend, gig.id, at)
            current[gig.id] = snap
            change = delta(self._last.get(gig.id), snap)
            if not change.is_empty():
                frame.gigs[gig.id] = change
        frame.deleted = sorted(set(self._last) - set(current))
        self._last = current
        if not frame.gigs and not frame.deleted and self.frames:
            return False
        self._write(frame.model_dump(mode="json", exclude_defaults=True) | {"at": at})
        self.frames += 1
        return True

    def _write(self, line: dict[str, Any]) -> None:
        try:
            self._file.write(json.dumps(line, separators=(",", ":")) + "\n")
            self._file.flush()
        except OSError as exc:
            raise RecordingError(f"{self.path}: cannot write: {exc.strerror or exc}") from None

    def close(self) -> None:
        self._file.close()
