"""Every list tool's answer is bounded like the transcripts': at most max_chars of JSON,
the rest behind a cursor that holds everything needed to resume (no server state)."""

from __future__ import annotations

import json
from typing import Any

from gong_connector.emulator import Emulator

from .conftest import in_process
from .test_stdio import sync_client

SELECTOR = {"exposedFields": {"parties": True, "content": {"topics": True, "trackers": True}}}


def _size(data: Any) -> int:
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


async def test_a_long_page_comes_in_bounded_pieces_and_nothing_is_lost(emu: Emulator) -> None:
    limit = 1500
    with sync_client(emu) as gong:
        expected = [c.meta_data.id for c in gong.list_calls_extensive(content_selector=SELECTOR) if c.meta_data]
    seen: list[str] = []
    cursors: list[str] = []
    answers: list[Any] = []
    async with in_process(emu) as client:
        args: dict[str, Any] = {"content_selector": SELECTOR, "max_chars": limit}
        while True:
            result = await client.call_tool("list_calls_extensive", args)
            assert not result.is_error, result.content
            page: Any = result.structured_content
            answers.append(page)
            assert _size(page) <= limit or len(page["items"]) == 1
            assert json.loads(result.content[0].text) == page  # type: ignore[union-attr]
            seen += [c["metaData"]["id"] for c in page["items"]]
            if page["cursor"] is None:
                break
            cursors.append(page["cursor"])
            args = {"cursor": page["cursor"], "max_chars": limit}  # the cursor alone carries the inputs
            assert len(cursors) < 200
        again = await client.call_tool("list_calls_extensive", {"cursor": cursors[0], "max_chars": limit})
    assert seen == expected  # every call once, in order, across pieces and Gong pages
    assert any(c.startswith("l1.") for c in cursors)  # pages were cut
    repeat: Any = again.structured_content
    # The same cursor, the same answer (but Gong's request id): no state was kept.
    assert {**repeat, "requestId": None} == {**answers[1], "requestId": None}


async def test_a_page_that_fits_is_gongs_own(emu: Emulator) -> None:
    async with in_process(emu) as client:
        users: Any = (await client.call_tool("list_users", {})).structured_content
    assert len(users["items"]) == 5 and users["cursor"] and not users["cursor"].startswith("l1.")


async def test_bad_cursors_and_changed_inputs_are_errors(emu: Emulator) -> None:
    async with in_process(emu) as client:
        cut: Any = (
            await client.call_tool("list_calls_extensive", {"content_selector": SELECTOR, "max_chars": 300})
        ).structured_content
        cursor = cut["cursor"]
        assert cursor.startswith("l1.") and len(cut["items"]) == 1
        changed = await client.call_tool(
            "list_calls_extensive", {"cursor": cursor, "content_selector": {"exposedFields": {"parties": False}}}
        )
        assert changed.is_error and changed.structured_content["error"]["field"] == "content_selector"
        elsewhere = await client.call_tool("list_users", {"cursor": cursor})
        assert elsewhere.is_error and elsewhere.structured_content["error"]["field"] == "cursor"
        garbage = await client.call_tool("list_calls_extensive", {"cursor": "l1.!!!"})
        assert garbage.is_error and garbage.structured_content["error"]["rule"] == "invalid"
        small = await client.call_tool("list_users", {"max_chars": 10})
        assert small.is_error and small.structured_content["error"]["field"] == "max_chars"
