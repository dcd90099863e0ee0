"""The inbox and the worker on SQLite and PostgreSQL: handlers, retries with backoff, the
dead-letter state, replay, leases, and claims that never hand one event to two workers.

Time is a FakeClock: retries become due by moving it, never by sleeping."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from gong_connector.trigger import Backoff, Event, HandlerRegistry, Inbox, Worker

from .conftest import FakeClock, payload


@pytest.fixture
def inbox(db_url: str, clock: FakeClock) -> Iterator[Inbox]:
    box = Inbox(db_url, clock=clock)
    yield box
    box.close()


def add(inbox: Inbox, call_id: str, rule: str = "") -> int:
    return inbox.accept(rule=rule, call_id=call_id, is_test=False, body=payload(call_id)).event_id


def worker(inbox: Inbox, handlers: HandlerRegistry) -> Worker:
    """Three attempts, 10 s then 20 s apart."""
    return Worker(inbox, handlers, backoff=Backoff(max_attempts=3, first_delay=10, factor=2), owner="w1")


async def test_handlers_run_by_rule_and_events_end_done(inbox: Inbox) -> None:
    """Catch-all handlers see every event; rule handlers only their rules' events."""
    seen: list[tuple[str, str]] = []
    handlers = HandlerRegistry()

    @handlers.on_call()
    def every(event: Event) -> None:
        seen.append(("every", event.call_id))

    @handlers.on_call("Renewals", "Churn")
    async def renewals(event: Event) -> None:  # async handlers are awaited
        seen.append(("renewals", event.call_data["metaData"]["id"]))

    add(inbox, "1", "Renewals")
    add(inbox, "2", "Other")
    add(inbox, "3", "Churn")
    assert await worker(inbox, handlers).run_due() == 3
    assert sorted(seen) == [("every", "1"), ("every", "2"), ("every", "3"), ("renewals", "1"), ("renewals", "3")]
    assert inbox.counts() == {"pending": 0, "running": 0, "done": 3, "dead": 0}
    assert all(e.attempts == 1 and e.finished_at is not None for e in inbox.events())


async def test_failures_retry_with_backoff_then_dead_letter(inbox: Inbox, clock: FakeClock) -> None:
    """A failing handler is retried after 10 s, then 20 s; the third failure is dead."""
    calls: list[float] = []
    handlers = HandlerRegistry()

    @handlers.on_call()
    def flaky(event: Event) -> None:
        calls.append(clock.now)
        raise RuntimeError("CRM is down")

    event_id = add(inbox, "1")
    w = worker(inbox, handlers)
    start = clock.now
    assert await w.run_due() == 1
    event = inbox.get(event_id)
    assert event is not None
    assert (event.status, event.attempts, event.next_attempt_at) == ("pending", 1, start + 10)
    assert event.last_error is not None and "RuntimeError: CRM is down" in event.last_error

    clock.advance(9)
    assert await w.run_due() == 0  # not due yet
    clock.advance(1)
    assert await w.run_due() == 1
    clock.advance(20)
    assert await w.run_due() == 1
    event = inbox.get(event_id)
    assert event is not None and (event.status, event.attempts) == ("dead", 3)
    clock.advance(10_000)
    assert await w.run_due() == 0
    assert calls == [start, start + 10, start + 30]


async def test_replay_resets_a_dead_event_to_pending(inbox: Inbox, clock: FakeClock) -> None:
    handlers = HandlerRegistry()
    fail = [True]

    @handlers.on_call()
    def handler(event: Event) -> None:
        if fail[0]:
            raise ValueError("bad")

    event_id = add(inbox, "1")
    w = Worker(inbox, handlers, backoff=Backoff(max_attempts=1), owner="w")
    await w.run_due()
    assert inbox.counts()["dead"] == 1
    assert inbox.replay(event_id)
    event = inbox.get(event_id)
    assert event is not None and (event.status, event.attempts) == ("pending", 0)
    fail[0] = False
    assert await w.run_due() == 1
    assert inbox.counts()["done"] == 1
    assert inbox.replay(event_id)  # done events can be re-run too
    assert inbox.counts()["pending"] == 1
    assert not inbox.replay(9999)


