"""The whole history in one call, on the default emulator (which does what Gong documents)
and on the strict one (which also refuses windows over 90 days, a rule we only guessed):
the same calls either way, and under the strict one no request is refused twice."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from gong_connector import ApiKeyConnection, GongClient, RateLimiter
from gong_connector.emulator import Emulator

from ..cli.conftest import Cli

WHOLE = {"from_date_time": "2000-01-01T00:00:00Z", "to_date_time": "2099-01-01T00:00:00Z"}


def _list_all(emu: Emulator) -> list[str]:
    conn = ApiKeyConnection(emu.access_key, emu.access_key_secret, emu.base_url)
    with GongClient(conn, rate_limiter=RateLimiter.off()) as gong:
        return [c.id for c in gong.list_calls(**WHOLE) if c.id]


def _refusals(emu: Emulator) -> list[tuple[str, str]]:
    return [
        (r["query"]["fromDateTime"], r["query"]["toDateTime"])
        for r in emu.requests()
        if r["path"] == "/v2/calls" and r["status"] == 400
    ]


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_list_calls_over_a_century_yields_every_call(
    gong_emulator_factory: Callable[..., Emulator], strict: bool
) -> None:
    emu = gong_emulator_factory(strict=strict)
    reference = gong_emulator_factory()  # same seed and size: the same calls
    emu.clear_requests()
    ids = _list_all(emu)
    assert len(ids) == emu.config.calls and set(ids) == set(_list_all(reference))
    refusals = _refusals(emu)
    assert len(refusals) == (1 if strict else 0)
    sent = [
        (r["query"].get("fromDateTime"), r["query"].get("toDateTime"), r["query"].get("cursor")) for r in emu.requests()
    ]
    assert len(sent) == len(set(sent)), "a request was sent (and refused) twice"


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_gong_calls_list_jsonl_over_a_century(
    gong_emulator_factory: Callable[..., Emulator], tmp_path: Path, strict: bool
) -> None:
    emu = gong_emulator_factory(strict=strict)
    cli = Cli(emu, tmp_path / "config")
    result = cli("calls", "list", "--from", WHOLE["from_date_time"], "--to", WHOLE["to_date_time"], "--jsonl")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == emu.config.calls and len({c["id"] for c in lines}) == emu.config.calls
    assert len(_refusals(emu)) == (1 if strict else 0)
