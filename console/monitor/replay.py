"""Replay a recording: fold its frames into gig snapshots, move a cursor over them (play, pause,
step, jump), and answer the read half of the Backend protocol from the cursor's moment, so the
monitor shows a replay exactly as it shows a live gig."""

from __future__ import annotations

import asyncio
import json
import time
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError

from console.backends.base import InvitationFilter, InviteRequest
from console.backends.controls import Frame
from console.backends.errors import NotFound, ReadOnlyError
from console.backends.paging import DEFAULT_LIMIT, Page, page_bounds
from console.sim.pace import Pace
from console.waves import SimSettings
from console.models import (
    Gig,
    GigCreate,
    GigInvitation,
    GigStats,
    GigTask,
    GigTaskCreate,
    GigTaskUpdate,
    GigUpdate,
    InvitationAttempt,
    User,
    WaveRecord,
    problems_from_validation,
)

from .recording import FORMAT, RecordFrame, RecordHeader, RecordingError
from .snapshot import GigSnapshot

# Wall seconds between two moves of the replay's clock (as fast as possible: between frames).
FASTEST_FRAME = 0.1
TICK = 0.05
CLOCK_FRAME = 1.0


@dataclass
class Recording:
    path: Path
    header: RecordHeader
    frames: list[RecordFrame]
    # Set when the last line was cut short (a run killed mid-write); the frames before it load.
    warning: str | None = None

    @classmethod
    def load(cls, path: Path) -> Recording:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RecordingError(f"{path}: cannot read: {exc}") from None
        lines = text.split("\n")
        complete = text.endswith("\n")
        if complete:
            lines.pop()
        if not lines or not lines[0].strip():
            raise RecordingError(f"{path}: empty file, not a cirro-console recording")
        _refuse_other_json(path, text, lines[0])
        header = RecordHeader.model_validate(_parse(path, 1, lines[0], RecordHeader))
        frames: list[RecordFrame] = []
        warning = None
        for number, line in enumerate(lines[1:], start=2):
            last = number == len(lines)
            try:
                frames.append(RecordFrame.model_validate(_parse(path, number, line, RecordFrame)))
            except RecordingError:
                if last and not complete:
                    warning = f"{path}:{number}: last line is incomplete and was skipped"
                    break
                raise
        if not frames:
            raise RecordingError(f"{path}: no frames recorded")
        return cls(path, header, frames, warning)


_WHAT_A_RECORDING_IS = (f'a recording is JSON Lines whose first line holds "format": "{FORMAT}" '
                        "(simulate --record writes one)")


def _refuse_other_json(path: Path, text: str, first: str) -> None:
    """A JSON file that is something else (a gig, a report) is named as such, with the key it
    lacks, rather than reported as broken JSON at line 1."""
    try:
        data = json.loads(first)
    except (json.JSONDecodeError, RecursionError):
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            return  # not JSON at all: _parse says where it breaks
    if not isinstance(data, dict):
        raise RecordingError(f"{path}: not a cirro-console recording: it starts with a JSON "
                             f"{type(data).__name__}, not a header object; {_WHAT_A_RECORDING_IS}")
    if "format" not in data:
        raise RecordingError(f'{path}: not a cirro-console recording: no "format" key in its '
                             f"first JSON object; {_WHAT_A_RECORDING_IS}")
    if data["format"] != FORMAT:
        raise RecordingError(f"{path}: not a cirro-console recording: format is "
                             f"{data['format']!r}; {_WHAT_A_RECORDING_IS}")


