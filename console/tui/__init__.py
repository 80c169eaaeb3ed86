"""The Textual console: shell, views and widgets. Only this package imports Textual."""
