"""Output modes everywhere: a table on a terminal (ids whole, at 80 columns too), JSON when
piped, --json and --jsonl on every command; transcripts readable on a terminal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from gong_connector.emulator import Emulator

from ..actions.cases import World
from ._terminal import GONG, in_terminal
from .conftest import CLEARED, Cli

ANSI = re.compile(r"\x1b\[[0-9;]*m")
ID = re.compile(r"\b\d{19}\b")


@pytest.fixture
def env(emu: Emulator, tmp_path: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GONG_") and k not in CLEARED}
    return {**base, **emu.env(), "GONG_CONFIG_DIR": str(tmp_path / "config"), "GONG_RATE_LIMIT": "off"}


def _window(world: World) -> list[str]:
    return ["--from", world.window["from_date_time"], "--to", world.window["to_date_time"]]


def test_a_terminal_gets_a_table_with_whole_ids_at_80_columns(env: dict[str, str], world: World) -> None:
    code, shown, stderr = in_terminal(["calls", "list", *_window(world), "--limit", "4"], env, columns=80)
    assert code == 0, stderr
    screen = ANSI.sub("", shown)
    assert all(len(line) <= 80 for line in screen.splitlines())
    ids = ID.findall(screen)
    piped = subprocess.run([GONG, "calls", "list", *_window(world), "--limit", "4"], env=env, capture_output=True)
    expected = [c["id"] for c in json.loads(piped.stdout)]
    assert [i for i in ids if i in expected] == expected  # every id whole, on one line, in order
    assert "not shown for the terminal's width" in stderr  # what was left out is said


def test_a_pipe_gets_json_and_the_flags_choose(cli: Cli, world: World) -> None:
    one = cli("users", "get", world.user_id)
    assert json.loads(one.stdout)["id"] == world.user_id
    line = cli("users", "get", world.user_id, "--jsonl").stdout
    assert line.count("\n") == 1 and json.loads(line)["id"] == world.user_id
    actions = cli("actions", "--jsonl").stdout.splitlines()
    assert len(actions) > 20 and all(json.loads(a)["key"] for a in actions)
    table = cli("users", "get", world.user_id, "--table").stdout
    assert world.user_id in table and "┃" not in table.splitlines()[0]


def test_tables_and_errors_show_brackets_as_typed(cli: Cli, emu: Emulator) -> None:
    """Rich markup in names (or anything else) is shown, never interpreted."""
    name = "[bold]work[/bold] [red]eu[/]"
    added = cli(
        "profiles",
        "add",
        name,
        "--base-url",
        emu.base_url,
        "--access-key",
        "k",
        "--access-key-secret",
        "s",
        "--no-check",
    )
    assert added.exit_code == 0, added.stderr
    assert name in cli("profiles", "list", "--table", COLUMNS="200").stdout
    assert "no profile '[bold]x'" in cli.fails(2, "profiles", "use", "[bold]x")
    assert "'[bold]work[/bold] [red]eu[/]' is now the default" in cli("profiles", "use", name).stdout


def test_transcripts_on_a_terminal_are_readable(env: dict[str, str], world: World, emu: Emulator) -> None:
    code, shown, stderr = in_terminal(["calls", "transcript", world.call_id], env, columns=100)
    assert code == 0, stderr
    screen = ANSI.sub("", shown)
    heading, *turns = [line for line in screen.splitlines() if line.strip()]
    assert heading.startswith(f"Call {world.call_id} · ")
    stamp = re.compile(r"^(\d\d:\d\d) +(\S.*?)  +(\S.*)$")
    matched = [m for line in turns if (m := stamp.match(line))]
    assert matched, screen
    speakers = {m.group(2).strip() for m in matched}
    names = {
        p["name"]
        for c in _parties(emu, world.call_id)
        for p in c.get("parties", [])
        if p.get("speakerId") and p.get("name")
    }
    assert speakers and speakers <= names  # names from the call's parties, not ids
    assert "callId" not in screen


def test_transcripts_in_a_pipe_stay_json(cli: Cli, world: World) -> None:
    piped = cli.ok("calls", "transcript", world.call_id)
    assert piped[0]["callId"] == world.call_id and piped[0]["transcript"][0]["sentences"]
    lines = cli("calls", "transcript", world.call_id, "--jsonl").stdout.splitlines()
    assert [json.loads(line)["callId"] for line in lines] == [world.call_id]
    table = cli("calls", "transcript", world.call_id, "--table", COLUMNS="120").stdout
    assert re.search(r"^\d\d:\d\d ", table, re.M) and world.call_id in table


def test_transcripts_without_the_extensive_scope_show_speaker_ids(
    cli: Cli, world: World, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Speaker names need a second read; without its scope the words still show."""
    from gong_connector.cli._config import save_profile, token_path
    from gong_connector.connections import FileTokenStore, OAuthToken

    monkeypatch.setenv("GONG_CONFIG_DIR", str(cli.config_dir))
    client = emu.oauth_client
    save_profile(
        "narrow",
        {
            "kind": "oauth",
            "client_id": client.client_id,
            "client_secret": client.client_secret,
            "oauth_base_url": emu.base_url,
        },
    )
    token = emu.issue_token(["api:calls:read:transcript"])
    FileTokenStore(token_path("narrow")).save(OAuthToken.from_response(token, time.time()))
    result = cli("calls", "transcript", world.call_id, "--table", "--profile", "narrow", COLUMNS="120")
    assert result.exit_code == 0, result.stderr
    assert "Speaker " in result.stdout and "api:calls:read:extensive" in result.stderr


def _parties(emu: Emulator, call_id: str) -> list[dict]:
    from gong_connector.actions import run_action

    from ..actions.cases import client_for

    with client_for(emu) as client:
        page = run_action(
            client,
            "list-calls-extensive",
            {"call_ids": [call_id], "content_selector": {"exposedFields": {"parties": True}}},
        ).output
    return list(page["items"])
