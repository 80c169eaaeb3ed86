"""What the machine was doing during a benchmark: figures from a shared VM mean little when the
hypervisor gave its CPUs to others (steal time), so the benchmarks that time keys say how much."""

from __future__ import annotations

import os
from pathlib import Path

PROC_STAT = Path("/proc/stat")
# Above this share of CPU time stolen, latency figures are the neighbours' as much as ours.
NOISY_STEAL = 0.05


def _cpu_times() -> list[int] | None:
    """The aggregate CPU line of /proc/stat (user nice system idle iowait irq softirq steal...)."""
    try:
        fields = PROC_STAT.read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None  # not Linux
    return [int(f) for f in fields[1:]] if fields and fields[0] == "cpu" else None


class StealMeter:
    """The share of CPU time the hypervisor took between ``start()`` and ``share()``."""

    def __init__(self) -> None:
        self._start: list[int] | None = None

    def start(self) -> None:
        self._start = _cpu_times()

    def share(self) -> float | None:
        end = _cpu_times()
        if self._start is None or end is None or len(end) < 8:
            return None
        spent = [b - a for a, b in zip(self._start, end)]
        total = sum(spent[:8])  # guest time is counted in user time already
        return spent[7] / total if total else 0.0


def describe(steal: float | None) -> str:
    """One line on the machine: CPUs, load, steal, and a warning when the figures are unsure."""
    line = f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    if steal is None:
        return line + "; steal time unknown (no /proc/stat)"
    line += f"; {steal:.0%} of CPU time stolen by the hypervisor during the run"
    if steal > NOISY_STEAL:
        line += f" (over {NOISY_STEAL:.0%}: the latency figures are unsure, run again when quiet)"
    return line
