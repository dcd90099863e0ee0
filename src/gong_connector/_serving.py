"""Serve an ASGI app with uvicorn on a socket bound beforehand.

Binding first means the port is known as soon as the object exists (port 0 picks a free
one) and a busy port fails in the constructor, where a command line can report it. The
emulator, the trigger and the MCP server all run this way: in a background thread for
tests and ``with`` blocks, or in the calling thread for a command that serves until Ctrl-C.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Self

import uvicorn

__all__ = ["ASGIApp", "SocketServer", "bind"]

ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]


def bind(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """A listening, non-blocking TCP socket; connections made before serving starts wait."""
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted sockets only for that protocol,
    # and without it Nagle's algorithm and delayed ACKs add ~40 ms to keep-alive responses.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


class SocketServer:
    """``with SocketServer(app) as server:`` serves ``app`` on ``server.url`` from a thread.

    Uvicorn's access log is off: request lines carry query strings, which may hold secrets
    (a trigger's URL key), and the apps log what they need themselves.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_level: str = "warning",
        graceful_timeout: int | None = 5,
        name: str = "gong-server",
    ) -> None:
        self.app = app
        self.host = host
        self.log_level = log_level
        self.name = name
        self._graceful_timeout = graceful_timeout
        self._sock = bind(host, port)
        self.port: int = self._sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{self.port}"
        #: The uvicorn server once serving starts (its ``server_state`` lists live connections).
        self.server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def _uvicorn(self, log_level: str) -> uvicorn.Server:
        config = uvicorn.Config(
            self.app,
            log_level=log_level,
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=self._graceful_timeout,
        )
        return uvicorn.Server(config)

    def start(self) -> Self:
        """Serve from a daemon thread; returns once the app has started (lifespan included)."""
        if self._thread is not None:
            return self
        server = self._uvicorn(self.log_level)
        server.config.install_signal_handlers = False  # type: ignore[attr-defined]
        self.server = server
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [self._sock]}, name=f"{self.name}-{self.port}", daemon=True
        )
        self._thread.start()
        while not server.started:
            if not self._thread.is_alive():
                self._thread = None
                raise RuntimeError(f"{self.name} failed to start on {self.url}")
            self._thread.join(0.01)
        return self

    def serve_forever(self, log_level: str | None = None) -> None:
        """Serve in the calling thread until interrupted (Ctrl-C, SIGTERM); then close the socket."""
        self.server = self._uvicorn(log_level or self.log_level)
        try:
            self.server.run(sockets=[self._sock])
        finally:
            self._sock.close()

    def stop(self) -> None:
        if self.server is not None and self._thread is not None:
            self.server.should_exit = True
            self._thread.join(timeout=10)
            self._thread = None
        self._sock.close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
