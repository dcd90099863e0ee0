"""The CLI's read commands again, on an emulator that also applies every rule we only
guessed Gong has (``strict``): what passes here passes however Gong turns out to behave."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit

from .test_commands import (  # noqa: F401 - collected again here, on the strict emulator
    test_calls_list_get_transcript,
    test_output_modes,
    test_privacy_references,
    test_users_workspaces_library_logs,
)


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    config = EmulatorConfig(seed=5, calls=250, users=12, rate_limit=RateLimit.off(), frozen_clock=True, strict=True)
    with Emulator(config) as emulator:
        yield emulator
