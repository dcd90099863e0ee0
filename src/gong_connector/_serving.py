"""Serve an ASGI app with uvicorn on a socket bound beforehand.

Binding first means the port is known as soon as the object exists (port 0 picks a free
one) and a busy port fails in the constructor, where a command line can report it. The
emulator, the trigger and the MCP server all run this way: in a background thread for
tests and ``with`` blocks, or in the calling thread for a command that serves until Ctrl-C.

A server that faces the internet passes ``ConnectionLimits``: uvicorn closes idle keep-alive
connections but has no deadline for a request's headers, no cap on connections and logs
each failure (an accept that runs out of file descriptors logs a traceback every time).
With limits, a connection that has not sent its headers in time is closed, oversized
headers get 431, the oldest connection still waiting for headers makes room for a new one
when the cap is reached, and repeated log lines are counted and rate-limited.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import os
import resource
import signal
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import uvicorn

__all__ = [
    "ASGIApp",
    "ConnectionGuard",
    "ConnectionLimits",
    "RateLimitedLogFilter",
    "SocketServer",
    "bind",
    "serve_in_processes",
]

ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]
_RESERVED_FDS = 128  # database connections, log files, the listening socket


@dataclass(frozen=True)
class ConnectionLimits:
    """Bounds on what one client connection may hold: time, header bytes, and a place."""

    #: Open connections at most; capped below the process's file descriptor limit.
    max_connections: int = 1000
    #: Seconds from connecting (or from the previous response) to the end of the headers.
    header_timeout: float = 10.0
    #: Bytes of request line and headers; more gets 431.
    max_header_bytes: int = 16 * 1024
    #: Seconds an idle keep-alive connection is kept (uvicorn's ``timeout_keep_alive``).
    keep_alive_timeout: int = 5


class RateLimitedLogFilter(logging.Filter):
    """Lets ``burst`` records of each message template through per ``interval`` seconds and
    counts the rest; the next record let through says how many were dropped. Only the first
    record of a template in each interval keeps its traceback."""

    def __init__(self, burst: int = 5, interval: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.burst = burst
        self.interval = interval
        self._clock = clock
        self._windows: dict[tuple[str, object], list[float]] = {}  # key -> [window start, passed, dropped]
        self._lock = threading.Lock()
        self.suppressed = 0

    def filter(self, record: logging.LogRecord) -> bool:
        # The template and its first argument (a status code, say): a bounded set of keys.
        first = record.args[0] if isinstance(record.args, tuple) and record.args else None
        key = (record.name, (record.msg, first if isinstance(first, int) else None))
        now = self._clock()
        with self._lock:
            window = self._windows.get(key)
            if window is None or now - window[0] >= self.interval:
                dropped = int(window[2]) if window is not None else 0
                if len(self._windows) > 1000:  # templates are few; keep the table bounded anyway
                    self._windows.clear()
                window = self._windows[key] = [now, 0, 0]
                if dropped:
                    record.msg = f"{record.msg} [{dropped} similar messages suppressed in the last interval]"
            elif window[1] >= self.burst:
                window[2] += 1
                self.suppressed += 1
                return False
            window[1] += 1
            if window[1] > 1:
                record.exc_info = None
                record.exc_text = None
                record.stack_info = None
        return True


class ConnectionGuard:
    """The state the protocols of one server share: open connections, and those waiting for
    request headers, oldest first (the ones to close when room is needed)."""

    def __init__(self, limits: ConnectionLimits) -> None:
        self.limits = limits
        self.max_connections = min(limits.max_connections, _file_limit() - _RESERVED_FDS)
        self.open = 0
        self.waiting: collections.OrderedDict[Any, None] = collections.OrderedDict()
        self.counts = {"evicted": 0, "refused": 0, "header_timeout": 0, "header_too_large": 0}

    def make_room(self) -> bool:
        """Close the oldest connection still waiting for headers; False when none is."""
        if not self.waiting:
            return False
        victim, _ = self.waiting.popitem(last=False)
        victim.transport.abort()
        self.counts["evicted"] += 1
        return True


def _file_limit() -> int:
    """The soft file descriptor limit, raised to the hard one first."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
    return int(soft) if soft != resource.RLIM_INFINITY else 1 << 20


