"""The destination database: opened and migrated by ``gong_connector.db``; batches commit atomically."""

from __future__ import annotations

import dataclasses
import functools
import logging
import operator
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from .._extras import require
from ..db import normalize_url, open_engine, ping, refuse_newer, sync_schema, upgrade, use_sqlite_pragmas
from ..errors import StoreError, SyncInputError
from ._batch import Batch, Row
from ._schema import Tables, shared_tables

log = logging.getLogger("gong_connector.sync")

__all__ = ["DEFAULT_DB", "Store", "is_duckdb", "normalize_db_url"]

DEFAULT_DB = "sqlite:///gong.db"
_CHUNK = 500  # ids per IN (...) clause: well under SQLite's and PostgreSQL's parameter limits
#: What is a call's: ``(table, column holding its id)``, removed with it by ``--reconcile``. A
#: library folder's entry of the call goes too (it holds the call's title and a note).
CALL_ROWS = (
    ("call_parties", "call_id"),
    ("call_context", "call_id"),
    ("transcript_sentences", "call_id"),
    ("transcripts", "call_id"),
    ("library_folder_calls", "call_id"),
    ("answered_scorecards", "call_id"),
    ("calls", "id"),
)


def normalize_db_url(db: str | sa.URL, *, option: str = "--db") -> sa.URL:
    """A SQLAlchemy URL from ``--db``: a URL, or a bare path meaning a SQLite file. A
    ``duckdb:///file`` URL is accepted too: ``gong sync`` loads DuckDB through
    ``gong_connector.dlt`` (``Store`` itself writes SQLite and PostgreSQL)."""
    text = db.render_as_string(hide_password=False) if isinstance(db, sa.URL) else db.strip()
    if text.lower().startswith("duckdb:"):
        require("--db duckdb://", "dlt", "dlt", "duckdb")
        try:
            url = sa.make_url(text)
        except sa.exc.ArgumentError:
            raise SyncInputError(option, f"{db!r} is not a database URL") from None
        if url.database and url.database != ":memory:":
            parent = Path(url.database).expanduser().resolve().parent
            if not parent.is_dir():
                raise SyncInputError(option, f"directory {str(parent)!r} does not exist")
        return url
    return normalize_url(db, option=option)


def is_duckdb(db: str | sa.URL | Engine) -> bool:
    """Whether ``--db`` names a DuckDB file (loaded through dlt, not ``Store``)."""
    if isinstance(db, Engine):
        return db.dialect.name == "duckdb"
    return normalize_db_url(db).get_backend_name() == "duckdb"


