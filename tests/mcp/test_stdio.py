"""``gong mcp`` over stdio, as an agent's host runs it: a subprocess and the SDK's client."""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from mcp.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp_types import CallToolResult, TextContent

from gong_connector import GongClient, RateLimiter
from gong_connector.actions import ACTIONS, input_schema, output_schema
from gong_connector.cli._config import save_profile
from gong_connector.connections import ApiKeyConnection
from gong_connector.emulator import Emulator
from gong_connector.mcp_server import LIST_INPUTS, TRANSCRIPT_ACTION, TRANSCRIPT_INPUTS

from .conftest import GONG, env_for


def text_of(result: CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, TextContent)
    return block.text


def sync_client(emu: Emulator) -> GongClient:
    conn = ApiKeyConnection(emu.access_key, emu.access_key_secret, emu.base_url)
    return GongClient(conn, rate_limiter=RateLimiter.off())


#: The tests that only talk to the server share one ``gong mcp`` process (and its event loop):
#: starting one, mostly the MCP SDK's import, costs more than all their calls together.
shared_loop = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def client(emu: Emulator, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Client]:
    env = env_for(emu, tmp_path_factory.mktemp("config"))
    ready: asyncio.Future[Client] = asyncio.get_running_loop().create_future()
    stop = asyncio.Event()

    async def hold() -> None:
        # The SDK's client must be entered and left in one task: this one, for the module.
        async with Client(StdioServerParameters(command=GONG, args=["mcp"], env=env)) as opened:
            ready.set_result(opened)
            await stop.wait()

    holder = asyncio.create_task(hold())
    try:
        yield await asyncio.wait_for(asyncio.shield(ready), timeout=60)
    finally:
        stop.set()
        await holder


@shared_loop
async def test_one_tool_per_action_as_the_registry_describes_it(client: Client) -> None:
    tools = (await client.list_tools()).tools
    assert len(tools) == len(ACTIONS)
    by_name = {t.name: t for t in tools}
    for action in ACTIONS.values():
        tool = by_name[action.key.replace("-", "_")]
        assert tool.title == action.name
        schema = input_schema(action)
        assert tool.description and tool.description.startswith(action.description)
        if action.key == TRANSCRIPT_ACTION:
            added = {k: tool.input_schema["properties"].pop(k) for k in TRANSCRIPT_INPUTS}
            assert added["max_chars"]["default"] > 0
            assert tool.output_schema is None
        else:
            if action.paged:  # every list tool is bounded too
                added = {k: tool.input_schema["properties"].pop(k) for k in LIST_INPUTS}
                assert added["max_chars"]["default"] > 0 and "max_chars" in tool.description
            elif any(i.type == "file" for i in action.inputs):  # says which files it may read
                assert "reads no local files" in tool.description
            else:
                assert tool.description == action.description
            assert tool.output_schema == {"type": "object", **output_schema(action)}
        assert tool.input_schema == schema
        hints = tool.annotations
        assert hints is not None
        assert (hints.read_only_hint, hints.destructive_hint, hints.idempotent_hint) == (
            action.read_only,
            action.destructive,
            action.idempotent,
        )
    assert by_name["list_calls"].annotations.read_only_hint is True  # type: ignore[union-attr]
    assert by_name["erase_email_data"].annotations.destructive_hint is True  # type: ignore[union-attr]
    assert by_name["delete_meeting"].annotations.destructive_hint is True  # type: ignore[union-attr]


@shared_loop
async def test_reads_and_pages_with_the_cursor(client: Client, emu: Emulator) -> None:
    first = await client.call_tool("list_calls", {})
    assert not first.is_error
    page1: Any = first.structured_content
    assert len(page1["items"]) == 5 and page1["cursor"]
    assert json.loads(text_of(first)) == page1
    second = await client.call_tool("list_calls", {"cursor": page1["cursor"]})
    page2: Any = second.structured_content
    assert len(page2["items"]) == 5
    ids1 = {c["id"] for c in page1["items"]}
    assert ids1.isdisjoint(c["id"] for c in page2["items"])

    call = await client.call_tool("get_call", {"call_id": page1["items"][0]["id"]})
    assert not call.is_error
    assert call.structured_content["id"] == page1["items"][0]["id"]
    with sync_client(emu) as gong:
        expected = gong.list_calls().first_page()
    assert [c["id"] for c in page1["items"]] == [c.id for c in expected.items]


