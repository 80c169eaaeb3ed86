"""One line on what a gig has produced: its results (paid per task) and its paid time."""

from __future__ import annotations

from collections.abc import Sequence

from console.models import Gig, GigResult, GigTimeActivity
from console.tui import format as fmt


def output_summary(gig: Gig, results: Sequence[GigResult],
                   activities: Sequence[GigTimeActivity]) -> str:
    """``results 3 by 2 workers, payout 1,350  time 4h00m by 2 workers``."""
    if not results and not activities:
        return "results none yet  time none yet"
    prices = {task.id: task.base_price for task in gig.tasks.data}
    # A result for a task the gig no longer lists is still counted; its price is unknown.
    payout = sum(r.payout(prices[r.gig_task_id]) for r in results if r.gig_task_id in prices)
    unpriced = sum(1 for r in results if r.gig_task_id not in prices)
    seconds = sum(a.duration_in_ms for a in activities) // 1000

    def workers(items: Sequence[GigResult] | Sequence[GigTimeActivity]) -> str:
        count = len({item.user_id for item in items})
        return f"{count} worker{'s' if count != 1 else ''}"

    text = f"results {len(results)}"
    if results:
        text += f" by {workers(results)}, payout {payout:,.0f}"
        if unpriced:
            text += f" ({unpriced} for unknown tasks)"
    text += f"  time {fmt.duration(seconds) or '0s'}"
    if activities:
        text += f" by {workers(activities)}"
    return text
