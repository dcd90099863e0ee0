"""Pytest fixtures for testing your own Gong code against the emulator.

Installed with the package (entry point ``pytest11``), so in any project that depends on
gong-connector::

    def test_my_sync(gong_emulator):
        client = MyCode(base_url=gong_emulator.base_url, key=gong_emulator.access_key, ...)

``gong_emulator`` has rate limits off and a frozen clock (move it with
``advance_clock``). ``gong_emulator_factory(**changes)`` starts one with other settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ._config import EmulatorConfig, RateLimit
from ._server import Emulator


@pytest.fixture
def gong_emulator_factory() -> Iterator[Callable[..., Emulator]]:
    started: list[Emulator] = []

    def make(**changes: Any) -> Emulator:
        retry_delays = changes.pop("webhook_retry_delays", (0.05, 0.1))
        changes.setdefault("rate_limit", RateLimit.off())
        changes.setdefault("frozen_clock", True)
        emulator = Emulator(EmulatorConfig(**changes), webhook_retry_delays=retry_delays).start()
        started.append(emulator)
        return emulator

    yield make
    for emulator in started:
        emulator.stop()


@pytest.fixture
def gong_emulator(gong_emulator_factory: Callable[..., Emulator]) -> Emulator:
    return gong_emulator_factory()
