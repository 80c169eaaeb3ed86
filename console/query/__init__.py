"""The query editor's logic, free of Textual: parsing with positions, preview, diff, snippets,
and the ``$EDITOR`` hand-off. ``console/tui/views/queries.py`` puts a screen on top of it."""
