"""Every tool in-process, through the SDK's client (which checks each result against the
tool's output schema): valid inputs succeed, bad ones come back as errors naming the field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from mcp_types import TextContent

from gong_connector.actions import get_action
from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit
from gong_connector.mcp_server import TOOL_ACTIONS, FileAccess, find_action, tool_name

from ..actions.cases import ALL_KEYS, World, bad_inputs, make_world, valid_inputs
from .conftest import in_process


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    config = EmulatorConfig(seed=11, calls=250, users=12, rate_limit=RateLimit.off(), frozen_clock=True)
    with Emulator(config) as emulator:
        yield make_world(emulator, tmp_path_factory.mktemp("world"))


def test_names_are_keys_with_underscores() -> None:
    assert list(TOOL_ACTIONS) == [k.replace("-", "_") for k in ALL_KEYS]
    for key in ALL_KEYS:
        action = get_action(key)
        assert tool_name(action).isidentifier()
        assert find_action(tool_name(action)) is action
        assert find_action(key) is action  # the registry key works too
    assert find_action("nope") is None


async def test_every_tool_runs_with_valid_inputs(world: World) -> None:
    async with in_process(world.emu, FileAccess.under([world.tmp])) as client:
        for key in ALL_KEYS:
            name = tool_name(get_action(key))
            result = await client.call_tool(name, valid_inputs(world, key))
            assert not result.is_error, (key, result.content)
            assert isinstance(result.content[0], TextContent)
            assert isinstance(result.structured_content, dict)


async def test_bad_inputs_are_tool_errors_naming_the_field(world: World) -> None:
    async with in_process(world.emu, FileAccess.under([world.tmp])) as client:
        for key in ALL_KEYS:
            action = get_action(key)
            for inputs, field, rule in bad_inputs(world, action):
                result = await client.call_tool(tool_name(action), inputs)
                assert result.is_error, (key, inputs)
                error: Any = result.structured_content["error"]
                if "field" in error:
                    assert error["field"].split(".")[0].split("[")[0] == field, (key, error)
                    assert field in result.content[0].text  # type: ignore[union-attr]
                    if rule is not None:
                        assert error["rule"] == rule
                else:  # the client let it through and Gong refused it: its words
                    assert error["status"] == 400 and error["requestId"], (key, error)
