"""``cirro-console`` with no subcommand: read the config, open the context's backend (the factory
builds the demo on a first start), run the app.

A local context whose gig list was saved with its state starts from that summary
(``console/tui/first_frame.py``): the app paints it at once and the config's models, the engine
and the store load on a thread behind it (:func:`open_in_background`); any other start opens the
backend first (:func:`prepare`), as before.
"""

from __future__ import annotations

import asyncio
import sys
from functools import partial
from typing import TYPE_CHECKING

from console import paths
from console.tui.actions import KeymapError, check_keymap
from console.tui.app import CirroApp
from console.tui.first_frame import OpenFailed, Opened, early_start
from console.tui.log_file import logs_to_file
from console.tui.theme import known_themes

if TYPE_CHECKING:
    from collections.abc import Callable

    from console.backends.base import Backend
    from console.config import Config
    from console.forecast.model import ModelFile


def check_ui(config: Config) -> None:
    """Config problems only the console knows about: key remaps and the theme name."""
    from console.config import ConfigError

    where = paths.config_file()
    try:
        check_keymap(config.keys)
    except KeymapError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    if config.ui.theme not in known_themes():
        raise ConfigError(f"{where}: ui.theme: unknown theme {config.ui.theme!r} "
                          f"(known: {', '.join(known_themes())})")


def opened(config: Config, backend: Backend, *, read_only: bool = False,
           forecast_model: ModelFile | None = None) -> Opened:
    """The app's settings for ``backend`` from ``config``."""
    from console.config import RemoteContext

    context = config.contexts.get(backend.context)
    return Opened(
        backend,
        read_only=read_only,
        speed=config.ui.speed,
        poll_seconds=(config.ui.refresh_seconds if backend.simulation is not None
                      else config.ui.poll_seconds),
        population_file=context.population if isinstance(context, RemoteContext) else None,
        forecast_model=forecast_model,
    )


def create_app(config: Config, backend: Backend, *, read_only: bool = False,
               forecast_model: ModelFile | None = None) -> CirroApp:
    settings = opened(config, backend, read_only=read_only, forecast_model=forecast_model)
    return CirroApp(
        backend,
        theme=config.ui.theme,
        keymap=config.keys,
        read_only=settings.read_only,
        speed=settings.speed,
        poll_seconds=settings.poll_seconds,
        population_file=settings.population_file,
        forecast_model=settings.forecast_model,
    )


def _open(context: str | None, read_only: bool,
          progress: Callable[[str], None]) -> tuple[Config, Backend, ModelFile | None]:
    """The validated config, the backend and the context's forecast model; raises ConfigError
    or BackendError. ``progress`` hears of each step."""
    progress("1/3 the config")
    from console.config import load_config
    from console.forecast.context_model import context_model

    config = load_config()
    check_ui(config)
    model = context_model(config, context)  # before the backend: a bad file opens nothing
    progress("2/3 the engine")
    from console.backends.factory import open_backend

    progress("3/3 the simulation")
    return config, open_backend(config, context, read_only=read_only), model


def prepare(context: str | None = None, read_only: bool = False) -> tuple[CirroApp, Backend]:
    """The app and its backend, ready to run; raises ConfigError or BackendError."""
    config, backend, model = _open(context, read_only, lambda step: None)
    return create_app(config, backend, read_only=read_only, forecast_model=model), backend


def open_in_background(context: str | None, read_only: bool,
                       progress: Callable[[str], None]) -> Opened:
    """:func:`prepare`'s work for an app already showing its first frame (run on a thread);
    raises OpenFailed with what the usual start would have said."""
    from console.backends.errors import BackendError
    from console.config import ConfigError

    try:
        config, backend, model = _open(context, read_only, progress)
    except (ConfigError, BackendError) as exc:
        raise OpenFailed(str(exc)) from None
    return opened(config, backend, read_only=read_only, forecast_model=model)


def run_console(context: str | None = None, read_only: bool = False) -> int:
    early = early_start(context, read_only)
    if early is None:
        return _run_opened(context, read_only)
    app = CirroApp(None, theme=early.theme, keymap=early.keymap, read_only=early.read_only,
                   context=early.context, summary=early.summary,
                   opening=partial(open_in_background, context, read_only))
    try:
        with logs_to_file(paths.log_file()):
            app.run()
    finally:
        if (done := app.finish_opening()) is not None:
            asyncio.run(done.backend.close())
    if app.open_result.done() and (error := app.open_result.exception()) is not None:
        if not isinstance(error, OpenFailed):
            raise error
        print(f"cirro-console: {error}", file=sys.stderr)
        return 2
    return app.return_code or 0


def _run_opened(context: str | None, read_only: bool) -> int:
    from console.backends.errors import BackendError
    from console.config import ConfigError

    try:
        app, backend = prepare(context, read_only)
    except (ConfigError, BackendError) as exc:
        print(f"cirro-console: {exc}", file=sys.stderr)
        return 2
    try:
        with logs_to_file(paths.log_file()):
            app.run()
    finally:
        asyncio.run(backend.close())
    return app.return_code or 0
