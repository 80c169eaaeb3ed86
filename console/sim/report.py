"""What a simulated gig came to: per-wave counts, totals, every invitation, and when it filled."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from console.models import InvitationStatus
from console.plural import plural

from .engine import Engine

COUNTED = ("accepted", "rejected", "expired", "pending")


def build_report(engine: Engine, gig_id: str, run_info: dict[str, Any]) -> dict[str, Any]:
    """The ``simulate --json`` document. ``run_info`` (seed, population) joins the settings."""
    run = engine.run_of(gig_id)
    invitations = engine.gig_invitations(gig_id)
    waves = [
        {"n": w.n, "at": w.at, "invited": w.invited, **{s: getattr(w, s) for s in COUNTED}}
        for w in engine.wave_records(gig_id)
    ]
    totals = {"invited": len(invitations)}
    totals.update((s, run.counts[InvitationStatus(s)]) for s in COUNTED)
    return {
        "gig": run.gig.to_api(),
        "settings": {**run_info, **engine.settings.to_json()},
        "waves": waves,
        "totals": totals,
        "invitations": [
            {"user_id": inv.user_id, "wave": inv.wave, "invited_at": inv.invited_at,
             "status": inv.status.value, "responded_at": inv.responded_at}
            for inv in invitations
        ],
    }


def filled_at(report: dict[str, Any]) -> int | None:
    """When accepted invitations reached seats_min (the waves stop), if they did."""
    needed = report["gig"].get("seats_min", 1)
    accepted = sorted(i["responded_at"] for i in report["invitations"] if i["status"] == "accepted")
    return accepted[needed - 1] if needed and len(accepted) >= needed else None


def _when(t: int | None) -> str:
    if t is None:
        return "-"
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _duration(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    return (f"{days}d " if days else "") + f"{hours}h{minutes:02d}m"


def format_report(report: dict[str, Any]) -> str:
    """The per-wave table and a summary, for people."""
    gig = report["gig"]
    columns = ("invited", "accepted", "rejected", "expired", "pending")
    header = f"{'wave':>5}  {'at (UTC)':<19}  " + "  ".join(f"{c:>8}" for c in columns)
    lines = [
        f"gig {gig['id']} {gig['title']!r}: {gig['invitation_mode']}, seats_min {gig['seats_min']}, "
        f"seats_max {gig.get('seats_max')}, wave size "
        f"{int(gig['total_seats'] * gig['invitation_multiplier'])} every "
        f"{gig['invitation_frequency']} min, {_when(gig['start_at'])} -> {_when(gig['end_at'])} UTC",
        "",
        header,
    ]
    for wave in report["waves"]:
        lines.append(f"{wave['n']:>5}  {_when(wave['at']):<19}  "
                     + "  ".join(f"{wave[c]:>8}" for c in columns))
    totals = report["totals"]
    lines.append(f"{'total':>5}  {'':<19}  " + "  ".join(f"{totals[c]:>8}" for c in columns))
    lines.append("")
    full = filled_at(report)
    if full is None:
        lines.append(f"not full: {totals['accepted']} accepted of seats_min {gig['seats_min']}")
    else:
        lines.append(f"full (seats_min {gig['seats_min']} accepted) at {_when(full)} UTC, "
                     f"{_duration(full - gig['start_at'])} after the start")
    lines.append(f"workers bothered: {totals['invited']} invited in {plural(len(report['waves']), 'wave')}")
    return "\n".join(lines)
