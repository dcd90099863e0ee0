"""Profiles in the config directory: where it is, file modes, and which connection wins."""

from __future__ import annotations

import stat
import tomllib
from collections.abc import Callable
from pathlib import Path

from gong_connector.emulator import Emulator

from ..actions.cases import World
from .conftest import Cli


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_profiles_add_use_list_remove(
    make_cli: Callable[[Emulator | None], Cli], emu: Emulator, world: World, config_dir: Path
) -> None:
    bare = make_cli(None)  # no credentials in the environment
    out = bare(
        "profiles",
        "add",
        "work",
        "--base-url",
        emu.base_url,
        "--access-key",
        emu.access_key,
        "--access-key-secret",
        emu.access_key_secret,
    )
    assert out.exit_code == 0, out.stderr
    path = config_dir / "config.toml"
    assert _mode(path) == 0o600
    config = tomllib.loads(path.read_text())
    assert config["default_profile"] == "work"
    assert config["profiles"]["work"]["access_key"] == emu.access_key
    # The default profile is used without any flag; --profile names one.
    assert bare.ok("users", "get", world.user_id)["id"] == world.user_id
    assert bare.ok("users", "get", world.user_id, "--profile", "work")["id"] == world.user_id
    assert bare.ok("--profile", "work", "users", "get", world.user_id)["id"] == world.user_id
    listed = bare.ok("profiles", "list")
    assert listed == [{"name": "work", "default": True, "kind": "api_key", "baseUrl": emu.base_url, "hasToken": None}]
    assert emu.access_key_secret not in bare("profiles", "list", "--table").stdout
    status = bare.ok("auth", "status")
    assert status["profile"] == "work" and status["accepted"] is True
    assert emu.access_key_secret not in str(status)
    assert "no profile 'other'" in bare.fails(2, "users", "list", "--profile", "other")
    assert bare("profiles", "remove", "work").exit_code == 0
    assert "no Gong credentials" in bare.fails(3, "users", "list")
    bare.fails(2, "profiles", "remove", "work")


def test_flags_and_environment_beat_the_default_profile(
    make_cli: Callable[[Emulator | None], Cli], emu: Emulator, world: World
) -> None:
    bare = make_cli(None)
    bare(
        "profiles",
        "add",
        "stale",
        "--base-url",
        "http://127.0.0.1:9",
        "--access-key",
        "k",
        "--access-key-secret",
        "s",
        "--no-check",
    )
    # Environment credentials win over the default profile...
    assert make_cli(emu).ok("users", "get", world.user_id)["id"] == world.user_id
    # ...and so do flags.
    flags = ["--base-url", emu.base_url, "--access-key", emu.access_key, "--access-key-secret", emu.access_key_secret]
    assert bare.ok("users", "get", world.user_id, *flags)["id"] == world.user_id


def test_config_dir_follows_xdg_when_not_overridden(
    make_cli: Callable[[Emulator | None], Cli], emu: Emulator, tmp_path: Path
) -> None:
    cli = make_cli(emu)
    xdg = tmp_path / "xdg"
    result = cli("profiles", "add", "x", GONG_CONFIG_DIR=None, XDG_CONFIG_HOME=str(xdg))
    assert result.exit_code == 0, result.stderr
    assert (xdg / "gong-connector" / "config.toml").exists()


def test_add_profile_checks_its_input(make_cli: Callable[[Emulator | None], Cli]) -> None:
    bare = make_cli(None)
    assert "error: access_key" in bare.fails(2, "profiles", "add", "x")
    assert "error: base_url" in bare.fails(
        2, "profiles", "add", "x", "--base-url", "ftp://x", "--access-key", "k", "--access-key-secret", "s"
    )


def test_connection_options_keep_the_secret_out_of_reprs() -> None:
    from gong_connector.cli._common import State
    from gong_connector.cli._config import ConnectionOptions

    opts = ConnectionOptions(access_key="key-1234", access_key_secret="s3cr3t-value")
    assert "s3cr3t-value" not in repr(opts) and "s3cr3t-value" not in repr(State(opts))


def test_add_asks_for_the_secret_without_echo_and_checks_it_once(
    make_cli: Callable[[Emulator | None], Cli], emu: Emulator, world: World, config_dir: Path
) -> None:
    bare = make_cli(None)
    secret = emu.access_key_secret
    emu.clear_requests()
    asked = bare(
        "profiles", "add", "typed", "--base-url", emu.base_url, "--access-key", emu.access_key, input=f"{secret}\n"
    )
    assert asked.exit_code == 0, asked.stderr
    assert "Access key secret" in asked.stderr and secret not in asked.stdout + asked.stderr
    assert "Gong accepted it" in asked.stdout
    checks = [r for r in emu.requests() if r["path"].startswith("/v2")]
    assert [r["path"] for r in checks] == ["/v2/workspaces"]  # one request
    config = tomllib.loads((config_dir / "config.toml").read_text())
    assert config["profiles"]["typed"]["access_key_secret"] == secret
    assert _mode(config_dir / "config.toml") == 0o600
    # A secret Gong refuses is not saved, and says so (exit 3, like any refused credentials).
    refused = bare.fails(
        3, "profiles", "add", "wrong", "--base-url", emu.base_url, "--access-key", emu.access_key, input="nope\n"
    )
    assert "not saved" in refused and "nope" not in refused
    assert "wrong" not in tomllib.loads((config_dir / "config.toml").read_text())["profiles"]
    # Nobody to ask (no input): the secret is required, nothing is sent.
    emu.clear_requests()
    assert "error: access_key_secret" in bare.fails(
        2, "profiles", "add", "silent", "--base-url", emu.base_url, "--access-key", emu.access_key
    )
    assert emu.requests() == []


def test_use_makes_a_profile_the_default(
    make_cli: Callable[[Emulator | None], Cli], emu: Emulator, world: World
) -> None:
    bare = make_cli(None)
    for name, base in (("first", emu.base_url), ("second", "http://127.0.0.1:9")):
        flags = ["--base-url", base, "--access-key", emu.access_key, "--access-key-secret", emu.access_key_secret]
        assert bare("profiles", "add", name, *flags, "--no-check").exit_code == 0
    assert bare.ok("users", "get", world.user_id)["id"] == world.user_id  # the first saved is the default
    assert bare("profiles", "use", "second").stdout.strip() == "profile 'second' is now the default"
    assert [p["name"] for p in bare.ok("profiles", "list") if p["default"]] == ["second"]
    assert "no profile 'third' (profiles: first, second)" in bare.fails(2, "profiles", "use", "third")