async def test_expired_lease_is_reclaimed_and_the_old_owner_cannot_finish(inbox: Inbox, clock: FakeClock) -> None:
    """A worker that died (or stalled past its lease) loses the event to the next one."""
    event_id = add(inbox, "1")
    (held,) = inbox.claim("dead-worker", lease_seconds=30)
    assert inbox.claim("other", lease_seconds=30) == []  # leased: not due
    assert not inbox.replay(event_id)  # no replay under a live lease
    clock.advance(31)
    (again,) = inbox.claim("other", lease_seconds=30)
    assert again.id == held.id and again.attempts == 2
    assert not inbox.complete(event_id, "dead-worker")
    assert inbox.complete(event_id, "other")


async def test_lease_expiring_on_the_last_attempt_is_dead(inbox: Inbox, clock: FakeClock) -> None:
    """An event whose handler kills the worker every time does not loop forever."""
    event_id = add(inbox, "1")
    for _ in range(2):
        assert len(inbox.claim("w", lease_seconds=30, max_attempts=2)) == 1
        clock.advance(31)
    assert inbox.claim("w", lease_seconds=30, max_attempts=2) == []
    event = inbox.get(event_id)
    assert event is not None and event.status == "dead" and "lease expired" in (event.last_error or "")


async def test_event_without_matching_handler_is_done(inbox: Inbox) -> None:
    handlers = HandlerRegistry()
    handlers.on_call("Renewals")(lambda event: None)
    add(inbox, "1", "Other")
    await worker(inbox, handlers).run_due()
    assert inbox.counts()["done"] == 1


