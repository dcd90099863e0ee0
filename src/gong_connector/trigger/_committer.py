"""Group commit: concurrent requests share one transaction, and each gets its answer after
that transaction has committed.

Under load, the deliveries that arrive while one batch commits form the next batch, so the
cost of a durable commit (an fsync on SQLite, a WAL flush on PostgreSQL) is paid once per
batch instead of once per event; alone, a request commits at once and waits for nobody.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import anyio.to_thread
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from ._inbox import Accepted, Delivery, Inbox

__all__ = ["GroupCommitter", "is_transient"]


def is_transient(exc: BaseException) -> bool:
    """Trouble of our own that may pass (database unreachable, disk full): worth a 503 and
    Gong's retry. Anything else the database refuses would be refused again."""
    if isinstance(exc, OSError | OperationalError | InterfaceError | DisconnectionError | PoolTimeoutError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def _quiet(future: asyncio.Future[Accepted]) -> None:
    """A future whose waiter went away still has its outcome read, so asyncio logs nothing."""
    if not future.cancelled():
        future.exception()


class GroupCommitter:
    """``await committer.accept(delivery)``: committed when it returns, or raises the database's error."""

    def __init__(self, inbox: Inbox, *, max_batch: int = 256, parallel: int | None = None) -> None:
        self.inbox = inbox
        self.max_batch = max_batch
        #: Batches in flight at once. PostgreSQL overlaps one batch's commit (a WAL flush) with
        #: the next batch's statement; SQLite has one writer, so one.
        self.parallel = parallel or (2 if inbox.is_postgres else 1)
        self._waiting: list[tuple[Delivery, asyncio.Future[Accepted]]] = []
        self._tasks: set[asyncio.Task[None]] = set()
        #: Batches committed and events in them, for the metrics.
        self.batches = 0
        self.events = 0

    async def accept(self, delivery: Delivery) -> Accepted:
        future: asyncio.Future[Accepted] = asyncio.get_running_loop().create_future()
        future.add_done_callback(_quiet)
        self._waiting.append((delivery, future))
        if len(self._tasks) < self.parallel:
            task = asyncio.get_running_loop().create_task(self._commit_all(), name="gong-trigger-commit")
            self._tasks.add(task)
        # Shielded: a client that goes away must not cancel a commit others wait for.
        return await asyncio.shield(future)

    async def _commit_all(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[: self.max_batch], self._waiting[self.max_batch :]
                try:
                    await self._commit(batch)
                except Exception as exc:
                    if len(batch) > 1 and not is_transient(exc):
                        # One row the database refuses must not fail the others: alone, each
                        # either commits or gets its own error.
                        for one in batch:
                            await self._commit_or_fail([one])
                    else:
                        _fail(batch, exc)
                except BaseException as exc:
                    _fail(batch, exc)
                    raise
        finally:
            # Synchronously, in this task's last step: a delivery queued after the loop's last
            # look must find a free place and start a task of its own.
            self._tasks.discard(asyncio.current_task())

    async def _commit(self, batch: list[tuple[Delivery, asyncio.Future[Accepted]]]) -> None:
        deliveries = [d for d, _ in batch]
        results: Sequence[Accepted] = await anyio.to_thread.run_sync(self.inbox.accept_many, deliveries)
        self.batches += 1
        self.events += len(batch)
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)

    async def _commit_or_fail(self, batch: list[tuple[Delivery, asyncio.Future[Accepted]]]) -> None:
        try:
            await self._commit(batch)
        except Exception as exc:
            _fail(batch, exc)


def _fail(batch: list[tuple[Delivery, asyncio.Future[Accepted]]], exc: BaseException) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(exc)
