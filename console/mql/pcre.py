"""Compile MongoDB (PCRE) regexes with the ``regex`` package, closing the gaps that remain.

``regex`` in V1 mode already reads PCRE's scoped inline flags (``(?i)a(?-i)cme``), ``\\z`` and
POSIX classes. What it reads differently is rewritten before compiling:
- ``\\Z`` (PCRE: end, or before a final newline; ``regex``: end only) becomes ``(?=\\n?\\z)``;
- ``\\k<name>``, ``\\k'name'``, ``\\k{name}`` become ``(?P=name)``;
- ``\\Q...\\E`` literal runs are escaped;
- inside a character class, V1's nested sets and set operators (``[``, ``--``, ``&&``, ``||``,
  ``~~``) are literal characters in PCRE, so they are escaped;
- case-insensitive matching uses simple case folding, as PCRE does (V1 defaults to full folding).
"""

from __future__ import annotations

from typing import Any

import regex

OPTION_FLAGS = {"i": regex.IGNORECASE, "m": regex.MULTILINE, "s": regex.DOTALL, "x": regex.VERBOSE}
_NAMED_REF_CLOSERS = {"<": ">", "'": "'", "{": "}"}


class PatternError(ValueError):
    """The pattern is not a valid regex; the message says why."""


def compile_pcre(pattern: str, options: str) -> Any:
    flags = regex.V1
    for option in options:
        flags |= OPTION_FLAGS.get(option, 0)  # "u" is a no-op: strings are always Unicode
    source = "(?-f)" + translate(pattern, verbose="x" in options)
    try:
        return regex.compile(source, flags)
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        raise PatternError(str(exc)) from None


def translate(pattern: str, verbose: bool = False) -> str:
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt == "Z":
                out.append(r"(?=\n?\z)")
                i += 2
            elif nxt == "k" and i + 2 < n and pattern[i + 2] in _NAMED_REF_CLOSERS:
                end = pattern.find(_NAMED_REF_CLOSERS[pattern[i + 2]], i + 3)
                if end == -1:
                    raise PatternError(f"unterminated group name in back-reference at position {i}")
                out.append(f"(?P={pattern[i + 3:end]})")
                i = end + 1
            elif nxt == "Q":
                end = pattern.find(r"\E", i + 2)
                end = n if end == -1 else end
                out.append(regex.escape(pattern[i + 2:end]))
                i = end + 2
            else:
                out.append(pattern[i:i + 2])
                i += 2
        elif ch == "[":
            i = _copy_class(pattern, i, out)
        elif ch == "#" and verbose:
            end = pattern.find("\n", i)
            end = n if end == -1 else end
            out.append(pattern[i:end])
            i = end
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _copy_class(pattern: str, start: int, out: list[str]) -> int:
    """Copy the character class opening at ``start``; return the index after its ``]``."""
    n = len(pattern)
    i = start + 1
    out.append("[")
    if i < n and pattern[i] == "^":
        out.append("^")
        i += 1
    if i < n and pattern[i] == "]":
        out.append(r"\]")  # a leading ] is literal in PCRE
        i += 1
    while i < n:
        ch = pattern[i]
        if ch == "]":
            out.append("]")
            return i + 1
        if ch == "\\" and i + 1 < n:
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if ch == "[":
            if pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                if end != -1:
                    out.append(pattern[i:end + 2])
                    i = end + 2
                    continue
            out.append(r"\[")
            i += 1
            continue
        if ch in "-&|~" and i + 1 < n and pattern[i + 1] == ch:
            out.append(ch + "\\" + ch)
            i += 2
            continue
        out.append(ch)
        i += 1
    raise PatternError(f"missing terminating ] for character class starting at position {start}")
