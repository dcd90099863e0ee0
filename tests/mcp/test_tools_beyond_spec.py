"""The actions beyond the spec as MCP tools: their hints, and a new tool called for real
(in-process, through the SDK's client, which checks each result against the output schema)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit

from .conftest import in_process


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    config = EmulatorConfig(seed=9, calls=80, users=12, page_size=5, rate_limit=RateLimit.off(), frozen_clock=True)
    with Emulator(config) as emulator:
        yield emulator


async def test_new_tools_carry_their_hints(emu: Emulator) -> None:
    async with in_process(emu) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    hints = {name: tools[name].annotations for name in tools}
    for name in ("list_answered_scorecards", "list_call_access", "get_meeting_integration_status", "get_crm_objects"):
        assert hints[name].read_only_hint is True and hints[name].destructive_hint is False  # type: ignore[union-attr]
    for name in ("remove_call_access", "delete_crm_integration", "upload_crm_schema"):
        assert hints[name].destructive_hint is True and hints[name].read_only_hint is False  # type: ignore[union-attr]
    for name in ("create_permission_profile", "assign_prospects", "report_digital_interaction"):
        assert not hints[name].read_only_hint and not hints[name].destructive_hint  # type: ignore[union-attr]


async def test_a_stats_tool_pages_with_its_cursor(emu: Emulator) -> None:
    today = emu.config.anchor.date()
    days = {"from_date": (today - timedelta(days=60)).isoformat(), "to_date": today.isoformat()}
    async with in_process(emu) as client:
        first = await client.call_tool("list_aggregate_activity", days)
        assert not first.is_error, first.content
        page = first.structured_content
        assert isinstance(page, dict) and len(page["items"]) == 5 and page["cursor"]
        assert all(isinstance(i["userAggregateActivityStats"]["callsAsHost"], int) for i in page["items"])
        second = await client.call_tool("list_aggregate_activity", {**days, "cursor": page["cursor"]})
        assert not second.is_error and second.structured_content
        again = {i["userId"] for i in second.structured_content["items"]}
        assert again and not again & {i["userId"] for i in page["items"]}
        bad = await client.call_tool("list_aggregate_activity", {**days, "to_date": "2026-02-30"})
        assert bad.is_error and bad.structured_content
        assert bad.structured_content["error"]["field"] == "to_date"
