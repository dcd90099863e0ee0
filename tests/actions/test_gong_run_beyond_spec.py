"""``gong run KEY --input key=value ...`` for every action beyond the spec, in-process
against an emulator: each input typed as text is read by its kind, sent, and answered."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from gong_connector.actions import ACTIONS, get_action, output_schema
from gong_connector.cli import app
from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit

from .cases import BEYOND_SPEC, World, make_world, valid_inputs


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    config = EmulatorConfig(seed=13, calls=120, users=12, rate_limit=RateLimit.off(), frozen_clock=True)
    with Emulator(config) as emulator:
        yield make_world(emulator, tmp_path_factory.mktemp("world"))


def _text(value: Any) -> str:
    """A value as typed after ``key=`` on the command line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def _gong_run(world: World, key: str, pairs: list[str], config: Path) -> Any:
    env = {
        **world.emu.env(),
        "GONG_CONFIG_DIR": str(config),
        "GONG_RATE_LIMIT": "off",
        "GONG_PROFILE": None,
        "NO_COLOR": "1",
    }
    args = ["run", key, *(f"--input={pair}" for pair in pairs)]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, (key, result.stdout, result.stderr)
    return json.loads(result.stdout)


@pytest.mark.parametrize("key", sorted(BEYOND_SPEC))
def test_gong_run_with_text_inputs(key: str, world: World, tmp_path: Path) -> None:
    action = get_action(key)
    inputs = valid_inputs(world, key)
    world.emu.clear_requests()
    output = _gong_run(world, key, [f"{k}={_text(v)}" for k, v in inputs.items()], tmp_path / "config")
    method, path = BEYOND_SPEC[key]
    sent = [r for r in world.emu.requests() if r["path"].startswith("/v2")][-1]
    assert sent["method"] == method and re.fullmatch(re.sub(r"\{\w+\}", "[0-9]+", path), sent["path"])
    assert sent["status"] < 300
    if action.paged:
        assert isinstance(output["items"], list) and "cursor" in output
    else:
        assert isinstance(output, dict) and output
    assert list(jsonschema.Draft202012Validator(output_schema(action)).iter_errors(output)) == []


def test_every_action_beyond_the_spec_is_run_here() -> None:
    assert {k for k, a in ACTIONS.items() if not a.in_spec} == set(BEYOND_SPEC)
