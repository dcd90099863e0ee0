"""What Gong does before any ``/v2`` handler runs, and the one place its errors are rendered.

Credentials (401), the company's rate limit (429), injected faults, the endpoint's scope
(403), then processing of due calls, then the handler: a request stopped on the way changes
nothing. Every ``GongHTTPError`` becomes ``{"requestId": ..., "errors": [...]}`` here.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import inspect
import json
import logging
import math
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, cast

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from ._config import ALL_SCOPES
from ._errors import GongHTTPError, bad_request
from ._ids import new_request_id
from ._state import EmulatorState

#: What the ``html`` fault answers with status 200: a proxy or maintenance page.
MAINTENANCE_PAGE = "<!doctype html><title>Maintenance</title><h1>We'll be back soon</h1>"

JSON = dict[str, Any]
Handler = Callable[[Request, "Principal"], "JSON | Answer | Response | Awaitable[JSON | Answer | Response]"]
SyncHandler = Callable[[Request, "Principal"], "JSON | Answer | Response"]
Endpoint = Callable[[Request], Awaitable[Response]]
#: Whether the gateway reads a JSON body before the handler: never, always, or if one was
#: sent; an object unless the kind ends in ``list`` (a few CRM routes take a JSON array).
BodyKind = Literal["none", "json", "optional", "list", "optional_list"]

AUTH_FAILED = "Validate credentials failed. Please check your credentials and try again."
UNEXPECTED = "Failed to complete the operation due to an unexpected error"
RATE_LIMITED = "API request limit exceeded"

log = logging.getLogger("gong_connector.emulator")


@dataclass
class Answer:
    """A success body with a status other than 200 (Gong answers some writes with 201)."""

    body: JSON
    status: int = 200


@dataclass
class Principal:
    """Who is calling: an access key (every scope) or an OAuth token (its scopes)."""

    kind: str  # "basic" or "oauth"
    scopes: frozenset[str]
    user_email: str | None = None


class DropConnection(Response):
    """Start a response and stop mid-body: the client sees the connection cut."""

    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"requestId":"', "more_body": True})
        # Returning here with the body incomplete makes the server close the connection.


class _QuietIncomplete(logging.Filter):
    """A dropped connection is a fault we injected, not a server error worth a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "without completing response" not in record.getMessage()


logging.getLogger("uvicorn.error").addFilter(_QuietIncomplete())


