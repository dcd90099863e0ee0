"""``gong sync --db duckdb:///gong.duckdb``: the sync into DuckDB, through dlt.

DuckDB takes rows fastest in bulk: dlt writes each table's rows to a file and loads it with
one statement, where the SQLAlchemy path (duckdb_engine) inserts row by row, five to nine
times slower on the emulator's data (bench/RESULTS.md). It also needs no Alembic support for
DuckDB (Alembic has none): dlt makes and evolves the tables, and keeps the watermarks in
the database with each load.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dlt
import sqlalchemy as sa

from ..client import GongClient
from ..errors import SyncInputError
from ..sync import RequestCounter, StreamResult, SyncProgress, SyncResult, normalize_db_url
from ._source import gong_source

__all__ = ["duckdb_path", "sync_duckdb"]


def duckdb_path(db: str | sa.URL) -> Path | None:
    """The DuckDB file a ``--db`` value names, or None if it names another database."""
    url = normalize_db_url(db)
    if url.get_backend_name() != "duckdb":
        return None
    if not url.database or url.database == ":memory:":
        raise SyncInputError("--db", "DuckDB needs a file: duckdb:///path/to/gong.duckdb")
    return Path(url.database).expanduser().resolve()


def sync_duckdb(
    db: str,
    *,
    client: GongClient,
    streams: str | Iterable[str] | None = None,
    since: str | datetime | None = None,
    lookback: str | timedelta | None = None,
    full_refresh: bool = False,
    table_prefix: str = "gong_",
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    progress: SyncProgress | None = None,
    request_counter: RequestCounter | None = None,
) -> SyncResult:
    """Load every stream asked for into a DuckDB file with a dlt pipeline; the tables are the
    sync's (plus dlt's ``_dlt_*`` columns and tables), in the database's ``main`` schema.

    A run is one dlt load: if it is killed, nothing of it is loaded and the next run starts
    from the last loaded state, reading again what the killed one had read.
    """
    path = duckdb_path(db)
    assert path is not None, "a duckdb:/// URL"
    began = time.monotonic()
    counted = request_counter.count if request_counter is not None else 0
    results: dict[str, StreamResult] = {}
    source = gong_source(
        client,
        streams=streams,
        since=since,
        lookback=lookback,
        full_refresh=full_refresh,
        table_prefix=table_prefix,
        clock=clock,
        progress=progress,
        results=results,
    )
    # The command is the application here: dlt's usage reports stay off unless asked for.
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    # dlt's working files live only for the run; its state is restored from the database.
    with tempfile.TemporaryDirectory(prefix="gong-dlt-") as work:
        pipeline = dlt.pipeline(
            pipeline_name=f"gong_sync_{table_prefix.strip('_') or 'default'}",
            destination=dlt.destinations.duckdb(str(path)),
            dataset_name="main",
            pipelines_dir=work,
        )
        pipeline.run(source, loader_file_format="jsonl")
    result = SyncResult(streams=results, requests=sum(r.requests for r in results.values()))
    if request_counter is not None:
        result.http_requests = request_counter.count - counted
    result.seconds = time.monotonic() - began
    return result