def _sentences(emu: Emulator, call_ids: list[str]) -> list[str]:
    with sync_client(emu) as gong:
        return [
            " ".join((s.text or "").split())
            for t in gong.get_call_transcripts(call_ids=call_ids)
            for m in t.transcript
            for s in m.sentences
        ]


@shared_loop
async def test_transcript_text_is_bounded_and_resumes_across_calls(client: Client, emu: Emulator) -> None:
    with sync_client(emu) as gong:
        call_ids = [c.id for c in gong.list_calls().first_page().items[:3]]
    limit = 1200
    chunks: list[str] = []
    cursors: list[str] = []
    result = await client.call_tool("get_call_transcripts", {"call_ids": call_ids, "max_chars": limit})
    while True:
        assert not result.is_error, text_of(result)
        data: Any = result.structured_content
        assert len(data["text"]) <= limit
        chunks.append(data["text"])
        if data["cursor"] is None:
            break
        assert data["cursor"] in text_of(result)
        cursors.append(data["cursor"])
        result = await client.call_tool("get_call_transcripts", {"cursor": data["cursor"], "max_chars": limit})
        assert len(chunks) < 100
    # The same position gives the same answer: no state was kept between calls.
    again = await client.call_tool("get_call_transcripts", {"cursor": cursors[0], "max_chars": limit})
    repeat: Any = again.structured_content
    assert (repeat["text"], repeat["cursor"]) == (chunks[1], cursors[1])
    assert len(chunks) > 3  # three calls over two Gong pages, in several pieces
    text = "\n".join(chunks)
    for call_id in call_ids:
        assert f"# Call {call_id}" in text
    # Every sentence, in order, with mm:ss times and speaker names.
    position = 0
    for sentence in _sentences(emu, call_ids):
        found = text.find(sentence, position)
        assert found >= 0, sentence
        position = found + len(sentence)
    first_turn = chunks[0].splitlines()[1]
    stamp, _, rest = first_turn.partition(" ")
    assert len(stamp) == 5 and stamp[2] == ":" and ": " in rest
    assert not rest.startswith("Speaker ")


async def test_destructive_tools_change_gong(gong_emulator_factory: Callable[..., Emulator], tmp_path: Any) -> None:
    emu = gong_emulator_factory(calls=20, users=8)
    env = {**emu.env(), "GONG_CONFIG_DIR": str(tmp_path), "GONG_RATE_LIMIT": "off"}
    with sync_client(emu) as gong:
        user = gong.list_users().first_page().items[0]
        call = gong.list_calls().first_page().items[0]
        parties = next(
            iter(gong.list_calls_extensive(call_ids=[call.id], content_selector={"exposedFields": {"parties": True}}))
        ).parties
    external = next(p.email_address for p in parties or [] if p.affiliation == "External" and p.email_address)
    async with Client(StdioServerParameters(command=GONG, args=["mcp"], env=env)) as client:
        made = await client.call_tool(
            "create_meeting",
            {
                "start_time": "2026-12-01T10:00:00Z",
                "end_time": "2026-12-01T10:30:00Z",
                "organizer_email": user.email_address,
                "invitees": ["buyer@customer.example"],
            },
        )
        meeting_id = made.structured_content["meetingId"]
        assert meeting_id in emu.backend.meetings
        deleted = await client.call_tool("delete_meeting", {"meeting_id": meeting_id})
        assert not deleted.is_error, text_of(deleted)
        assert meeting_id not in emu.backend.meetings

        erased = await client.call_tool("erase_email_data", {"email_address": external})
        assert not erased.is_error, text_of(erased)
        emu.advance_clock(emu.config.erasure_delay)  # Gong erases in the background
        gone = await client.call_tool("get_call", {"call_id": call.id})
        assert gone.is_error and "not found" in text_of(gone).lower()
    assert call.id in emu.backend.deleted_calls


