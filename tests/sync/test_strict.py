"""The sync's read tests again, on an emulator that also applies every rule we only
guessed Gong has (``strict``): the same rows, whichever way Gong turns out to behave."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gong_connector.emulator import Emulator, RateLimit

from .conftest import DATA, TEST_RATE
from .test_sync import (  # noqa: F401 - collected again here, on the strict emulator
    test_full_sync_is_exactly_the_emulators_data,
    test_new_calls_are_fetched_alone,
    test_second_run_without_changes_asks_only_what_it_must,
)


@pytest.fixture
def emu(gong_emulator_factory: Callable[..., Emulator]) -> Emulator:
    return gong_emulator_factory(
        rate_limit=RateLimit(per_second=TEST_RATE, per_day=None), frozen_clock=False, strict=True, **DATA
    )
