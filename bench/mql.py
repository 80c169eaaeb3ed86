"""Benchmark: console.mql against a hand-written lambda, mongomock and mongoquery.

Run from the repository root: ``python bench/mql.py`` (needs the ``bench`` extra). Prints how the
population is built, then one table row per reference query and one for sorting.
"""

from __future__ import annotations

import gc
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from console.mql import compile_filter, compile_sort  # noqa: E402

SEED = 20261130
POPULATION = 100_000
MONGOMOCK_SUBSET = 10_000
SORT_SIZE = 5_000

POPULATION_NOTE = f"""\
Population: {POPULATION:,} synthetic worker documents from random.Random({SEED}):
  status            "active" 70%, "inactive" 20%, "banned" 8%, missing 2%
  country           one of 12 codes (DE 20%), null 1%, missing 3%
  rating            double 1.0-5.0 85%, int 1-5 10%, the string "4.5" 2%, missing 3%
  experience_years  int 0-30 90%, null 5%, missing 5%
  languages         array of 1-4 codes 95% (ru in 5% of arrays), missing 5%
  devices           array of 0-3 {{os, version, model}} 90% (version missing in 10% of elements,
                    a string in 5%), missing 10%
  email             string 97% (2% @example.org/.NET, mixed case), missing 3%
  referral_code     string 4%, otherwise missing
  profile           {{"verified": bool, "joined_at": ISO-8601 string}}"""

COUNTRIES = ["DE", "FR", "PL", "ES", "IT", "NL", "US", "UA", "PT", "RO", "SE", "CZ"]
LANGUAGES = ["en", "de", "fr", "pl", "es", "it", "uk", "pt", "nl"]
OSES = ["android", "ios", "windows", "macos", "linux"]


