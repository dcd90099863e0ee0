"""The database layer the sync and the trigger's inbox share.

``open_engine(db)`` turns a ``--db`` value into a connected engine (a bare path is a SQLite
file; ``postgres://`` and ``postgresql://`` mean psycopg), with SQLite's pragmas and files
only their owner can read. ``upgrade(engine, schema)`` brings a set of tables to this
release's revision with Alembic: every table is created by a migration, each history records
its revision, a database made by 0.1 is adopted in place and one made by a newer release is
refused. Imports only the standard library, SQLAlchemy, Alembic and ``gong_connector.errors``.
"""

from .._extras import require

require("gong_connector.db", "sync", "sqlalchemy", "alembic")

from ._engine import BUSY_TIMEOUT_MS, open_engine, ping, use_sqlite_pragmas
from ._migrate import (
    INBOX_SCHEMA,
    MIGRATIONS,
    Schema,
    check,
    current_revision,
    head_revision,
    refuse_newer,
    sync_schema,
    upgrade,
)
from ._url import normalize_url, sqlite_path

__all__ = [
    "BUSY_TIMEOUT_MS",
    "INBOX_SCHEMA",
    "MIGRATIONS",
    "Schema",
    "check",
    "current_revision",
    "head_revision",
    "normalize_url",
    "open_engine",
    "ping",
    "refuse_newer",
    "sqlite_path",
    "sync_schema",
    "upgrade",
    "use_sqlite_pragmas",
]
