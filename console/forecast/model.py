"""A fitted response model: the four response parameters of the simulation, each with its 95%
interval and the number of invitations it rests on, overall and per value of a worker field.

It keeps the fit's uncertainty too (the estimate and covariance of the transformed parameters,
and the accept counts), so a forecast can draw each run's parameters from it. Saved as TOML
(``--out model.toml``) or JSON (``--json``); both hold the same structure."""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from console.waves import SettingError, SimSettings

FORMAT = "cirro-console-response-model"
VERSION = 1
# The names `simulate --set` uses for the response model.
PARAMETERS = ("respond_probability", "accept_probability", "response_median_hours",
              "response_sigma")


class ModelError(ValueError):
    """A model file that cannot be read or used; the message names the file and the key."""


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float
    # How many invitations (or, for the parameters of a response, responses) it rests on.
    n: int

    def to_json(self) -> dict[str, float | int | None]:
        # An interval the data cannot bound (a flat likelihood) is null, not Infinity.
        def finite(x: float) -> float | None:
            return x if math.isfinite(x) else None

        return {"value": self.value, "low": finite(self.low), "high": finite(self.high),
                "n": self.n}


@dataclass(frozen=True)
class GroupFit:
    """The fit of one group of invitations (all of them, or one value of the ``--by`` field)."""

    estimates: dict[str, Estimate]
    # (logit respond_probability, log median hours, log sigma) and its covariance.
    theta: tuple[float, float, float]
    cov: tuple[tuple[float, float, float], ...]
    invitations: int
    responded: int
    accepted: int

    def value(self, name: str) -> float:
        return self.estimates[name].value

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: self.estimates[name].to_json() for name in PARAMETERS}
        out["fit"] = {"invitations": self.invitations, "responded": self.responded,
                      "accepted": self.accepted, "theta": list(self.theta),
                      "cov": [list(row) for row in self.cov]}
        return out

    @classmethod
    def from_json(cls, data: Any, where: str) -> GroupFit:
        if not isinstance(data, dict):
            raise ModelError(f"{where}: expected a table")
        estimates = {}
        for name in PARAMETERS:
            item = data.get(name)
            if not isinstance(item, dict):
                raise ModelError(f"{where}.{name}: missing")
            try:
                low, high = (math.nan if item.get(k) is None else float(item[k])
                             for k in ("low", "high"))
                estimates[name] = Estimate(float(item["value"]), low, high, int(item["n"]))
            except (KeyError, TypeError, ValueError):
                raise ModelError(f"{where}.{name}: needs numbers value, low, high and n") from None
            try:  # the ranges `simulate --set` takes: a NaN or 2 would run every forecast wrong
                SimSettings().with_changes(**{name: estimates[name].value})
            except SettingError as exc:
                raise ModelError(f"{where}.{name}.value: {exc}") from None
        fit = data.get("fit")
        try:
            theta = tuple(float(x) for x in fit["theta"])
            cov = tuple(tuple(float(x) for x in row) for row in fit["cov"])
            counts = int(fit["invitations"]), int(fit["responded"]), int(fit["accepted"])
        except (KeyError, TypeError, ValueError):
            raise ModelError(f"{where}.fit: needs theta (3 numbers), cov (3x3), invitations, "
                             "responded and accepted") from None
        if len(theta) != 3 or len(cov) != 3 or any(len(row) != 3 for row in cov):
            raise ModelError(f"{where}.fit: theta must hold 3 numbers and cov 3 rows of 3")
        return cls(estimates, theta, cov, *counts)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ResponseModel:
    overall: GroupFit
    # The worker field groups are fitted by (``--by``), and the fit of each of its values.
    by: str | None = None
    groups: dict[str, GroupFit] = field(default_factory=dict)
    source: str = ""
    # Invitations left out of the fit (no invited_at: sent before the history was recorded).
    skipped: int = 0

    def group_of(self, value: str | None) -> GroupFit:
        """A value's own fit, or the overall one for a value the fit never saw."""
        return self.groups.get(str(value), self.overall) if value is not None else self.overall

    def settings(self, base: SimSettings | None = None) -> SimSettings:
        """The simulation settings of the overall fit (what `simulate --model` runs)."""
        return (base or SimSettings()).with_changes(
            **{name: self.overall.value(name) for name in PARAMETERS})

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"format": FORMAT, "version": VERSION, "source": self.source,
                               "skipped": self.skipped}
        if self.by is not None:
            out["by"] = self.by
        out |= self.overall.to_json()
        if self.groups:
            out["groups"] = {key: fit.to_json() for key, fit in sorted(self.groups.items())}
        return out

    @classmethod
    def from_json(cls, data: Any, where: str) -> ResponseModel:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelError(f"{where}: not a response model (format = \"{FORMAT}\" missing); "
                             "write one with `cirro-console calibrate ... --out FILE`")
        if data.get("version") != VERSION:
            raise ModelError(f"{where}: version {data.get('version')!r} not supported "
                             f"(expected {VERSION})")
        groups_data = data.get("groups", {})
        if not isinstance(groups_data, dict):
            raise ModelError(f"{where}.groups: expected a table")
        groups = {str(k): GroupFit.from_json(v, f"{where}.groups.{k}")
                  for k, v in groups_data.items()}
        by = data.get("by")
        return cls(GroupFit.from_json(data, where), str(by) if by is not None else None, groups,
                   str(data.get("source", "")), int(data.get("skipped", 0)))

    def to_toml(self) -> str:
        return _toml(self.to_json()) + "\n"


@dataclass(frozen=True)
class ModelFile:
    """A model and the file it was read from (the console's forecasts name it)."""

    path: Path
    model: ResponseModel


def load_model(path: Path) -> ResponseModel:
    """A model written by `calibrate --out` (TOML) or `calibrate --json` (JSON)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: cannot read: {exc}") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError, RecursionError) as exc:
        reason = "nested too deeply to read" if isinstance(exc, RecursionError) else exc
        raise ModelError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'TOML'}: "
                         f"{reason}") from None
    return ResponseModel.from_json(data, str(path))


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("nan" if math.isnan(value) else
                                                         ("inf" if value > 0 else "-inf"))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _toml(data: dict[str, Any], prefix: str = "") -> str:
    """The few TOML shapes a model needs: scalars and lists, then nested tables."""
    def key(k: str) -> str:
        return k if k.replace("_", "").isalnum() else json.dumps(k)

    out = "\n".join(f"{key(k)} = {_toml_value(v)}" for k, v in data.items()
                    if not isinstance(v, dict) and v is not None)
    for k, value in data.items():
        if isinstance(value, dict):
            name = prefix + key(k)
            out += f"\n\n[{name}]\n" + _toml(value, name + ".")
    return out.strip("\n")
