"""Compile MongoDB (PCRE) regexes with the ``regex`` package, closing the gaps that remain.

``regex`` in V1 mode already reads PCRE's scoped inline flags (``(?i)a(?-i)cme``), ``\\z`` and
POSIX classes. What it reads differently is rewritten before compiling:
- ``\\Z`` (PCRE: end, or before a final newline; ``regex``: end only) becomes ``(?=\\n?\\z)``;
- ``\\k<name>``, ``\\k'name'``, ``\\k{name}`` become ``(?P=name)``;
- ``\\Q...\\E`` literal runs are escaped;
- inside a character class, V1's nested sets and set operators (``[``, ``--``, ``&&``, ``||``,
  ``~~``) are literal characters in PCRE, so they are escaped;
- case-insensitive matching uses simple case folding, as PCRE does (V1 defaults to full folding);
- a ``{`` that does not open a counted repeat is a literal in PCRE (``regex`` would read
  ``{e<=3}`` as fuzzy matching), so it is escaped.

Patterns that could exhaust memory are refused before compiling (``regex`` expands counted
repeats, so ``(a{60000}){60000}`` asks for gigabytes, and a recursive pattern such as ``(?R)``
grows its stack with every step): recursion and subroutine calls (``(?R)``, ``(?1)``, ``(?&n)``,
``(?P>n)``, ``\\g<n>``), counted repeats that expand to more than ``MAX_EXPANSION`` items,
patterns longer than MongoDB's limit (``MAX_PATTERN_LENGTH``), and runs of more than ``MAX_RUN``
characters without a ``|`` (slow to prepare, beyond the reach of the time limit).
Matching itself is bounded in time by :func:`timed_search`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .errors import MQLTimeout

_NAMED_REF_CLOSERS = {"<": ">", "'": "'", "{": "}"}
# The most items counted repeats may expand a pattern to (a{100000} compiles in about 0.2 s).
MAX_EXPANSION = 100_000
# MongoDB's own limit ("regular expression is too long"); a 1 MB pattern takes 12 s to compile.
MAX_PATTERN_LENGTH = 32_764
# The most characters in a row with no | between them. The regex package prepares a long literal
# on its first search, in time that grows with the cube of its length and ignores the timeout
# ("a" * 1000: 0.3 s, * 2000: 2.5 s, * 4000: 29 s); 500 take about 30 ms.
MAX_RUN = 500
# A counted repeat as PCRE reads one: {n}, {n,}, {n,m}. These two are plain ``re``: the regex
# package (tens of ms to import) is loaded by the first $regex compiled, not by importing MQL.
_QUANTIFIER = re.compile(r"\{(\d+)(?:,(\d*))?\}")
_RECURSION = re.compile(r"\(\?(?:R|[+-]?\d+|&|P>)")
_BRACED_ESCAPES = frozenset("pPxNgo")


class PatternError(ValueError):
    """The pattern is not a valid regex; the message says why."""


def compile_pcre(pattern: str, options: str) -> Any:
    import regex  # see _QUANTIFIER

    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(f"the pattern is {len(pattern):,} characters long; MongoDB accepts at "
                           f"most {MAX_PATTERN_LENGTH:,}")
    flags = regex.V1
    option_flags = {"i": regex.IGNORECASE, "m": regex.MULTILINE, "s": regex.DOTALL,
                    "x": regex.VERBOSE}
    for option in options:
        flags |= option_flags.get(option, 0)  # "u" is a no-op: strings are always Unicode
    translated = translate(pattern, verbose="x" in options)
    refuse_costly(translated, verbose="x" in options)
    source = "(?-f)" + translated
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
                import regex

                out.append(regex.escape(pattern[i + 2:end]))
                i = end + 2
            else:
                end = _escape_end(pattern, i)
                out.append(pattern[i:end])
                i = end
        elif ch == "[":
            i = _copy_class(pattern, i, out)
        elif ch == "{" and not _QUANTIFIER.match(pattern, i):
            out.append(r"\{")
            i += 1
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


def refuse_costly(source: str, verbose: bool = False) -> None:
    """PatternError for recursion, subroutine calls and repeats expanding past MAX_EXPANSION.

    Reads ``source`` as ``translate`` wrote it: escapes and classes are skipped; each group's
    size is the sum of its items, and a counted repeat multiplies the item before it."""
    sizes = [0]  # the size of each open group, innermost last
    last = 0  # the size of the item a quantifier would repeat
    run = 0  # characters since the last |, counted generously (groups and repeats included)
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        run = 0 if ch == "|" else run + 1
        if run > MAX_RUN:
            raise PatternError(f"more than {MAX_RUN} characters in a row without a | (at position "
                               f"{i}); the regex engine takes seconds to prepare such a pattern")
        if ch == "\\":
            if source.startswith(("g<", "g'"), i + 1):
                raise PatternError(f"subroutine calls such as \\g<1> (at position {i}) are not supported")
            i, last = _escape_end(source, i), 1
        elif ch == "[":
            i, last = _class_end(source, i), 1
        elif ch == "(":
            if _RECURSION.match(source, i):
                raise PatternError(f"recursive patterns such as (?R), (?1) or (?&name) (at position "
                                   f"{i}) are not supported")
            sizes.append(0)
            i += 1
            continue
        elif ch == ")" and len(sizes) > 1:
            last = max(sizes.pop(), 1)
            i += 1
        elif ch == "{" and (counted := _QUANTIFIER.match(source, i)):
            low, high = counted.group(1), counted.group(2)
            times = max(int(low), int(high) if high else 0)
            added = last * (times - 1) if times else -last
            if sizes[-1] + added > MAX_EXPANSION or times > MAX_EXPANSION:
                raise PatternError(f"the repeat {counted.group(0)} at position {i} makes the pattern "
                                   f"longer than {MAX_EXPANSION:,} items; use * or + instead")
            sizes[-1] += added
            last *= times
            i = counted.end()
            continue
        elif ch == "#" and verbose:
            close = source.find("\n", i)
            i = n if close == -1 else close
            continue
        else:
            i, last = i + 1, 1
        sizes[-1] += last


def _escape_end(pattern: str, start: int) -> int:
    """The index after the escape at ``start``: two characters, or through the ``}`` of a braced
    one (``\\p{L}``, ``\\x{263a}``), whose braces are no repeat."""
    end = start + 2
    if end < len(pattern) and pattern[start + 1] in _BRACED_ESCAPES and pattern[end] == "{":
        close = pattern.find("}", end)
        return len(pattern) if close == -1 else close + 1
    return end


def _class_end(source: str, start: int) -> int:
    """The index after the character class opening at ``start`` (as ``_copy_class`` wrote it)."""
    i, n = start + 1, len(source)
    if i < n and source[i] == "^":
        i += 1
    while i < n:
        ch = source[i]
        if ch == "]":
            return i + 1
        if ch == "\\":
            i += 2
        elif source.startswith("[:", i) and (close := source.find(":]", i + 2)) != -1:
            i = close + 2
        else:
            i += 1
    return n


def timed_search(compiled: Any, timeout: float, where: str) -> Callable[[str], bool]:
    """Whether ``compiled`` finds a match in a string, in at most ``timeout`` seconds; past that,
    MQLTimeout naming the clause (a pattern that backtracks exponentially, like ``^(a|a)+$``,
    would otherwise hold a worker thread for minutes)."""
    search = compiled.search

    def found(value: str) -> bool:
        try:
            # Positional arguments: keyword parsing alone doubles the cost of a short match.
            return search(value, None, None, None, False, timeout) is not None
        except TimeoutError:
            raise MQLTimeout(where, f"the regular expression ran longer than {timeout * 1000:g} ms "
                                    f"on one value ({len(value):,} characters) and was stopped; "
                                    f"simplify it (nested repeats such as (a+)+ backtrack "
                                    f"exponentially)") from None
    return found
