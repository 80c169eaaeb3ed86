"""The config file: contexts (where gigs live), key remaps and UI settings.

TOML at ``paths.config_file()``. A missing file means the defaults: one context, ``local``, a
simulation in the XDG data dir. A broken file is an error naming the file and the key; it is never
rewritten by the console.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, ValidationError, model_validator

from console import paths
from console.base_model import Model
from console.models import problems_from_validation
from console.models.fields import MAX_WORKERS

DEFAULT_CONTEXT = "local"
DEFAULT_BASE_URL = "https://cirro.io/api/v2"
MAX_SPEED = 86_400.0
MAX_INTERVAL = 3_600.0


class ConfigError(Exception):
    """The config file cannot be used; the message names the file and what is wrong."""


class _Strict(Model):
    model_config = ConfigDict(extra="forbid")


class _WithDataDir(_Strict):
    """Every context keeps files: the simulation, or the remote context's gig registry."""

    data_dir: Path | None = None
    # A response model from `calibrate --out` the wave monitor's forecast line uses (the
    # workers it was measured on are this context's); without it, as `forecast` without --model.
    forecast_model: Path | None = None

    def resolved_data_dir(self, name: str) -> Path:
        return (self.data_dir or paths.data_dir() / name).expanduser()


class LocalContext(_WithDataDir):
    """A simulation stored in TinyDB files under ``data_dir`` (default: the XDG data dir)."""

    kind: Literal["local"] = "local"
    read_only: bool = False
    workers: int = Field(default=5000, ge=1, le=MAX_WORKERS)
    seed: int = 1


class RemoteContext(_WithDataDir):
    """The Cirro v2 API: app id and private key for RS256 request tokens. Its data dir holds the
    registry of known gigs and their recorded invitation history (the API keeps neither)."""

    kind: Literal["remote"] = "remote"
    base_url: str = DEFAULT_BASE_URL
    app_id: str
    private_key: Path
    read_only: bool = False
    # At most an hour: inf waited for good on a server that never answers ("connecting").
    timeout: float = Field(default=10.0, gt=0, le=MAX_INTERVAL)
    # Retries after the first attempt, and the first backoff delay in seconds (doubling after).
    retries: int = Field(default=3, ge=0, le=10)
    backoff: float = Field(default=0.5, ge=0, le=MAX_INTERVAL)
    # A population file ([{id, document}]) the query preview runs against on this context.
    population: Path | None = None


Context = Annotated[LocalContext | RemoteContext, Field(discriminator="kind")]


class UISettings(_Strict):
    theme: str = "cirro-dark"
    # Simulated seconds per wall-clock second while the console is open (60x: a 5-minute wave
    # every 5 seconds); at most a simulated day a second, the console's fastest numbered speed.
    speed: float = Field(default=60.0, gt=0, le=MAX_SPEED)
    # At most an hour: a larger interval (1e308) froze the list for good without a word.
    refresh_seconds: float = Field(default=1.0, gt=0, le=MAX_INTERVAL)
    poll_seconds: float = Field(default=10.0, ge=1, le=MAX_INTERVAL)


class Config(_Strict):
    default_context: str = DEFAULT_CONTEXT
    ui: UISettings = Field(default_factory=UISettings)
    # action id -> key(s), e.g. {"gigs.filter": "slash"} or {"app.quit": "q,ctrl+q"}
    keys: dict[str, str] = Field(default_factory=dict)
    contexts: dict[str, Context] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ensure_local(self) -> Config:
        self.contexts.setdefault(DEFAULT_CONTEXT, LocalContext())
        if self.default_context not in self.contexts:
            raise ValueError(
                f"default_context {self.default_context!r} is not a defined context "
                f"(defined: {', '.join(sorted(self.contexts))})"
            )
        return self

    def context(self, name: str | None) -> tuple[str, LocalContext | RemoteContext]:
        name = name or self.default_context
        try:
            return name, self.contexts[name]
        except KeyError:
            known = ", ".join(sorted(self.contexts))
            raise ConfigError(f"unknown context {name!r} (known: {known})") from None


def load_config(path: Path | None = None) -> Config:
    path = path or paths.config_file()
    if not path.exists():
        return Config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        details = "; ".join(str(p) for p in problems_from_validation(exc))
        raise ConfigError(f"{path}: {details}") from None
