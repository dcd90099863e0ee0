"""The destination database: opening it from a URL, and committing batches atomically."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from ..errors import SyncInputError
from ._batch import Batch, Row
from ._schema import Tables, build_tables

__all__ = ["DEFAULT_DB", "Store", "normalize_db_url"]

DEFAULT_DB = "sqlite:///gong.db"
_CHUNK = 500  # ids per IN (...) clause: well under SQLite's and PostgreSQL's parameter limits


def normalize_db_url(db: str) -> sa.URL:
    """A SQLAlchemy URL from ``--db``: a URL, or a bare path meaning a SQLite file."""
    text = db.strip()
    if not text:
        raise SyncInputError("--db", "is empty; give a SQLite path or a database URL")
    if "://" not in text:
        text = f"sqlite:///{text}"
    try:
        url = sa.make_url(text)
    except ArgumentError:
        raise SyncInputError("--db", f"{db!r} is not a database URL") from None
    backend = url.get_backend_name()
    if backend == "postgres":
        backend = "postgresql"
    if backend not in ("sqlite", "postgresql"):
        raise SyncInputError(
            "--db", f"unsupported database {backend!r}; use sqlite:///file.db or postgresql+psycopg://..."
        )
    if backend == "postgresql" and url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and url.database not in (None, "", ":memory:"):
        parent = Path(url.database).expanduser().resolve().parent
        if not parent.is_dir():
            raise SyncInputError("--db", f"directory {str(parent)!r} does not exist")
    return url


class Store:
    """Tables in one database; every batch is one transaction."""

    def __init__(self, db: str | Engine, *, table_prefix: str = "gong_") -> None:
        if isinstance(db, Engine):
            self.engine = db
            self._owned = False
        else:
            url = normalize_db_url(db)
            try:
                self.engine = sa.create_engine(url)
            except (ArgumentError, NoSuchModuleError, ImportError) as exc:
                raise SyncInputError("--db", f"cannot use {url.render_as_string()!r}: {exc}") from None
            self._owned = True
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self.tables: Tables = build_tables(table_prefix)
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text("select 1"))
        except SQLAlchemyError as exc:
            self.close()
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise SyncInputError("--db", f"cannot connect: {reason}") from None

    def close(self) -> None:
        if self._owned:
            self.engine.dispose()

    def create(self) -> None:
        self.tables.metadata.create_all(self.engine)

    def t(self, name: str) -> sa.Table:
        return self.tables.table(name)

    # ------------------------------------------------------------------ reading state

    def watermark(self, stream: str, partition: str = "") -> datetime | None:
        st = self.t("sync_state")
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(st.c.watermark).where(st.c.stream == stream, st.c.partition == partition)
            ).scalar_one_or_none()
        return value

    def pending_transcripts(self, recent_since: datetime | None) -> list[str]:
        """Calls whose transcript was never read, oldest first; plus recent calls whose
        transcript came back empty (Gong may still have been transcribing them)."""
        calls, tr = self.t("calls"), self.t("transcripts")
        missing = tr.c.call_id.is_(None)
        cond = (
            missing
            if recent_since is None
            else sa.or_(missing, sa.and_(tr.c.sentences == 0, calls.c.started >= recent_since))
        )
        query = (
            sa.select(calls.c.id)
            .select_from(calls.outerjoin(tr, tr.c.call_id == calls.c.id))
            .where(cond)
            .order_by(calls.c.started, calls.c.id)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def folder_markers(self) -> dict[str, datetime | None]:
        f = self.t("library_folders")
        with self.engine.connect() as conn:
            return {r.id: r.content_updated for r in conn.execute(sa.select(f.c.id, f.c.content_updated))}

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                name[len(self.tables.prefix) :]: conn.execute(
                    sa.select(sa.func.count()).select_from(table)
                ).scalar_one()
                for name, table in self.tables.metadata.tables.items()
            }

    # ------------------------------------------------------------------ writing

    def write(self, batch: Batch) -> None:
        """Deletes, upserts and watermarks of one batch, in one transaction."""
        with self.engine.begin() as conn:
            for table, column, values in batch.replace:
                tbl = self.t(table)
                for chunk in _chunks(values):
                    conn.execute(tbl.delete().where(tbl.c[column].in_(chunk)))
            for table, (column, keep) in batch.keep_only.items():
                tbl = self.t(table)
                present = set(conn.execute(sa.select(tbl.c[column]).distinct()).scalars())
                for chunk in _chunks(sorted(present - keep)):
                    conn.execute(tbl.delete().where(tbl.c[column].in_(chunk)))
            for table, rows in batch.rows.items():
                _upsert(conn, self.t(table), rows)
            for table, rows in batch.state_rows.items():
                _upsert(conn, self.t(table), rows)
            if batch.watermarks:
                _upsert(
                    conn,
                    self.t("sync_state"),
                    [{"stream": w.stream, "partition": w.partition, "watermark": w.value} for w in batch.watermarks],
                )


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL: readers never block the writer; NORMAL is durable across a killed process.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def _upsert(conn: Connection, table: sa.Table, rows: Iterable[Row]) -> None:
    """INSERT ... ON CONFLICT (primary key) DO UPDATE the columns the rows carry."""
    key = [c.name for c in table.primary_key.columns]
    unique: dict[tuple[Any, ...], Row] = {}
    for row in rows:  # one statement must not touch a row twice (PostgreSQL refuses)
        unique[tuple(row[k] for k in key)] = row
    if not unique:
        return
    by_shape: dict[tuple[str, ...], list[Row]] = {}
    for row in unique.values():
        by_shape.setdefault(tuple(sorted(row)), []).append(row)
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    for shape, group in by_shape.items():
        stmt = insert(table)
        update = {c: stmt.excluded[c] for c in shape if c not in key}
        stmt = (
            stmt.on_conflict_do_update(index_elements=key, set_=update)
            if update
            else stmt.on_conflict_do_nothing(index_elements=key)
        )
        conn.execute(stmt, group)
