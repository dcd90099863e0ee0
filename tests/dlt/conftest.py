"""The dlt tests: the sync tests' emulator and client, and dlt without usage reports."""

from __future__ import annotations

import pytest

pytest.importorskip("dlt", reason="the dlt extra is not installed")

from ..sync.conftest import client, emu, sleeps  # noqa: F401 - fixtures shared with the sync tests


@pytest.fixture(autouse=True)
def _no_dlt_telemetry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")
