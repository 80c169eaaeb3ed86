"""The store's columnar file, written on a thread of its own rather than the journal's.

At a million workers the file takes ~20 s of CPU to build; on the journal's thread every
acknowledged change would wait behind it. One writer thread runs the latest request only: an
older one is superseded (the JSON it described is replaced already). Each request carries the
JSON's stamp as written, so a file finished after a newer JSON is stale, never wrong.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

logger = logging.getLogger(__name__)


class ColumnsWriter:
    def __init__(self) -> None:
        self._wanted: Callable[[], None] | None = None
        self._busy = False
        self._closed = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, write: Callable[[], None]) -> None:
        """Run ``write`` soon, in place of any request not started yet."""
        with self._changed:
            if self._closed:
                raise RuntimeError("the columnar file's writer is closed")
            self._wanted = write
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="columns", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def cancel(self) -> None:
        """Drop a request not started yet (what it would write is no longer wanted)."""
        with self._changed:
            self._wanted = None

    def wait(self, timeout: float | None = None) -> bool:
        """Until nothing is asked or being written; False if ``timeout`` passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: self._wanted is None and not self._busy,
                                          timeout)

    def close(self) -> None:
        """Finish what was asked, then stop the thread."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._wanted is not None or self._closed)
                write, self._wanted = self._wanted, None
                if write is None:
                    return
                self._busy = True
            try:
                write()
            except Exception:  # a bug, not the disk (refresh_columnar logs OSError itself)
                logger.exception("writing the population's columnar file failed")
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()