class Store:
    """The sync's tables under one prefix, at this release's schema; every batch is one transaction.

    Opening migrates the tables (creating them, or adopting a 0.1 database); a database a
    newer release has migrated is refused with ``StoreError``. A database that cannot be
    reached is reported as bad ``--db`` input (``SyncInputError``), as before.
    """

    def __init__(self, db: str | Engine, *, table_prefix: str = "gong_", migrate: bool = True) -> None:
        if is_duckdb(db):
            raise SyncInputError(
                "--db", "DuckDB is loaded through dlt: gong sync --db duckdb:///file, or gong_connector.dlt"
            )
        self._owned = not isinstance(db, Engine)
        try:
            if isinstance(db, Engine):
                if db.dialect.name == "sqlite":
                    use_sqlite_pragmas(db)
                ping(db)
                self.engine = db
            else:
                self.engine = open_engine(db)
        except StoreError as exc:  # cannot connect: the command line reports it as bad --db input
            raise SyncInputError("--db", str(exc)) from None
        self.tables: Tables = shared_tables(table_prefix)
        self.schema = sync_schema(table_prefix)
        self._run_lock: Connection | None = None
        try:
            # Without ``migrate`` only a newer release's database is refused here; ``create()``
            # makes the tables later (the sync runs it while its first requests are out).
            (upgrade if migrate else refuse_newer)(self.engine, self.schema)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._run_lock is not None:
            self._run_lock.close()  # ends the session, and its advisory lock with it
            self._run_lock = None
        if self._owned:
            self.engine.dispose()

    def claim_run(self) -> None:
        """One sync at a time on these tables (until ``close()``), on PostgreSQL: two at once
        would delete and insert the same rows (duplicate keys, deadlocks). A session advisory
        lock, keyed by schema and prefix, held by a connection of its own; SQLite serialises
        its writers itself."""
        if self.engine.dialect.name != "postgresql" or self._run_lock is not None:
            return
        conn = self.engine.connect()
        try:
            schema = conn.execute(sa.text("select current_schema()")).scalar_one()
            key = zlib.crc32(f"gong-connector sync {schema}.{self.tables.prefix}".encode())
            held = conn.execute(sa.text("select pg_try_advisory_lock(:key)"), {"key": key}).scalar_one()
            conn.commit()
        except BaseException:
            conn.close()
            raise
        if not held:
            conn.close()
            raise StoreError(
                f"another gong sync is writing to the {self.tables.prefix}* tables of this database: "
                "runs cannot overlap; try again when it has finished"
            )
        self._run_lock = conn

    def create(self) -> None:
        """Make or upgrade the tables (cheap when they are at this release's head)."""
        upgrade(self.engine, self.schema)

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

    def first_call(self) -> datetime | None:
        """When the earliest stored call started: nothing in Gong's stats comes before it."""
        calls = self.t("calls")
        with self.engine.connect() as conn:
            value: datetime | None = conn.execute(sa.select(sa.func.min(calls.c.started))).scalar_one()
        return value

    def stored_calls(self) -> dict[str, datetime | None]:
        """Every stored call's id and start, for ``--reconcile`` to compare with Gong's listing."""
        calls = self.t("calls")
        with self.engine.connect() as conn:
            return {r.id: r.started for r in conn.execute(sa.select(calls.c.id, calls.c.started))}

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
        """Deletes, upserts and watermarks of one batch, in one transaction. A batch the
        database refuses for text it cannot hold (a NUL, half a surrogate pair) is written
        again with that text mended (``storable``): looked for only then, as it costs."""
        try:
            self._write(batch)
        except Exception:
            mended = {table: storable(rows) for table, rows in batch.rows.items()}
            if all(mended[table] is rows for table, rows in batch.rows.items()):
                raise  # nothing to mend: another failure
            self._write(dataclasses.replace(batch, rows=mended))

    def _write(self, batch: Batch) -> None:
        with self.engine.begin() as conn:
            if batch.delete_calls:
                self._delete_calls(conn, batch.delete_calls)
            for table, column, values in batch.replace:
                tbl = self.t(table)
                for chunk in _chunks(values):
                    conn.execute(tbl.delete().where(tbl.c[column].in_(chunk)))
            for table, (column, keep) in batch.keep_only.items():
                tbl = self.t(table)
                present = set(conn.execute(sa.select(tbl.c[column]).distinct()).scalars())
                for chunk in _chunks(sorted(present - keep)):
                    conn.execute(tbl.delete().where(tbl.c[column].in_(chunk)))
            replaced = {table for table, _, _ in batch.replace}
            for table, rows in batch.rows.items():
                tbl = self.t(table)
                if table in replaced and _plain(tbl):
                    _insert_plain(conn, tbl, rows)  # its old rows were deleted above
                else:
                    _upsert(conn, tbl, rows)
            for table, rows in batch.state_rows.items():
                _upsert(conn, self.t(table), rows)
            if batch.watermarks:
                _upsert(
                    conn,
                    self.t("sync_state"),
                    [{"stream": w.stream, "partition": w.partition, "watermark": w.value} for w in batch.watermarks],
                )

    def _delete_calls(self, conn: Connection, ids: Sequence[str]) -> None:
        answered, answers = self.t("answered_scorecards"), self.t("answered_scorecard_answers")
        for chunk in _chunks(ids):
            of_calls = sa.select(answered.c.answered_scorecard_id).where(answered.c.call_id.in_(chunk))
            conn.execute(answers.delete().where(answers.c.answered_scorecard_id.in_(of_calls)))
            for table, column in CALL_ROWS:
                tbl = self.t(table)
                conn.execute(tbl.delete().where(tbl.c[column].in_(chunk)))


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


