"""An independent Gong client's read surface against the default emulator.

The requests below are those the Airbyte Gong source (airbyte-source-gong 0.1.17, a
declarative manifest) sends, kept here as data so the test needs neither that package nor
its CDK: HTTP Basic on ``/v2``, a ``fromDateTime`` without ``toDateTime``, a ``limit``
parameter Gong does not document, the cursor in the query, and paging that stops when an
answer has no ``records`` or no cursor. A default emulator must serve all of it: it does
only what Gong documents, and Gong documents no window limit.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gong_connector._tls import shared_ssl_context
from gong_connector.emulator import Emulator

START = "2000-01-01T00:00:00Z"

#: (stream, path, query parameters, field holding the records, primary key)
STREAMS: list[tuple[str, str, dict[str, Any], str, str]] = [
    ("users", "/v2/users", {"fromDateTime": START, "limit": 100}, "users", "id"),
    ("calls", "/v2/calls", {"fromDateTime": START}, "calls", "id"),
]


def _read_stream(emu: Emulator, path: str, params: dict[str, Any], field: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    cursor: str | None = None
    with httpx.Client(
        base_url=emu.base_url, auth=(emu.access_key, emu.access_key_secret), verify=shared_ssl_context()
    ) as http:
        for _ in range(1000):
            query = {**params, **({"cursor": cursor} if cursor else {})}
            response = http.get(path, params=query)
            assert response.status_code == 200, (path, response.status_code, response.text[:200])
            body = response.json()
            records += body[field]
            if "records" not in body or not body["records"].get("cursor"):
                return records
            cursor = body["records"]["cursor"]
    raise AssertionError("paging did not end")


@pytest.mark.parametrize(("stream", "path", "params", "field", "key"), STREAMS, ids=[s[0] for s in STREAMS])
def test_an_independent_client_reads_every_stream(
    gong_emulator: Emulator, stream: str, path: str, params: dict[str, Any], field: str, key: str
) -> None:
    records = _read_stream(gong_emulator, path, params, field)
    keys = [r[key] for r in records]
    assert keys and len(keys) == len(set(keys))
    expected = {"users": gong_emulator.config.users, "calls": gong_emulator.config.calls}[stream]
    assert len(records) == expected


def test_the_whole_history_in_one_window(gong_emulator: Emulator) -> None:
    """The first thing such a client does that the old emulator refused: a 99-year window."""
    params = {"fromDateTime": START, "toDateTime": "2099-01-01T00:00:00Z"}
    records = _read_stream(gong_emulator, "/v2/calls", params, "calls")
    assert len(records) == gong_emulator.config.calls
