"""``/healthz`` and ``/metrics``: served by the receiver (``Trigger``) on its own port, and by
a worker-only process (``gong trigger worker --metrics-port``) through ``WorkerMetricsApp``.

Both answer the same way: ``/healthz`` is 200 while the inbox database answers (asked at
most once a second), else 503; ``/metrics`` is ``Metrics.render`` with the inbox's counts by
status (read at most every 2 s), so a scrape every second costs the database little.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

import anyio.to_thread
from starlette.types import Receive, Scope, Send

from .._serving import RateLimitedLogFilter
from ._inbox import Inbox
from ._metrics import CONTENT_TYPE, Metrics
from ._worker import Worker

__all__ = [
    "InboxProbe",
    "WorkerMetricsApp",
    "copy_server_counters",
    "respond",
    "route_of",
    "send_health",
    "send_metrics",
]

#: Seconds a health check and a read of the inbox's counts are reused for.
HEALTH_SECONDS = 1.0
COUNTS_SECONDS = 2.0


class InboxProbe:
    """The inbox as ``/healthz`` and ``/metrics`` see it: whether it answers, and its events
    by status, each read in a worker thread and reused for a while (``expire`` forgets both)."""

    def __init__(self, inbox: Inbox, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.inbox = inbox
        self._clock = clock
        self._health: tuple[float, bool] = (float("-inf"), False)
        self._statuses: tuple[float, dict[str, int] | None] = (float("-inf"), None)

    def expire(self) -> None:
        """Ask the database again on the next request."""
        self._health = (float("-inf"), self._health[1])
        self._statuses = (float("-inf"), self._statuses[1])

    async def healthy(self) -> bool:
        checked_at, healthy = self._health
        if self._clock() - checked_at >= HEALTH_SECONDS:
            try:
                await anyio.to_thread.run_sync(self.inbox.ping)
                healthy = True
            except Exception:
                healthy = False
            self._health = (self._clock(), healthy)
        return healthy

    async def statuses(self) -> dict[str, int] | None:
        """Events by status, or None when the database did not answer."""
        read_at, statuses = self._statuses
        if self._clock() - read_at >= COUNTS_SECONDS:
            try:
                statuses = await anyio.to_thread.run_sync(self.inbox.counts)
            except Exception:
                statuses = None
            self._statuses = (self._clock(), statuses)
        return statuses


def copy_server_counters(metrics: Metrics, counts: Mapping[str, int], suppressed_log_lines: int) -> None:
    """The connection counts of a server with ``ConnectionLimits``, and the log lines it
    dropped, into this process's slot of ``metrics``."""
    for name in ("evicted", "refused", "header_timeout", "header_too_large"):
        metrics.set_process_counter(f"connections_{name}_total", counts.get(name, 0))
    metrics.set_process_counter("log_lines_suppressed_total", suppressed_log_lines)


async def send_health(send: Send, probe: InboxProbe) -> None:
    if await probe.healthy():
        await respond(send, 200, {"status": "ok"})
    else:
        await respond(send, 503, {"status": "inbox unavailable"})


async def send_metrics(send: Send, metrics: Metrics, probe: InboxProbe) -> None:
    text = metrics.render(await probe.statuses()).encode()
    headers = [(b"content-type", CONTENT_TYPE.encode()), (b"content-length", str(len(text)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": text})


async def respond(
    send: Send,
    status: int,
    body: dict[str, Any],
    extra: list[tuple[bytes, bytes]] | None = None,
    *,
    close: bool = False,
) -> None:
    """A JSON answer. ``close``: the request's body may be unread, so the connection is not kept."""
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()), *(extra or [])]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def route_of(scope: Scope) -> str:
    """The request's path under the app's mount point (``root_path``)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


class WorkerMetricsApp:
    """An ASGI app serving a ``Worker``'s ``/healthz`` and ``/metrics``, for a process that
    runs handlers without receiving. The metrics have the receiver's names: the worker's
    handler histogram and failures, and the inbox's gauges (webhook counters stay at 0).
    Any other path is 404, any other method than GET or HEAD 405.

    It only reports: run the worker yourself (``await worker.run()``), and serve this app
    beside it, e.g. with ``WorkerMetricsServer(worker, port=9100)``.
    """

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.probe = InboxProbe(worker.inbox)
        #: The server's connection counts and log filter (set by ``WorkerMetricsServer``).
        self.server_counts: Mapping[str, int] = {}
        self.server_log_filter: RateLimitedLogFilter | None = None

    @property
    def metrics(self) -> Metrics:
        return self.worker.metrics

    def __repr__(self) -> str:
        return f"WorkerMetricsApp({self.worker.owner!r})"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        route, reading = route_of(scope), scope["method"] in ("GET", "HEAD")
        if route not in ("/healthz", "/metrics"):
            await respond(send, 404, {"error": "not found"}, close=not reading)
        elif not reading:
            await respond(send, 405, {"error": "method not allowed"}, [(b"allow", b"GET, HEAD")], close=True)
        elif route == "/healthz":
            await send_health(send, self.probe)
        else:
            suppressed = self.server_log_filter.suppressed if self.server_log_filter is not None else 0
            copy_server_counters(self.metrics, self.server_counts, suppressed)
            await send_metrics(send, self.metrics, self.probe)