_PLAIN_TYPES = (sa.String, sa.Text, sa.Integer, sa.BigInteger, sa.Float, sa.Boolean)


def storable(rows: list[Row]) -> list[Row]:
    """The rows, with text no database takes made storable: PostgreSQL refuses NUL in text
    and JSON, and no driver encodes a lone surrogate (half an emoji, from a ``\\ud83d``
    escape). Each becomes U+FFFD, and is logged; rows without them are passed as they are."""
    cleaned = 0
    out = rows
    for n, row in enumerate(rows):
        fixed = {k: v for k, v in row.items() if _odd(v)}
        if fixed:
            if out is rows:
                out = list(rows)
            out[n] = {**row, **{k: _mend(v) for k, v in fixed.items()}}
            cleaned += 1
    if cleaned:
        log.warning("%d row(s) held text no database stores (NUL, half a surrogate pair): kept with U+FFFD", cleaned)
    return out


def _odd(value: Any) -> bool:
    if isinstance(value, str):
        if "\x00" in value:
            return True
        if value.isascii():
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_odd(k) or _odd(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_odd(v) for v in value)
    return False


def _mend(value: Any) -> Any:
    if isinstance(value, str):
        return "".join("\ufffd" if c == "\x00" or "\ud800" <= c <= "\udfff" else c for c in value)
    if isinstance(value, dict):
        return {_mend(k): _mend(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mend(v) for v in value]
    return value


def _plain(table: sa.Table) -> bool:
    """Whether every column takes its Python value as is (no JSON, no date-time to convert)."""
    return all(isinstance(c.type, _PLAIN_TYPES) for c in table.columns)


def _insert_plain(conn: Connection, table: sa.Table, rows: Sequence[Row]) -> None:
    """Many rows into a table whose old rows for the same keys were just deleted: no
    conflict handling, no per-row statement building. PostgreSQL gets ``COPY``; SQLite one
    prepared ``INSERT`` run for every row. Transcript sentences (tens of thousands per page)
    are what this is for."""
    if not rows:
        return
    columns = [c.name for c in table.columns]
    try:  # rows that carry every column (transcript sentences do) are picked in C
        data: list[tuple[Any, ...]] = list(map(operator.itemgetter(*columns), rows)) if len(columns) > 1 else []
    except KeyError:
        data = []
    if not data:
        data = [tuple(row.get(c) for c in columns) for row in rows]
    quote = conn.dialect.identifier_preparer.quote
    name = conn.dialect.identifier_preparer.format_table(table)
    listed = ", ".join(quote(c) for c in columns)
    if conn.dialect.name == "postgresql":
        driver = conn.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(f"COPY {name} ({listed}) FROM STDIN") as copy:
            for row in data:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    # Names come from our schema, quoted by the dialect; values go as parameters.
    conn.exec_driver_sql(f"INSERT INTO {name} ({listed}) VALUES ({marks})", data)  # noqa: S608


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
    for shape, group in by_shape.items():
        conn.execute(_upsert_statement(conn.dialect.name == "postgresql", table, shape), group)


@functools.lru_cache(maxsize=1024)
def _upsert_statement(postgres: bool, table: sa.Table, shape: tuple[str, ...]) -> sa.Insert:
    """The upsert of rows carrying the columns ``shape``: the same few per table, every batch."""
    key = [c.name for c in table.primary_key.columns]
    stmt = (postgresql.insert if postgres else sqlite.insert)(table)
    update = {c: stmt.excluded[c] for c in shape if c not in key}
    if update:
        return stmt.on_conflict_do_update(index_elements=key, set_=update)
    return stmt.on_conflict_do_nothing(index_elements=key)
