"""The population in a form made for scanning, in one binary file beside its JSON.

A million workers decoded from JSON are a million dicts: ~2 GB and seconds of CPU before the
first query. The columnar file (``<population>.json.columns``) holds what scans read, ready to
use: the ids, and per dotted path the columns of :mod:`console.mql.columns` (type tags, values,
strings dictionary-encoded), built with the same function a scan would use, so a column read
from the file is the column a scan of the documents would build. Each record (document and
traits) is kept as its own JSON bytes: decoded only for the rows that need it (an invitation, a
preview's rows, a clause the columns cannot decide), and exact for every shape a document may
have (arrays, deep nesting, integers past 2**64, any text).

Each column also carries what a first preview would otherwise compute from it at once: its
``ODD`` rows and, for a column of scalars, its ascending sort ranks (in the smallest unsigned
type that holds them), so opening the query view on a million workers ranks nothing.

The JSON stays the population's import and export format and the only source of truth: the
columnar file records the JSON's size and modification time and a CRC of its own payload. One
that is truncated, damaged, of another format or older than its JSON is named, set aside and
rebuilt from the JSON. ``meta`` is the writer's own small record (a simulation store keeps its
journal number there), read back as it was written.

Layout: a magic line, the header's length (8 bytes, little-endian), the header (JSON), then the
arrays the header places (offset, byte length, dtype), each 64-byte aligned.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from console.mql.column_sort import ascending_ranks
from console.mql.columns import Column, build_column
from console.mql.paths import parse_path

from .atomic import write_bytes_atomically
from .population import columnar_path, encode_json

MAGIC = b"cirro-console population columns 2\n"
# Paths given a column in the file; others (rare keys past this) are built when first asked.
MAX_PATHS = 256
# Ids kept as one fixed-width numpy array; a population with longer ids is read from its JSON.
MAX_ID_LENGTH = 64
_ALIGN = 64
logger = logging.getLogger(__name__)


class ColumnarFileError(ValueError):
    """A columnar file that cannot be used as it is; the message names it and why."""


def source_stamp(source: Path) -> dict[str, int]:
    """What changes when the JSON is replaced (a new inode) or rewritten in place; reading all
    of it to compare would cost what the columnar file saves."""
    stat = source.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "ctime_ns": stat.st_ctime_ns,
            "inode": stat.st_ino}


def document_paths(documents: Sequence[dict[str, Any]], limit: int = MAX_PATHS,
                   sample: int = 10_000) -> list[str]:
    """Dotted paths worth a column: every top-level field, and the fields under them, through
    documents and arrays of documents (``devices.os``), as ``sample`` documents spread over the
    population have them; at most ``limit``. A path left out is built when first asked for."""
    seen: dict[str, None] = dict.fromkeys(chain.from_iterable(documents))  # in C: all of them
    step = max(1, len(documents) // sample)
    for document in documents[::step]:
        stack: list[tuple[str, Any]] = [("", document)]
        while stack:
            prefix, value = stack.pop()
            if value.__class__ is list:
                stack.extend((prefix, item) for item in value if item.__class__ is dict)
                continue
            for key, item in value.items():
                if item.__class__ is dict or item.__class__ is list:
                    dotted = f"{prefix}{key}"
                    if prefix:
                        seen[dotted] = None
                    stack.append((f"{dotted}.", item))
                elif prefix:
                    seen[f"{prefix}{key}"] = None
    # Not addressable by one dotted path: built on demand, if ever asked.
    return [p for p in seen if p and not p.startswith("$") and ".." not in p
            and not p.endswith(".") and not p.startswith(".")][:limit]


class _Writer:
    def __init__(self) -> None:
        self.parts: list[bytes | np.ndarray] = []
        self.size = 0
        self.sections: dict[str, list[Any]] = {}

    def add(self, name: str, array: np.ndarray) -> None:
        pad = -self.size % _ALIGN
        if pad:
            self.parts.append(b"\0" * pad)
            self.size += pad
        data = np.ascontiguousarray(array).reshape(-1).view(np.uint8)
        self.sections[name] = [self.size, data.nbytes, array.dtype.str]
        self.parts.append(data)
        self.size += data.nbytes


def _encoded_records(records: Sequence[dict[str, Any]]) -> list[bytes]:
    encode = msgspec.json.Encoder().encode
    out = []
    for record in records:
        try:
            out.append(encode(record))
        except UnicodeEncodeError:  # a lone surrogate: the standard library escapes it
            out.append(encode_json(record))
    return out


def _compact(ranks: np.ndarray, count: int) -> np.ndarray:
    """Dense ranks in the smallest unsigned type that holds ``count`` of them."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if count <= np.iinfo(dtype).max + 1:
            return ranks.astype(dtype)
    return ranks


