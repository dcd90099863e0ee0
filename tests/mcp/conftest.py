"""``gong mcp`` as a real subprocess against one in-process emulator per module.

The server gets the emulator's credentials through its environment, its own config
directory (so the developer's profiles are never read) and no client pacing. The emulator
pages small (5 calls, 2 transcripts) so that cursors are exercised with little data.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from mcp.client import Client

from gong_connector import AsyncGongClient, RateLimiter
from gong_connector.connections import ApiKeyConnection
from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit
from gong_connector.mcp_server import FileAccess, build_server

GONG = shutil.which("gong", path=str(Path(sys.executable).parent)) or "gong"


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    config = EmulatorConfig(
        seed=7, calls=40, users=12, rate_limit=RateLimit.off(), page_size=5, transcript_page_size=2, frozen_clock=True
    )
    with Emulator(config) as emulator:
        yield emulator


def env_for(emu: Emulator, config_dir: Path) -> dict[str, str]:
    """A ``gong mcp`` process's environment: the emulator's credentials, no pacing."""
    return {**emu.env(), "GONG_CONFIG_DIR": str(config_dir), "GONG_RATE_LIMIT": "off", "PYTHONUNBUFFERED": "1"}


@pytest.fixture
def server_env(emu: Emulator, tmp_path: Path) -> dict[str, str]:
    return env_for(emu, tmp_path / "config")


@asynccontextmanager
async def in_process(emu: Emulator, files: FileAccess | None = None) -> AsyncIterator[Client]:
    """The same server in-process: for the many small cases where a process adds nothing."""
    conn = ApiKeyConnection(emu.access_key, emu.access_key_secret, emu.base_url)
    server = build_server(lambda: AsyncGongClient(conn, rate_limiter=RateLimiter.off()), files=files)
    async with Client(server) as client:
        yield client
