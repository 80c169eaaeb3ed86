"""The user profile beside each simulated worker's document: names, time zone, birthday, country,
EPAM account, ban record. Drawn from a stable hash of (seed, user id), so a profile is the same
every time it is read and needs no storage; its country is the worker document's ``country``."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from console.sim.responses import uniforms

# Names and the main time zone by country (the countries the population generator draws from).
_PEOPLE: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "US": (("James", "Mary", "Robert", "Linda", "Ashley"), ("Smith", "Johnson", "Brown", "Davis"),
           "America/New_York"),
    "DE": (("Lukas", "Anna", "Jonas", "Lea", "Felix"), ("Müller", "Schmidt", "Weber", "Wagner"),
           "Europe/Berlin"),
    "IN": (("Aarav", "Diya", "Vihaan", "Ananya", "Arjun"), ("Sharma", "Patel", "Iyer", "Reddy"),
           "Asia/Kolkata"),
    "PL": (("Jakub", "Zuzanna", "Antoni", "Grażyna", "Szymon"), ("Nowak", "Kowalski", "Wójcik"),
           "Europe/Warsaw"),
    "UA": (("Oleksandr", "Sofiia", "Maksym", "Anastasiia"), ("Shevchenko", "Bondarenko", "Kovalenko"),
           "Europe/Kyiv"),
    "BR": (("Miguel", "Helena", "Arthur", "Alice", "Heitor"), ("Silva", "Santos", "Oliveira"),
           "America/Sao_Paulo"),
    "FR": (("Gabriel", "Louise", "Raphaël", "Jade"), ("Martin", "Bernard", "Dubois", "Thomas"),
           "Europe/Paris"),
    "GB": (("Oliver", "Olivia", "George", "Amelia"), ("Jones", "Williams", "Taylor", "Evans"),
           "Europe/London"),
    "ES": (("Hugo", "Lucía", "Martín", "Sofía"), ("García", "Fernández", "López", "Martínez"),
           "Europe/Madrid"),
    "IT": (("Leonardo", "Giulia", "Francesco", "Aurora"), ("Rossi", "Russo", "Ferrari", "Esposito"),
           "Europe/Rome"),
    "MX": (("Santiago", "Regina", "Mateo", "Valentina"), ("Hernández", "González", "Ramírez"),
           "America/Mexico_City"),
    "JP": (("Haruto", "Himari", "Sota", "Yui"), ("Sato", "Suzuki", "Takahashi", "Tanaka"),
           "Asia/Tokyo"),
    "RO": (("Andrei", "Maria", "Ştefan", "Ioana"), ("Popescu", "Ionescu", "Popa", "Dumitru"),
           "Europe/Bucharest"),
    "PT": (("Francisco", "Leonor", "Afonso", "Matilde"), ("Ferreira", "Costa", "Rodrigues"),
           "Europe/Lisbon"),
    "CA": (("Liam", "Charlotte", "Noah", "Emma"), ("Tremblay", "Roy", "Gagnon", "Wilson"),
           "America/Toronto"),
}
_COUNTRIES = tuple(_PEOPLE)
EPAM_SHARE = 0.12  # of workers who are EPAM employees (they get an ``epam`` account)
BANNED_SHARE = 0.01  # of workers with a ban record
BENCH_STATUSES = ("on_bench", "extra_mile")  # the values Cirro's fixtures show
# Birthdays between 1960-01-01 and 2006-12-31 (adults at the generator's epoch).
_BORN_FROM = dt.date(1960, 1, 1).toordinal()
_BORN_SPAN = dt.date(2006, 12, 31).toordinal() - _BORN_FROM
SKILLS_SYNCED_AT = 1_767_225_600  # the population generator's epoch


def _pick(values: tuple[Any, ...], u: float) -> Any:
    return values[int(u * len(values))]


@lru_cache(maxsize=65_536)
def bench_status(seed: int, user_id: str) -> str | None:
    """The EPAM bench status an invitation of this user carries (None: not an EPAM employee)."""
    epam, status = uniforms("epam", seed, user_id, count=2)
    return _pick(BENCH_STATUSES, status) if epam < EPAM_SHARE else None


def profile(seed: int, user_id: str, document: dict[str, Any]) -> dict[str, Any]:
    """The User fields (all but ``id``, ``object`` and ``worker``) of a simulated worker."""
    u = uniforms("profile", seed, user_id, count=8)
    country = document.get("country")
    if country not in _PEOPLE:
        country = _pick(_COUNTRIES, u[0])
    first_names, last_names, time_zone = _PEOPLE[country]
    first, last = _pick(first_names, u[1]), _pick(last_names, u[2])
    birthday = dt.date.fromordinal(_BORN_FROM + int(u[3] * _BORN_SPAN))
    status = bench_status(seed, user_id)
    epam = None
    if status is not None:
        skills = [dict(s) for s in document.get("skills", []) if isinstance(s, dict)]
        epam = {"id": str(40_000 + int(u[4] * 60_000)), "skills_last_synced_at": SKILLS_SYNCED_AT,
                "primary_skill": skills[0]["id"] if skills else None, "bench_status": status,
                "skills": skills}
    banned = None
    if u[5] < BANNED_SHARE:
        # A ban is a sign-up from elsewhere than the country given.
        detected = _pick(tuple(c for c in _COUNTRIES if c != country), u[6])
        banned = {"detected_ip": f"203.0.113.{1 + int(u[7] * 254)}", "input_country_code": country,
                  "detected_country_code": detected, "restricted": True, "cleared": False}
    return {
        "first_name": first, "last_name": last, "time_zone": time_zone,
        "screen_name": f"{user_id}{first.lower()}", "birthday": birthday.isoformat(),
        "country_code": country, "anonymous_email": f"worker-{user_id}@anonymous.cirro.example",
        "epam": epam, "banned_with_reason": banned,
    }
