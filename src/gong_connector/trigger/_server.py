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


class _ReportingServer(SocketServer):
    """A server facing the network, with ``ConnectionLimits``, whose app reports on
    ``/metrics`` the connections the guard closed and the log lines it dropped."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        host: str,
        port: int,
        log_level: str,
        limits: ConnectionLimits | None,
        sock: socket.socket | None,
        name: str,
        graceful_timeout: int,
    ) -> None:
        super().__init__(
            app,
            host=host,
            port=port,
            log_level=log_level,
            graceful_timeout=graceful_timeout,
            name=name,
            limits=limits or ConnectionLimits(),
            sock=sock,
        )

    def _reporter(self) -> Trigger | WorkerMetricsApp | None:
        return None

    def _uvicorn(self, log_level: str) -> uvicorn.Server:
        server = super()._uvicorn(log_level)
        reporter = self._reporter()
        if self.guard is not None and reporter is not None:
            reporter.server_counts = self.guard.counts
            reporter.server_log_filter = self.log_filter
        return server


class TriggerServer(_ReportingServer):
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
            limits=limits,
            sock=sock,
            name="gong-trigger",
            graceful_timeout=5,
        )

    def _reporter(self) -> Trigger | None:
        return self.app if isinstance(self.app, Trigger) else None


class WorkerMetricsServer(_ReportingServer):
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
            limits=limits,
            sock=sock,
            name="gong-worker-metrics",
            graceful_timeout=1,
        )

    def _reporter(self) -> WorkerMetricsApp:
        return self.metrics_app