@shared_loop
async def test_errors_are_tool_results_and_the_server_carries_on(client: Client, emu: Emulator) -> None:
    missing = await client.call_tool("get_call", {"call_id": "1234567"})
    assert missing.is_error
    error: Any = missing.structured_content["error"]
    assert error["status"] == 404 and error["requestId"]
    assert "1234567" in error["errors"][0]
    assert error["errors"][0] in text_of(missing) and error["requestId"] in text_of(missing)

    bad = await client.call_tool("get_call", {"call_id": "12ab"})
    assert bad.is_error and bad.structured_content["error"]["field"] == "call_id"
    assert text_of(bad).startswith("Invalid input call_id")
    unknown = await client.call_tool("get_call", {"call": "1"})
    assert unknown.is_error and "call" in text_of(unknown)
    nothing = await client.call_tool("no_such_tool", {})
    assert nothing.is_error

    still = await client.call_tool("list_workspaces", {})
    assert not still.is_error


def test_stdout_carries_only_the_protocol_and_no_secret(server_env: dict[str, str], tmp_path: Path) -> None:
    """Raw JSON-RPC over the pipes, with --debug on: every stdout line is a message, and
    neither stream shows the access key secret."""
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "test", "version": "0"},
            },
        },
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "list_workspaces", "arguments": {}}},
        {
            "jsonrpc": "2.0",
            "id": 3,
            "method": "tools/call",
            "params": {"name": "get_user", "arguments": {"user_id": "42"}},
        },
    ]
    log = (tmp_path / "stderr.txt").open("w+")  # a file: a full pipe would stall the server
    proc = subprocess.Popen(
        [GONG, "mcp", "--debug"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**server_env, "PATH": str(Path(GONG).parent)},
    )
    watchdog = threading.Timer(30, proc.kill)
    watchdog.start()
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("".join(json.dumps(m) + "\n" for m in messages))
        proc.stdin.flush()
        # Read the three replies before closing stdin: at EOF the SDK cancels open calls.
        lines = [proc.stdout.readline() for _ in range(3)]
        proc.stdin.close()
        rest = proc.stdout.read()
        proc.wait()
    finally:
        watchdog.cancel()
        log.seek(0)
        stderr = log.read()
        log.close()
    assert proc.returncode == 0, stderr
    assert rest == ""
    replies = {r["id"]: r for r in map(json.loads, lines)}
    assert sorted(replies) == [1, 2, 3]  # calls run concurrently, so in any order
    assert all(r["jsonrpc"] == "2.0" for r in replies.values())
    assert replies[2]["result"]["isError"] is False
    assert replies[3]["result"]["isError"] is True
    secret = server_env["GONG_ACCESS_KEY_SECRET"]
    basic = base64.b64encode(f"{server_env['GONG_ACCESS_KEY']}:{secret}".encode()).decode()
    assert all(secret not in text and basic not in text for text in (*lines, stderr))
    assert stderr  # --debug logs went somewhere, and it was not stdout


def test_missing_credentials_fail_before_serving(tmp_path: Path) -> None:
    done = subprocess.run(
        [GONG, "mcp"],
        input="",
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": str(Path(GONG).parent), "GONG_CONFIG_DIR": str(tmp_path)},
        check=False,
    )
    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr.startswith("error: no Gong credentials")


async def test_a_profile_is_a_connection_too(emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONG_CONFIG_DIR", str(tmp_path))
    save_profile(
        "emulated",
        {
            "kind": "api_key",
            "base_url": emu.base_url,
            "access_key": emu.access_key,
            "access_key_secret": emu.access_key_secret,
        },
    )
    env = {"GONG_CONFIG_DIR": str(tmp_path), "GONG_RATE_LIMIT": "off"}
    params = StdioServerParameters(command=GONG, args=["mcp", "--profile", "emulated"], env=env)
    async with Client(params) as client:
        result = await client.call_tool("list_workspaces", {})
    assert not result.is_error
