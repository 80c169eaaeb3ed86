"""The ``cirro-console`` command line: the TUI by default, headless subcommands for scripts."""
