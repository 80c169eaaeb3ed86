"""Open the backend a context names: the local simulation or the Cirro API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.backends.base import Backend
from console.backends.errors import NotFound
from console.config import Config, RemoteContext

if TYPE_CHECKING:
    from console.remote.backend import RemoteBackend

REGISTRY_FILE = "registry.json"


def open_remote(name: str, context: RemoteContext, *, read_only: bool = False) -> RemoteBackend:
    """Raises ConfigError (naming the key file) when the private key cannot be used."""
    # Imported here: a local context's start never loads httpx and the JWT signer.
    from console.remote.auth import TokenSigner, load_private_key
    from console.remote.backend import RemoteBackend
    from console.remote.registry import GigRegistry
    from console.remote.transport import RetryPolicy, Transport

    key = load_private_key(context.private_key)
    retry = RetryPolicy(attempts=context.retries + 1, base_delay=context.backoff)
    transport = Transport(context.base_url, TokenSigner(context.app_id, key),
                          timeout=context.timeout, retry=retry)
    registry = GigRegistry(context.resolved_data_dir(name) / REGISTRY_FILE)
    return RemoteBackend(name, transport, registry, read_only=read_only or context.read_only,
                         warnings=[key.warning] if key.warning else [])


def open_backend(config: Config, context_name: str | None, *, read_only: bool = False) -> Backend:
    """The backend of ``context_name`` (the default context when None); ConfigError if unusable."""
    name, context = config.context(context_name)
    if isinstance(context, RemoteContext):
        return open_remote(name, context, read_only=read_only)
    # Imported here: a remote context's start never loads the simulation engine.
    from console.backends.local import LocalBackend

    if not read_only or context.read_only:
        return LocalBackend.from_context(name, context)
    # Read-only opens take no lock, so a headless read works while the console or serve holds
    # the simulation; but on first start there is nothing to read yet: build the demo first.
    try:
        return LocalBackend.from_context(name, context.model_copy(update={"read_only": True}))
    except NotFound:
        built = LocalBackend.from_context(name, context)
        return LocalBackend(built.release_engine(), None, context=name, read_only=True)
