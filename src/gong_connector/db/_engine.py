"""Engines for the databases the product writes: SQLite files it makes private, PostgreSQL.

The sync and the inbox open their databases here, so both get the same URL rules, SQLite
pragmas and one-line errors.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from ..errors import MissingExtraError, StoreError, SyncInputError
from ._url import normalize_url, sqlite_path

__all__ = ["BUSY_TIMEOUT_MS", "open_engine", "ping", "use_sqlite_pragmas"]

#: How long a SQLite writer waits for another before giving up (WAL has one writer at a time).
BUSY_TIMEOUT_MS = 30_000
#: A PostgreSQL server that does not answer is reported after this long, not after minutes.
_CONNECT_TIMEOUT_S = 10


def open_engine(
    db: str | sa.URL,
    *,
    durable: bool = False,
    must_exist: bool = False,
    pool_size: int = 5,
    max_overflow: int = 10,
    option: str = "--db",
) -> Engine:
    """An engine for ``--db``, known to connect.

    ``durable``: every commit is on disk before it returns (synchronous=FULL), and an
    in-memory SQLite database is refused; the inbox answers Gong only after committing.
    ``must_exist``: a SQLite file that is not there is an error, not a new empty database
    (for commands that only read). A SQLite file made here is readable by its owner only:
    it holds customer data. Raises ``SyncInputError`` (the URL), ``MissingExtraError``
    (no driver) or ``StoreError`` (cannot connect), each one line.
    """
    url = normalize_url(db, option=option)
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is None and durable:
            raise SyncInputError(option, "must survive a crash: give SQLite a file, not :memory:")
        if path is not None and not path.exists():
            if must_exist:
                raise StoreError(f"no database at {path}")
            _create_private(path)
        engine = _create(url, option, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})
        use_sqlite_pragmas(engine, durable=durable)
    else:
        args = {} if "connect_timeout" in url.query else {"connect_timeout": _CONNECT_TIMEOUT_S}
        engine = _create(
            url, option, connect_args=args, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow
        )
    try:
        ping(engine)
    except StoreError:
        engine.dispose()
        raise
    return engine


def ping(engine: Engine) -> None:
    """Connect once; ``StoreError`` with the driver's first line when that fails."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"cannot connect: {reason}") from None


def use_sqlite_pragmas(engine: Engine, *, durable: bool = False) -> None:
    """WAL (readers never block the writer), a busy timeout, and how hard commits sync.

    NORMAL survives a killed process, which is all the sync needs (a batch lost to a power
    cut is read again); FULL also survives the power cut, which the inbox promises Gong.
    """
    synchronous = "FULL" if durable else "NORMAL"

    def pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        _into_wal(cursor)
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    sa.event.listen(engine, "connect", pragmas)


def _into_wal(cursor: Any) -> None:
    """Turning a new file to WAL needs it alone for a moment, and SQLite does not wait for
    that: when processes open a new database together, wait for the others here."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _create(url: sa.URL, option: str, **kwargs: Any) -> Engine:
    try:
        return sa.create_engine(url, **kwargs)
    except ImportError as exc:  # SQLAlchemy imports the driver here
        if url.get_backend_name() == "postgresql":
            raise MissingExtraError("PostgreSQL", "postgres", exc.name or "psycopg") from None
        raise StoreError(f"cannot use {url.drivername}: {exc}") from None
    except (ArgumentError, NoSuchModuleError) as exc:
        raise SyncInputError(option, f"cannot use {url.render_as_string()!r}: {exc}") from None


def _create_private(path: Path) -> None:
    """An empty file only its owner can read, made before SQLite opens it (SQLite gives its
    -wal and -shm files the same mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(f"cannot create {path}: {exc.strerror}") from None
    os.close(fd)
