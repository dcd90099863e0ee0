"""The durable inbox: one table of webhook events, written before Gong gets its 200.

SQLAlchemy Core only. Everything that must be atomic is one statement: ``INSERT ... ON
CONFLICT`` records a delivery (or counts a repeat), and one ``UPDATE ... WHERE id IN
(SELECT ... FOR UPDATE SKIP LOCKED) RETURNING`` claims events with a lease, so several
processes on one PostgreSQL database never hold the same event at once. On SQLite the
database's single writer plays that part.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from ..db import INBOX_SCHEMA, check, normalize_url, open_engine, upgrade

__all__ = ["DEFAULT_DB_URL", "STATUSES", "Accepted", "Event", "Inbox", "events_table", "metadata", "normalize_db_url"]

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
    # same rule (a rule's test button is kept apart from real deliveries).
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
    sa.UniqueConstraint("rule", "call_id", "is_test", name="uq_gong_trigger_events_delivery"),
    sa.Index("ix_gong_trigger_events_due", "status", "next_attempt_at"),
)


def normalize_db_url(url: str) -> str:
    """A SQLAlchemy URL from what users type: a file path, ``postgresql://`` or a full URL."""
    return normalize_url(url).render_as_string(hide_password=False)


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

    @property
    def payload(self) -> dict[str, Any]:
        """Gong's JSON body: ``{"callData": {...}, "isTest": ...}``."""
        value: dict[str, Any] = json.loads(self.body)
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
        # SQLite has one writer: queue our own threads here rather than in its busy handler.
        self._write_lock: Any = threading.Lock() if self.engine.dialect.name == "sqlite" else nullcontext()
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
        self.engine.dispose()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._write_lock, self.engine.begin() as conn:
            yield conn

    # ----- receiving ------------------------------------------------------------------------

    def accept(self, *, rule: str, call_id: str, is_test: bool, body: bytes) -> Accepted:
        """Store a delivery, or count it if it is a repeat; committed when this returns."""
        t = events_table
        now = self.clock()
        insert = (postgresql.insert if self.is_postgres else sqlite.insert)(t)
        stmt = (
            insert.values(
                rule=rule,
                call_id=call_id,
                is_test=is_test,
                body=body.decode("utf-8"),
                status="pending",
                deliveries=1,
                attempts=0,
                first_received_at=now,
                last_received_at=now,
                next_attempt_at=now,
            )
            .on_conflict_do_update(
                index_elements=[t.c.rule, t.c.call_id, t.c.is_test],
                set_={"deliveries": t.c.deliveries + 1, "last_received_at": now},
            )
            .returning(t.c.id, t.c.deliveries)
        )
        with self._write() as conn:
            row = conn.execute(stmt).one()
        return Accepted(event_id=int(row.id), deliveries=int(row.deliveries))

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

    def get(self, event_id: int) -> Event | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(events_table).where(events_table.c.id == event_id)).first()
        return Event._from_row(row) if row is not None else None

    def events(
        self, *, status: str | None = None, rule: str | None = None, call_id: str | None = None, limit: int | None = 50
    ) -> list[Event]:
        """Newest first."""
        t = events_table
        query = sa.select(t).order_by(t.c.id.desc()).limit(limit)
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