def write_columnar(records: Sequence[dict[str, Any]], source: Path,
                   target: Path | None = None, meta: dict[str, Any] | None = None,
                   stamp: dict[str, int] | None = None) -> bool:
    """Write the columnar file of ``records`` (in worker order, as ``source`` holds them), with
    ``meta`` (JSON) in its header; False (nothing written) when the ids do not fit the file's
    form (see :data:`MAX_ID_LENGTH`). ``stamp``: ``source``'s as it was when it held
    ``records`` (default: as it is now), so that a file finished after ``source`` was replaced
    is stale, never wrong."""
    ids = [record["id"] for record in records]
    if any(len(i) > MAX_ID_LENGTH or "\0" in i for i in ids):
        return False
    stamp = stamp or source_stamp(source)
    documents = [record["document"] for record in records]
    writer = _Writer()
    writer.add("ids", np.array(ids, dtype=f"<U{max(map(len, ids), default=1)}"))
    blobs = _encoded_records(records)
    offsets = np.zeros(len(blobs) + 1, np.int64)
    np.cumsum(np.fromiter(map(len, blobs), np.int64, len(blobs)), out=offsets[1:])
    writer.add("record offsets", offsets)
    writer.add("records", np.frombuffer(b"".join(blobs), np.uint8))
    del blobs  # joined: the rows' own bytes go
    columns: dict[str, dict[str, Any]] = {}
    for dotted in document_paths(documents):
        try:
            path = parse_path(dotted)
        except ValueError:
            continue
        column = build_column(documents, path)
        writer.add(f"{dotted} tags", column.tags)
        writer.add(f"{dotted} values", column.values)
        writer.add(f"{dotted} odd", column.odd.astype(np.int32))  # rows: below 2**31
        ranked = ascending_ranks(column)
        if ranked is not None:
            writer.add(f"{dotted} ranks", _compact(*ranked))
        columns[dotted] = {"strings": list(column.strings),
                           "ranks": None if ranked is None else ranked[1]}
    crc = 0
    for part in writer.parts:
        crc = zlib.crc32(part, crc)
    header = json.dumps({"source": stamp, "count": len(ids), "payload": writer.size,
                         "crc32": crc, "sections": writer.sections, "columns": columns,
                         "meta": meta or {}}, separators=(",", ":")).encode()
    head = MAGIC + len(header).to_bytes(8, "little") + header
    head += b"\0" * (-len(head) % _ALIGN)
    write_bytes_atomically(target or columnar_path(source), b"".join([head, *writer.parts]))
    return True


class MappedRecords(Sequence[dict[str, Any]]):
    """The documents of a columnar file, decoded one by one when read (never kept)."""

    def __init__(self, offsets: np.ndarray, data: memoryview) -> None:
        self._offsets = offsets.tolist()
        self._data = data
        self._decode = msgspec.json.Decoder().decode

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def record(self, index: int) -> dict[str, Any]:
        """Row ``index``'s record: ``id``, ``document`` and ``traits`` if any."""
        data = self._data[self._offsets[index] : self._offsets[index + 1]]
        try:
            return self._decode(data)
        except msgspec.DecodeError:  # a lone surrogate's escape, as the JSON file allowed
            return json.loads(bytes(data))

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self.record(i)["document"] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        return self.record(index)["document"]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self.record(i)["document"] for i in range(len(self)))


