"""``gong sync --db duckdb:///...``: through dlt, or directly through SQLAlchemy (duckdb_engine)?

Each way loads the emulator's default data (300 calls, every stream) into a fresh DuckDB
file with the rate limit off, so the figures are the cost of reading and writing, not of
Gong's 3 requests per second. A sync into SQLite is the baseline. The direct way needs
``pip install duckdb-engine`` and an Alembic implementation for DuckDB (Alembic has none),
declared here; it is skipped when duckdb_engine is missing.

    .venv/bin/python bench/into_duckdb.py [--runs N]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from gong_connector import ApiKeyConnection, GongClient, RateLimiter
from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit
from gong_connector.sync import sync


def dlt_way(client: GongClient, folder: Path) -> int:
    from gong_connector.dlt import sync_duckdb

    return sync_duckdb(f"duckdb:///{folder / 'dlt.duckdb'}", client=client).records


def direct_way(client: GongClient, folder: Path) -> int:
    """The sync's own Store on a duckdb_engine engine: same tables, same per-batch commits."""
    from alembic.ddl.impl import DefaultImpl

    import gong_connector.sync._store as store

    class DuckDBImpl(DefaultImpl):  # Alembic knows no DuckDB; plain DDL is enough here
        __dialect__ = "duckdb"

    store.sqlite = store.postgresql  # type: ignore[attr-defined]  # DuckDB takes PostgreSQL's ON CONFLICT
    store.is_duckdb = lambda _db: False  # the Store refuses DuckDB (it goes through dlt): let it in here
    engine = sa.create_engine(f"duckdb:///{folder / 'direct.duckdb'}")
    try:
        return sync(engine, client=client).records
    finally:
        engine.dispose()


def sqlite_way(client: GongClient, folder: Path) -> int:
    return sync(f"sqlite:///{folder / 'gong.db'}", client=client).records


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    ways: list[tuple[str, Callable[[GongClient, Path], int]]] = [("sqlite (baseline)", sqlite_way), ("dlt", dlt_way)]
    if importlib.util.find_spec("duckdb_engine"):
        ways.append(("direct (duckdb_engine)", direct_way))
    else:
        print("duckdb_engine is not installed: the direct way is skipped")
    with Emulator(EmulatorConfig(rate_limit=RateLimit(per_second=1_000_000, per_day=None))) as emu:
        for name, way in ways:
            for run in range(args.runs):
                with (
                    tempfile.TemporaryDirectory() as tmp,
                    GongClient(
                        ApiKeyConnection(emu.access_key, emu.access_key_secret, emu.base_url),
                        rate_limiter=RateLimiter(None),
                    ) as client,
                ):
                    began = time.perf_counter()
                    rows = way(client, Path(tmp))
                    seconds = time.perf_counter() - began
                    size = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file())
                peak: Any = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(
                    f"{name:24} run {run + 1}: {rows:,} rows in {seconds:6.1f} s "
                    f"({rows / seconds:,.0f} rows/s), file {size / 2**20:.1f} MiB, peak RSS so far {peak:.0f} MiB"
                )


if __name__ == "__main__":
    main()