_TOO_LARGE_BODY = b"request headers too large"
_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(_TOO_LARGE_BODY), _TOO_LARGE_BODY)
)


def guarded_protocol(guard: ConnectionGuard) -> type[asyncio.Protocol]:
    """uvicorn's HTTP protocol (httptools when installed, else h11) with ``guard``'s limits.

    It relies on two things both protocols have: ``self.cycle`` is replaced when a request's
    headers are complete, and ``on_response_complete`` runs after each response.
    """
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    base: Any = AutoHTTPProtocol

    class GuardedProtocol(base):  # type: ignore[misc]
        def connection_made(self, transport: asyncio.Transport) -> None:
            super().connection_made(transport)
            self._header_timer: asyncio.TimerHandle | None = None
            guard.open += 1
            self._counted = True
            if guard.open > guard.max_connections and not guard.make_room():
                guard.counts["refused"] += 1
                transport.abort()
                return
            self._await_headers()

        def _await_headers(self) -> None:
            self._cycle_before = self.cycle
            self._header_bytes = 0
            guard.waiting[self] = None
            self._header_timer = self.loop.call_later(guard.limits.header_timeout, self._headers_too_slow)

        def _headers_arrived(self) -> None:
            guard.waiting.pop(self, None)
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            guard.waiting.pop(self, None)
            guard.counts["header_timeout"] += 1
            self.transport.abort()

        def data_received(self, data: bytes) -> None:
            waiting = self._header_timer is not None
            if waiting:
                self._header_bytes += len(data)
            super().data_received(data)
            if not waiting:
                return
            if self.cycle is not self._cycle_before:
                self._headers_arrived()
            elif self._header_bytes > guard.limits.max_header_bytes:
                self._headers_arrived()
                guard.counts["header_too_large"] += 1
                if not self.transport.is_closing():
                    self.transport.write(_TOO_LARGE)
                    self.transport.close()

        def on_response_complete(self) -> None:
            before = self.cycle
            super().on_response_complete()
            if not self.transport.is_closing() and self.cycle is before and self._header_timer is None:
                self._await_headers()

        def connection_lost(self, exc: Exception | None) -> None:
            if getattr(self, "_counted", False):
                self._counted = False
                guard.open -= 1
                self._headers_arrived()
            super().connection_lost(exc)

    return GuardedProtocol


class _Server(uvicorn.Server):
    """uvicorn's server, whose idle loop ``wake()`` ends at once: uvicorn looks at
    ``should_exit`` every 0.1 s, so each server stopped from another thread (every ``with``
    block, every test) waited up to that long before its shutdown began."""

    _loop: asyncio.AbstractEventLoop | None = None
    _woken: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self._loop, self._woken = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        while not await self.on_tick(counter):  # True once should_exit is set
            counter = (counter + 1) % 864_000
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(0.1):
                    await self._woken.wait()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # uvicorn pauses 0.1 s for open connections to close, even when there are none: with
        # nothing open, stop listening and end the app's lifespan without the pause.
        state = self.server_state
        if state.connections or state.tasks or self.force_exit:
            await super().shutdown(sockets)
            return
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for server in self.servers:
            await server.wait_closed()
        await self.lifespan.shutdown()

    def wake(self) -> None:
        """Have the idle loop look at ``should_exit`` now (callable from any thread)."""
        loop, woken = self._loop, self._woken
        if loop is not None and woken is not None:
            with contextlib.suppress(RuntimeError):  # its loop has closed: nothing to wake
                loop.call_soon_threadsafe(woken.set)


