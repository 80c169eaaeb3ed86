"""The response model a context names (``forecast_model`` under ``[contexts.NAME]``), read once
when the console starts, so a bad file is said before anything opens."""

from __future__ import annotations

from console import paths
from console.config import Config, ConfigError

from .model import ModelError, ModelFile, load_model


def context_model(config: Config, context: str | None) -> ModelFile | None:
    """Raises ConfigError naming the config file, the key and what is wrong with the model."""
    name, settings = config.context(context)
    if settings.forecast_model is None:
        return None
    path = settings.forecast_model.expanduser()
    try:
        return ModelFile(path, load_model(path))
    except ModelError as exc:
        raise ConfigError(f"{paths.config_file()}: contexts.{name}.forecast_model: {exc}") from None
