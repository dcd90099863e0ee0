"""``gong run``, ``gong actions`` and ``gong manifest``: every action by key, good and bad."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from gong_connector.actions import ACTIONS, get_action, output_schema

from ..actions.cases import ALL_KEYS, SPEC_ACTIONS, World, bad_inputs, valid_inputs
from .conftest import Cli


def _inputs_file(tmp_path: Path, inputs: dict) -> str:
    path = tmp_path / "inputs.json"
    path.write_text(json.dumps(inputs))
    return str(path)


@pytest.mark.parametrize("key", ALL_KEYS)
def test_run_every_action(key: str, cli: Cli, world: World, tmp_path: Path) -> None:
    inputs = valid_inputs(world, key)
    output = cli.ok("run", key, "--inputs-file", _inputs_file(tmp_path, inputs))
    action = get_action(key)
    if action.paged:
        assert isinstance(output["items"], list) and "cursor" in output
    else:
        assert isinstance(output, dict) and output
    assert cli.api_requests(), "the action reached the emulator"
    # What it printed is what the manifest promises.
    validator = jsonschema.Draft202012Validator(output_schema(action))
    assert [e.message for e in validator.iter_errors(output)][:3] == []


@pytest.mark.parametrize("key", ALL_KEYS)
def test_run_bad_input_exits_2_naming_the_field(key: str, cli: Cli, world: World, tmp_path: Path) -> None:
    for inputs, field, rule in bad_inputs(world, get_action(key)):
        stderr = cli.fails(2, "run", key, "--inputs-file", _inputs_file(tmp_path, inputs))
        assert f"error: {field}" in stderr
        if rule is not None:
            assert f"[{rule}]" in stderr
        assert cli.api_requests() == []


def test_run_with_text_inputs_and_paging(cli: Cli, world: World) -> None:
    window = [
        f"--input=from_date_time={world.window['from_date_time']}",
        f"--input=to_date_time={world.window['to_date_time']}",
    ]
    page = cli.ok("run", "list-calls", *window)
    assert len(page["items"]) == 100 and page["cursor"]
    second = cli.ok("run", "list-calls", *window, "-i", f"cursor={page['cursor']}")
    assert second["items"][0]["id"] != page["items"][0]["id"]
    every = cli.ok("run", "list-calls", *window, "--all")
    assert len(every) == page["totalRecords"]
    limited = cli("run", "list-calls", *window, "--jsonl", "--limit", "3")
    assert [json.loads(line)["id"] for line in limited.stdout.splitlines()] == [c["id"] for c in page["items"][:3]]
    user = cli.ok("run", "get_user", "-i", f"user_id={world.user_id}")  # method name works too
    assert user["id"] == world.user_id


def test_run_inputs_from_stdin(cli: Cli, world: World) -> None:
    user = cli.ok("run", "get-user", "--inputs-file", "-", input=json.dumps({"user_id": world.user_id}))
    assert user["id"] == world.user_id


def test_run_usage_errors(cli: Cli, tmp_path: Path) -> None:
    assert "no action 'nope'" in cli.fails(2, "run", "nope")
    assert "is not key=value" in cli.fails(2, "run", "list-users", "-i", "include_avatars")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert "must hold a JSON object" in cli.fails(2, "run", "list-users", "--inputs-file", str(bad))
    bad.write_text("{oops")
    assert "--inputs-file" in cli.fails(2, "run", "list-users", "--inputs-file", str(bad))
    cli.fails(2, "run")  # missing argument: typer's usage error


def test_actions_lists_every_action(cli: Cli) -> None:
    listed = cli.ok("actions")
    assert [a["key"] for a in listed] == list(ACTIONS)
    assert {a["name"] for a in listed} >= set(SPEC_ACTIONS)
    kinds = {a["key"]: a["kind"] for a in listed}
    assert kinds["erase-email-data"] == "destructive" and kinds["list-calls"] == "read"
    assert kinds["create-call"] == "write"
    table = cli("actions", "--table")
    assert "list-calls" in table.stdout and "Raw Request" in table.stdout


def test_manifest_is_the_registry_with_valid_schemas(cli: Cli) -> None:
    manifest = cli.ok("manifest")
    assert [a["key"] for a in manifest["actions"]] == list(ACTIONS)
    assert {c["key"] for c in manifest["connections"]} == {"api-key", "oauth2"}
    assert [t["name"] for t in manifest["triggers"]] == ["Process Automation Trigger"]
    for entry in manifest["actions"]:
        jsonschema.Draft202012Validator.check_schema(entry["inputSchema"])
        jsonschema.Draft202012Validator.check_schema(entry["outputSchema"])
    one = cli.ok("manifest", "Get Call")
    assert one["key"] == "get-call" and one["inputSchema"]["required"] == ["call_id"]
    line = cli("manifest", "get-call", "--jsonl").stdout
    assert line.count("\n") == 1 and json.loads(line) == one
    assert json.loads(cli("manifest", "get-call", "--json", "--table").stdout) == one  # a document, always JSON
    cli.fails(2, "manifest", "nope")
