"""Fixtures for the sync tests: a rate-limited emulator on a running clock, a client that
never really sleeps, and destinations on SQLite and (when reachable) a fresh PostgreSQL schema."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gong_connector import ApiKeyConnection, GongClient, RateLimiter, RetryPolicy
from gong_connector.emulator import Emulator, RateLimit
from gong_connector.sync import SyncResult, build_tables, sync

from .._postgres import BACKENDS, schema_url

#: Rate limits on, fast enough to keep the tests quick.
TEST_RATE = 1000.0

#: A data set small enough to sync in about a second, shaped so every stream still takes
#: more than one page: 3 pages of calls, 2 of users, two months of daily activity.
DATA = {"calls": 120, "users": 60, "page_size": 40, "history_days": 40, "max_transcript_sentences": 12}


class SleepRecorder:
    """Stands in for time.sleep: records the delay, never waits."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def emu(gong_emulator_factory: Callable[..., Emulator]) -> Emulator:
    """``DATA``, rate limit on (1000/s), a running clock (tests move it with advance_clock)."""
    return gong_emulator_factory(rate_limit=RateLimit(per_second=TEST_RATE, per_day=None), frozen_clock=False, **DATA)


def make_test_client(emu: Emulator, sleep: Callable[[float], None]) -> GongClient:
    return GongClient(
        ApiKeyConnection(emu.access_key, emu.access_key_secret, emu.base_url),
        rate_limiter=RateLimiter(TEST_RATE),
        retry=RetryPolicy(max_retries=8),
        sleep=sleep,
    )


@pytest.fixture
def client(emu: Emulator, sleeps: SleepRecorder) -> Iterator[GongClient]:
    with make_test_client(emu, sleeps) as c:
        yield c


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gong.db'}"
    else:
        yield from schema_url("gs")


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from schema_url("gs")


def run(
    emu: Emulator, client: GongClient, db: str, sleep: Callable[[float], None] = lambda _s: None, **kwargs: Any
) -> SyncResult:
    """One sync on the emulator's clock, so moving that clock moves 'now' for the sync too."""
    kwargs.setdefault("clock", emu.backend.clock.now_dt)
    return sync(db, client=client, sleep=sleep, **kwargs)


def snapshot(db: str, *, prefix: str = "gong_") -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table (not the watermarks), in key order, for comparing."""
    tables = build_tables(prefix)
    engine = sa.create_engine(db)
    out: dict[str, list[tuple[Any, ...]]] = {}
    try:
        with engine.connect() as conn:
            for name, table in tables.metadata.tables.items():
                if name.endswith("sync_state"):
                    continue
                key = list(table.primary_key.columns)
                out[name] = [tuple(r) for r in conn.execute(sa.select(table).order_by(*key))]
    finally:
        engine.dispose()
    return out


def count_paths(requests: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in requests:
        counts[r["path"]] = counts.get(r["path"], 0) + 1
    return counts