def _parse(path: Path, number: int, line: str, model: type[RecordHeader] | type[RecordFrame]) -> dict:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordingError(f"{path}:{number}:{exc.colno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise RecordingError(f"{path}:{number}: invalid JSON: nested too deeply to read") from None
    try:
        model.model_validate(data)
    except ValidationError as exc:
        what = "header" if model is RecordHeader else "frame"
        details = "; ".join(str(p) for p in problems_from_validation(exc))
        raise RecordingError(f"{path}:{number}: invalid {what}: {details}") from None
    return data


@dataclass
class _GigState:
    gig: Gig
    stats: GigStats
    waves: dict[int, WaveRecord] = field(default_factory=dict)
    invitations: dict[str, GigInvitation] = field(default_factory=dict)


class ReplayCursor:
    """A position in a recording; the state at the position is folded from frame 0 (forward
    moves fold only the new frames)."""

    def __init__(self, recording: Recording):
        self.recording = recording
        self.times = [f.at for f in recording.frames]
        self.index = -1
        self.clock = self.times[0]
        self._state: dict[str, _GigState] = {}
        self.jump(0)

    @property
    def at(self) -> int:
        """The time of the current frame."""
        return self.times[self.index]

    @property
    def last(self) -> int:
        return len(self.times) - 1

    def at_end(self) -> bool:
        return self.index >= self.last

    def step(self, frames: int = 1) -> None:
        self.jump(self.index + frames)

    def jump(self, index: int) -> None:
        """To a frame; the replay clock moves to the frame's time."""
        self._fold_to(max(0, min(index, self.last)))
        self.clock = self.at

    def jump_to_time(self, at: int) -> None:
        """The last frame at or before ``at`` (the first frame when ``at`` is earlier)."""
        self.jump(max(bisect_right(self.times, at) - 1, 0))

    def advance_to(self, at: int) -> bool:
        """Play on to simulated time ``at`` (between frames the clock moves, the data stays as
        of the last frame); False once the end is reached."""
        self.clock = max(self.clock, min(at, self.times[-1]))
        target = bisect_right(self.times, self.clock) - 1
        if target > self.index:
            self._fold_to(target)
        return not self.at_end()

    def _fold_to(self, index: int) -> None:
        if index < self.index:
            self._state, self.index = {}, -1
        for i in range(self.index + 1, index + 1):
            self._apply(self.recording.frames[i])
        self.index = index

    def jump_to(self, text: str) -> None:
        """Jump to what an operator types: a frame number (1-based), ``HH:MM[:SS]`` on the
        recording's first day (UTC), or a percentage of the run."""
        text = text.strip()
        if text.endswith("%"):
            try:
                share = float(text[:-1])
            except ValueError:
                raise ValueError(f"not a percentage: {text!r}") from None
            self.jump_to_time(self.times[0] + round((self.times[-1] - self.times[0]) * share / 100))
        elif ":" in text:
            parts = text.split(":")
            if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
                raise ValueError(f"not a time of day (HH:MM or HH:MM:SS): {text!r}")
            hours, minutes, seconds = (int(p) for p in [*parts, "0"][:3])
            day = self.times[0] - self.times[0] % 86400
            self.jump_to_time(day + hours * 3600 + minutes * 60 + seconds)
        elif text.isdigit():
            self.jump(int(text) - 1)
        else:
            raise ValueError(f"give a frame number, HH:MM[:SS] or a percentage, not {text!r}")

    def _apply(self, frame: RecordFrame) -> None:
        for gig_id in frame.deleted:
            self._state.pop(gig_id, None)
        for gig_id, change in frame.gigs.items():
            state = self._state.get(gig_id)
            if state is None:
                if change.gig is None or change.stats is None:
                    raise RecordingError(f"{self.recording.path}: frame at {frame.at} changes gig "
                                         f"{gig_id} before recording it whole")
                state = self._state[gig_id] = _GigState(change.gig, change.stats)
            if change.gig is not None:
                state.gig = change.gig
            if change.stats is not None:
                state.stats = change.stats
            for wave in change.waves:
                state.waves[wave.n] = wave
            for inv in change.invitations:
                state.invitations[inv.id] = inv

    def snapshot(self, gig_id: str) -> GigSnapshot:
        state = self.gig_state(gig_id)
        return GigSnapshot(self.clock, state.gig, state.stats,
                           [state.waves[n] for n in sorted(state.waves)], dict(state.invitations))

    def gig_state(self, gig_id: str) -> _GigState:
        try:
            return self._state[gig_id]
        except KeyError:
            raise NotFound(f"gig {gig_id} is not in the recording at "
                           f"frame {self.index + 1}") from None

    def gig_ids(self) -> list[str]:
        return list(self._state)


class ReplayRewind:
    """The replay's :class:`console.backends.controls.Rewind`: back and to any frame."""

    def __init__(self, cursor: ReplayCursor):
        self.cursor = cursor

    @property
    def position(self) -> tuple[int, int]:
        return self.cursor.index + 1, self.cursor.last + 1

    async def step_back(self) -> int:
        self.cursor.step(-1)
        return self.cursor.clock

    async def jump_to(self, where: str) -> int:
        self.cursor.jump_to(where)
        return self.cursor.clock


class ReplayControls:
    """The replay's :class:`console.backends.controls.SimulationControls`: its clock moves
    through the frames; the settings are the recording's, and nothing can be changed.

    The clock is a light task on the subscriber's event loop (moving a cursor over folded
    frames is cheap): at a speed, recorded time follows wall time; as fast as possible, one
    recorded frame per :data:`FASTEST_FRAME`."""

    def __init__(self, cursor: ReplayCursor, context: str):
        self.cursor = cursor
        self._context = context
        self.rewind = ReplayRewind(cursor)
        self._pace = Pace()
        self._ran_out = False
        self._subscribers: list[Callable[[Frame], None]] = []
        self._task: asyncio.Task[None] | None = None
        self._shown: tuple[object, ...] | None = None
        self._shown_clock = self._shown_at = 0.0

    @property
    def now(self) -> int:
        return self.cursor.clock

    @property
    def settings(self) -> SimSettings:
        return SimSettings()

    # The clock ---------------------------------------------------------------------------------
    @property
    def speed(self) -> float:
        return self._pace.speed

    @property
    def paused(self) -> bool:
        return self._pace.paused

    def set_speed(self, speed: float) -> None:
        self._ran_out = False
        self._pace.set_speed(speed)

    def set_paused(self, paused: bool) -> None:
        self._ran_out = False
        self._pace.set_paused(paused)

    def subscribe(self, callback: Callable[[Frame], None]) -> Callable[[], None]:
        self._subscribers.append(callback)
        callback(self._frame())
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)
            if not self._subscribers and self._task is not None:
                self._task.cancel()
        return unsubscribe

    async def frame(self) -> Frame:
        return self._frame()

    def _frame(self) -> Frame:
        cursor = self.cursor
        states = [cursor.gig_state(gig_id) for gig_id in cursor.gig_ids()]
        nxt = cursor.index + 1
        return Frame(now=cursor.clock, gigs=tuple(s.gig for s in states),
                     stats={s.gig.id: s.stats for s in states}, speed=self._pace.speed,
                     paused=self._pace.paused, ran_out=self._ran_out,
                     next_event_at=cursor.times[nxt] if nxt <= cursor.last else None)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(FASTEST_FRAME if self._pace.fastest else TICK)
            if self._pace.fastest:
                if self.cursor.at_end():
                    self._pace.set_paused(True)
                    self._ran_out = True
                else:
                    self.cursor.step(1)
            elif (seconds := self._pace.due()) > 0:
                self.cursor.advance_to(self.cursor.clock + seconds)
            self._publish()

    def _publish(self) -> None:
        """A frame when the cursor or the pace changed; when only the clock moved between two
        recorded frames, at most every CLOCK_FRAME."""
        key = (self.cursor.index, self._pace.speed, self._pace.paused, self._ran_out)
        wall = time.monotonic()
        if key == self._shown and (self.cursor.clock == self._shown_clock
                                   or wall - self._shown_at < CLOCK_FRAME):
            return
        self._shown, self._shown_clock, self._shown_at = key, self.cursor.clock, wall
        frame = self._frame()
        for callback in list(self._subscribers):
            callback(frame)

    async def invitations(self, gig_id: str) -> Mapping[str, GigInvitation]:
        return dict(self.cursor.gig_state(gig_id).invitations)

    # Moves -------------------------------------------------------------------------------------
    async def advance_to(self, t: int) -> int:
        self.cursor.advance_to(int(t))
        return self.cursor.clock

    async def update_settings(self, **changes: object) -> SimSettings:
        raise ReadOnlyError(f"{self._context} is a recording: it can be replayed, not changed")

    async def reset_demo(self) -> int:
        raise ReadOnlyError(f"{self._context} is a recording: there is no demo to reset")

    async def events_since(self, seq: int = 0) -> None:
        return None  # a recording keeps frames, not the feed

    def population(self) -> None:
        return None  # a recording holds no workers

    def prepare_population(self) -> None:
        return None  # nor columns of them

    async def step_to_next_wave(self) -> int | None:
        """One frame on (the operator steps through a recording frame by frame)."""
        if self.cursor.at_end():
            return None
        self.cursor.step(1)
        return self.cursor.at

    async def run_wave_now(self, gig_id: str) -> WaveRecord | None:
        raise ReadOnlyError(f"{self._context} is a recording: it can be replayed, not changed")


