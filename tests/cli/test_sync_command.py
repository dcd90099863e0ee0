"""``gong sync`` takes its client, output mode and exit codes from the CLI's one place:
profiles (OAuth ones too), --base-url, GONG_RATE_LIMIT, --json, exit code 3."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path

import pytest

from gong_connector.cli._config import save_profile, token_path
from gong_connector.connections import FileTokenStore, OAuthToken
from gong_connector.emulator import Emulator

from .conftest import Cli


def test_a_profile_is_used_and_piped_output_is_json(
    emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config_dir: Path
) -> None:
    monkeypatch.setenv("GONG_CONFIG_DIR", str(config_dir))
    save_profile(
        "work",
        {
            "kind": "api_key",
            "base_url": emu.base_url,
            "access_key": emu.access_key,
            "access_key_secret": emu.access_key_secret,
        },
    )
    bare = Cli(None, config_dir)  # nothing in the environment: the profile is the connection
    db = tmp_path / "p.db"
    result = bare("sync", "--db", str(db), "-s", "workspaces,users", "--quiet", "--profile", "work")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert {s["stream"]: s["rows"] for s in summary["streams"]} == {"workspaces": 3, "users": 12}
    assert stat.S_IMODE(db.stat().st_mode) == 0o600  # a file the product made holds customer data
    table = bare("sync", "--db", str(db), "-s", "users", "--quiet", "--profile", "work", "--table")
    assert "users" in table.stdout and "requests" in table.stdout and "{" not in table.stdout


def test_an_oauth_profile_is_used(
    emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config_dir: Path
) -> None:
    monkeypatch.setenv("GONG_CONFIG_DIR", str(config_dir))
    client = emu.oauth_client
    save_profile(
        "oauth",
        {
            "kind": "oauth",
            "client_id": client.client_id,
            "client_secret": client.client_secret,
            "oauth_base_url": emu.base_url,
        },
    )
    FileTokenStore(token_path("oauth")).save(OAuthToken.from_response(emu.issue_token(), time.time()))
    result = Cli(None, config_dir)(
        "--profile", "oauth", "sync", "--db", str(tmp_path / "o.db"), "-s", "users", "--quiet"
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["rows"] == 12


def test_missing_credentials_exit_3_and_write_nothing(config_dir: Path, tmp_path: Path) -> None:
    result = Cli(None, config_dir)("sync", "--db", str(tmp_path / "x.db"), "--quiet")
    assert result.exit_code == 3, result.stderr
    assert result.stderr.startswith("error: no Gong credentials")
    assert not (tmp_path / "x.db").exists()


def test_the_rate_limit_comes_from_the_environment_too(cli: Cli, tmp_path: Path) -> None:
    """GONG_RATE_LIMIT is read (a bad one is refused naming it); --rate-limit wins over it."""
    stderr = cli.fails(2, "sync", "--db", str(tmp_path / "r.db"), "--quiet", GONG_RATE_LIMIT="fast")
    assert "error: GONG_RATE_LIMIT: 'fast' is not a rate" in stderr
    assert cli.api_requests() == [] and not (tmp_path / "r.db").exists()
    fine = cli(
        "sync",
        "--db",
        str(tmp_path / "r.db"),
        "-s",
        "workspaces",
        "--quiet",
        "--rate-limit",
        "50/s",
        GONG_RATE_LIMIT="fast",
    )
    assert fine.exit_code == 0, fine.stderr
    assert json.loads(fine.stdout)["ratePerSecond"] == 50


def test_base_url_and_debug_are_the_shared_ones(cli: Cli, emu: Emulator, tmp_path: Path) -> None:
    db = str(tmp_path / "b.db")
    # The root --base-url beats GONG_BASE_URL (here a dead port).
    moved = cli(
        "--base-url",
        emu.base_url,
        "sync",
        "--db",
        db,
        "-s",
        "workspaces",
        "--quiet",
        GONG_BASE_URL="http://127.0.0.1:9",
    )
    assert moved.exit_code == 0, moved.stderr
    # A wrong secret is 3, with --debug as without; --debug adds the traceback.
    for extra in ((), ("--debug",)):
        denied = cli("sync", "--db", db, "-s", "workspaces", "--quiet", *extra, GONG_ACCESS_KEY_SECRET="wrong")
        assert denied.exit_code == 3, denied.stderr
        assert ("Traceback" in denied.stderr) == bool(extra)


def test_a_database_url_with_brackets_is_shown_as_typed(cli: Cli) -> None:
    assert "error: --db: 'foo[bar]://x' is not a database URL" in cli.fails(2, "sync", "--db", "foo[bar]://x")
    assert cli.api_requests() == []
