"""The durable inbox: one table of webhook events, written before Gong gets its 200.

SQLAlchemy Core only. Everything that must be atomic is one statement: ``INSERT ... ON
CONFLICT`` records a batch of deliveries (or counts repeats) in one transaction, and one
``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING`` claims events with
a lease, so several processes on one PostgreSQL database never hold the same event at once.
On SQLite the database's single writer plays that part. Tenants and their keys live here
too, so every receiver on the database sees the same ones.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from ..db import INBOX_SCHEMA, check, normalize_url, open_engine, ping, sqlite_path, upgrade
from ..errors import StoreError

__all__ = [
    "DEFAULT_DB_URL",
    "STATUSES",
    "Accepted",
    "Delivery",
    "Event",
    "Inbox",
    "LeaseLostError",
    "TenantRecord",
    "events_table",
    "metadata",
    "normalize_db_url",
    "tenants_table",
]

DEFAULT_DB_URL = "sqlite:///gong-trigger.db"
STATUSES = ("pending", "running", "done", "dead")

# What the queries read and write; the table itself is made and changed only by the
# migrations in gong_connector/db/migrations/inbox.
metadata = sa.MetaData()

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite autoincrements INTEGER only

events_table = sa.Table(
    "gong_trigger_events",
    metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    # The delivery's identity: Gong sends no delivery id, so a repeat is the same call for the
    # same rule of the same tenant (a rule's test button is kept apart from real deliveries).
    sa.Column("rule", sa.String(200), nullable=False),
    sa.Column("call_id", sa.String(64), nullable=False),
    sa.Column("is_test", sa.Boolean(), nullable=False),
    sa.Column("body", sa.Text(), nullable=False),  # the raw body, exactly as verified
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("deliveries", sa.Integer(), nullable=False),  # times Gong sent it
    sa.Column("attempts", sa.Integer(), nullable=False),  # times handlers were started
    sa.Column("first_received_at", sa.Double(), nullable=False),  # Unix seconds
    sa.Column("last_received_at", sa.Double(), nullable=False),
    sa.Column("next_attempt_at", sa.Double(), nullable=False),
    sa.Column("lease_owner", sa.String(100)),
    sa.Column("lease_until", sa.Double()),
    sa.Column("last_error", sa.Text()),
    sa.Column("finished_at", sa.Double()),
    sa.Column("tenant", sa.String(64), nullable=False, server_default=""),  # '' without tenants
    sa.UniqueConstraint("tenant", "rule", "call_id", "is_test", name="uq_gong_trigger_events_tenant_delivery"),
    sa.Index("ix_gong_trigger_events_due", "status", "next_attempt_at"),
)

tenants_table = sa.Table(
    "gong_trigger_tenants",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("public_key", sa.Text()),
    sa.Column("url_key_sha256", sa.String(64)),
    sa.Column("url_key_salt", sa.String(32)),
    sa.Column("created_at", sa.Double(), nullable=False),
    sa.Column("updated_at", sa.Double(), nullable=False),
)

#: A batch as one statement of fixed text on PostgreSQL: the rows travel as arrays. The
#: multi-row VALUES that SQLAlchemy writes instead is new text for each batch size, which
#: psycopg parses (a regex over the whole statement) and prepares again: measured, that was
#: most of a batch's CPU.
_PG_UPSERT = sa.text(
    "INSERT INTO gong_trigger_events (tenant, rule, call_id, is_test, body, status, deliveries, attempts,"
    " first_received_at, last_received_at, next_attempt_at)"
    " SELECT u.tenant, u.rule, u.call_id, u.is_test, u.body, 'pending', u.deliveries, 0, :now, :now, :now"
    " FROM unnest(CAST(:tenant AS varchar[]), CAST(:rule AS varchar[]), CAST(:call_id AS varchar[]),"
    " CAST(:is_test AS boolean[]), CAST(:body AS text[]), CAST(:deliveries AS integer[]))"
    " AS u(tenant, rule, call_id, is_test, body, deliveries)"
    " ON CONFLICT (tenant, rule, call_id, is_test) DO UPDATE SET"
    " deliveries = gong_trigger_events.deliveries + excluded.deliveries,"
    " last_received_at = excluded.last_received_at"
    " RETURNING id, deliveries, tenant, rule, call_id, is_test"
)

#: Column sizes the receiver checks before storing, so PostgreSQL never refuses a row.
MAX_RULE_CHARS = 200
MAX_CALL_ID_CHARS = 64
MAX_TENANT_CHARS = 64


def normalize_db_url(url: str) -> str:
    """A SQLAlchemy URL from what users type: a file path, ``postgresql://`` or a full URL."""
    return normalize_url(url).render_as_string(hide_password=False)


