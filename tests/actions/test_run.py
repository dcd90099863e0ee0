"""run_action / iter_action / arun_action on a real emulator: every action, good and bad."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gong_connector import ApiKeyConnection, AsyncGongClient, GongClient, RateLimiter
from gong_connector.actions import (
    ACTIONS,
    arun_action,
    check_inputs,
    get_action,
    iter_action,
    merge_text_inputs,
    run_action,
)
from gong_connector.client import ValidationError
from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit

from .cases import ALL_KEYS, World, bad_inputs, client_for, make_world, valid_inputs


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    """One emulator for the module (writes use fresh ids); starting one per test costs
    more than the tests themselves."""
    config = EmulatorConfig(seed=11, calls=250, users=12, rate_limit=RateLimit.off(), frozen_clock=True)
    with Emulator(config) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def world(emu: Emulator, tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(emu, tmp_path_factory.mktemp("world"))


@pytest.fixture
def client(emu: Emulator, world: World) -> Iterator[GongClient]:
    emu.clear_requests()
    with client_for(emu) as c:
        yield c


@pytest.mark.parametrize("key", ALL_KEYS)
def test_every_action_runs(key: str, world: World, client: GongClient) -> None:
    action = get_action(key)
    result = run_action(client, key, valid_inputs(world, key))
    assert result.action is action
    if action.paged:
        assert isinstance(result.output["items"], list)
        assert set(result.output) == {"items", "cursor", "totalRecords", "requestId"}
    elif key == "raw-request":
        assert result.output["statusCode"] == 200 and result.output["data"]["workspaces"]
    else:
        assert isinstance(result.output, dict) and result.output
    paths = [r["path"] for r in world.emu.requests()]
    assert paths and all(p.startswith("/v2") for p in paths)


@pytest.mark.parametrize("key", ALL_KEYS)
def test_bad_inputs_name_the_field_and_send_nothing(key: str, world: World, client: GongClient) -> None:
    for inputs, field, rule in bad_inputs(world, get_action(key)):
        world.emu.clear_requests()
        with pytest.raises(ValidationError) as info:
            run_action(client, key, inputs)
        assert info.value.field.startswith(field), (inputs, info.value)
        if rule is not None:
            assert info.value.rule == rule
        assert [r for r in world.emu.requests() if r["path"].startswith("/v2")] == []


def test_list_action_pages_with_the_cursor(world: World, client: GongClient) -> None:
    first = run_action(client, "list-calls", world.window)
    assert first.cursor and len(first.output["items"]) == 100
    second = run_action(client, "list-calls", {**world.window, "cursor": first.cursor})
    every = list(iter_action(client, "list-calls", world.window))
    assert [c["id"] for c in first.output["items"] + second.output["items"]] == [c["id"] for c in every][
        : len(first.output["items"]) + len(second.output["items"])
    ]
    assert len(every) == first.output["totalRecords"]


def test_iter_action_refuses_a_single_action(client: GongClient) -> None:
    with pytest.raises(ValidationError):
        list(iter_action(client, "get-call", {"call_id": "1"}))


def test_defaults_are_filled_in() -> None:
    assert check_inputs(get_action("list-users"), {}) == {"include_avatars": False}
    raw = check_inputs(get_action("raw-request"), {"url": "/v2/users"})
    assert raw["response_type"] == "json" and raw["max_retry_count"] == 0


def test_text_inputs_are_read_as_their_type() -> None:
    values = merge_text_inputs(
        get_action("create-call"),
        ["duration=300", 'parties={"userId": "1"}', 'parties={"name": "B"}', "direction=Inbound"],
    )
    assert values == {"duration": 300.0, "parties": [{"userId": "1"}, {"name": "B"}], "direction": "Inbound"}
    assert merge_text_inputs(get_action("get-call-transcripts"), ["call_ids=1,2"]) == {"call_ids": ["1", "2"]}
    assert merge_text_inputs(get_action("list-users"), ["include-avatars=yes"]) == {"include_avatars": True}
    assert merge_text_inputs(get_action("create-meeting"), ["invitees=a@b.example"]) == {"invitees": ["a@b.example"]}
    for pair, rule in (("include_avatars=maybe", "bool"), ("nope=1", "unknown"), ("include_avatars", "key_value")):
        with pytest.raises(ValidationError) as info:
            merge_text_inputs(get_action("list-users"), [pair])
        assert info.value.rule == rule


async def test_async_variant(gong_emulator: Emulator, tmp_path: Path) -> None:
    world = make_world(gong_emulator, tmp_path)
    conn = ApiKeyConnection(gong_emulator.access_key, gong_emulator.access_key_secret, gong_emulator.base_url)
    async with AsyncGongClient(conn, rate_limiter=RateLimiter.off()) as client:
        result = await arun_action(client, "get-user", {"user_id": world.user_id})
        assert result.output["id"] == world.user_id
        page = await arun_action(client, "list-calls", world.window)
        assert page.cursor and page.output["items"]
        seen: list[Any] = []
        media = await arun_action(
            client,
            "add-call-media",
            {"call_id": world.new_call(), "media": str(world.media)},
            progress=lambda s, t: seen.append((s, t)),
        )
        assert media.output["callId"] and seen[-1][0] == seen[-1][1]


def test_registry_covers_every_action_key() -> None:
    assert set(ALL_KEYS) == set(ACTIONS)


def test_output_is_gongs_json_as_sent(emu: Emulator) -> None:
    """Numbers stay integers, date-times keep their text, nothing is added or dropped."""
    import httpx

    with httpx.Client(base_url=emu.base_url, auth=(emu.access_key, emu.access_key_secret)) as http:
        wire = http.get("/v2/calls").json()["calls"][0]
    with client_for(emu) as client:
        got = run_action(client, "get-call", {"call_id": wire["id"]}).output
        listed = run_action(client, "list-calls", {}).output["items"][0]
    assert got == wire and listed == wire
    assert isinstance(got["duration"], int)
