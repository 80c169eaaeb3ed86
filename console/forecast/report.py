"""The text the calibrate and forecast commands print (and the monitor's one-line summary)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from console.monitor.timefmt import minute

from .model import PARAMETERS, GroupFit, ResponseModel
from .summary import Forecast


def when(at: int | None) -> str:
    return minute(at, missing="not reached")


def _number(x: float) -> str:
    return "?" if x != x or x in (float("inf"), float("-inf")) else f"{x:.4g}"


def _fit_lines(fit: GroupFit, indent: str = "") -> list[str]:
    lines = [f"{indent}{'parameter':<24} {'estimate':>9}  {'95% interval':<21} {'n':>7}"]
    for name in PARAMETERS:
        e = fit.estimates[name]
        interval = f"{_number(e.low)} - {_number(e.high)}"
        lines.append(f"{indent}{name:<24} {_number(e.value):>9}  {interval:<21} {e.n:>7}")
    return lines


def format_model(model: ResponseModel) -> str:
    fit = model.overall
    lines = [f"response model from {model.source}: {fit.invitations} invitations, "
             f"{fit.responded} responses, {fit.accepted} accepted"
             + (f" ({model.skipped} left out: no invited_at)" if model.skipped else "")]
    lines += _fit_lines(fit)
    if model.by is not None:
        lines.append("")
        lines.append(f"by {model.by} ({len(model.groups)} values with their own fit; "
                     "the others use the overall one):")
        for key, group in sorted(model.groups.items()):
            lines.append(f"  {model.by} = {key}: {group.invitations} invitations")
            lines += _fit_lines(group, "    ")
    return "\n".join(lines)


def _row(label: str, quantiles: dict[str, int | None] | None) -> str:
    if quantiles is None:
        return f"{label:<22} (no seats_max)"
    cells = "".join(f"{when(quantiles[k]):>18}" for k in ("p10", "p50", "p90"))
    return f"{label:<22}{cells}"


def format_forecast(forecast: Forecast, header: str = "") -> str:
    gig = forecast.gig
    lines = [header] if header else []
    lines.append(f"model: {forecast.model}; {forecast.runs} runs")
    lines.append(f"{'':<22}{'P10':>18}{'P50':>18}{'P90':>18}")
    lines.append(_row(f"seats_min ({gig.seats_min})", forecast.seats_min_at))
    lines.append(_row(f"seats_max ({gig.seats_max})", forecast.seats_max_at))
    lines.append(f"fills before end_at ({when(gig.end_at)}): {forecast.fill_probability:.0%}")
    lines.append(f"invitations still to send: P50 {forecast.to_send['p50']}, "
                 f"P90 {forecast.to_send['p90']}")
    lines.append(f"workers invited in all: P50 {forecast.invited_total['p50']}, "
                 f"P90 {forecast.invited_total['p90']}")
    return "\n".join(lines)


def format_sweep(rows: Sequence[tuple[dict[str, float], Forecast]], pick: int | None) -> str:
    names = list(rows[0][0]) if rows else []
    head = "".join(f"{n:>22}" for n in names)
    lines = [f"{head}{'fills P50':>18}{'P90':>18}{'before end':>11}{'invited P50':>12}{'P90':>7}"]
    for i, (combo, f) in enumerate(rows):
        cells = "".join(f"{_number(combo[n]):>22}" for n in names)
        mark = "  <- pick" if i == pick else ""
        lines.append(f"{cells}{when(f.seats_min_at['p50']):>18}{when(f.seats_min_at['p90']):>18}"
                     f"{f.fill_probability:>11.0%}{f.invited_total['p50']!s:>12}"
                     f"{f.invited_total['p90']!s:>7}{mark}")
    if pick is None:
        lines.append("no combination fills before end_at with at least 90% probability")
    return "\n".join(lines)


def monitor_line(forecast: Forecast) -> str:
    """``fills ~14:05 (P50) · 90% by 16:30 · 93% before end``; a time on another day than now
    carries its date, and a percentile the runs do not reach before the end says so."""
    def moment(at: int) -> str:
        same_day = time.gmtime(at)[:3] == time.gmtime(forecast.now)[:3]
        return time.strftime("%H:%M" if same_day else "%m-%d %H:%M", time.gmtime(at))

    q = forecast.seats_min_at
    before_end = f"{forecast.fill_probability:.0%} before end"
    if q["p90"] is not None and q["p90"] <= forecast.now:
        return "filled (seats_min reached)"
    if q["p50"] is None:
        return f"most runs do not reach seats_min · {before_end}"
    late = "90% not before end" if q["p90"] is None else f"90% by {moment(q['p90'])}"
    return f"fills ~{moment(q['p50'])} (P50) · {late} · {before_end}"