class _GuardedServer(_Server):
    """Accept errors (out of file descriptors) are counted and rate-limited, not a traceback each."""

    def __init__(self, config: uvicorn.Config, log_filter: RateLimitedLogFilter) -> None:
        super().__init__(config)
        self._log_filter = log_filter

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        loop = asyncio.get_running_loop()
        default = loop.default_exception_handler
        log = logging.getLogger("gong_connector.serving")
        log.addFilter(self._log_filter)

        def handle(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
            if context.get("message", "").startswith("socket.accept() out of system resource"):
                exc = context.get("exception")
                log.warning("cannot accept a connection: %s", type(exc).__name__ if exc else "out of resources")
                return
            default(context)

        loop.set_exception_handler(handle)
        await super().startup(sockets)


def serve_in_processes(processes: int, serve_one: Callable[[int], None], *, restart_delay: float = 1.0) -> None:
    """Fork ``processes`` children that each run ``serve_one(index)`` (serving on a socket
    bound before the fork, which they share), until SIGINT or SIGTERM; then each child is
    sent SIGTERM once and waited for. A child that dies otherwise is started again.

    Children run in process groups of their own, so a terminal's Ctrl-C reaches only this
    supervisor, which passes it on once (a second signal would make uvicorn skip its
    graceful shutdown). For Linux and macOS (``os.fork``).
    """
    log = logging.getLogger("gong_connector.serving")
    children: dict[int, int] = {}
    stopping = False

    def start(index: int) -> None:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                os.setpgid(0, 0)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                serve_one(index)
            except KeyboardInterrupt:
                pass
            except BaseException:
                log.exception("server process %d failed", index)
                code = 1
            finally:
                os._exit(code)
        children[pid] = index

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            for pid in list(children):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for index in range(processes):
            start(index)
        while children:
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            index = children.pop(pid, -1)
            if index >= 0 and not stopping:
                log.error("server process %d exited (status %d); starting it again", index, status)
                time.sleep(restart_delay)
                if not stopping:
                    start(index)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def bind(host: str, port: int, backlog: int = 2048, *, reuse_port: bool = False) -> socket.socket:
    """A listening, non-blocking TCP socket; connections made before serving starts wait.

    ``reuse_port``: several processes may bind the same port, and the kernel spreads new
    connections evenly among their listening sockets (Linux ``SO_REUSEPORT``); one shared
    listening socket would instead go mostly to whichever process wakes first.
    """
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted sockets only for that protocol,
    # and without it Nagle's algorithm and delayed ACKs add ~40 ms to keep-alive responses.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
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
        limits: ConnectionLimits | None = None,
        sock: socket.socket | None = None,
    ) -> None:
        self.app = app
        self.host = host
        self.log_level = log_level
        self.name = name
        self._graceful_timeout = graceful_timeout
        self.limits = limits
        #: Counts of closed and refused connections, when ``limits`` are on.
        self.guard: ConnectionGuard | None = None
        #: Counts of log lines dropped by rate limiting, when ``limits`` are on.
        self.log_filter = RateLimitedLogFilter()
        self._sock = sock if sock is not None else bind(host, port)
        self.port: int = self._sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{self.port}"
        #: The uvicorn server once serving starts (its ``server_state`` lists live connections).
        self.server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def _uvicorn(self, log_level: str) -> uvicorn.Server:
        options: dict[str, Any] = {}
        if self.limits is not None:
            self.guard = ConnectionGuard(self.limits)
            options.update(
                http=guarded_protocol(self.guard),
                timeout_keep_alive=self.limits.keep_alive_timeout,
                h11_max_incomplete_event_size=self.limits.max_header_bytes,
            )
        config = uvicorn.Config(
            self.app,
            log_level=log_level,
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=self._graceful_timeout,
            **options,
        )
        if self.limits is None:
            return _Server(config)
        # uvicorn configures its loggers when the config is made: filter them afterwards.
        for name in ("uvicorn.error", "asyncio"):
            logging.getLogger(name).addFilter(self.log_filter)
        return _GuardedServer(config, self.log_filter)

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

    def request_stop(self) -> None:
        """Ask the server to finish without waiting: stopping many servers, ask each first,
        then ``stop()`` each, and their shutdowns overlap."""
        if self.server is not None:
            self.server.should_exit = True
            if isinstance(self.server, _Server):
                self.server.wake()

    def stop(self) -> None:
        if self.server is not None and self._thread is not None:
            self.request_stop()
            self._thread.join(timeout=10)
            self._thread = None
        self._sock.close()
        for name in ("uvicorn.error", "asyncio", "gong_connector.serving"):
            logging.getLogger(name).removeFilter(self.log_filter)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
