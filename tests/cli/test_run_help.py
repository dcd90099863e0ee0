"""``gong run ACTION --help`` lists the action's inputs from its declaration; unknown
actions and inputs get "did you mean"."""

from __future__ import annotations

import re

import pytest

from gong_connector.actions import ACTIONS

from .conftest import Cli


def _rows(help_text: str) -> dict[str, str]:
    """Input name -> its row in the inputs panel (the text after the name)."""
    panel = help_text[help_text.index("Inputs of") :]
    rows: dict[str, str] = {}
    for line in panel.splitlines():
        found = re.match(r"^│\s+([a-z_]+)\s+(.*?)\s*│$", line)
        if found and found.group(1) != "input":
            rows[found.group(1)] = found.group(2)
    return rows


@pytest.mark.parametrize("key", ["list-calls", "get-user", "list-users", "create-meeting", "raw-request"])
def test_help_lists_every_input_with_type_required_default_and_example(cli: Cli, key: str) -> None:
    result = cli("run", key, "--help", COLUMNS="160")
    assert result.exit_code == 0, result.stderr
    action = ACTIONS[key]
    rows = _rows(result.stdout)
    assert list(rows) == list(action.input_keys)
    for spec in action.inputs:
        row = rows[spec.key]
        assert row.startswith(spec.type), row
        assert (" yes " in row) == spec.required, row
    assert f"Example: gong run {key}" in result.stdout
    assert action.description.split(".")[0] in result.stdout.replace("\n", " ")


def test_help_shows_defaults_and_examples(cli: Cli) -> None:
    shown = cli("run", "list-users", "--help", COLUMNS="160").stdout
    assert "[default: false]" in shown
    user = cli("run", "get-user", "--help", COLUMNS="160").stdout
    assert "[example: " in user and re.search(r"Example: gong run get-user -i user_id=\d+", user)
    window = cli("run", "list-calls", "--help", COLUMNS="160").stdout
    assert "or an age (30d)" in window  # what --input accepts for dates


def test_unknown_actions_and_inputs_suggest_the_closest(cli: Cli) -> None:
    assert "did you mean list-calls?" in cli.fails(2, "run", "lsit-calls", "--help")
    assert "did you mean list-calls?" in cli.fails(2, "run", "lsit-calls")
    stderr = cli.fails(2, "run", "list-calls", "-i", "form_date_time=2026-10-01")
    assert "error: form_date_time: is not an input of list-calls; did you mean from_date_time?" in stderr
    assert "did you mean user_id?" in cli.fails(2, "run", "get-user", "-i", "userid=1")
    assert cli.api_requests() == []
