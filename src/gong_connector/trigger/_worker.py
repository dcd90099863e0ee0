"""Running handlers from the inbox: leases, retries with backoff, the dead-letter state.

Delivery is at least once: an event is marked done only after every matching handler has
returned, so a crash in between runs it again. Handlers should therefore be idempotent, or
transactional: a transactional handler gets the inbox's database connection, and what it
writes there commits in the same transaction that marks the event done, so it happens once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

import anyio.to_thread
from sqlalchemy.engine import Connection

from .._backoff import exponential_delay
from ..errors import ValidationError
from ._inbox import Event, Inbox, LeaseLostError
from ._metrics import Metrics

__all__ = ["Backoff", "Handler", "HandlerRegistry", "TransactionalHandler", "Worker"]

log = logging.getLogger("gong_connector.trigger")

Handler: TypeAlias = Callable[[Event], None] | Callable[[Event], Awaitable[None]]
#: Called with the event and the inbox's connection, inside the transaction that marks it done.
TransactionalHandler: TypeAlias = Callable[[Event, Connection], None]
H = TypeVar("H", bound=Handler | TransactionalHandler)


@dataclass(frozen=True)
class Backoff:
    """Retry policy as data: how many attempts an event gets and how long to wait between.

    The delay after the n-th failed attempt is ``first_delay * factor ** (n - 1)``, capped
    at ``max_delay``; after ``max_attempts`` failures the event is dead-lettered.
    """

    max_attempts: int = 5
    first_delay: float = 10.0
    factor: float = 4.0
    max_delay: float = 3600.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValidationError("max_attempts", "positive", "must be at least 1")

    def delay(self, failed_attempts: int) -> float | None:
        """Seconds until the next attempt, or None when the event goes to ``dead``."""
        if failed_attempts >= self.max_attempts:
            return None
        return exponential_delay(failed_attempts - 1, first=self.first_delay, factor=self.factor, cap=self.max_delay)


@dataclass(frozen=True)
class _Entry:
    rules: frozenset[str] | None  # None: every rule
    tenants: frozenset[str] | None  # None: every tenant
    handler: Any
    transactional: bool

    def matches(self, tenant: str, rule: str) -> bool:
        return (self.rules is None or rule in self.rules) and (self.tenants is None or tenant in self.tenants)


class HandlerRegistry:
    """Handlers by rule and tenant. The rule of an event is the ``rule`` query parameter of
    the URL Gong called (Gong's payload names no rule), its tenant the ``/t/{tenant}`` path;
    handlers registered with no rule (or no tenant) get every rule's (every tenant's) events."""

    def __init__(self) -> None:
        self._entries: list[_Entry] = []

    def on_call(
        self, *rules: str, tenant: str | Iterable[str] | None = None, transactional: bool = False
    ) -> Callable[[H], H]:
        """Decorator: run the function for calls sent by these rules (by name), or by any rule.

        ``tenant``: only for this tenant (or these). ``transactional``: the function takes
        ``(event, connection)`` and writes through that connection; its writes commit with
        the event's completion, exactly once. It must be a plain function and must not
        commit. On SQLite it holds the database's write lock while it runs.
        """
        selected = frozenset(rules) if rules else None
        tenants = None if tenant is None else frozenset([tenant] if isinstance(tenant, str) else tenant)

        def register(handler: H) -> H:
            if transactional and inspect.iscoroutinefunction(handler):
                raise ValidationError(
                    "handler", "sync", "a transactional handler runs in a database transaction: not async"
                )
            self._entries.append(_Entry(selected, tenants, handler, transactional))
            return handler

        return register

    def extend(self, other: HandlerRegistry) -> None:
        self._entries.extend(other._entries)

    def entries_for(self, tenant: str, rule: str) -> list[_Entry]:
        return [e for e in self._entries if e.matches(tenant, rule)]

    def for_rule(self, rule: str, tenant: str = "") -> list[Handler]:
        """The plain handlers for an event of this rule (and tenant)."""
        return [e.handler for e in self.entries_for(tenant, rule) if not e.transactional]

    def __len__(self) -> int:
        return len(self._entries)


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Worker:
    """Claims due events from the inbox and runs their handlers, ``concurrency`` at a time.

    ``run()`` loops until cancelled, woken by ``wake()`` when a webhook arrives and otherwise
    polling every ``poll_interval`` seconds (for retries and other processes' events).
    ``run_due()`` runs what is due now and returns; tests drive it with an injected clock.
    """

    def __init__(
        self,
        inbox: Inbox,
        handlers: HandlerRegistry,
        *,
        backoff: Backoff | None = None,
        concurrency: int = 4,
        lease_seconds: float = 60.0,
        poll_interval: float = 2.0,
        owner: str | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        if lease_seconds <= 0 or concurrency < 1:
            raise ValidationError("lease_seconds", "positive", "must be positive, and concurrency at least 1")
        self.inbox = inbox
        self.handlers = handlers
        self.backoff = backoff or Backoff()
        self.concurrency = concurrency
        self.lease_seconds = lease_seconds
        self.poll_interval = poll_interval
        self.owner = owner or _worker_id()
        self.metrics = metrics or Metrics()
        self._wake: asyncio.Event | None = None
        self._stopping = False
        #: The attempts running now (one per event in hand).
        self.in_hand: set[asyncio.Task[None]] = set()

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def stop(self) -> None:
        """Finish the events in hand, claim no more, and let ``run()`` return."""
        self._stopping = True
        self.wake()

    async def run(self) -> None:
        self._wake = asyncio.Event()
        while not self._stopping:
            self._wake.clear()
            try:
                await self.run_due()
            except Exception as exc:  # the database may come back; keep the worker alive
                log.error("trigger worker: inbox unavailable (%s); retrying", type(exc).__name__)
            if self._stopping:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_interval)

    async def run_due(self) -> int:
        """Run every event that is due now; returns how many were attempted. A slot is
        claimed for again as soon as its event is done, so a slow or stuck handler holds its
        own slot, not every event claimed with it. An inbox failure stops the claiming; the
        events in hand are finished, then it is raised."""
        total = 0
        failure: BaseException | None = None
        running = self.in_hand
        more = True  # the last claim filled every free slot: more may be due
        try:
            while True:
                free = self.concurrency - len(running)
                if more and free > 0 and failure is None and not self._stopping:
                    try:
                        events = await anyio.to_thread.run_sync(self._claim, free)
                    except Exception as exc:
                        failure, events = exc, []
                    more = len(events) == free
                    total += len(events)
                    running.update(asyncio.create_task(self._attempt(e)) for e in events)
                    if more:
                        continue
                if not running:
                    break
                done, _pending = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                running -= done
                more = True  # a slot is free again
                for task in done:
                    if failure is None and task.exception() is not None:
                        failure = task.exception()
        except asyncio.CancelledError:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            raise
        if failure is not None:
            raise failure
        return total

    def _claim(self, limit: int) -> list[Event]:
        return self.inbox.claim(
            self.owner, limit=limit, lease_seconds=self.lease_seconds, max_attempts=self.backoff.max_attempts
        )

    async def _attempt(self, event: Event) -> None:
        heartbeat = asyncio.create_task(self._keep_lease(event.id))
        entries = self.handlers.entries_for(event.tenant, event.rule)
        started = time.perf_counter()
        try:
            error = await self._run_handlers(event, [e.handler for e in entries if not e.transactional])
            transactional = [e.handler for e in entries if e.transactional]
            if error is None and transactional:
                error = await self._complete_with(event, transactional)
                if error is None:
                    self.metrics.observe_handler(time.perf_counter() - started, failed=False)
                    return
        finally:
            heartbeat.cancel()
        self.metrics.observe_handler(time.perf_counter() - started, failed=error is not None)
        if error is None:
            if not await anyio.to_thread.run_sync(self.inbox.complete, event.id, self.owner):
                log.error("trigger event %s: lease lost before it was marked done; it may run again", event.id)
            return
        delay = self.backoff.delay(event.attempts)
        retry_at = None if delay is None else self.inbox.clock() + delay
        log.warning(
            "trigger event %s (tenant %r, rule %r, call %s) failed attempt %d: %s; %s",
            event.id,
            event.tenant,
            event.rule,
            event.call_id,
            event.attempts,
            error,
            "dead-lettered" if retry_at is None else f"retry in {delay:g}s",
        )
        fail = functools.partial(self.inbox.fail, event.id, self.owner, error, retry_at=retry_at)
        await anyio.to_thread.run_sync(fail)

    async def _complete_with(self, event: Event, handlers: list[Any]) -> str | None:
        """Run the transactional handlers in the transaction that marks the event done."""
        current: list[Any] = [None]

        def work(conn: Connection) -> None:
            for handler in handlers:
                current[0] = handler
                handler(event, conn)

        try:
            await anyio.to_thread.run_sync(self.inbox.complete_with, event.id, self.owner, work)
        except LeaseLostError:
            # Another worker has the event now; everything written here was rolled back.
            log.error("trigger event %s: lease lost while its handlers ran; rolled back", event.id)
            return None
        except (Exception, SystemExit) as exc:  # a handler's sys.exit() must not end the worker
            handler = current[0]
            return f"{getattr(handler, '__qualname__', repr(handler))}: {type(exc).__name__}: {exc}"
        return None

    async def _run_handlers(self, event: Event, handlers: list[Any]) -> str | None:
        if not self.handlers.entries_for(event.tenant, event.rule):
            log.warning(
                "trigger event %s: no handler for tenant %r rule %r; marked done", event.id, event.tenant, event.rule
            )
        for handler in handlers:
            try:
                if inspect.iscoroutinefunction(handler):
                    await handler(event)
                else:
                    # Not abandoned on cancellation: the event must not be released while
                    # its thread still runs.
                    await anyio.to_thread.run_sync(handler, event)
            except (Exception, SystemExit) as exc:  # a handler's sys.exit() must not end the worker
                return f"{getattr(handler, '__qualname__', repr(handler))}: {type(exc).__name__}: {exc}"
        return None

    async def _keep_lease(self, event_id: int) -> None:
        """Renew the event's lease while its handlers run. A renewal the inbox could not take
        (the database away for a moment) is tried again, sooner: given up on, the lease would
        run out under a running handler and another worker would run the event too."""
        extend: Callable[[], Any] = functools.partial(self.inbox.extend_lease, event_id, self.owner, self.lease_seconds)
        pause = self.lease_seconds / 3
        while True:
            await asyncio.sleep(pause)
            try:
                kept = await anyio.to_thread.run_sync(extend)
            except Exception as exc:
                log.warning("trigger event %s: lease not renewed (%s); trying again", event_id, type(exc).__name__)
                pause = max(self.lease_seconds / 12, 0.05)
                continue
            if not kept:
                log.error("trigger event %s: lease lost while its handler runs", event_id)
                return
            pause = self.lease_seconds / 3
