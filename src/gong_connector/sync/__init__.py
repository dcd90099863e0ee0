"""Incremental sync of Gong into SQLite or PostgreSQL, and each stream as an iterator.

``sync(db)`` brings normalised tables up to date: every record once, crash-safe (each batch
of rows is committed with the watermark it completes), re-reading a look-back window
because Gong shows calls only once processed. ``iter_records(stream, client)`` yields
the same rows for your own destination. See docs/sync.md.
"""

from .._extras import require

require("gong_connector.sync", "sync", "sqlalchemy", "alembic")

from ..errors import SyncInputError
from ._batch import Batch, Record, Watermark
from ._catalog import STREAMS
from ._inputs import DEFAULT_SINCE, parse_duration, parse_since, parse_streams
from ._progress import RichProgress, estimate_seconds
from ._runner import (
    DEFAULT_LOOKBACK,
    RequestCounter,
    StreamResult,
    SyncResult,
    iter_records,
    make_client,
    sync,
)
from ._schema import TABLE_NAMES, Tables, build_tables
from ._store import DEFAULT_DB, Store, is_duckdb, normalize_db_url
from ._streams import CONTENT_SELECTOR, LOG_TYPES, PAGE_SIZE, NullProgress, Stream, SyncProgress

__all__ = [
    "CONTENT_SELECTOR",
    "DEFAULT_DB",
    "DEFAULT_LOOKBACK",
    "DEFAULT_SINCE",
    "LOG_TYPES",
    "PAGE_SIZE",
    "STREAMS",
    "TABLE_NAMES",
    "Batch",
    "NullProgress",
    "Record",
    "RequestCounter",
    "RichProgress",
    "Store",
    "Stream",
    "StreamResult",
    "SyncInputError",
    "SyncProgress",
    "SyncResult",
    "Tables",
    "Watermark",
    "build_tables",
    "estimate_seconds",
    "is_duckdb",
    "iter_records",
    "make_client",
    "normalize_db_url",
    "parse_duration",
    "parse_since",
    "parse_streams",
    "sync",
]
