"""``cirro-console`` with no subcommand: read the config, open the context's backend (the factory
builds the demo on a first start), run the app."""

from __future__ import annotations

import asyncio
import sys

from console import paths
from console.backends.base import Backend
from console.backends.errors import BackendError
from console.backends.factory import open_backend
from console.config import Config, ConfigError, RemoteContext, load_config
from console.forecast.context_model import context_model
from console.forecast.model import ModelFile
from console.tui.actions import KeymapError, check_keymap
from console.tui.app import CirroApp
from console.tui.theme import known_themes


def check_ui(config: Config) -> None:
    """Config problems only the console knows about: key remaps and the theme name."""
    where = paths.config_file()
    try:
        check_keymap(config.keys)
    except KeymapError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    if config.ui.theme not in known_themes():
        raise ConfigError(f"{where}: ui.theme: unknown theme {config.ui.theme!r} "
                          f"(known: {', '.join(known_themes())})")


def create_app(config: Config, backend: Backend, *, read_only: bool = False,
               forecast_model: ModelFile | None = None) -> CirroApp:
    simulation = backend.simulation
    context = config.contexts.get(backend.context)
    return CirroApp(
        backend,
        theme=config.ui.theme,
        keymap=config.keys,
        read_only=read_only,
        speed=config.ui.speed,
        poll_seconds=(config.ui.refresh_seconds if simulation is not None
                      else config.ui.poll_seconds),
        population_file=context.population if isinstance(context, RemoteContext) else None,
        forecast_model=forecast_model,
    )


def prepare(context: str | None = None, read_only: bool = False) -> tuple[CirroApp, Backend]:
    """The app and its backend, ready to run; raises ConfigError or BackendError."""
    config = load_config()
    check_ui(config)
    model = context_model(config, context)  # before the backend: a bad file opens nothing
    backend = open_backend(config, context, read_only=read_only)
    return create_app(config, backend, read_only=read_only, forecast_model=model), backend


def run_console(context: str | None = None, read_only: bool = False) -> int:
    try:
        app, backend = prepare(context, read_only)
    except (ConfigError, BackendError) as exc:
        print(f"cirro-console: {exc}", file=sys.stderr)
        return 2
    try:
        app.run()
    finally:
        asyncio.run(backend.close())
    return app.return_code or 0