def _discard(conn: Connection) -> None:
    with contextlib.suppress(Exception):
        conn.invalidate()
    with contextlib.suppress(Exception):
        conn.close()


class _WriterLock:
    """One writer at a time on a SQLite file, across threads and processes: a thread lock,
    then ``flock`` on ``<file>-gong-writer`` (made owner-only; waiting for it sleeps in the
    kernel, so the lock passes to the next writer the moment it is free)."""

    def __init__(self, path: Path) -> None:
        self._threads = threading.Lock()
        self._path = path.with_name(path.name + "-gong-writer")
        self._fd: int | None = None

    def __enter__(self) -> None:
        self._threads.acquire()
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def __exit__(self, *exc: object) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def close(self) -> None:
        with self._threads:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


class LeaseLostError(StoreError):
    """Another worker holds the event now (this one's lease expired): its work is rolled back."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One verified webhook, checked to fit the table: what ``accept_many`` stores."""

    rule: str
    call_id: str
    is_test: bool
    body: str  # the raw body, UTF-8 decoded
    tenant: str = ""

    @property
    def key(self) -> tuple[str, str, str, bool]:
        return (self.tenant, self.rule, self.call_id, self.is_test)


@dataclass(frozen=True, slots=True)
class TenantRecord:
    """A tenant as stored: its public key (not secret) and its URL key's salted digest."""

    name: str
    public_key: str | None
    url_key_sha256: str | None
    url_key_salt: str | None
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class Accepted:
    """What storing one delivery did: the event's id and how often it has now arrived."""

    event_id: int
    deliveries: int

    @property
    def duplicate(self) -> bool:
        return self.deliveries > 1


@dataclass(frozen=True)
class Event:
    """One stored webhook: a call that matched a rule, and where its handling stands."""

    id: int
    rule: str
    call_id: str
    is_test: bool
    body: str
    status: str
    deliveries: int
    attempts: int
    first_received_at: float
    last_received_at: float
    next_attempt_at: float
    lease_owner: str | None
    lease_until: float | None
    last_error: str | None
    finished_at: float | None
    tenant: str = ""  # the Gong company it came from; '' for a single-tenant receiver

    @property
    def payload(self) -> dict[str, Any]:
        """Gong's JSON body: ``{"callData": {...}, "isTest": ...}``."""
        # Before 0.2 a body starting with a byte order mark was stored as it came.
        value: dict[str, Any] = json.loads(self.body.removeprefix("\ufeff"))
        return value

    @property
    def call_data(self) -> dict[str, Any]:
        """The call, in the shape of ``/v2/calls/extensive`` (``metaData``, ``parties``, ...)."""
        data: dict[str, Any] = self.payload.get("callData") or {}
        return data

    @classmethod
    def _from_row(cls, row: sa.Row[Any]) -> Event:
        values = row._asdict()
        values["is_test"] = bool(values["is_test"])
        return cls(**values)