def build_population(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        doc: dict = {"id": f"w{i:06d}"}
        r = rng.random()
        if r < 0.98:
            doc["status"] = "active" if r < 0.70 else "inactive" if r < 0.90 else "banned"
        r = rng.random()
        if r < 0.96:
            doc["country"] = "DE" if r < 0.20 else rng.choice(COUNTRIES)
        elif r < 0.97:
            doc["country"] = None
        r = rng.random()
        if r < 0.85:
            doc["rating"] = round(rng.uniform(1.0, 5.0), 2)
        elif r < 0.95:
            doc["rating"] = rng.randint(1, 5)
        elif r < 0.97:
            doc["rating"] = "4.5"
        r = rng.random()
        if r < 0.90:
            doc["experience_years"] = rng.randint(0, 30)
        elif r < 0.95:
            doc["experience_years"] = None
        if rng.random() < 0.95:
            langs = rng.sample(LANGUAGES, rng.randint(1, 4))
            if rng.random() < 0.05:
                langs.append("ru")
            doc["languages"] = langs
        if rng.random() < 0.90:
            devices = []
            for _ in range(rng.randint(0, 3)):
                device: dict = {"os": rng.choice(OSES), "model": f"m{rng.randint(1, 50)}"}
                r = rng.random()
                if r < 0.85:
                    device["version"] = rng.randint(8, 18)
                elif r < 0.90:
                    device["version"] = f"{rng.randint(8, 18)}.1"
                devices.append(device)
            doc["devices"] = devices
        r = rng.random()
        if r < 0.97:
            domain = rng.choice(["@example.org", "@Example.NET"]) if r < 0.02 else "@mail.test"
            doc["email"] = f"user{i}{domain}"
        if rng.random() < 0.04:
            doc["referral_code"] = f"R{rng.randint(1000, 9999)}"
        doc["profile"] = {"verified": rng.random() < 0.6,
                          "joined_at": f"202{rng.randint(0, 6)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T00:00:00Z"}
        docs.append(doc)
    return docs


# -- the reference queries, and what a competent Python developer would write for each ---------

Q1 = {"status": "active", "country": "DE"}


def lambda_q1(d: dict) -> bool:
    return d.get("status") == "active" and d.get("country") == "DE"


Q2 = {
    "status": "active",
    "rating": {"$gte": 4.0},
    "country": {"$in": ["DE", "FR", "PL"]},
    "languages": {"$nin": ["ru"]},
    "experience_years": {"$gt": 2},
}
_Q2_COUNTRIES = frozenset(["DE", "FR", "PL"])


def lambda_q2(d: dict) -> bool:
    rating = d.get("rating")
    years = d.get("experience_years")
    return (
        d.get("status") == "active"
        and type(rating) in (int, float) and rating >= 4.0
        and d.get("country") in _Q2_COUNTRIES
        and "ru" not in (d.get("languages") or ())
        and type(years) in (int, float) and years > 2
    )


Q3 = {"$or": [
    {"devices": {"$elemMatch": {"os": "ios", "version": {"$gte": 17}}}},
    {"email": {"$regex": r"@example\.(org|net)$", "$options": "i"}},
    {"devices.os": "linux"},
    {"referral_code": {"$exists": True}},
]}
_Q3_EMAIL = re.compile(r"@example\.(org|net)$", re.IGNORECASE)


def lambda_q3(d: dict) -> bool:
    devices = d.get("devices") or ()
    for device in devices:
        version = device.get("version")
        if device.get("os") == "ios" and type(version) in (int, float) and version >= 17:
            return True
    email = d.get("email")
    if type(email) is str and _Q3_EMAIL.search(email):
        return True
    if any(device.get("os") == "linux" for device in devices):
        return True
    return "referral_code" in d


# mongoquery has no $options: it gets the same pattern with the flag inline.
MONGOQUERY_FORM = {"Q3 $or $elemMatch $regex dotted $exists": {"$or": [
    Q3["$or"][0], {"email": {"$regex": r"(?i)@example\.(org|net)$"}}, *Q3["$or"][2:]]}}

QUERIES = [
    ("Q1 equality on 2 fields", Q1, lambda_q1),
    ("Q2 5 clauses $gte $in $nin $gt", Q2, lambda_q2),
    ("Q3 $or $elemMatch $regex dotted $exists", Q3, lambda_q3),
]
SORTS = [{"rating": -1, "experience_years": -1, "id": 1}, {"languages": 1, "rating": -1, "id": 1}]
SORT_FILTER = {"status": {"$in": ["active", "inactive"]}}


WIDE = 10_000
WIDE_SUBSET = 10_000
WIDE_QUERIES = [
    ("$or of equalities", {"$or": [{"experience_years": i} for i in range(WIDE)]}),
    ("$or of ranges on two fields", {"$or": [{"rating": {"$gt": 5 + i}} if i % 2 else
                                             {"experience_years": {"$lt": -i}} for i in range(WIDE)]}),
    ("$all on an array", {"languages": {"$all": [f"l{i}" for i in range(WIDE)]}}),
    ("$in of arrays", {"languages": {"$in": [[f"l{i}"] for i in range(WIDE)]}}),
]


def per_doc_us(predicates: list[Callable[[dict], bool]], docs: list[dict], repeat: int) -> list[tuple[float, int]]:
    """For each predicate, its best time over ``repeat`` rounds in µs per document, and its match
    count. Rounds interleave the predicates so that load from other processes hits them alike."""
    best = [float("inf")] * len(predicates)
    counts = [0] * len(predicates)
    for _ in range(repeat):
        for i, predicate in enumerate(predicates):
            start = time.perf_counter()
            counts[i] = sum(1 for d in docs if predicate(d))
            best[i] = min(best[i], time.perf_counter() - start)
    return [(t / len(docs) * 1e6, n) for t, n in zip(best, counts)]


def mongomock_sort(sort: dict, items: list[dict]) -> list[dict]:
    """mongomock's Cursor.sort: one stable sorted() pass per key, last key first."""
    from mongomock.filtering import resolve_sort_key

    for key, direction in reversed(list(sort.items())):
        items = sorted(items, key=lambda x: resolve_sort_key(key, x), reverse=direction < 0)
    return items


def sort_ms(sorter: Callable[[list[dict]], list[dict]], items: list[dict]) -> tuple[float, list[str]]:
    best = float("inf")
    result: list[dict] = []
    for _ in range(3):
        start = time.perf_counter()
        result = sorter(items)
        best = min(best, time.perf_counter() - start)
    return best * 1e3, [d["id"] for d in result]


def main() -> int:
    from mongomock.filtering import filter_applies
    from mongoquery import Query

    gc.disable()
    docs = build_population(POPULATION, SEED)
    subset = docs[:MONGOMOCK_SUBSET]
    print(POPULATION_NOTE)
    print(f"Filters, µs per document: ours and the lambda best of 5 interleaved passes, the comparators one pass.\n"
          f"ours, lambda and mongoquery run on all {POPULATION:,} documents; mongomock (slow) on the first "
          f"{MONGOMOCK_SUBSET:,} only,\nand its match count is for that subset.\n")
    header = (f"{'query':<42}{'ours':>7}{'lambda':>8}{'ours/λ':>8}{'mongoquery':>11}{'mq/ours':>8}"
              f"{'mongomock':>10}{'mm/ours':>8}  matches (ours / λ / mq / mm on subset)")
    print(header)
    print("-" * len(header))
    ok = True
    for name, query, handwritten in QUERIES:
        ours = compile_filter(query)
        (t_ours, n_ours), (t_lambda, n_lambda) = per_doc_us([ours, handwritten], docs, repeat=5)
        [(t_mq, n_mq)] = per_doc_us([Query(MONGOQUERY_FORM.get(name, query)).match], docs, repeat=1)
        [(t_mm, n_mm)] = per_doc_us([lambda d: filter_applies(query, d)], subset, repeat=1)
        n_ours_subset = sum(1 for d in subset if ours(d))
        print(f"{name:<42}{t_ours:7.2f}{t_lambda:8.2f}{t_ours / t_lambda:7.2f}x{t_mq:11.2f}"
              f"{t_mq / t_ours:7.1f}x{t_mm:10.2f}{t_mm / t_ours:7.1f}x  "
              f"{n_ours} / {n_lambda} / {n_mq} / {n_mm} (ours {n_ours_subset})")
        ok &= n_ours == n_lambda and t_ours <= 1.5 * t_lambda and t_mq >= 5 * t_ours

    matches = compile_filter(SORT_FILTER)
    survivors = [d for d in docs if matches(d)][:SORT_SIZE]
    print(f"\nSort {SORT_SIZE:,} survivors of {SORT_FILTER}, best of 3, ms:")
    for sort in SORTS:
        ours_ms, ours_order = sort_ms(compile_sort(sort), survivors)
        mm_ms, mm_order = sort_ms(lambda items: mongomock_sort(sort, items), survivors)
        same = "yes" if ours_order == mm_order else "no (mongomock sorts an array by its first element)"
        print(f"  by {sort}: ours {ours_ms:.1f}, mongomock {mm_ms:.1f} ({mm_ms / ours_ms:.1f}x ours); "
              f"same order: {same}")
    print(f"\nWide queries of {WIDE:,} values (issue 13: 7-20 s to compile and up to 20 s per "
          f"document before), compile s, then µs per document:")
    for name, query in WIDE_QUERIES:
        started = time.perf_counter()
        wide = compile_filter(query)
        compile_s = time.perf_counter() - started
        [(t_wide, n_wide)] = per_doc_us([wide], docs[:WIDE_SUBSET], repeat=1)
        print(f"  {name:<40} compile {compile_s:6.3f} s, match {t_wide:9.2f} µs "
              f"({n_wide} of {WIDE_SUBSET:,} match)")
    print("\nTarget (ours within 1.5x of the lambda, 5x faster than mongoquery, equal counts): "
          + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