class ColumnarFile:
    """A columnar file read and checked: ids, columns by dotted path, records on demand."""

    def __init__(self, path: Path, source: Path) -> None:
        self.path = path
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ColumnarFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
        if not data.startswith(MAGIC):
            raise ColumnarFileError(f"{path}: not a columnar population file of this version")
        start = len(MAGIC) + 8
        length = int.from_bytes(data[len(MAGIC):start], "little")
        try:
            header = json.loads(data[start : start + length])
            base = start + length + (-(start + length) % _ALIGN)
            payload = memoryview(data)[base:]
            if len(payload) != header["payload"]:
                raise ColumnarFileError(
                    f"{path}: truncated ({len(payload)} of {header['payload']} bytes)")
            if zlib.crc32(payload) != header["crc32"]:
                raise ColumnarFileError(f"{path}: damaged (its checksum does not match)")
            try:
                stamp = source_stamp(source)
            except OSError as exc:  # the JSON is the truth: without it, no population
                raise ColumnarFileError(
                    f"{path}: its JSON cannot be read ({exc.strerror or exc})") from None
            if header["source"] != stamp:
                raise ColumnarFileError(f"{path}: older than {source.name} (stale)")
            self.count: int = header["count"]
            sections = header["sections"]
            self._arrays = {name: np.frombuffer(payload[offset : offset + size], np.dtype(dtype))
                            for name, (offset, size, dtype) in sections.items()}
            self.ids: list[str] = self._arrays["ids"].tolist()
            self.records = MappedRecords(self._arrays["record offsets"],
                                         memoryview(self._arrays["records"]))
            self._columns: dict[str, tuple[tuple[str, ...], int | None]] = {
                dotted: (tuple(column["strings"]), column["ranks"])
                for dotted, column in header["columns"].items()}
            self.meta: dict[str, Any] = header["meta"]
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            if isinstance(exc, ColumnarFileError):
                raise
            raise ColumnarFileError(f"{path}: damaged header ({exc})") from None
        if len(self.ids) != self.count or len(self.records) != self.count:
            raise ColumnarFileError(f"{path}: damaged (row counts disagree)")

    def columns(self) -> dict[str, Column]:
        """The columns the file holds, ready for :class:`console.mql.columns.Columns`."""
        out = {}
        for dotted, (strings, ranks) in self._columns.items():
            arrays = self._arrays
            out[dotted] = Column(arrays[f"{dotted} tags"], arrays[f"{dotted} values"], strings,
                                 arrays[f"{dotted} odd"],
                                 stored_ranks=None if ranks is None else (
                                     arrays[f"{dotted} ranks"], ranks))
        return out


def current_columnar(source: Path, check: Callable[[ColumnarFile], None] | None = None,
                     instead: str = "rebuilding it") -> ColumnarFile | None:
    """The columnar file beside ``source`` when it is there and current (and passes ``check``,
    which raises :class:`ColumnarFileError`), else None: one that cannot be used is named in the
    log with what happens ``instead`` (the caller reads the JSON)."""
    path = columnar_path(source)
    if not path.exists():
        return None
    try:
        file = ColumnarFile(path, source)
        if check is not None:
            check(file)
        return file
    except ColumnarFileError as exc:
        logger.warning("%s; %s from %s", exc, instead, source.name)
        return None


def refresh_columnar(records: Sequence[dict[str, Any]], source: Path,
                     meta: dict[str, Any] | None = None,
                     stamp: dict[str, int] | None = None) -> None:
    """Write ``source``'s columnar file after ``source`` was written or read; a directory that
    refuses it is named in the log (the JSON alone serves, more slowly)."""
    path = columnar_path(source)
    try:
        write_columnar(records, source, path, meta, stamp)
    except OSError as exc:
        logger.warning("%s: cannot write the columnar file: %s", path, exc.strerror or exc)