class GongJSON(JSONResponse):
    """JSON that any stored text can go into. Half a surrogate pair a client sent (a
    ``\\ud83d`` escape: half an emoji) cannot be UTF-8: such an answer escapes its non-ASCII
    text instead of failing (Gong's answers and the admin API's lists of what was sent)."""

    def render(self, content: Any) -> bytes:
        try:
            return super().render(content)
        except ValueError:  # UnicodeEncodeError, or a number past JSON's (1e309 read as inf)
            return json.dumps(_finite(content), ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode()


def _finite(value: Any) -> Any:
    """``value`` with numbers JSON cannot write (inf, NaN) as text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def gong_error(request_id: str, exc: GongHTTPError) -> JSONResponse:
    return GongJSON({"requestId": request_id, "errors": exc.messages}, status_code=exc.status, headers=exc.headers)


def _render(result: JSON | Answer | Response, request_id: str) -> Response:
    """A handler's result as the response Gong sends: its JSON with the request's id first."""
    if isinstance(result, Response):
        return result
    if isinstance(result, Answer):
        return GongJSON({"requestId": request_id, **result.body}, status_code=result.status)
    return GongJSON({"requestId": request_id, **result})


def unauthenticated() -> GongHTTPError:
    return GongHTTPError(401, AUTH_FAILED, headers={"WWW-Authenticate": 'Basic realm="Gong.io API"'})


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


async def read_json(request: Request, *, limit: int | None, optional: bool = False, array: bool = False) -> Any:
    """The request's JSON object (or array), at most ``limit`` bytes; empty for no body when ``optional``."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        chunks.append(chunk)
        size += len(chunk)
        if limit is not None and size > limit:
            raise GongHTTPError(413, "Request body is too large")
    raw = b"".join(chunks)
    if not raw.strip():
        if optional:
            return [] if array else {}
        raise bad_request("Request body is required (JSON)")
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, nested too deep, an int too long
        raise bad_request("Json parse error: the request body is not valid JSON") from None
    if array and not isinstance(body, list):
        raise bad_request("Request body must be a JSON array")
    if not array and not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    return body


def json_body(request: Request) -> JSON:
    """The body the gateway read for this request."""
    body: JSON = request.state.json_body
    return body


def json_list(request: Request) -> list[Any]:
    """The JSON array the gateway read for a ``list`` route."""
    body: list[Any] = request.state.json_body
    return body


def log_request(state: EmulatorState, request: Request, status: int | None, arrived: float | None = None) -> None:
    """Log a request for tests: ``status`` is ``None`` when the connection was dropped,
    ``at`` is when it arrived, ``body`` its JSON body when it had one."""
    entry: JSON = {
        "method": request.method,
        "path": request.url.path,
        "query": dict(request.query_params),
        "status": status,
        "at": state.clock.now() if arrived is None else arrived,
    }
    body = getattr(request.state, "json_body", None)
    if body or (body is not None and request.headers.get("content-length", "0") != "0"):
        entry["body"] = body  # an empty object that was sent is logged too
    state.record_request(entry)


class Gateway:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def authenticate(self, request: Request) -> Principal | None:
        header = request.headers.get("authorization")
        cfg = self.state.config
        basic = basic_credentials(header)
        if basic is not None:
            if secrets.compare_digest(basic[0], cfg.access_key) and secrets.compare_digest(
                basic[1], cfg.access_key_secret
            ):
                return Principal("basic", frozenset(ALL_SCOPES))
            return None
        if header and header.lower().startswith("bearer "):
            token = self.state.oauth.lookup(header[7:].strip())
            if token is not None:
                return Principal("oauth", token.scopes, token.user_email)
        return None

    def endpoint(
        self, scope: str | None, handler: Handler, *, body: BodyKind = "none", scope_guessed: bool = False
    ) -> Endpoint:
        """``handler`` behind Gong's checks, needing ``scope`` (only with ``guessed_scopes``
        when Gong's document does not state it: ``scope_guessed``).

        With a per-second limit, plain handlers run in a worker thread, so a slow page (a
        transcript page takes ~40 ms to build) never keeps the event loop from stamping the
        next arrival for that limit; without one they run on the loop. Their JSON body
        (``body``) is read first. Async handlers stream their body.
        """

        async def endpoint(request: Request) -> Response:
            arrived = self.state.clock.now()
            request_id = new_request_id()
            response: Response
            try:
                needed = None if scope_guessed and not self.state.config.guessed_scopes else scope
                response = await self._guarded(request, request_id, needed, handler, body)
            except GongHTTPError as exc:
                response = gong_error(request_id, exc)
            except Exception:
                # Answered here, not by Starlette's last-resort handler, which re-raises after
                # answering: uvicorn then drops the connection, and the client's next request
                # on it fails too.
                log.exception("emulator bug while serving %s %s", request.method, request.url.path)
                response = gong_error(request_id, GongHTTPError(500, UNEXPECTED))
            status = None if isinstance(response, DropConnection) else response.status_code
            log_request(self.state, request, status, arrived)
            return response

        return endpoint

    async def _guarded(
        self, request: Request, request_id: str, scope: str | None, handler: Handler, body: BodyKind
    ) -> Response:
        state = self.state
        principal = self.authenticate(request)
        if principal is None:
            raise unauthenticated()
        retry_after = state.rate_limiter.acquire()
        if retry_after is not None:
            raise GongHTTPError(429, RATE_LIMITED, headers={"Retry-After": str(retry_after)})
        fault = state.faults.pick()
        latency = state.faults.faults.latency_ms
        if latency:
            await asyncio.sleep(latency / 1000)
        if fault == "drop":
            return DropConnection()
        if fault == "html":  # a proxy's page where Gong's JSON should be
            return Response(MAINTENANCE_PAGE, status_code=200, media_type="text/html")
        if fault == "429":
            raise GongHTTPError(429, RATE_LIMITED, headers={"Retry-After": str(state.faults.faults.retry_after)})
        if fault is not None:
            raise GongHTTPError(int(fault), UNEXPECTED)
        if scope is not None and scope not in principal.scopes:
            raise GongHTTPError(
                403,
                f"You don't have permission to use '{scope}' in your "
                "current authorization. The OAuth token lacks this scope.",
            )
        if body != "none":
            limit = state.config.max_json_bytes
            request.state.json_body = await read_json(
                request, limit=limit, optional=body.startswith("optional"), array=body.endswith("list")
            )
        # Without a per-second limit no arrival waits to be stamped while a page is built,
        # and handlers take turns under one lock anyway: they run on the event loop. A trip to
        # a worker thread is 10-30% of a small request's CPU, client and server together,
        # when both share a process (tests, where the limit is usually off).
        inline = state.rate_limiter.limit.per_second is None
        if inspect.iscoroutinefunction(handler):
            if inline:
                state.tick()
            else:
                await anyio.to_thread.run_sync(state.tick)
            return _render(await handler(request, principal), request_id)
        plain = cast(SyncHandler, handler)

        def work() -> Response:
            # One trip to a worker thread: the clock's tick, the page and its JSON.
            state.tick()
            return _render(plain(request, principal), request_id)

        return work() if inline else await anyio.to_thread.run_sync(work)

    async def unrouted(self, request: Request, exc: HTTPException) -> Response:
        """A ``/v2`` path with no route (404) or not this method (405); 401 comes first."""
        request_id = new_request_id()
        if self.authenticate(request) is None:
            error = unauthenticated()
        elif exc.status_code == 405:
            error = GongHTTPError(405, f"Method {request.method} is not allowed for this path")
        else:
            error = GongHTTPError(exc.status_code, f"No endpoint at {request.url.path}")
        response = gong_error(request_id, error)
        log_request(self.state, request, response.status_code)
        return response

    async def unexpected(self, request: Request, exc: Exception) -> Response:
        log.exception("emulator bug while serving %s %s", request.method, request.url.path)
        return gong_error(new_request_id(), GongHTTPError(500, UNEXPECTED))
