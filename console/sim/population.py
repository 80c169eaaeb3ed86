"""The workforce a simulation invites: worker documents (what queries run against) and traits.

A population is a list of ``{"id": <user id>, "document": {...}, "traits": {...}}`` records kept in
worker-id order (the final tie-breaker of every ranking). ``traits`` is optional and simulation
only: ``responsiveness``, ``eagerness`` and ``pace`` scale the response model around 1.0.

What scans it (the engine's rankings, the query preview) reads one :class:`Scan` of it: the ids and
documents in that order and their columns (:mod:`console.mql.columns`), built once per path and
shared by every reader until a worker changes. JSON is read and written with msgspec: ~3x
faster than the standard library on a million workers, and integers stay exact.
"""

from __future__ import annotations

import bisect
import gc
import json
import random
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from operator import gt, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NotRequired, TypedDict

import msgspec

from console.mql import MQLError, query_fields
from console.mql.paths import parse_path
from console.mql.sort import parse_sort
from console.sim.atomic import write_bytes_atomically
from console.waves import worker_order_key

if TYPE_CHECKING:
    from console.mql.columns import Columns

    from .population_file import ColumnarFile

DEFAULT_WORKERS = 5_000
# A fixed reference time keeps generated documents (last_active_at) independent of the wall clock.
GENERATOR_EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z

Record = dict[str, Any]
# A population file's columnar file is ``<name>.json`` + this (console.sim.population_file).
COLUMNS_SUFFIX = ".columns"


def columnar_path(source: Path) -> Path:
    return source.with_name(source.name + COLUMNS_SUFFIX)


class PopulationError(ValueError):
    """A population file that cannot be used; the message names the file and the item."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """Bulk loads of many small dicts run ~4x faster without the cyclic GC scanning them; what
    they load lives long, so it is frozen out of later collections too (refcounting still frees
    it when it is dropped)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


_Trait = Annotated[int, msgspec.Meta(ge=0)] | Annotated[float, msgspec.Meta(ge=0)]


class WellFormed(TypedDict):
    """A record as :func:`population_from_json` keeps it as it is, checked while it is decoded
    (a million records checked in Python cost more than their decoding)."""

    id: Annotated[str, msgspec.Meta(min_length=1)]
    document: dict[str, Any]
    traits: NotRequired[dict[str, _Trait]]


def decode_json(data: bytes, shape: Any = None) -> tuple[Any, bool]:
    """JSON bytes to Python objects, and whether they have ``shape`` (a type msgspec checks);
    raises :class:`ValueError` with the reason. msgspec first; what it refuses (a lone surrogate
    escape, deep nesting) goes to the standard library, as before; NaN and Infinity, which JSON
    has not, are refused."""
    if shape is not None:
        try:
            return msgspec.json.decode(data, type=shape), True
        except (msgspec.ValidationError, RecursionError):
            pass  # valid JSON of another shape, perhaps: read untyped, checked by the caller
        except msgspec.DecodeError:
            return _decode_untyped(data), False
    return _decode_untyped(data), False


