"""The one error a malformed query raises, naming where in the query it is wrong."""

from __future__ import annotations


class MQLError(ValueError):
    """A query MongoDB would reject (or one we do not support), found when it is compiled.

    ``path`` locates the offending key inside the query, dotted, with list positions as numbers:
    ``$or.1.rating.$gt``. It is empty when the query itself (not one of its keys) is wrong.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


def join_path(base: str, part: str | int) -> str:
    return f"{base}.{part}" if base else str(part)