class Inbox:
    """The event table and every operation on it; ``clock`` is injectable for tests.

    Pass a URL (SQLite file path or URL, ``postgresql://...``) or an Engine. Opening brings
    the tables to this release's schema (``create_tables=False``: only check that they are);
    a database a newer release migrated is refused with ``StoreError``. ``must_exist``
    refuses to make a new SQLite file, for commands that only look.
    """

    def __init__(
        self,
        db: str | Engine = DEFAULT_DB_URL,
        *,
        clock: Callable[[], float] = time.time,
        create_tables: bool = True,
        must_exist: bool = False,
    ) -> None:
        if isinstance(db, Engine):
            self.engine = db
        else:
            # Many handler threads and a web server share it: a larger pool than the default.
            self.engine = open_engine(db, durable=True, must_exist=must_exist, pool_size=10, max_overflow=20)
        self.clock = clock
        self.is_postgres = self.engine.dialect.name == "postgresql"
        # SQLite has one writer: queue our own threads, and the other processes on the same
        # file, here rather than in SQLite's busy handler, which sleeps 1, 2, 5, 10... ms
        # between tries and so turns two writers into latency spikes.
        self._write_lock: Any = nullcontext()
        if self.engine.dialect.name == "sqlite":
            path = sqlite_path(self.engine.url)
            self._write_lock = _WriterLock(path) if path is not None else threading.Lock()
        self._accept_conns: list[Connection] = []
        self._accept_lock = threading.Lock()
        # Built once: constructing it per batch cost more than running it (SQLAlchemy caches
        # the compiled form, not the statement object).
        t = events_table
        insert = (postgresql.insert if self.is_postgres else sqlite.insert)(t)
        self._upsert = insert.on_conflict_do_update(
            index_elements=[t.c.tenant, t.c.rule, t.c.call_id, t.c.is_test],
            set_={
                "deliveries": t.c.deliveries + insert.excluded.deliveries,
                "last_received_at": insert.excluded.last_received_at,
            },
        ).returning(t.c.id, t.c.deliveries, t.c.tenant, t.c.rule, t.c.call_id, t.c.is_test)
        try:
            if create_tables:
                upgrade(self.engine, INBOX_SCHEMA)
            else:
                check(self.engine, INBOX_SCHEMA)
        except BaseException:
            self.engine.dispose()
            raise

    def __repr__(self) -> str:
        return f"Inbox({self.engine.url.render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        with self._accept_lock:
            kept, self._accept_conns = self._accept_conns, []
        for conn in kept:
            with contextlib.suppress(Exception):
                conn.close()
        self.engine.dispose()
        if isinstance(self._write_lock, _WriterLock):
            self._write_lock.close()

    def _accept_connection(self) -> Connection:
        """Connections kept for receiving (one per concurrent batch): a checkout per batch
        would cost a pool round and, on PostgreSQL, a pre-ping query each time."""
        with self._accept_lock:
            if self._accept_conns:
                return self._accept_conns.pop()
        return self.engine.connect()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._write_lock, self.engine.begin() as conn:
            yield conn

    # ----- receiving ------------------------------------------------------------------------

    def accept(self, *, rule: str, call_id: str, is_test: bool, body: bytes | str, tenant: str = "") -> Accepted:
        """Store a delivery, or count it if it is a repeat; committed when this returns."""
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        return self.accept_many([Delivery(rule, call_id, is_test, text, tenant)])[0]

    def accept_many(self, deliveries: Sequence[Delivery]) -> list[Accepted]:
        """Store deliveries in one transaction (group commit); one ``Accepted`` each, in order.

        Repeats within the batch are folded into one row first (an upsert may touch a row
        once per statement); each still gets its own delivery number.
        """
        now = self.clock()
        positions: dict[tuple[str, str, str, bool], list[int]] = {}
        for n, d in enumerate(deliveries):
            positions.setdefault(d.key, []).append(n)
        rows = []
        for key, where in positions.items():
            first = deliveries[where[0]]
            rows.append(
                {
                    "tenant": key[0],
                    "rule": key[1],
                    "call_id": key[2],
                    "is_test": key[3],
                    "body": first.body,
                    "status": "pending",
                    "deliveries": len(where),
                    "attempts": 0,
                    "first_received_at": now,
                    "last_received_at": now,
                    "next_attempt_at": now,
                }
            )
        with self._write_lock:
            conn = self._accept_connection()
            try:
                found = self._store_rows(conn, rows, now)
            except sa.exc.DBAPIError as exc:
                _discard(conn)  # never reuse a connection in an unknown state
                if not exc.connection_invalidated:
                    raise
                # A kept connection the database dropped (it restarted): a new one, checked
                # by the pool, rather than a 503 for every connection kept from before.
                conn = self.engine.connect()
                try:
                    found = self._store_rows(conn, rows, now)
                except BaseException:
                    _discard(conn)
                    raise
            except BaseException:
                _discard(conn)
                raise
            with self._accept_lock:
                self._accept_conns.append(conn)
        results: list[Accepted | None] = [None] * len(deliveries)
        for row in found:
            where = positions[(row.tenant, row.rule, row.call_id, bool(row.is_test))]
            total = int(row.deliveries)
            for k, n in enumerate(where):  # the last of the batch has the total
                results[n] = Accepted(event_id=int(row.id), deliveries=total - (len(where) - 1 - k))
        assert all(r is not None for r in results), "the upsert returned fewer rows than it stored"
        return results  # type: ignore[return-value]

    def _store_rows(self, conn: Connection, rows: list[dict[str, Any]], now: float) -> list[Any]:
        with conn.begin():
            if self.is_postgres:
                columns = ("tenant", "rule", "call_id", "is_test", "body", "deliveries")
                arrays: dict[str, Any] = {c: [r[c] for r in rows] for c in columns}
                return list(conn.execute(_PG_UPSERT, {**arrays, "now": now}).all())
            return list(conn.execute(self._upsert, rows).all())

    # ----- working --------------------------------------------------------------------------

    def claim(
        self, owner: str, *, limit: int = 10, lease_seconds: float = 60.0, max_attempts: int | None = None
    ) -> list[Event]:
        """Lease up to ``limit`` due events to ``owner``, counting an attempt on each.

        Due: pending and past ``next_attempt_at``, or running under an expired lease (its
        worker died). An expired lease on the last allowed attempt goes to ``dead`` instead.
        """
        t = events_table
        now = self.clock()
        expired = sa.and_(t.c.status == "running", t.c.lease_until < now)
        with self._write() as conn:
            if max_attempts is not None:
                spent = self._lockable(sa.select(t.c.id).where(expired, t.c.attempts >= max_attempts))
                conn.execute(
                    sa.update(t)
                    .where(t.c.id.in_(spent.scalar_subquery()))
                    .values(
                        status="dead",
                        lease_owner=None,
                        lease_until=None,
                        finished_at=now,
                        last_error="worker stopped during the last attempt (lease expired)",
                    )
                )
                expired = sa.and_(expired, t.c.attempts < max_attempts)
            due = sa.or_(sa.and_(t.c.status == "pending", t.c.next_attempt_at <= now), expired)
            ids = self._lockable(sa.select(t.c.id).where(due).order_by(t.c.next_attempt_at, t.c.id).limit(limit))
            stmt = (
                sa.update(t)
                .where(t.c.id.in_(ids.scalar_subquery()))
                .values(
                    status="running",
                    lease_owner=owner,
                    lease_until=now + lease_seconds,
                    attempts=t.c.attempts + 1,
                )
                .returning(*t.c)
            )
            rows = conn.execute(stmt).all()
        return sorted((Event._from_row(r) for r in rows), key=lambda e: e.id)

    def extend_lease(self, event_id: int, owner: str, lease_seconds: float) -> bool:
        """Keep a long-running handler's event; False if the lease was lost meanwhile."""
        t = events_table
        with self._write() as conn:
            result = conn.execute(
                sa.update(t).where(*self._held(event_id, owner)).values(lease_until=self.clock() + lease_seconds)
            )
        return result.rowcount == 1

    def complete(self, event_id: int, owner: str) -> bool:
        t = events_table
        with self._write() as conn:
            result = conn.execute(
                sa.update(t)
                .where(*self._held(event_id, owner))
                .values(status="done", lease_owner=None, lease_until=None, last_error=None, finished_at=self.clock())
            )
        return result.rowcount == 1

    def complete_with(self, event_id: int, owner: str, work: Callable[[Connection], None]) -> None:
        """Run ``work`` in the transaction that marks the event done: both commit, or neither.

        The lease is checked by the final ``UPDATE``: if another worker took the event
        meanwhile, ``LeaseLostError`` and ``work``'s writes are rolled back. On SQLite the
        transaction takes the write lock first (``BEGIN IMMEDIATE``), so it cannot fail on a
        stale snapshot half-way; it holds that lock while ``work`` runs.
        """
        t = events_table
        done = {"status": "done", "lease_owner": None, "lease_until": None, "last_error": None}
        with self._write_lock, self.engine.connect() as conn:
            if not self.is_postgres:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                work(conn)
                result = conn.execute(
                    sa.update(t).where(*self._held(event_id, owner)).values(**done, finished_at=self.clock())
                )
                if result.rowcount != 1:
                    raise LeaseLostError(f"event {event_id}: lease lost before its transaction committed")
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    def fail(self, event_id: int, owner: str, error: str, *, retry_at: float | None) -> bool:
        """Record a failed attempt: back to pending at ``retry_at``, or dead when it is None."""
        t = events_table
        values: dict[str, Any] = {"lease_owner": None, "lease_until": None, "last_error": error[:4000]}
        if retry_at is None:
            values.update(status="dead", finished_at=self.clock())
        else:
            values.update(status="pending", next_attempt_at=retry_at)
        with self._write() as conn:
            result = conn.execute(sa.update(t).where(*self._held(event_id, owner)).values(**values))
        return result.rowcount == 1

    def _lockable(self, query: sa.Select[Any]) -> sa.Select[Any]:
        """Rows another transaction holds are skipped, never waited for (PostgreSQL)."""
        return query.with_for_update(skip_locked=True) if self.is_postgres else query

    @staticmethod
    def _held(event_id: int, owner: str) -> tuple[sa.ColumnElement[bool], ...]:
        t = events_table
        return t.c.id == event_id, t.c.status == "running", t.c.lease_owner == owner

    # ----- operating ------------------------------------------------------------------------

    def ping(self) -> None:
        """``StoreError`` unless the database answers now (``/healthz``)."""
        ping(self.engine)

    def get(self, event_id: int) -> Event | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(events_table).where(events_table.c.id == event_id)).first()
        return Event._from_row(row) if row is not None else None

    def events(
        self,
        *,
        status: str | None = None,
        rule: str | None = None,
        call_id: str | None = None,
        tenant: str | None = None,
        limit: int | None = 50,
    ) -> list[Event]:
        """Newest first."""
        t = events_table
        query = sa.select(t).order_by(t.c.id.desc()).limit(limit)
        if tenant is not None:
            query = query.where(t.c.tenant == tenant)
        if status is not None:
            query = query.where(t.c.status == status)
        if rule is not None:
            query = query.where(t.c.rule == rule)
        if call_id is not None:
            query = query.where(t.c.call_id == call_id)
        with self.engine.connect() as conn:
            return [Event._from_row(r) for r in conn.execute(query)]

    def counts(self) -> dict[str, int]:
        t = events_table
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.c.status, sa.func.count()).group_by(t.c.status)).all()
        return {status: 0 for status in STATUSES} | {str(s): int(n) for s, n in rows}

    def replay(self, event_id: int) -> bool:
        """Reset an event (done or dead) to pending with a fresh attempt count.

        A running event is left alone while its lease holds: replaying it would run it twice
        at once. Returns whether the event was reset.
        """
        t = events_table
        now = self.clock()
        not_running = sa.or_(t.c.status != "running", t.c.lease_until < now)
        with self._write() as conn:
            result = conn.execute(
                sa.update(t)
                .where(t.c.id == event_id, not_running)
                .values(
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    lease_owner=None,
                    lease_until=None,
                    finished_at=None,
                )
            )
        return result.rowcount == 1

    # ----- tenants --------------------------------------------------------------------------

    def tenants(self) -> list[TenantRecord]:
        """Every tenant, by name."""
        t = tenants_table
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.name)).all()
        return [TenantRecord(**r._asdict()) for r in rows]

    def add_tenant(
        self, name: str, *, public_key: str | None = None, url_key_sha256: str | None = None, salt: str | None = None
    ) -> bool:
        """Store a new tenant; False when one of that name exists (nothing is changed)."""
        t = tenants_table
        now = self.clock()
        insert = (postgresql.insert if self.is_postgres else sqlite.insert)(t)
        stmt = insert.values(
            name=name,
            public_key=public_key,
            url_key_sha256=url_key_sha256,
            url_key_salt=salt,
            created_at=now,
            updated_at=now,
        ).on_conflict_do_nothing(index_elements=[t.c.name])
        with self._write() as conn:
            # rowcount is not reliable for an upsert on every driver; a returned row is.
            return conn.execute(stmt.returning(t.c.name)).first() is not None

    def remove_tenant(self, name: str) -> bool:
        """Forget a tenant (its events stay); False when there is none of that name."""
        t = tenants_table
        with self._write() as conn:
            result = conn.execute(sa.delete(t).where(t.c.name == name))
        return result.rowcount == 1
