"""While the console runs, log records go to its log file, never to the terminal."""

from __future__ import annotations

import io
import logging

from console.tui.log_file import logs_to_file


def test_records_go_to_the_file_and_the_terminal_handler_comes_back(tmp_path, monkeypatch):
    terminal = io.StringIO()
    monkeypatch.setattr("sys.stderr", terminal)
    handler = logging.StreamHandler()  # as cirro-console's main sets it up: on sys.stderr
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with logs_to_file(tmp_path / "data" / "console.log"):
            logging.getLogger("console.remote").warning("retry 1 of 3")
        assert terminal.getvalue() == ""
        assert "WARNING: retry 1 of 3" in (tmp_path / "data" / "console.log").read_text()
        assert handler in root.handlers
    finally:
        root.removeHandler(handler)


def test_a_log_file_that_cannot_be_opened_drops_the_records_off_the_screen(tmp_path, monkeypatch):
    terminal = io.StringIO()
    monkeypatch.setattr("sys.stderr", terminal)
    handler = logging.StreamHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    (tmp_path / "file").write_text("")
    try:
        with logs_to_file(tmp_path / "file" / "console.log"):  # a file where a folder must be
            logging.getLogger("console.remote").warning("retry 1 of 3")
        assert terminal.getvalue() == ""
    finally:
        root.removeHandler(handler)
