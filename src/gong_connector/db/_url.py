"""What ``--db`` means: a bare path is a SQLite file; URLs name SQLite or PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import ArgumentError

from ..errors import SyncInputError

__all__ = ["normalize_url", "sqlite_path"]


def normalize_url(db: str | sa.URL, *, option: str = "--db") -> sa.URL:
    """A SQLAlchemy URL from what users type; ``postgres://`` and ``postgresql://`` get psycopg.

    Checked before anything is opened, so a typo is reported as input, not as a failure.
    """
    text = db.render_as_string(hide_password=False) if isinstance(db, sa.URL) else db.strip()
    if not text:
        raise SyncInputError(option, "is empty; give a SQLite path or a database URL")
    if "://" not in text:
        text = f"sqlite:///{text}"
    try:
        url = sa.make_url(text)
    except ArgumentError:
        raise SyncInputError(option, f"{db!r} is not a database URL") from None
    backend = url.get_backend_name()
    if backend == "postgres":
        backend = "postgresql"
    if backend not in ("sqlite", "postgresql"):
        raise SyncInputError(
            option, f"unsupported database {backend!r}; use sqlite:///file.db or postgresql+psycopg://..."
        )
    if backend == "postgresql" and url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    path = sqlite_path(url)
    if path is not None and not path.parent.is_dir():
        raise SyncInputError(option, f"directory {str(path.parent)!r} does not exist")
    return url


def sqlite_path(url: sa.URL) -> Path | None:
    """The file behind a SQLite URL, absolute; None for PostgreSQL and in-memory SQLite."""
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if url.query.get("mode") == "memory":
        return None
    return Path(database).expanduser().resolve()
