"""Databases for the db tests: a SQLite file, and a fresh PostgreSQL schema when one is reachable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .._postgres import BACKENDS, schema_url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gong.db'}"
    else:
        yield from schema_url("gdb")
