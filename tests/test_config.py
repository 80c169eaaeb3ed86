"""The config file: defaults, contexts, and errors that name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.config import ConfigError, LocalContext, RemoteContext, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def test_missing_file_gives_local_default(tmp_path):
    config = load_config(tmp_path / "absent.toml")
    name, context = config.context(None)
    assert name == "local" and isinstance(context, LocalContext)
    assert config.ui.speed == 60


def test_contexts_keys_and_ui(tmp_path):
    path = write(tmp_path, """
default_context = "staging"
[ui]
theme = "ansi-dark"
[keys]
"gigs.filter" = "f"
[contexts.staging]
kind = "remote"
base_url = "https://api.staging.cirro.io/v2"
app_id = "abc"
private_key = "~/key.pem"
read_only = true
""")
    config = load_config(path)
    name, context = config.context(None)
    assert name == "staging" and isinstance(context, RemoteContext) and context.read_only
    assert config.keys == {"gigs.filter": "f"} and config.ui.theme == "ansi-dark"
    assert "local" in config.contexts


def test_broken_toml_names_the_file(tmp_path):
    path = write(tmp_path, "[ui\n")
    with pytest.raises(ConfigError, match=f"{path}: invalid TOML"):
        load_config(path)


def test_bad_value_names_the_key(tmp_path):
    path = write(tmp_path, "[ui]\nspeed = -1\n[contexts.x]\nkind = 'remote'\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "ui.speed" in message and "contexts.x.remote.app_id: is required" in message


def test_more_synthetic_workers_than_memory_holds_are_refused_by_name(tmp_path):
    # 10**12 built the demo's population on a blank screen until memory ran out.
    path = write(tmp_path, "[contexts.local]\nkind = 'local'\nworkers = 1000000000000\n")
    with pytest.raises(ConfigError, match="contexts.local.local.workers: .*1000000"):
        load_config(path)


def test_a_remote_timeout_without_end_is_refused_by_name(tmp_path):
    # timeout = inf waited for good on a server that never answered: "connecting" and no error.
    path = write(tmp_path, "[contexts.r]\nkind = 'remote'\napp_id = 'a'\nprivate_key = 'k'\n"
                           "timeout = inf\n")
    with pytest.raises(ConfigError, match="contexts.r.remote.timeout: .*3600"):
        load_config(path)


def test_unknown_context(tmp_path):
    config = load_config(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="unknown context 'prod' \\(known: local\\)"):
        config.context("prod")
    with pytest.raises(ConfigError, match="default_context 'prod' is not a defined context"):
        load_config(write(tmp_path, 'default_context = "prod"\n'))
