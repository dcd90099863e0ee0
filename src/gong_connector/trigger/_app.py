"""The receiver: an ASGI application that verifies Gong's webhook and commits it to the inbox.

A ``Trigger`` is itself the ASGI app, so it runs under uvicorn (``gong trigger serve``),
mounts into Starlette or FastAPI, and takes handlers by decorator. The 200 goes back only
after the event is committed; every rejection answers before anything is written.

The order of work is the order of cost, and nothing is read before it has to be: the
credentials (``Authorization``, or the URL key) are checked from the headers alone, so a
request without them is answered 401 without its body being read; the body is read under
a deadline and a size limit, then bound to the token, parsed and checked to fit the
table; then it joins the next group commit. Every outcome is a deliberate status: 4xx for
what the sender can fix or should not retry, 503 only for trouble of our own that may pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import sys
import time
from collections.abc import AsyncIterator, Callable
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import anyio.to_thread
from starlette.datastructures import URL
from starlette.types import Receive, Scope, Send

from .._serving import RateLimitedLogFilter
from ..errors import (
    GongError,
    MalformedPayloadError,
    PayloadTooLargeError,
    ValidationError,
    VerificationError,
    WebhookError,
)
from ._committer import GroupCommitter, is_transient
from ._endpoints import InboxProbe, copy_server_counters, respond, route_of, send_health, send_metrics
from ._inbox import DEFAULT_DB_URL, MAX_CALL_ID_CHARS, MAX_RULE_CHARS, Delivery, Inbox
from ._metrics import Metrics
from ._payload import check_text, parse_payload, read_delivery
from ._tenants import TenantDirectory, check_tenant_name
from ._verify import DEFAULT_MAX_BODY_BYTES, WebhookVerifier
from ._worker import Backoff, H, HandlerRegistry, Worker

__all__ = ["Trigger"]

log = logging.getLogger("gong_connector.trigger")

_GENERIC = {401: "unauthorized", 413: "payload too large", 408: "body too slow"}
_REASONS: dict[type[WebhookError], str] = {
    VerificationError: "unauthorized",
    PayloadTooLargeError: "too_large",
    MalformedPayloadError: "malformed",
}


class BodyTimeoutError(WebhookError):
    """The body did not arrive within the deadline; the connection is closed."""

    status_code = 408


class UnknownTenantError(WebhookError):
    """No tenant of that name (or no single-tenant key at ``/``)."""

    status_code = 404


class Trigger:
    """Gong's Process Automation webhook: verified, stored durably, handed to your handlers.

    ``verifier`` checks webhooks posted to any path but ``/t/{tenant}``, ``/healthz`` and
    ``/metrics``; without it only tenants (rows of the inbox, ``gong trigger tenants``) are
    served, each at ``/t/{tenant}`` with its own key. ``public_url`` is the URL Gong calls,
    without query (the ``rule`` and key parameters are taken from each request; a tenant's
    URL is ``{public_url}/t/{tenant}``); set it whenever a proxy or a mount changes scheme,
    host or path, because signed tokens are bound to it. Without it the URL is rebuilt from
    the request. ``run_worker=False`` makes a receive-only process.
    """

    def __init__(
        self,
        verifier: WebhookVerifier | None = None,
        *,
        inbox: Inbox | str = DEFAULT_DB_URL,
        public_url: str | None = None,
        rule_param: str = "rule",
        backoff: Backoff | None = None,
        concurrency: int = 4,
        lease_seconds: float = 60.0,
        poll_interval: float = 2.0,
        run_worker: bool = True,
        shutdown_timeout: float = 30.0,
        body_timeout: float = 30.0,
        max_body_bytes: int | None = None,
        tenant_refresh_seconds: float = 5.0,
        max_batch: int = 256,
        clock: Callable[[], float] | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.verifier = verifier
        self.inbox = inbox if isinstance(inbox, Inbox) else Inbox(inbox)
        if public_url is not None:
            parts = urlsplit(public_url)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
                raise ValidationError("public_url", "url", "must be an http(s) URL without a query")
            public_url = urlunsplit(parts._replace(fragment=""))
        if body_timeout <= 0:
            raise ValidationError("body_timeout", "positive", "must be positive")
        self.public_url = public_url
        self.rule_param = rule_param
        self.body_timeout = body_timeout
        limit = max_body_bytes or (verifier.max_body_bytes if verifier is not None else DEFAULT_MAX_BODY_BYTES)
        self.max_body_bytes = limit
        self.metrics = metrics or Metrics()
        self.tenants = TenantDirectory(
            self.inbox,
            refresh_seconds=tenant_refresh_seconds,
            max_body_bytes=limit,
            leeway=verifier.leeway if verifier is not None else 60.0,
            clock=clock or (verifier.clock if verifier is not None else time.time),
        )
        self.handlers = HandlerRegistry()
        self.worker = Worker(
            self.inbox,
            self.handlers,
            backoff=backoff,
            concurrency=concurrency,
            lease_seconds=lease_seconds,
            poll_interval=poll_interval,
            metrics=self.metrics,
        )
        self.committer = GroupCommitter(self.inbox, max_batch=max_batch)
        self.run_worker = run_worker
        self.shutdown_timeout = shutdown_timeout
        #: End the process when handlers outlive ``shutdown_timeout`` (what ``gong trigger
        #: serve`` does); an application embedding the app decides for itself.
        self.exit_when_stuck = False
        self._worker_task: asyncio.Task[None] | None = None
        #: A flood of bad requests becomes a few lines a minute and a count, never a line each.
        self.log_gate = RateLimitedLogFilter(burst=10, interval=60.0)
        #: The server's connection counts and log filter (set by ``TriggerServer``), for /metrics.
        self.server_counts: dict[str, int] = {}
        self.server_log_filter: RateLimitedLogFilter | None = None
        #: The inbox as /healthz and /metrics see it (read at most every second, every 2 s).
        self.probe = InboxProbe(self.inbox)

    def __repr__(self) -> str:
        return f"Trigger({self.verifier!r}, inbox={self.inbox!r}, public_url={self.public_url!r})"

    def on_call(
        self, *rules: str, tenant: str | list[str] | None = None, transactional: bool = False
    ) -> Callable[[H], H]:
        """Decorator registering a handler for calls from these rules (or every rule), of this
        tenant (or every tenant); see ``HandlerRegistry.on_call``."""
        return self.handlers.on_call(*rules, tenant=tenant, transactional=transactional)

    # ----- worker lifecycle -----------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, app: object = None) -> AsyncIterator[None]:
        """Runs the worker while the app runs; pass as ``lifespan=`` when mounting the trigger
        (Starlette does not run a mounted app's lifespan)."""
        started = self.run_worker and len(self.handlers) > 0 and self._worker_task is None
        if started:
            self._worker_task = asyncio.create_task(self.worker.run(), name="gong-trigger-worker")
        with contextlib.suppress(Exception):
            await anyio.to_thread.run_sync(self.tenants.refresh)  # the database may be down: read on demand
        syncing = asyncio.create_task(self._sync_counters_every_second(), name="gong-trigger-counters")
        try:
            yield
        finally:
            syncing.cancel()
            if started and self._worker_task is not None:
                # Let the attempts in hand finish and record their outcome; cancel only
                # what outlives the timeout (its lease then expires and it runs again).
                self.worker.stop()
                done, _ = await asyncio.wait({self._worker_task}, timeout=self.shutdown_timeout)
                if not done:
                    # A handler that never returns: its thread cannot be stopped, and waiting
                    # for it would keep the process alive for ever.
                    log.error(
                        "trigger: %d handler(s) still running %gs after the stop; their events run "
                        "again once their leases expire",
                        len(self.worker.in_hand),
                        self.shutdown_timeout,
                    )
                    self._worker_task.cancel()
                    if self.exit_when_stuck:
                        os._exit(1)
                self._worker_task = None

    # ----- ASGI -----------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        message = await receive()
        assert message["type"] == "lifespan.startup"
        async with self.lifespan():
            await send({"type": "lifespan.startup.complete"})
            message = await receive()
        await send({"type": "lifespan.shutdown.complete"})

    def url_for(self, scope: Scope, tenant: str | None = None) -> str:
        """The public URL this request was sent to, query included: what the JWT must name."""
        query = scope.get("query_string", b"").decode("latin-1")
        if self.public_url is None:
            return _request_url(scope, query)
        base = self.public_url if tenant is None else f"{self.public_url.rstrip('/')}/t/{tenant}"
        return f"{base}?{query}" if query else base

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        route = route_of(scope)
        method = scope["method"]
        if route in ("/healthz", "/metrics"):
            if method not in ("GET", "HEAD"):
                await respond(send, 405, {"error": "method not allowed"}, [(b"allow", b"GET, HEAD")])
            elif route == "/healthz":
                await send_health(send, self.probe)
            else:
                self.sync_process_counters()
                await send_metrics(send, self.metrics, self.probe)
            return
        if method != "POST":
            self.metrics.count_rejected("method")
            await respond(send, 405, {"error": "method not allowed"}, [(b"allow", b"POST")], close=True)
            return
        tenant = None
        if route.startswith("/t/"):
            tenant = route[3:].rstrip("/")
        try:
            await self._receive_webhook(scope, receive, send, tenant)
        except WebhookError as exc:
            reason = _REASONS.get(type(exc)) or {404: "unknown_tenant", 408: "body_timeout"}.get(
                exc.status_code, "rejected"
            )
            self.metrics.count_rejected(reason)
            self._log(logging.WARNING, "gong webhook rejected (%d) on %s: %s", exc.status_code, path, exc.reason)
            body = {"error": _GENERIC.get(exc.status_code, exc.reason)}
            await respond(send, exc.status_code, body, close=True)
        except GongError as exc:  # the tenants table could not be read
            self.metrics.count_rejected("store_unavailable")
            self._log(logging.ERROR, "gong webhook not taken (%d) on %s: %s", 503, path, exc)
            await respond(send, 503, {"error": "inbox unavailable"}, close=True)
        except Exception:
            # A bug of ours: still one answer, and one traceback a minute at most, not one each.
            self.metrics.count_rejected("rejected")
            if log.isEnabledFor(logging.ERROR):
                record = log.makeRecord(
                    log.name, logging.ERROR, __file__, 0, "gong webhook failed (%d) on %s", (500, path), sys.exc_info()
                )
                if self.log_gate.filter(record):
                    log.handle(record)
            await respond(send, 500, {"error": "internal error"}, close=True)

    async def _receive_webhook(self, scope: Scope, receive: Receive, send: Send, tenant: str | None) -> None:
        if tenant is not None:
            try:
                check_tenant_name(tenant)
            except ValidationError:
                raise UnknownTenantError("not a tenant name") from None
            verifier = await self.tenants.lookup(tenant)
            if verifier is None:
                raise UnknownTenantError(f"no tenant {tenant!r}")
        elif self.verifier is None:
            raise UnknownTenantError("no key for this path: post to /t/{tenant}")
        else:
            verifier = self.verifier
        authorization, declared = _headers(scope)
        url = self.url_for(scope, tenant)
        # Credentials first, from the headers alone: no body is read for a request without them.
        credential = verifier.authenticate({"Authorization": authorization} if authorization else {}, url)
        limit = verifier.max_body_bytes
        if declared is not None and declared > limit:
            raise PayloadTooLargeError(f"Content-Length over {limit} bytes")
        rule = self._rule(scope)
        body = await self._read_body(receive, limit)
        verifier.check_body(body, credential)
        text, payload = parse_payload(body)
        call_id, is_test = read_delivery(payload, max_call_id_chars=MAX_CALL_ID_CHARS)
        delivery = Delivery(rule, call_id, is_test, text, tenant or "")
        try:
            accepted = await self.committer.accept(delivery)
        except Exception as exc:
            if is_transient(exc):
                # No 200 without a commit: Gong retries what we could not store.
                self.metrics.count_rejected("store_unavailable")
                self._log(logging.ERROR, "gong webhook not stored (%d): inbox error %s", 503, type(exc).__name__)
                await respond(send, 503, {"error": "inbox unavailable"}, close=True)
                return
            self.metrics.count_rejected("store_refused")
            self._log(logging.ERROR, "gong webhook refused by the inbox (%d): %s", 422, type(exc).__name__)
            await respond(send, 422, {"error": "the inbox cannot store this event"}, close=True)
            return
        self.metrics.count_accepted(duplicate=accepted.duplicate)
        if log.isEnabledFor(logging.INFO):
            log.info(
                "gong webhook %s: event %d tenant %r rule %r call %s%s (delivery %d)",
                "repeated" if accepted.duplicate else "accepted",
                accepted.event_id,
                tenant or "",
                rule,
                call_id,
                " [test]" if is_test else "",
                accepted.deliveries,
            )
        self.worker.wake()
        await respond(send, 200, {"eventId": accepted.event_id, "duplicate": accepted.duplicate})

    def _log(self, level: int, msg: str, *args: object) -> None:
        """Through ``log_gate``: each kind of line at most a few times a minute, then counted."""
        if log.isEnabledFor(level):
            record = log.makeRecord(log.name, level, __file__, 0, msg, args, None)
            if self.log_gate.filter(record):
                log.handle(record)

    def _rule(self, scope: Scope) -> str:
        """The ``rule`` query parameter, which must be UTF-8 and fit its column."""
        query = scope.get("query_string", b"")
        return _rule_of(query, self.rule_param) if query else ""

    async def _read_body(self, receive: Receive, limit: int) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(self.body_timeout):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        raise MalformedPayloadError("client disconnected before the body ended")
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > limit:
                        raise PayloadTooLargeError(f"body over {limit} bytes")
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        return b"".join(chunks)
        except TimeoutError:
            raise BodyTimeoutError(f"body not received within {self.body_timeout:g}s") from None

    # ----- operations -----------------------------------------------------------------------

    def sync_process_counters(self) -> None:
        """Copy what the server and this process count elsewhere into this process's slot."""
        server_suppressed = self.server_log_filter.suppressed if self.server_log_filter is not None else 0
        copy_server_counters(self.metrics, self.server_counts, self.log_gate.suppressed + server_suppressed)
        self.metrics.set_process_counter("commit_batches_total", self.committer.batches)

    async def _sync_counters_every_second(self) -> None:
        """With several processes another one may answer the scrape: keep this slot fresh."""
        while True:
            await asyncio.sleep(1.0)
            self.sync_process_counters()


@functools.lru_cache(maxsize=1024)
def _rule_of(query: bytes, param: str) -> str:
    """Cached: a receiver sees the same few query strings (one per rule) again and again."""
    try:
        pairs = parse_qsl(query.decode("ascii"), keep_blank_values=True, errors="strict")
    except UnicodeError:
        raise MalformedPayloadError("the query string is not percent-encoded UTF-8") from None
    rule = next((v for k, v in pairs if k == param), "")
    return check_text(f"the {param} parameter", rule, MAX_RULE_CHARS)


def _request_url(scope: Scope, query: str) -> str:
    """Starlette's ``URL(scope=...)``, cached on what it reads: the same few URLs repeat."""
    host = next((v for k, v in scope["headers"] if k == b"host"), None)
    server = scope.get("server")
    return _url_of(scope.get("scheme", "http"), host, scope["path"], query, tuple(server) if server else None)


@functools.lru_cache(maxsize=1024)
def _url_of(scheme: str, host: bytes | None, path: str, query: str, server: tuple[str, int] | None) -> str:
    headers = [(b"host", host)] if host is not None else []
    scope = {"type": "http", "scheme": scheme, "path": path, "query_string": query.encode("latin-1")}
    return str(URL(scope={**scope, "headers": headers, "server": server}))


def _headers(scope: Scope) -> tuple[str | None, int | None]:
    """``Authorization`` and ``Content-Length``, the only headers the receiver reads."""
    authorization: str | None = None
    declared: int | None = None
    for name, value in scope["headers"]:
        if name == b"authorization":
            authorization = value.decode("latin-1")
        elif name == b"content-length" and value.isdigit():
            declared = int(value)
    return authorization, declared
