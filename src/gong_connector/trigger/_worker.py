"""Running handlers from the inbox: leases, retries with backoff, the dead-letter state.

Delivery is at least once: an event is marked done only after every matching handler has
returned, so a crash in between runs it again. Handlers should therefore be idempotent.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeAlias, TypeVar

import anyio.to_thread

from .._backoff import exponential_delay
from ..errors import ValidationError
from ._inbox import Event, Inbox

__all__ = ["Backoff", "Handler", "HandlerRegistry", "Worker"]

log = logging.getLogger("gong_connector.trigger")

Handler: TypeAlias = Callable[[Event], None] | Callable[[Event], Awaitable[None]]
H = TypeVar("H", bound=Handler)


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


class HandlerRegistry:
    """Handlers by rule. The rule of an event is the ``rule`` query parameter of the URL Gong
    called (Gong's payload names no rule); handlers registered with no rule get every event."""

    def __init__(self) -> None:
        self._entries: list[tuple[frozenset[str] | None, Handler]] = []

    def on_call(self, *rules: str) -> Callable[[H], H]:
        """Decorator: run the function for calls sent by these rules (by name), or by any rule."""
        selected = frozenset(rules) if rules else None

        def register(handler: H) -> H:
            self._entries.append((selected, handler))
            return handler

        return register

    def extend(self, other: HandlerRegistry) -> None:
        self._entries.extend(other._entries)

    def for_rule(self, rule: str) -> list[Handler]:
        return [h for rules, h in self._entries if rules is None or rule in rules]

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
        self._wake: asyncio.Event | None = None
        self._stopping = False

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
        """Run every event that is due now; returns how many were attempted."""
        total = 0
        while not self._stopping:
            claim = functools.partial(
                self.inbox.claim,
                self.owner,
                limit=self.concurrency,
                lease_seconds=self.lease_seconds,
                max_attempts=self.backoff.max_attempts,
            )
            events = await anyio.to_thread.run_sync(claim)
            if not events:
                break
            total += len(events)
            await asyncio.gather(*(self._attempt(e) for e in events))
        return total

    async def _attempt(self, event: Event) -> None:
        heartbeat = asyncio.create_task(self._keep_lease(event.id))
        try:
            error = await self._run_handlers(event)
        finally:
            heartbeat.cancel()
        if error is None:
            await anyio.to_thread.run_sync(self.inbox.complete, event.id, self.owner)
            return
        delay = self.backoff.delay(event.attempts)
        retry_at = None if delay is None else self.inbox.clock() + delay
        log.warning(
            "trigger event %s (rule %r, call %s) failed attempt %d: %s; %s",
            event.id,
            event.rule,
            event.call_id,
            event.attempts,
            error,
            "dead-lettered" if retry_at is None else f"retry in {delay:g}s",
        )
        fail = functools.partial(self.inbox.fail, event.id, self.owner, error, retry_at=retry_at)
        await anyio.to_thread.run_sync(fail)

    async def _run_handlers(self, event: Event) -> str | None:
        handlers = self.handlers.for_rule(event.rule)
        if not handlers:
            log.warning("trigger event %s: no handler for rule %r; marked done", event.id, event.rule)
        for handler in handlers:
            try:
                if inspect.iscoroutinefunction(handler):
                    await handler(event)
                else:
                    # Not abandoned on cancellation: the event must not be released while
                    # its thread still runs.
                    await anyio.to_thread.run_sync(handler, event)
            except Exception as exc:
                return f"{getattr(handler, '__qualname__', repr(handler))}: {type(exc).__name__}: {exc}"
        return None

    async def _keep_lease(self, event_id: int) -> None:
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            extend: Callable[[], Any] = functools.partial(
                self.inbox.extend_lease, event_id, self.owner, self.lease_seconds
            )
            if not await anyio.to_thread.run_sync(extend):
                log.error("trigger event %s: lease lost while its handler runs", event_id)
                return
