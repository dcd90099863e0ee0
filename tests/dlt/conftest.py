"""The dlt tests: the sync tests' emulator and client, and dlt without usage reports."""

from __future__ import annotations

import importlib.util

import pytest

# Looked up, not imported: dlt costs 0.6 s, paid only by a worker that runs these tests.
if importlib.util.find_spec("dlt") is None:
    pytest.skip("the dlt extra is not installed", allow_module_level=True)

from ..sync.conftest import client, emu, sleeps  # noqa: F401 - fixtures shared with the sync tests


@pytest.fixture(autouse=True)
def _no_dlt_telemetry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")
