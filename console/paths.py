"""Where the console keeps and finds its files: styles, config, simulation data (XDG paths)."""

from __future__ import annotations

import os
import importlib.util
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "cirro-console"
CONFIG_ENV = "CIRRO_CONSOLE_CONFIG"
DATA_ENV = "CIRRO_CONSOLE_DATA"


def styles_dir() -> Path:
    """The TCSS folder: ``console.styles`` in an installed wheel, ``styles/`` in a checkout."""
    # The module's spec, not importlib.resources: that loads zipfile and more (~4 ms at start).
    installed = importlib.util.find_spec("console.styles")
    locations = (installed.submodule_search_locations or []) if installed is not None else []
    for location in locations:
        if Path(location).is_dir():
            return Path(location)
    checkout = Path(__file__).resolve().parent.parent / "styles"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"cirro-console styles not found (looked in console.styles and {checkout})")


def config_file() -> Path:
    """The config file: ``$CIRRO_CONSOLE_CONFIG`` or ``<XDG config>/cirro-console/config.toml``."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return user_config_path(APP_NAME) / "config.toml"


def data_dir() -> Path:
    """Simulation files: ``$CIRRO_CONSOLE_DATA`` or the XDG data dir."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override).expanduser()
    return user_data_path(APP_NAME)


def log_file() -> Path:
    """Where the console logs while it draws the terminal (retries, warnings)."""
    return data_dir() / "console.log"


def simulations_dir() -> Path:
    """Where ``cirro-console simulate`` keeps its resumable runs, one folder per run."""
    return data_dir() / "simulations"
