"""A few runs of the installed ``gong`` script as a real process: piping, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gong_connector.emulator import Emulator

from ..actions.cases import World
from .conftest import CLEARED

GONG = shutil.which("gong", path=str(Path(sys.executable).parent)) or "gong"


@pytest.fixture
def env(emu: Emulator, tmp_path: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GONG_") and k not in CLEARED}
    return {**base, **emu.env(), "GONG_CONFIG_DIR": str(tmp_path / "config"), "GONG_RATE_LIMIT": "off", "NO_COLOR": "1"}


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([GONG, *args], capture_output=True, text=True, env=env, timeout=60)


def test_piped_output_is_json_and_jsonl_streams(env: dict[str, str], world: World) -> None:
    users = _run(env, "users", "list")
    assert users.returncode == 0 and len(json.loads(users.stdout)) == 12
    with subprocess.Popen(
        [
            GONG,
            "calls",
            "list",
            "--from",
            world.window["from_date_time"],
            "--to",
            world.window["to_date_time"],
            "--jsonl",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        assert proc.stdout is not None
        first = [json.loads(proc.stdout.readline()) for _ in range(2)]
        rest = proc.stdout.read().splitlines()
    assert proc.returncode == 0 and all(c["id"] for c in first) and len(rest) > 100


def test_exit_codes_without_tracebacks(env: dict[str, str]) -> None:
    bad = _run(env, "calls", "get", "12ab")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip() == "error: CALL_ID: must be a string of 1 to 20 digits [id]"
    missing = _run(env, "users", "get", "12345678901234567890")
    assert missing.returncode == 4 and "requestId" in missing.stderr
    denied = _run({**env, "GONG_ACCESS_KEY_SECRET": "nope"}, "workspaces", "list")
    assert denied.returncode == 3 and "nope" not in denied.stderr
    usage = _run(env, "calls", "get")
    assert usage.returncode == 2 and "Missing argument" in usage.stderr
    # A usage error is one error line, as every other error (not typer's boxed usage text).
    assert usage.stderr.startswith("error: Missing argument") and usage.stderr.count("\n") == 1
    assert usage.stderr.endswith("(see 'gong calls get --help')\n")
    value = _run(env, "calls", "list", "--limit", "0")
    assert value.returncode == 2 and value.stdout == ""
    assert value.stderr.startswith("error: Invalid value for '--limit'") and value.stderr.count("\n") == 1
    bare = _run(env, "calls")  # a group without its command: its help, no error line
    assert bare.returncode == 2 and "Usage: gong calls" in bare.stdout and "error" not in bare.stderr
    for result in (bad, missing, denied, usage, value, bare):
        assert "Traceback" not in result.stderr


def test_manifest_and_actions(env: dict[str, str]) -> None:
    manifest = json.loads(_run(env, "manifest").stdout)
    assert len([a for a in manifest["actions"] if a["inSpec"]]) == 22
    help_text = _run(env, "--help").stdout
    for noun in (
        "calls",
        "media",
        "meetings",
        "events",
        "privacy",
        "logs",
        "users",
        "workspaces",
        "library",
        "request",
        "auth",
        "run",
        "manifest",
        "emulator",
        "trigger",
        "demo",
    ):
        assert noun in help_text


def test_a_closed_pipe_ends_quietly(env: dict[str, str], world: World) -> None:
    """``gong calls list --jsonl | head -n 1``: no traceback when the reader leaves."""
    with subprocess.Popen(
        [
            GONG,
            "calls",
            "list",
            "--from",
            world.window["from_date_time"],
            "--to",
            world.window["to_date_time"],
            "--jsonl",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert json.loads(proc.stdout.readline())["id"]
        proc.stdout.close()
        stderr = proc.stderr.read()
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr


def test_a_piped_secret_is_read_without_an_echo_warning(env: dict[str, str], emu: Emulator, tmp_path: Path) -> None:
    """``printf '%s\\n' "$SECRET" | gong profiles add``: Python's getpass would warn that the
    answer may be echoed; from a pipe nothing is typed, so the line is simply read."""
    args = [GONG, "profiles", "add", "piped", "--base-url", emu.base_url, "--access-key", emu.access_key]
    unset = {k: v for k, v in env.items() if k != "GONG_ACCESS_KEY_SECRET"}  # so that it is asked for
    secret = f"{emu.access_key_secret}\n"
    added = subprocess.run(args, input=secret, capture_output=True, text=True, env=unset, timeout=60)
    assert "Access key secret:" in added.stderr
    assert added.returncode == 0, added.stderr
    assert "echo" not in added.stderr.lower() and emu.access_key_secret not in added.stderr + added.stdout
    assert "piped" in (tmp_path / "config" / "config.toml").read_text()
