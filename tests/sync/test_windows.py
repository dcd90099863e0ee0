"""Windows: Gong's refusal of a long window is handled by the client's pager (see
tests/client/test_windows.py); the sync commits a watermark at the end of each piece."""

from __future__ import annotations

from datetime import UTC, timedelta

from gong_connector import GongClient
from gong_connector.emulator import Emulator
from gong_connector.sync._streams import Context, read_calls


def test_each_piece_of_a_cut_window_commits_its_own_watermark(emu: Emulator, client: GongClient) -> None:
    now = emu.backend.clock.now_dt().astimezone(UTC).replace(microsecond=0)
    since = now - timedelta(days=200)
    client.window_limits["list-calls-extensive"] = timedelta(days=90)
    batches = list(read_calls(Context(client=client, now=now, since=since, lookback=timedelta(0))))
    marks = [w.value for b in batches for w in b.watermarks]
    # A crash after a piece resumes after it: each piece's end is committed with its rows.
    assert marks == [since + timedelta(days=90), since + timedelta(days=180), now]
    sent = [r for r in emu.requests() if r["path"] == "/v2/calls/extensive"]
    windows = {(r["body"]["filter"]["fromDateTime"], r["body"]["filter"]["toDateTime"]) for r in sent}
    assert len(windows) == 3
