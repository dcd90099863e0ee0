"""The sync's first requests get the same patience as the rest; what retrying cannot fix
fails at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from gong_connector import ApiKeyConnection, GongClient, RateLimiter, RetryPolicy
from gong_connector.emulator import Emulator, Faults
from gong_connector.errors import TransportError

from .conftest import TEST_RATE, SleepRecorder, run


def _client(emu: Emulator, sleeps: SleepRecorder, base_url: str | None = None) -> GongClient:
    """A client with the default 4 retries: the case that died at start-up."""
    return GongClient(
        ApiKeyConnection(emu.access_key, emu.access_key_secret, base_url or emu.base_url),
        rate_limiter=RateLimiter(TEST_RATE),
        retry=RetryPolicy(max_retries=4),
        sleep=sleeps,
    )


@pytest.mark.parametrize("fault", ["503", "drop"])
def test_faults_on_the_very_first_requests_are_waited_out(
    emu: Emulator, tmp_path: Path, sleeps: SleepRecorder, fault: str
) -> None:
    """More failures in a row than the client retries, before Gong ever answered."""
    emu.set_faults(Faults(fail_next=[fault] * 12))
    with _client(emu, sleeps) as client:
        result = run(emu, client, f"sqlite:///{tmp_path}/start.db", streams="workspaces,users", sleep=sleeps)
    assert result.streams["workspaces"].records == 3 and result.streams["users"].records == len(emu.backend.data.users)
    first = [r for r in emu.requests() if r["path"] == "/v2/workspaces"]
    assert len(first) == 13  # 12 failures (more than one client's 5 attempts), then the answer
    assert sleeps.calls, "the sync's own rounds waited through the injected sleep"


def test_what_retrying_cannot_fix_fails_at_once(emu: Emulator, tmp_path: Path, sleeps: SleepRecorder) -> None:
    """TLS to a plain-HTTP port: one attempt, no rounds, the host and the reason named."""
    tls = emu.base_url.replace("http://", "https://")
    with _client(emu, sleeps, base_url=tls) as client, pytest.raises(TransportError) as info:
        run(emu, client, f"sqlite:///{tmp_path}/tls.db", streams="workspaces", sleep=sleeps)
    assert not info.value.retryable and "TLS" in str(info.value) and f"127.0.0.1:{emu.port}" in str(info.value)
    assert sleeps.calls == []