def test_concurrent_claimers_never_share_an_event(db_url: str, clock: FakeClock) -> None:
    """Eight workers, each with its own engine (as separate processes would be), claim 200
    events at once: each event goes to exactly one of them."""
    first = Inbox(db_url, clock=clock)
    for n in range(200):
        add(first, str(n))
    boxes = [Inbox(db_url, clock=clock) for _ in range(8)]
    claimed: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(len(boxes))

    def claim_all(box: Inbox, owner: str) -> None:
        start.wait()
        while events := box.claim(owner, limit=7, lease_seconds=600):
            with lock:
                claimed.extend(e.id for e in events)

    threads = [threading.Thread(target=claim_all, args=(box, f"w{i}")) for i, box in enumerate(boxes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(claimed) == 200
    assert Counter(claimed).most_common(1)[0][1] == 1
    assert first.counts()["running"] == 200
    for box in (first, *boxes):
        box.close()


def test_repeat_counts_survive_and_do_not_reset_status(inbox: Inbox) -> None:
    """A repeat of an event already handled is counted, not run again."""
    event_id = add(inbox, "1")
    (event,) = inbox.claim("w")
    inbox.complete(event.id, "w")
    again = inbox.accept(rule="", call_id="1", is_test=False, body=payload("1"))
    assert again.event_id == event_id and again.duplicate
    stored = inbox.get(event_id)
    assert stored is not None and (stored.status, stored.deliveries) == ("done", 2)


def test_backoff_is_capped_and_validated() -> None:
    policy = Backoff(max_attempts=10, first_delay=10, factor=4, max_delay=600)
    assert [policy.delay(n) for n in (1, 2, 3, 4, 9, 10)] == [10, 40, 160, 600, 600, None]
    with pytest.raises(ValueError):
        Backoff(max_attempts=0)


def test_sqlite_is_in_wal_mode(tmp_path: object) -> None:
    box = Inbox(f"sqlite:///{tmp_path}/wal.db")
    with box.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    box.close()
    with pytest.raises(ValueError):
        Inbox("sqlite:///:memory:")


def test_extending_a_lease_keeps_the_event(inbox: Inbox, clock: FakeClock) -> None:
    """A long handler's heartbeat pushes the lease on; only the holder can extend it."""
    event_id = add(inbox, "1")
    inbox.claim("w", lease_seconds=30)
    clock.advance(25)
    assert inbox.extend_lease(event_id, "w", 30)
    assert not inbox.extend_lease(event_id, "intruder", 30)
    clock.advance(25)  # 50 s after the claim, 25 s after the extension
    assert inbox.claim("other", lease_seconds=30) == []
    assert inbox.complete(event_id, "w")


async def test_a_handler_calling_sys_exit_fails_its_event_not_the_worker(inbox: Inbox) -> None:
    """``sys.exit()`` in a handler is a failure like any other: retried, and the receiver or
    worker that ran it keeps going."""
    handlers = HandlerRegistry()

    @handlers.on_call()
    def leaves(event: Event) -> None:
        raise SystemExit(3)

    event_id = add(inbox, "1")
    assert await worker(inbox, handlers).run_due() == 1
    event = inbox.get(event_id)
    assert event is not None and event.status == "pending" and event.attempts == 1
    assert "SystemExit" in (event.last_error or "")


class FlakyInbox(Inbox):
    """An inbox whose database is away for the first lease renewal."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.renewals = 0
        self.renewed = threading.Event()

    def extend_lease(self, event_id: int, owner: str, lease_seconds: float) -> bool:
        self.renewals += 1
        if self.renewals == 1:
            raise sa.exc.OperationalError("UPDATE gong_trigger_events", {}, Exception("the database is away"))
        self.renewed.set()
        return super().extend_lease(event_id, owner, lease_seconds)


async def test_a_lease_renewal_the_inbox_refused_is_tried_again(db_url: str, clock: FakeClock) -> None:
    """Given up after one failure, the lease would run out under the running handler and
    another worker would run the event at the same time."""
    box = FlakyInbox(db_url, clock=clock)
    handlers = HandlerRegistry()

    @handlers.on_call()
    async def slow(event: Event) -> None:
        assert await asyncio.to_thread(box.renewed.wait, 10), "the lease was never renewed again"

    try:
        add(box, "1")
        assert await Worker(box, handlers, owner="w", lease_seconds=0.06).run_due() == 1
        assert box.renewals >= 2 and box.counts()["done"] == 1
    finally:
        box.close()


async def test_a_stuck_handler_holds_its_own_slot_not_the_others(inbox: Inbox) -> None:
    """Events keep being claimed and run while one handler hangs: a freed slot is refilled at
    once, not when every event claimed with the stuck one is done."""
    release = asyncio.Event()
    handlers = HandlerRegistry()

    @handlers.on_call()
    async def handle(event: Event) -> None:
        if event.call_id == "1":
            await release.wait()

    for n in range(1, 7):
        add(inbox, str(n))
    running = asyncio.create_task(Worker(inbox, handlers, owner="w", concurrency=2).run_due())
    for _ in range(500):  # at most 5 s: each turn lets the worker (and its thread) move on
        if inbox.counts()["done"] == 5:
            break
        await asyncio.sleep(0.01)
    assert inbox.counts() == {"pending": 0, "running": 1, "done": 5, "dead": 0}
    release.set()
    assert await running == 6
    assert inbox.counts()["done"] == 6


def test_a_kept_connection_the_database_dropped_costs_no_refusal(pg_schema_url: str, clock: FakeClock) -> None:
    """After PostgreSQL restarts, the connections kept for receiving are dead: the first
    delivery on one takes a new connection instead of answering 503."""
    box = Inbox(pg_schema_url, clock=clock)
    try:
        add(box, "1")  # leaves a kept connection
        (kept,) = box._accept_conns
        pid = kept.execute(sa.text("select pg_backend_pid()")).scalar_one()
        kept.rollback()
        killer = sa.create_engine(pg_schema_url)
        with killer.connect() as conn:
            assert conn.execute(sa.text("select pg_terminate_backend(:p)"), {"p": pid}).scalar_one()
        killer.dispose()
        assert add(box, "2") == 2  # stored on a new connection, no error
        assert box.counts()["pending"] == 2
    finally:
        box.close()
