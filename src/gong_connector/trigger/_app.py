"""The receiver: an ASGI application that verifies Gong's webhook and commits it to the inbox.

A ``Trigger`` is itself the ASGI app, so it runs under uvicorn (``gong trigger serve``),
mounts into Starlette or FastAPI, and takes handlers by decorator. The 200 goes back only
after the event is committed; every rejection answers before anything is written.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import anyio.to_thread
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import URL, Headers
from starlette.types import Receive, Scope, Send

from ..errors import MalformedPayloadError, PayloadTooLargeError, ValidationError, WebhookError
from ._inbox import DEFAULT_DB_URL, Accepted, Inbox
from ._verify import WebhookVerifier
from ._worker import Backoff, H, HandlerRegistry, Worker

__all__ = ["Trigger"]

log = logging.getLogger("gong_connector.trigger")

_GENERIC = {401: "unauthorized", 400: "malformed payload", 413: "payload too large"}


def _delivery(payload: dict[str, Any]) -> tuple[str, bool]:
    """The call id and isTest flag: what identifies a delivery."""
    call_data = payload.get("callData")
    meta = call_data.get("metaData") if isinstance(call_data, dict) else None
    call_id = meta.get("id") if isinstance(meta, dict) else None
    if not isinstance(call_id, str | int) or isinstance(call_id, bool) or not str(call_id):
        raise MalformedPayloadError("payload has no callData.metaData.id")
    return str(call_id), bool(payload.get("isTest", False))


class Trigger:
    """Gong's Process Automation webhook: verified, stored durably, handed to your handlers.

    ``public_url`` is the URL Gong calls, without query (the ``rule`` and key parameters are
    taken from each request); set it whenever a proxy or a mount changes scheme, host or
    path, because signed tokens are bound to it. Without it the URL is rebuilt from the
    request. ``run_worker=False`` makes a receive-only process.
    """

    def __init__(
        self,
        verifier: WebhookVerifier,
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
    ) -> None:
        self.verifier = verifier
        self.inbox = inbox if isinstance(inbox, Inbox) else Inbox(inbox)
        if public_url is not None:
            parts = urlsplit(public_url)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
                raise ValidationError("public_url", "url", "must be an http(s) URL without a query")
            public_url = urlunsplit(parts._replace(fragment=""))
        self.public_url = public_url
        self.rule_param = rule_param
        self.handlers = HandlerRegistry()
        self.worker = Worker(
            self.inbox,
            self.handlers,
            backoff=backoff,
            concurrency=concurrency,
            lease_seconds=lease_seconds,
            poll_interval=poll_interval,
        )
        self.run_worker = run_worker
        self.shutdown_timeout = shutdown_timeout
        self._worker_task: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"Trigger({self.verifier!r}, inbox={self.inbox!r}, public_url={self.public_url!r})"

    def on_call(self, *rules: str) -> Callable[[H], H]:
        """Decorator registering a handler for calls from these rules, or from every rule."""
        return self.handlers.on_call(*rules)

    # ----- worker lifecycle -----------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, app: object = None) -> AsyncIterator[None]:
        """Runs the worker while the app runs; pass as ``lifespan=`` when mounting the trigger
        (Starlette does not run a mounted app's lifespan)."""
        started = self.run_worker and len(self.handlers) > 0 and self._worker_task is None
        if started:
            self._worker_task = asyncio.create_task(self.worker.run(), name="gong-trigger-worker")
        try:
            yield
        finally:
            if started and self._worker_task is not None:
                # Let the attempts in hand finish and record their outcome; cancel only
                # what outlives the timeout (its lease then expires and it runs again).
                self.worker.stop()
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(self._worker_task, self.shutdown_timeout)
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

    def url_for(self, scope: Scope) -> str:
        """The public URL this request was sent to, query included: what the JWT must name."""
        query = scope.get("query_string", b"").decode("latin-1")
        if self.public_url is None:
            return str(URL(scope=scope))
        return f"{self.public_url}?{query}" if query else self.public_url

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST":
            await _respond(send, 405, {"error": "method not allowed"}, [(b"allow", b"POST")])
            return
        headers = Headers(scope=scope)
        url = self.url_for(scope)
        shown = scope["path"]  # never the query: it may hold the URL key
        try:
            body = await self._read_body(headers, receive)
            payload = self.verifier.verify(body, headers, url)
            call_id, is_test = _delivery(payload)
        except WebhookError as exc:
            log.warning("gong webhook rejected (%d) on %s: %s", exc.status_code, shown, exc.reason)
            await _respond(send, exc.status_code, {"error": _GENERIC.get(exc.status_code, "rejected")})
            return
        rule = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True)).get(self.rule_param, "")
        accept = functools.partial(self.inbox.accept, rule=rule, call_id=call_id, is_test=is_test, body=body)
        try:
            accepted: Accepted = await anyio.to_thread.run_sync(accept)
        except (SQLAlchemyError, OSError) as exc:
            # No 200 without a commit: Gong retries what we could not store.
            log.error("gong webhook not stored (inbox error %s); answered 503", type(exc).__name__)
            await _respond(send, 503, {"error": "inbox unavailable"})
            return
        log.info(
            "gong webhook %s: event %d rule %r call %s%s (delivery %d)",
            "repeated" if accepted.duplicate else "accepted",
            accepted.event_id,
            rule,
            call_id,
            " [test]" if is_test else "",
            accepted.deliveries,
        )
        self.worker.wake()
        await _respond(send, 200, {"eventId": accepted.event_id, "duplicate": accepted.duplicate})

    async def _read_body(self, headers: Headers, receive: Receive) -> bytes:
        limit = self.verifier.max_body_bytes
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLargeError(f"Content-Length over {limit} bytes")
        chunks: list[bytes] = []
        size = 0
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


async def _respond(
    send: Send, status: int, body: dict[str, Any], extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})
