"""Transactional handlers: what a handler writes through the inbox's connection commits with
the event's ``done``, or not at all, so its effect happens exactly once. On SQLite and
PostgreSQL, with the clock injected."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gong_connector.errors import ValidationError
from gong_connector.trigger import Backoff, Event, HandlerRegistry, Inbox, Worker

from .conftest import FakeClock, payload

HANDLED = sa.table("handled", sa.column("event_id"), sa.column("call_id"))


@pytest.fixture
def inbox(db_url: str, clock: FakeClock) -> Iterator[Inbox]:
    box = Inbox(db_url, clock=clock)
    with box.engine.begin() as conn:
        conn.execute(sa.text("create table handled (event_id bigint not null, call_id varchar(64) not null)"))
    yield box
    box.close()


def handled(inbox: Inbox) -> list[tuple[int, str]]:
    with inbox.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(HANDLED.c.event_id, HANDLED.c.call_id))]  # type: ignore[misc]


def add(inbox: Inbox, call_id: str) -> int:
    return inbox.accept(rule="r", call_id=call_id, is_test=False, body=payload(call_id)).event_id


async def test_writes_commit_with_the_event(inbox: Inbox) -> None:
    handlers = HandlerRegistry()
    plain: list[str] = []

    @handlers.on_call(transactional=True)
    def record(event: Event, conn: Connection) -> None:
        conn.execute(sa.insert(HANDLED).values(event_id=event.id, call_id=event.call_id))

    handlers.on_call()(lambda event: plain.append(event.call_id))  # plain ones run first
    ids = [add(inbox, "1"), add(inbox, "2")]
    assert await Worker(inbox, handlers).run_due() == 2
    assert sorted(handled(inbox)) == [(ids[0], "1"), (ids[1], "2")]
    assert sorted(plain) == ["1", "2"]
    assert inbox.counts()["done"] == 2


async def test_a_failing_handler_rolls_its_writes_back(inbox: Inbox, clock: FakeClock) -> None:
    handlers = HandlerRegistry()
    attempts: list[int] = []

    @handlers.on_call(transactional=True)
    def flaky(event: Event, conn: Connection) -> None:
        conn.execute(sa.insert(HANDLED).values(event_id=event.id, call_id=event.call_id))
        attempts.append(event.attempts)
        if event.attempts == 1:
            raise RuntimeError("CRM timed out after the insert")

    event_id = add(inbox, "1")
    worker = Worker(inbox, handlers, backoff=Backoff(max_attempts=3, first_delay=10))
    await worker.run_due()
    event = inbox.get(event_id)
    assert event is not None and event.status == "pending" and "CRM timed out" in (event.last_error or "")
    assert handled(inbox) == []  # the insert went with the failed attempt
    clock.advance(10)
    await worker.run_due()
    assert handled(inbox) == [(event_id, "1")] and attempts == [1, 2]
    assert inbox.counts()["done"] == 1


async def test_a_lost_lease_rolls_the_writes_back(inbox: Inbox, clock: FakeClock) -> None:
    """A worker that stalled past its lease cannot commit: the event is another's now."""
    event_id = add(inbox, "1")
    (held,) = inbox.claim("slow", lease_seconds=30)
    clock.advance(31)
    (again,) = inbox.claim("fast", lease_seconds=30)

    def write(conn: Connection) -> None:
        conn.execute(sa.insert(HANDLED).values(event_id=held.id, call_id="slow"))

    from gong_connector.trigger import LeaseLostError

    with pytest.raises(LeaseLostError):
        inbox.complete_with(held.id, "slow", write)
    assert handled(inbox) == []
    inbox.complete_with(
        again.id, "fast", lambda conn: conn.execute(sa.insert(HANDLED).values(event_id=event_id, call_id="fast"))
    )
    assert handled(inbox) == [(event_id, "fast")]


def test_transactional_handlers_must_be_plain_functions() -> None:
    handlers = HandlerRegistry()

    async def in_the_loop(event: Event, conn: Connection) -> None: ...

    with pytest.raises(ValidationError, match="not async"):
        handlers.on_call(transactional=True)(in_the_loop)  # type: ignore[arg-type]
