"""Serve a ``Trigger`` with uvicorn: in a background thread (tests, benchmarks) or in front;
and a worker-only process's ``/healthz`` and ``/metrics``."""

from __future__ import annotations

import socket

import uvicorn

from .._serving import ASGIApp, ConnectionLimits, SocketServer
from ._app import Trigger
from ._endpoints import WorkerMetricsApp
from ._worker import Worker

__all__ = ["ConnectionLimits", "TriggerServer", "WorkerMetricsServer"]


class TriggerServer(SocketServer):
    """``with TriggerServer(trigger) as server:`` serves on ``server.url`` (port 0: a free one).

    ``app`` is a ``Trigger`` or any ASGI app that routes to one (with its lifespan). The
    trigger faces the internet, so it is served with ``ConnectionLimits`` (header deadline
    and size, a cap on connections, rate-limited logs); pass ``limits`` to change them. The
    trigger logs each webhook itself, without the query string that may hold the URL key.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
        limits: ConnectionLimits | None = None,
        sock: socket.socket | None = None,
    ) -> None:
        super().__init__(
            app,
            host=host,
            port=port,
            log_level=log_level,
            graceful_timeout=5,
            name="gong-trigger",
            limits=limits or ConnectionLimits(),
            sock=sock,
        )

    def _uvicorn(self, log_level: str) -> uvicorn.Server:
        server = super()._uvicorn(log_level)
        if self.guard is not None and isinstance(self.app, Trigger):
            # /metrics reports the connections the guard closed, and the log lines dropped.
            self.app.server_counts = self.guard.counts
            self.app.server_log_filter = self.log_filter
        return server


class WorkerMetricsServer(SocketServer):
    """``with WorkerMetricsServer(worker, port=9100) as server:`` serves the worker's
    ``/healthz`` and ``/metrics`` (``WorkerMetricsApp``) on ``server.url`` from a thread,
    while the worker runs wherever you run it. Port 0 picks a free one. Reachable from the
    network, so served with ``ConnectionLimits`` like the receiver; /metrics reports them.
    """

    def __init__(
        self,
        worker: Worker,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
        limits: ConnectionLimits | None = None,
        sock: socket.socket | None = None,
    ) -> None:
        self.metrics_app = WorkerMetricsApp(worker)
        super().__init__(
            self.metrics_app,
            host=host,
            port=port,
            log_level=log_level,
            graceful_timeout=1,
            name="gong-worker-metrics",
            limits=limits or ConnectionLimits(),
            sock=sock,
        )

    def _uvicorn(self, log_level: str) -> uvicorn.Server:
        server = super()._uvicorn(log_level)
        if self.guard is not None:
            self.metrics_app.server_counts = self.guard.counts
            self.metrics_app.server_log_filter = self.log_filter
        return server
