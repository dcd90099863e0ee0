"""Pytest fixtures for testing your own Gong code against the emulator.

Installed with the package (entry point ``pytest11``), so in any project that depends on
gong-connector::

    def test_my_sync(gong_emulator):
        client = MyCode(base_url=gong_emulator.base_url, key=gong_emulator.access_key, ...)

``gong_emulator`` has rate limits off and a frozen clock (move it with
``advance_clock``). ``gong_emulator_factory(**changes)`` starts one with other settings;
``gong_emulator_factory(strict=True)`` also applies the rules Gong does not document (the
90-day call window and the others in docs/emulator-fidelity.md), which are off by default.

Servers are reused across tests: after a test, its emulator goes back to a pool and the
next test asking for the same settings gets it back in the state of a new one
(``Emulator.fresh``). That saves the server start and stop for each test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from ._config import EmulatorConfig, RateLimit

if TYPE_CHECKING:
    from ._server import Emulator

# The plugin loads in every pytest session of every project that installs us: the emulator
# (and its web server) is imported by the fixtures, only when a test asks for one.
Pool = dict[str, list["Emulator"]]


@pytest.fixture(scope="session")
def gong_emulator_pool() -> Iterator[Pool]:
    """Idle emulators by settings, stopped at the end of the session."""
    pool: Pool = {}
    yield pool
    idle = [emulator for emulators in pool.values() for emulator in emulators]
    for emulator in idle:  # their shutdowns overlap: one wait instead of one each
        emulator.request_stop()
    for emulator in idle:
        emulator.stop()


@pytest.fixture
def gong_emulator_factory(gong_emulator_pool: Pool) -> Iterator[Callable[..., Emulator]]:
    from ._server import Emulator

    taken: list[tuple[str, Emulator]] = []

    def make(**changes: Any) -> Emulator:
        retry_delays = changes.pop("webhook_retry_delays", (0.05, 0.1))
        changes.setdefault("rate_limit", RateLimit.off())
        changes.setdefault("frozen_clock", True)
        key = repr((sorted(changes.items()), retry_delays))
        idle = gong_emulator_pool.get(key, [])
        while idle:
            emulator = idle.pop()
            if emulator.running:
                emulator.fresh()
                break
        else:
            emulator = Emulator(EmulatorConfig(**changes), webhook_retry_delays=retry_delays).start()
        taken.append((key, emulator))
        return emulator

    yield make
    for key, emulator in taken:
        if emulator.running:
            gong_emulator_pool.setdefault(key, []).append(emulator)


@pytest.fixture
def gong_emulator(gong_emulator_factory: Callable[..., Emulator]) -> Emulator:
    return gong_emulator_factory()
