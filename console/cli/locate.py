"""``cirro-console locate``: every path the console reads or writes (design §6)."""

from __future__ import annotations

import argparse

from console import paths
from console.backends.factory import REGISTRY_FILE
from console.cli.common import EXIT_OK, EXIT_USAGE, fail
from console.config import ConfigError, RemoteContext, load_config


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("locate", help="print every path the console uses")
    parser.set_defaults(handler=_locate)


def _locate(args: argparse.Namespace) -> int:
    config_file = paths.config_file()
    state = "exists" if config_file.exists() else "missing: defaults apply"
    print(f"config file   {config_file} ({state}; override with ${paths.CONFIG_ENV})")
    print(f"data dir      {paths.data_dir()} (override with ${paths.DATA_ENV})")
    print(f"simulate runs {paths.simulations_dir()} (one folder per run; --state moves it)")
    print(f"console log   {paths.log_file()} (retries and warnings while the console runs)")
    try:
        print(f"styles dir    {paths.styles_dir()}")
    except FileNotFoundError as exc:
        print(f"styles dir    not found: {exc}")
    try:
        config = load_config(config_file)
    except ConfigError as exc:
        return fail(str(exc), EXIT_USAGE)
    for name, context in sorted(config.contexts.items()):
        data_dir = context.resolved_data_dir(name)
        marker = " (default)" if name == config.default_context else ""
        if isinstance(context, RemoteContext):
            print(f"context {name}{marker}: remote {context.base_url}")
            print(f"  gig registry  {data_dir / REGISTRY_FILE}")
            print(f"  private key   {context.private_key.expanduser()}")
        else:
            print(f"context {name}{marker}: local simulation")
            print(f"  data dir      {data_dir}")
    return EXIT_OK