def _decode_untyped(data: bytes) -> Any:
    try:
        return msgspec.json.decode(data)
    except (msgspec.MsgspecError, RecursionError):
        pass
    try:
        return json.loads(data, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError too
        raise ValueError(str(exc) or type(exc).__name__) from None


def encode_json(data: Any) -> bytes:
    try:
        return msgspec.json.encode(data)
    except UnicodeEncodeError:  # a lone surrogate read by the fallback above: JSON escapes it
        return json.dumps(data, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Scan:
    """The population as scanned at one moment: ids and documents in worker order, and their
    columns. A change to the population makes a new one; a reader keeps the one it took."""

    ids: list[str]
    documents: list[dict[str, Any]]
    columns: Columns

    def __len__(self) -> int:
        return len(self.ids)


class Population:
    """Records in worker order. Either held as dicts, or mapped from a columnar file
    (:mod:`console.sim.population_file`): then a record is decoded when asked for, and all of
    them only when something needs every dict (a change of a worker, an export)."""

    def __init__(self, records: list[Record]) -> None:
        ids = list(map(itemgetter("id"), records))
        keys = list(zip(map(len, ids), ids))  # worker_order_key of each, built in C
        if any(map(gt, keys, islice(keys, 1, None))):
            order = sorted(range(len(keys)), key=keys.__getitem__)
            records, ids = [records[i] for i in order], [ids[i] for i in order]
        self._records: list[Record] | None = list(records)
        self._by_id: dict[str, Record] | None = dict(zip(ids, self._records))
        self._mapped: ColumnarFile | None = None
        self._rows: dict[str, int] | None = None  # a mapped population's row of each id
        self._decoded: dict[int, Record] = {}  # a mapped population's records asked for so far
        self._scan: Scan | None = None
        self._scanning = threading.Lock()  # one scan, whichever thread asks first

    @classmethod
    def mapped(cls, file: ColumnarFile) -> Population:
        """The population a columnar file holds, without a dict per worker."""
        population = cls([])
        population._records = population._by_id = None
        population._mapped = file
        return population

    @property
    def records(self) -> list[Record]:
        if self._records is None:
            self._materialise()
        return self._records  # type: ignore[return-value]

    @property
    def by_id(self) -> dict[str, Record]:
        if self._by_id is None:
            self._materialise()
        return self._by_id  # type: ignore[return-value]

    def _materialise(self) -> None:
        file = self._mapped
        assert file is not None
        with gc_paused():
            records = [self._record(i) for i in range(file.count)]
        self._by_id = dict(zip(file.ids, records))
        self._records = records

    def _record(self, row: int) -> Record:
        record = self._decoded.get(row)
        if record is None:
            assert self._mapped is not None
            record = self._decoded[row] = self._mapped.records.record(row)
        return record

    def __len__(self) -> int:
        return self._mapped.count if self._records is None else len(self._records)  # type: ignore[union-attr]

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __getitem__(self, index: int) -> Record:
        return self.records[index]

    def scan(self) -> Scan:
        """The ids, documents and columns every scan reads (one copy, built on first use)."""
        from console.mql.columns import Columns  # numpy: loaded by the first scan, not at start

        with self._scanning:
            scan = self._scan
            if scan is None:
                file = self._mapped
                if self._records is None and file is not None:
                    scan = self._scan = Scan(file.ids, file.records,
                                             Columns(file.records, file.columns()))
                    return scan
                with gc_paused():
                    documents = list(map(itemgetter("document"), self.records))
                    ids = list(map(itemgetter("id"), self.records))
                    scan = self._scan = Scan(ids, documents, Columns(documents))
        return scan

    def prepare(self, queries: Iterable[tuple[Any, Any]]) -> None:
        """Build, now, the columns (and sort ranks) that these (filter, sort) queries read: a
        loading thread does it, so the query view's first preview and the next rankings find
        them built. A query that does not parse is left to whoever runs it to report."""
        from console.mql.column_sort import column_ranks

        columns = self.scan().columns
        for filter_query, sort_query in queries:
            try:
                fields = query_fields(filter_query, sort_query)
                sort = parse_sort(sort_query or {})
            except MQLError:
                continue
            for dotted in fields:
                columns.column(parse_path(dotted))
            for path, _ in sort:
                column_ranks(columns.column(path), False)

    def get(self, user_id: str) -> Record | None:
        if self._by_id is not None:
            return self._by_id.get(user_id)
        assert self._mapped is not None
        if self._rows is None:
            self._rows = dict(zip(self._mapped.ids, range(self._mapped.count)))
        row = self._rows.get(user_id)
        return None if row is None else self._record(row)

    def upsert(self, user_id: str, document: dict[str, Any]) -> Record:
        """Create or replace a worker's document, keeping worker-id order. The record is
        replaced by a new one, never changed in place: a snapshot being written from a copy of
        the list (its columnar file, in another thread) keeps the records it took."""
        if self._by_id is None:  # every record as a dict from now on: this one changes
            self._materialise()
        self._scan = None
        key = worker_order_key(user_id)
        at = bisect.bisect_left(self.records, key, key=lambda r: worker_order_key(r["id"]))
        old = self.by_id.get(user_id)
        if old is not None:
            record = self.records[at] = {**old, "document": document}
        else:
            record = {"id": user_id, "document": document}
            self.records.insert(at, record)
        self.by_id[user_id] = record
        return record

    def remove(self, user_id: str) -> bool:
        """Take a worker out (a deleted user); False when there was none."""
        record = self.by_id.pop(user_id, None)
        if record is None:
            return False
        self._scan = None
        self.records.remove(record)
        return True

    def as_list(self) -> list[Record]:
        """``{id, document}`` pairs, as the population file holds them (plus traits when set)."""
        return self.records


def _valid_traits(traits: Any) -> bool:
    return isinstance(traits, dict) and all(
        type(v) in (int, float) and v >= 0 for v in traits.values()
    )


def _check_record(item: Any, index: int, source: str) -> Record:
    # The common case first: a well-formed record is kept as it is, without copying.
    if (type(item) is dict and type(item.get("id")) is str and item["id"]
            and type(item.get("document")) is dict
            and ("traits" not in item or _valid_traits(item["traits"]))
            and len(item) <= 3):
        return item
    where = f"{source}: [{index}]"
    if not isinstance(item, dict):
        raise PopulationError(f"{where}: must be an object with id and document")
    user_id = item.get("id")
    if isinstance(user_id, int) and not isinstance(user_id, bool):
        user_id = str(user_id)
    if not isinstance(user_id, str) or not user_id:
        raise PopulationError(f"{where}.id: must be a non-empty string or an integer")
    document = item.get("document")
    if not isinstance(document, dict):
        raise PopulationError(f"{where}.document: must be an object")
    record: Record = {"id": user_id, "document": document}
    traits = item.get("traits")
    if traits is not None:
        if not _valid_traits(traits):
            raise PopulationError(f"{where}.traits: must be an object of non-negative numbers")
        record["traits"] = traits
    return record


def population_from_json(data: Any, source: str, checked: bool = False) -> Population:
    """``checked``: every item was decoded as :class:`WellFormed` (kept without a look)."""
    if not isinstance(data, list):
        raise PopulationError(f"{source}: a population must be a JSON array of {{id, document}}")
    records = data if checked else [_check_record(item, i, source) for i, item in enumerate(data)]
    population = Population(records)
    if len(population.by_id) != len(records):
        seen: set[str] = set()
        for i, record in enumerate(records):
            if record["id"] in seen:
                raise PopulationError(f"{source}: [{i}].id: duplicate worker id {record['id']!r}")
            seen.add(record["id"])
    return population


def load_population(path: Path, columnar_file: bool = True) -> Population:
    """Read a population file (a JSON array of ``{id, document}``): from its columnar file when
    that is there and current, else from the JSON, writing the columnar file for next time
    (one that is damaged or stale is named in the log and rebuilt; the JSON is never touched).
    ``columnar_file`` False: the JSON alone, as dicts."""
    from .population_file import current_columnar, refresh_columnar

    if not columnar_file:
        return _load_json_population(path)
    file = current_columnar(path)
    if file is not None:
        return Population.mapped(file)
    population = _load_json_population(path)
    refresh_columnar(population.records, path)
    return population


def _load_json_population(path: Path) -> Population:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PopulationError(f"{path}: cannot read population: {exc.strerror or exc}") from None
    with gc_paused():
        try:
            items, checked = decode_json(data, list[WellFormed])
        except ValueError as exc:
            raise PopulationError(f"{path}: not a valid JSON population ({exc})") from None
        del data
        return population_from_json(items, str(path), checked)


def save_population(population: Population, path: Path) -> None:
    """Write the population file atomically (temp file, then rename), and its columnar file."""
    from .population_file import write_columnar

    write_bytes_atomically(path, encode_json(population.as_list()))
    write_columnar(population.records, path)


# The generator ----------------------------------------------------------------------------------

_STATUSES = (("active", 80), ("inactive", 12), ("suspended", 5), ("pending", 3))
_SEGMENTS = (("standard", 55), ("my_favorite_testers", 15), ("trusted", 20), ("newcomer", 10))
_COUNTRIES = (
    ("US", 18), ("DE", 10), ("IN", 12), ("PL", 8), ("UA", 7), ("BR", 8), ("FR", 6), ("GB", 7),
    ("ES", 5), ("IT", 4), ("MX", 4), ("JP", 3), ("RO", 4), ("PT", 2), ("CA", 2),
)
_LANGUAGES = (
    ("english", 50), ("german", 10), ("french", 8), ("spanish", 10), ("portuguese", 6),
    ("polish", 5), ("ukrainian", 4), ("italian", 3), ("japanese", 2), ("hindi", 2),
)
_SKILLS = (
    ("SK-101", "Web testing"), ("SK-102", "Mobile testing"), ("SK-103", "Accessibility"),
    ("SK-104", "Usability"), ("SK-105", "Security"), ("SK-106", "Localization"),
    ("SK-107", "Payments"), ("SK-108", "Automotive"), ("SK-109", "Smart TV"),
    ("SK-110", "Data labelling"),
)
_DEVICES = (
    (("android", ("12", "13", "14", "15")), 45), (("ios", ("16", "17", "18")), 30),
    (("windows", ("10", "11")), 15), (("macos", ("13", "14", "15")), 7), (("linux", ("6",)), 3),
)


class _Weighted:
    """Fast weighted choice: one ``random()`` and a bisect over cumulative weights."""

    def __init__(self, pairs: tuple[tuple[Any, int], ...]) -> None:
        self.values = [v for v, _ in pairs]
        total = 0
        self.cumulative = []
        for _, weight in pairs:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.total)]


