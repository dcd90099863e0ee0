"""Suite-wide settings."""

from __future__ import annotations

import os

import pytest


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """One worker more than there are cores: many tests wait on a subprocess, a socket or
    PostgreSQL, and the extra worker keeps the cores busy meanwhile."""
    return len(os.sched_getaffinity(0)) + 1 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) + 1
