"""Transcripts as bounded text: the cursor codec, limits, filters and the json format."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from gong_connector import GongClient, RateLimiter
from gong_connector.client import PermissionDeniedError, ValidationError
from gong_connector.connections import ApiKeyConnection
from gong_connector.emulator import Emulator
from gong_connector.mcp_server import Position, clock
from gong_connector.mcp_server._transcript import speaker_names

from .conftest import in_process


def test_clock_is_minutes_and_seconds() -> None:
    assert [clock(0), clock(65_432), clock(3_725_000), clock(None)] == ["00:00", "01:05", "62:05", "00:00"]


def test_cursor_is_deterministic_and_round_trips() -> None:
    pos = Position({"call_ids": ["1", "2"]}, "gong-cursor", 1, 2, 3)
    assert pos.encode() == Position({"call_ids": ["1", "2"]}, "gong-cursor", 1, 2, 3).encode()
    assert Position.decode(pos.encode()) == pos
    for bad in ("", "t1.", "t1.!!!", "abc", Position({"x": 1}).encode(), Position({}, None, -1).encode()):
        with pytest.raises(ValidationError) as caught:
            Position.decode(bad)
        assert caught.value.field == "cursor"


def _window(emu: Emulator) -> dict[str, str]:
    anchor = emu.config.anchor
    return {"from_date_time": (anchor - timedelta(days=20)).isoformat(), "to_date_time": anchor.isoformat()}


async def test_a_time_window_reads_to_the_end_with_the_cursor_alone(emu: Emulator) -> None:
    window = _window(emu)
    conn = ApiKeyConnection(emu.access_key, emu.access_key_secret, emu.base_url)
    with GongClient(conn, rate_limiter=RateLimiter.off()) as gong:
        expected = [t.call_id for t in gong.get_call_transcripts(**window)]
    assert len(expected) > 2  # more than one Gong page of two
    seen: list[str] = []
    async with in_process(emu) as client:
        args: dict[str, Any] = {**window, "max_chars": 3000}
        for _ in range(200):
            result = await client.call_tool("get_call_transcripts", args)
            data: Any = result.structured_content
            assert not result.is_error and len(data["text"]) <= 3000
            seen += [c for c in data["callIds"] if not seen or c != seen[-1]]
            if data["cursor"] is None:
                break
            args = {"cursor": data["cursor"], "max_chars": 3000}
    assert seen == expected


async def test_bad_transcript_inputs_name_the_field(emu: Emulator) -> None:
    window = _window(emu)
    async with in_process(emu) as client:
        first = await client.call_tool("get_call_transcripts", {**window, "max_chars": 300})
        cursor = first.structured_content["cursor"]
        cases = [
            ({"cursor": cursor, "from_date_time": "2020-01-01T00:00:00Z"}, "from_date_time"),
            ({"cursor": "t1.garbage"}, "cursor"),
            ({"max_chars": 10}, "max_chars"),
            ({"max_chars": "many"}, "max_chars"),
            ({"format": "xml"}, "format"),
            ({"call_idz": ["1"]}, "call_idz"),
            ({**window, "format": "json", "max_chars": 300}, "max_chars"),
        ]
        for args, field in cases:
            result = await client.call_tool("get_call_transcripts", args)
            assert result.is_error, args
            assert result.structured_content["error"]["field"] == field
        # With room enough, json is Gong's page as the registry gives it.
        page = await client.call_tool("get_call_transcripts", {**window, "format": "json", "max_chars": 500_000})
        assert not page.is_error
        assert set(page.structured_content) == {"items", "cursor", "totalRecords", "requestId"}


class _NoExtensiveScope:
    def list_calls_extensive(self, **_: Any) -> Any:
        raise PermissionDeniedError(403, errors=["missing scope api:calls:read:extensive"])


async def test_without_the_extensive_scope_speakers_stay_ids() -> None:
    names, headers = await speaker_names(_NoExtensiveScope(), ["1"])  # type: ignore[arg-type]
    assert names == {} and headers == {}


async def test_calls_without_a_transcript_count_toward_max_chars(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Calls Gong has no transcript for still take room: the answer stays near max_chars and
    ends with a cursor, instead of running through every page of the window in one call."""
    monkeypatch.setattr("gong_connector.emulator._extensive.transcript", lambda *_args: [])
    async with in_process(emu) as client:
        result = await client.call_tool("get_call_transcripts", {**_window(emu), "max_chars": 200})
    data: Any = result.structured_content
    assert not result.is_error and "(no transcript)" in data["text"]
    assert len(data["text"]) <= 200 and data["cursor"] is not None