def generate_population(
    size: int = DEFAULT_WORKERS, seed: int = 0, now: int = GENERATOR_EPOCH
) -> Population:
    """A seeded synthetic workforce of ``size`` workers with ids "1".."size"."""
    if size < 0:
        raise ValueError(f"workers must not be negative, got {size}")
    rng = random.Random(f"population:{seed}")
    statuses, segments = _Weighted(_STATUSES), _Weighted(_SEGMENTS)
    countries, languages, devices = _Weighted(_COUNTRIES), _Weighted(_LANGUAGES), _Weighted(_DEVICES)
    skills = [{"id": sid, "name": name} for sid, name in _SKILLS]
    rand, expo = rng.random, rng.expovariate

    def below(n: int) -> int:
        # rng.randint costs ~5x more than this, and the generator calls it a lot.
        return int(rand() * n)

    records: list[Record] = []
    with gc_paused():
        for i in range(1, size + 1):
            doc: dict[str, Any] = {"app_worker_id": i, "status": statuses.pick(rng)}
            if rand() < 0.9:
                doc["segment"] = segments.pick(rng)
            if rand() < 0.97:
                doc["country"] = countries.pick(rng)
            doc["languages"] = sorted({languages.pick(rng) for _ in range(1 + below(3))})
            n_skills = below(5)
            if n_skills:
                doc["skills"] = [dict(s) for s in rng.sample(skills, n_skills)]
            if rand() < 0.95:
                kinds = sorted({devices.pick(rng) for _ in range(1 + below(2))})
                doc["devices"] = [{"os": os_name, "version": versions[below(len(versions))]}
                                  for os_name, versions in kinds]
            if rand() < 0.92:
                doc["rating"] = min(50, int(10 + 41 * rand() ** 0.6)) / 10
            doc["tests_completed"] = int(expo(1 / 40))
            doc["last_active_at"] = now - int(expo(1 / (6 * 86400)))
            records.append({
                "id": str(i),
                "document": doc,
                "traits": {
                    "responsiveness": int(400 + 1200 * rand()) / 1000,
                    "eagerness": int(300 + 1400 * rand()) / 1000,
                    "pace": int(250 + 1750 * rand()) / 1000,
                },
            })
    return Population(records)