class ReplayBackend:
    """A read-only backend answering from a replay cursor's moment; mutations are refused."""

    kind = "local"
    read_only = True

    def __init__(self, recording: Recording):
        self.cursor = ReplayCursor(recording)
        self.context = f"replay:{recording.path.name}"
        self.simulation = ReplayControls(self.cursor, self.context)
        # The console shows a backend's warnings when it opens (e.g. a cut last line).
        self.warnings = [recording.warning] if recording.warning else []

    async def now(self) -> int:
        return self.cursor.clock

    async def list_gigs(self) -> list[Gig]:
        return [self.cursor.gig_state(gig_id).gig for gig_id in self.cursor.gig_ids()]

    async def get_gig(self, gig_id: str) -> Gig:
        return self.cursor.gig_state(gig_id).gig

    async def gig_stats(self, gig_id: str) -> GigStats:
        return self.cursor.gig_state(gig_id).stats

    async def waves(self, gig_id: str) -> list[WaveRecord]:
        state = self.cursor.gig_state(gig_id)
        return [state.waves[n] for n in sorted(state.waves)]

    async def list_invitations(self, query: InvitationFilter) -> list[GigInvitation]:
        gig_ids = [query.gig_id] if query.gig_id else self.cursor.gig_ids()
        found = []
        for gig_id in gig_ids:
            for inv in self.cursor.gig_state(gig_id).invitations.values():
                if query.user_id and inv.user_id != query.user_id:
                    continue
                if query.status and inv.status not in query.status:
                    continue
                found.append(inv)
        return found

    async def page_invitations(self, query: InvitationFilter, *, limit: int = DEFAULT_LIMIT,
                               after: str | None = None,
                               before: str | None = None) -> Page[GigInvitation]:
        matching = await self.list_invitations(query)
        start, end, has_more = page_bounds([inv.id for inv in matching], limit, after, before)
        return Page(matching[start:end], has_more)

    def _refuse(self) -> NoReturn:
        raise ReadOnlyError(f"{self.context} is a recording: it can be replayed, not changed")

    async def create_gig(self, gig: GigCreate) -> Gig:
        self._refuse()

    async def update_gig(self, gig_id: str, update: GigUpdate) -> Gig:
        self._refuse()

    async def archive_gig(self, gig_id: str, archive_at: int | None = None) -> Gig:
        self._refuse()

    async def delete_gig(self, gig_id: str) -> None:
        self._refuse()

    async def add_task(self, gig_id: str, task: GigTaskCreate) -> GigTask:
        self._refuse()

    async def update_task(self, gig_id: str, task_id: str, task: GigTaskUpdate) -> GigTask:
        self._refuse()

    async def invite(self, gig_id: str, users: Sequence[InviteRequest]) -> list[GigInvitation]:
        self._refuse()

    async def accept_invitation(self, invitation_id: str,
                                no_reward: bool | None = None) -> GigInvitation:
        self._refuse()

    async def reject_invitation(self, invitation_id: str) -> GigInvitation:
        self._refuse()

    async def expire_invitation(self, invitation_id: str) -> GigInvitation:
        self._refuse()

    async def reset_invitation(self, invitation_id: str, silent: bool = False) -> GigInvitation:
        self._refuse()

    async def get_user(self, user_id: str) -> User:
        raise NotFound(f"{self.context} is a recording: it holds no workers (asked for {user_id})")

    async def upsert_worker_document(self, user_id: str, document: dict[str, object]) -> User:
        self._refuse()

    async def invitation_attempt(self, user_id: str, gig_ids: Sequence[str],
                                 max_amount: int | None = None) -> InvitationAttempt:
        self._refuse()

    async def close(self) -> None:
        return None
