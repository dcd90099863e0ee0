"""Gong as a dlt source: every sync stream a dlt resource, so one pipeline loads Gong into any
destination dlt supports (DuckDB, BigQuery, Snowflake, Postgres, files...).

``gong_source()`` reads with the sync's stream readers, keeps their watermarks in dlt's
state (committed with each load) and declares the sync's tables, keys and types, with
``merge`` (or ``replace`` for full listings) as the write disposition. See docs/sync.md.
"""

from .._extras import require

require("gong_connector.dlt", "dlt", "dlt")

from ._duckdb import duckdb_path, sync_duckdb  # noqa: E402
from ._source import TABLE_HINTS, gong_source, table_hints  # noqa: E402

__all__ = ["TABLE_HINTS", "duckdb_path", "gong_source", "sync_duckdb", "table_hints"]
