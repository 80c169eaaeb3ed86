"""KeyedTable: rows changed a few at a time land where a full sort would put them."""

from __future__ import annotations

import random

from textual.app import App, ComposeResult

from console.tui.widgets.keyed_table import KeyedTable
from console.tui.widgets.virtual_table import Column, Row

from .conftest import wait_for

COLUMNS = (Column("name", "NAME", width=6), Column("score", "SCORE", width=5, align="right"))


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield KeyedTable(COLUMNS, id="t")


def make_row(key: str, score: int | None) -> Row:
    return Row.of(key, (key, "-" if score is None else str(score)), (key, score))


def fully_sorted(table: KeyedTable) -> list[str]:
    """The order a full sort gives (what set_rows does), for comparison."""
    reference = KeyedTable(COLUMNS)
    reference.sort_column, reference.sort_reverse = table.sort_column, table.sort_reverse
    reference._rows = dict(table._rows)
    reference._sort()
    return [row.key for row in reference._order]


async def test_placed_rows_match_a_full_sort_in_both_directions_with_empty_values():
    rng = random.Random(5)
    async with TableApp().run_test() as pilot:
        table = pilot.app.query_one(KeyedTable)
        table.set_rows(make_row(f"k{n:03d}", rng.choice([None, *range(20)])) for n in range(300))
        for reverse in (False, True):
            table.sort_by("score", reverse=reverse)
            for _ in range(40):
                # a few changed or new rows, some removed: fewer than RESORT_SHARE of them,
                # so they are placed by binary search rather than sorted
                changed = [make_row(f"k{rng.randrange(400):03d}", rng.choice([None, *range(20)]))
                           for _ in range(rng.randrange(1, 8))]
                removed = {f"k{rng.randrange(400):03d}" for _ in range(rng.randrange(3))}
                removed -= {row.key for row in changed}
                table.update_rows(changed, removed)
                assert [row.key for row in table.visible_rows()] == fully_sorted(table)
                assert not removed & {row.key for row in table.visible_rows()}
                latest = {row.key: row for row in changed}  # the last change of a key wins
                assert all(table.row(key) == row for key, row in latest.items())


async def test_a_repeated_key_in_one_update_is_placed_once():
    async with TableApp().run_test() as pilot:
        table = pilot.app.query_one(KeyedTable)
        table.set_rows(make_row(f"k{n}", n) for n in range(50))
        table.sort_by("score")
        table.update_rows([make_row("k3", 90), make_row("k3", 95)])
        keys = [row.key for row in table.visible_rows()]
        assert keys.count("k3") == 1 and keys[-1] == "k3" and table.row("k3").cells[1] == "95"


async def test_a_row_count_change_that_keeps_the_scrollbar_lays_nothing_out(monkeypatch):
    """At the fastest speed the row count changes every frame: a whole-screen layout each time
    (4-5 ms) had nothing to move. The scrollbar still learns the new count, and one appearing
    (or going) still lays out."""
    from textual.screen import Screen

    layouts = []
    refresh_layout = Screen._refresh_layout

    def counted(self, *args, **kwargs):
        layouts.append(self)
        return refresh_layout(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)
    async with TableApp().run_test(size=(40, 12)) as pilot:
        table = pilot.app.query_one(KeyedTable)
        await wait_for(lambda: table.has_focus)  # focused after mount: its styles lay out
        table.set_rows(make_row(f"k{n:03d}", n) for n in range(5))  # fits: no scrollbar
        await pilot.pause()
        assert not table.show_vertical_scrollbar
        table.update_rows([make_row(f"k{n:03d}", n) for n in range(5, 100)])  # one appears
        # Laid out at the screen's next update, which may come after a pause (then that layout
        # counted as the rows' below: seen on a loaded machine). The new scrollbar (not a child
        # in the DOM) asks for one more when its styles are first applied, on its own idle.
        screen = pilot.app.screen

        def settled() -> bool:
            nodes = [*screen.walk_children(with_self=True), table.vertical_scrollbar]
            return (table.vertical_scrollbar.size.height > 0
                    and not any(node._layout_required or node._refresh_styles_required
                                or not node._message_queue.empty() for node in nodes))

        await wait_for(settled)
        assert table.show_vertical_scrollbar
        layouts.clear()
        for count in range(100, 110):
            table.update_rows([make_row(f"k{count:03d}", count)])
            await pilot.pause()
        assert layouts == []
        assert table.vertical_scrollbar.window_virtual_size == 110 + 1  # the rows and the header
        table.action_cursor_bottom()
        await pilot.pause()
        assert "k109" in "".join(
            strip.text for strip in pilot.app.screen._compositor.render_strips())
        table.update_rows((), [f"k{n:03d}" for n in range(3, 110)])  # it goes
        await pilot.pause()
        assert not table.show_vertical_scrollbar and layouts
