"""Serve a ``Trigger`` with uvicorn: in a background thread (tests, benchmarks) or in front."""

from __future__ import annotations

from .._serving import ASGIApp, SocketServer

__all__ = ["TriggerServer"]


class TriggerServer(SocketServer):
    """``with TriggerServer(trigger) as server:`` serves on ``server.url`` (port 0: a free one).

    ``app`` is a ``Trigger`` or any ASGI app that routes to one (with its lifespan). The
    trigger logs each webhook itself, without the query string that may hold the URL key.
    """

    def __init__(self, app: ASGIApp, *, host: str = "127.0.0.1", port: int = 0, log_level: str = "warning") -> None:
        super().__init__(app, host=host, port=port, log_level=log_level, graceful_timeout=5, name="gong-trigger")
