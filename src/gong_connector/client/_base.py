"""What the sync and async clients share: building requests, reading answers, mapping
errors, deciding retries. No I/O happens here, so the two clients cannot drift apart:
each only adds its own way of sending and sleeping.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import socket
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any, TypeVar

import httpx

from .._version import __version__
from ..connections import ApiKeyConnection, Connection
from ..errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    CursorExpiredError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
    UnreadableResponseError,
)
from ._define import Action, ListOperation, Operation
from ._media import MediaUpload
from ._models import GongModel, Records
from ._paging import Page
from ._ratelimit import DailyBudget, RateLimiter
from ._raw import RawCall, RawResponse
from ._retry import RetryContext, RetryPolicy
from ._windows import WindowPlan

__all__ = ["BaseClient", "decode_json", "error_from_response"]

T = TypeVar("T", bound=GongModel)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait, from delta-seconds or an HTTP date; ``None`` when unreadable."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):  # Python 3.11 raises on nonsense
            return None
        if when.tzinfo is None:  # HTTP dates are GMT
            when = when.replace(tzinfo=UTC)
        seconds = when.timestamp() - time.time()
    return max(0.0, seconds) if math.isfinite(seconds) else None


def decode_json(response: httpx.Response) -> Any:
    """An error's body, if it is JSON (error answers may come from a proxy)."""
    if not response.content:
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def success_json(response: httpx.Response, *, listing: bool = False) -> Any:
    """A success's body. Gong answers JSON: anything else (a proxy's page, a body cut short or
    not UTF-8) is an ``UnreadableResponseError``, and so is a listing page that is not a JSON
    object, rather than an empty page that would end the listing early."""
    problem = None
    data = None
    if response.content:
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            kind = response.headers.get("content-type") or "no content type"
            problem = f"the answer is not JSON ({kind}, {len(response.content)} bytes)"
    if problem is None and listing and not isinstance(data, dict):
        problem = "the answer is not a JSON object"
    if problem is not None:
        request = response.request
        raise UnreadableResponseError(
            response.status_code, errors=[problem], method=request.method, path=request.url.path
        )
    return data


def error_from_response(response: httpx.Response, action: Action | None = None) -> APIError:
    """Map an error status to our exception tree, keeping Gong's requestId and messages."""
    data = decode_json(response)
    status = response.status_code
    request_id: str | None = None
    errors: list[str] = []
    if isinstance(data, dict):
        request_id = data.get("requestId")
        raw_errors = data.get("errors")
        if isinstance(raw_errors, list):
            errors = [str(e) for e in raw_errors]
        elif isinstance(raw_errors, str):
            errors = [raw_errors]
        elif "message" in data:
            errors = [str(data["message"])]
    elif response.content:
        errors = [response.text[:500]]
    kwargs: dict[str, Any] = {
        "request_id": request_id,
        "errors": errors,
        "method": response.request.method,
        "path": response.request.url.path,
        "body": data,
    }
    if status == 400:
        text = " ".join(errors).lower()
        cls = CursorExpiredError if "cursor" in text and "expired" in text else BadRequestError
        return cls(status, **kwargs)
    if status == 401:
        return AuthenticationError(status, **kwargs)
    if status == 403:
        return PermissionDeniedError(status, required_scope=action.scope if action else None, **kwargs)
    if status == 404:
        return NotFoundError(status, **kwargs)
    if status == 409:
        return ConflictError(status, **kwargs)
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return RateLimitError(status, retry_after=retry_after, **kwargs)
    if status >= 500:
        return ServerError(status, **kwargs)
    return APIError(status, **kwargs)


def retry_context(
    attempt: int,
    safe: bool,
    response: httpx.Response | None,
    exc: httpx.TransportError | None,
) -> RetryContext:
    if response is not None:
        return RetryContext(
            attempt,
            safe,
            status=response.status_code,
            retry_after=parse_retry_after(response.headers.get("Retry-After")) if response.status_code == 429 else None,
        )
    if exc is not None and not failure_of(exc).retryable:
        return RetryContext(attempt, safe, error="fatal")
    connect = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
    return RetryContext(attempt, safe, error="connect" if connect else "transport")


@dataclass(frozen=True)
class Failure:
    """Why a request got no response, in words, and whether trying again can help."""

    reason: str
    hint: str
    retryable: bool


_CHECK_URL = "check the base URL (GONG_BASE_URL, --base-url or the profile)"


def failure_of(exc: httpx.TransportError) -> Failure:
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and len(chain) < 8:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    text = " ".join(str(e) for e in chain).lower()
    if isinstance(exc, httpx.UnsupportedProtocol):
        return Failure("the URL's scheme is not http or https", _CHECK_URL, False)
    if any(isinstance(e, socket.gaierror) for e in chain) or "name or service not known" in text:
        if "temporary failure" in text:
            return Failure("the host name could not be resolved just now (DNS)", "check the network", True)
        return Failure("the host name does not resolve (DNS)", _CHECK_URL, False)
    if any(isinstance(e, ssl.SSLError) for e in chain) or "certificate" in text or "ssl" in text:
        detail = next((str(e) for e in chain if isinstance(e, ssl.SSLError)), "")
        return Failure(
            f"TLS failed{': ' + detail if detail else ''}",
            "check that the base URL's scheme and host are right (and the machine's CA certificates)",
            False,
        )
    if isinstance(exc, httpx.ConnectTimeout):
        return Failure("connecting timed out", "check the network and the base URL", True)
    if isinstance(exc, httpx.TimeoutException):
        return Failure("no answer within the timeout", "Gong may be slow; try again or raise the timeout", True)
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return Failure("connection refused", f"is anything listening there? {_CHECK_URL}", True)
    if isinstance(exc, httpx.ConnectError):
        return Failure("could not connect", f"check the network; {_CHECK_URL}", True)
    return Failure("the connection was dropped before an answer", "try again", True)


def transport_error(request: httpx.Request, exc: httpx.TransportError | None, attempts: int) -> TransportError:
    """The one error for a request that never got an answer: host, reason, what to check."""
    failure = failure_of(exc) if exc is not None else Failure("no answer", "try again", True)
    url = request.url
    host = f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    return TransportError(
        f"could not reach Gong at {host}: {failure.reason}{tries}",
        method=request.method,
        path=url.path,
        host=host,
        reason=failure.reason,
        hint=failure.hint,
        retryable=failure.retryable,
    )


log = logging.getLogger("gong_connector.client")


def log_retry(request: httpx.Request, ctx: RetryContext, delay: float) -> None:
    """One debug line per retry; the URL's query is left out (it may carry e-mails)."""
    what = f"HTTP {ctx.status}" if ctx.status is not None else f"{ctx.error} error"
    log.debug(
        "retrying %s %s after %s in %.2fs (retry %d)", request.method, request.url.path, what, delay, ctx.attempt + 1
    )


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


class BaseClient:
    """Configuration and the I/O-free half of a client."""

    def __init__(
        self,
        connection: Connection | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = None,
        daily_budget: DailyBudget | None = None,
        user_agent: str | None = None,
    ) -> None:
        self.connection: Connection = connection or ApiKeyConnection.from_env()
        self.timeout = timeout
        self.retry = retry if retry is not None else RetryPolicy()
        self.rate_limiter = rate_limiter if rate_limiter is not None else RateLimiter(3.0)
        self.daily_budget = daily_budget if daily_budget is not None else DailyBudget(10_000)
        self._user_agent = user_agent or f"gong-connector/{__version__}"
        #: Longest date window per list action (by key, e.g. ``"list-calls"``): longer ones
        #: are listed in pieces from the start. Learned from Gong's refusals (so no request
        #: is refused twice), or set here to keep each piece small.
        self.window_limits: dict[str, timedelta | None] = {}

    @property
    def base_url(self) -> str:
        return self.connection.base_url

    @property
    def user_agent(self) -> str:
        return self._user_agent

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.connection!r})"

    # ------------------------------------------------------------------ requests

    def _build(
        self,
        http: httpx.Client | httpx.AsyncClient,
        method: str,
        path: str,
        *,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
        upload: MediaUpload | None = None,
    ) -> httpx.Request:
        headers = {"User-Agent": self._user_agent, "Accept": "application/json"}
        if upload is not None:
            headers.update(upload.headers)
        request = http.build_request(
            method,
            self.base_url + path,
            params=dict(query) if query else None,
            json=body if body is not None and upload is None else None,
            headers=headers,
        )
        if upload is not None:
            request.stream = upload
        return request

    def _operation_builder(self, op: Operation[Any]) -> Callable[[httpx.Client | httpx.AsyncClient], httpx.Request]:
        if op.custom is not None:
            build: Callable[[httpx.Client | httpx.AsyncClient], httpx.Request] = op.custom.build
            return build
        method = op.action.http_method
        body = op.body  # an action with a JSON body always sends one, ``{}`` at least
        return lambda http: self._build(http, method, op.path, query=op.query, body=body, upload=op.upload)

    def _plan(self, op: ListOperation[Any], cursor: str | None) -> WindowPlan | None:
        """Where a windowed listing stands for this request (None for other listings)."""
        if op.window is None:
            return None
        return WindowPlan.begin(*op.window, cursor, self.window_limits.get(op.action.key))

    def _page_builder(
        self, op: ListOperation[Any], cursor: str | None, plan: WindowPlan | None = None
    ) -> Callable[[httpx.Client | httpx.AsyncClient], httpx.Request]:
        action = op.action
        assert action.paging is not None
        if plan is not None:
            query, body = op.with_window(*plan.bounds())
            cursor = plan.gong_cursor
        else:
            query, body = dict(op.query), (dict(op.body) if op.body is not None else None)
        if cursor is not None:
            if action.paging.cursor_location == "query":
                query["cursor"] = cursor
            else:
                body = {**(body or {}), "cursor": cursor}
        return lambda http: self._build(http, action.http_method, op.path, query=query, body=body)

    def _cut_window(self, op: ListOperation[Any], plan: WindowPlan | None, response: httpx.Response) -> bool:
        """After a refusal of a too-long window: cut it, remember the limit, and say so."""
        if plan is None or response.status_code != 400:
            return False
        if not plan.refused(error_from_response(response, op.action)):
            return False
        self.window_limits[op.action.key] = plan.limit
        log.info("%s refused the window as too long; listing it in pieces of %s", op.path, plan.limit)
        return True

    def _policy(self, op: Operation[Any]) -> RetryPolicy:
        return op.custom.policy if op.custom is not None else self.retry

    # ------------------------------------------------------------------ answers

    def _result(self, op: Operation[Any], response: httpx.Response) -> Any:
        if op.custom is not None:
            return self._raw_result(op.custom, response)
        if response.status_code >= 300:
            raise error_from_response(response, op.action)
        return op.parse(success_json(response))

    def _page(self, op: ListOperation[T], response: httpx.Response, plan: WindowPlan | None = None) -> Page[T]:
        page = self._read_page(op, response)
        if plan is not None:
            page.cursor, page.complete_until = plan.after(page.cursor)
        return page

    def _read_page(self, op: ListOperation[T], response: httpx.Response) -> Page[T]:
        paging = op.action.paging
        assert paging is not None
        if response.status_code == 404 and paging.empty_on_404:
            data = decode_json(response)
            raw = data if isinstance(data, dict) else {}
            return Page([], None, None, _str(raw.get("requestId")), raw)
        if response.status_code >= 300:
            raise error_from_response(response, op.action)
        raw = success_json(response, listing=True)
        records = Records(raw["records"]) if isinstance(raw.get("records"), dict) else None
        found = raw.get(paging.items_field)
        if found is not None and not isinstance(found, list):
            log.warning(
                "%s %s: %r is not a list; the page is read as empty", op.action.http_method, op.path, paging.items_field
            )
        from_item = op.item_model.from_item
        items = [from_item(i) for i in found] if isinstance(found, list) else []
        for n, item in enumerate(items):
            if item.error is not None:
                log.warning(
                    "%s %s: item %d of the page is malformed (%s); it is yielded with .error set",
                    op.action.http_method,
                    op.path,
                    n,
                    item.error,
                )
        cursor = records.cursor if records else None
        return Page(items, cursor or None, records, _str(raw.get("requestId")), raw)

    @staticmethod
    def _raw_result(call: RawCall, response: httpx.Response) -> RawResponse:
        if response.status_code >= 400:
            raise error_from_response(response)
        body: Any
        if call.response_type == "binary":
            body = response.content
        elif call.response_type == "text":
            body = response.text
        else:
            body = decode_json(response) if response.content else None
            if body is None and response.content:
                body = response.text
        return RawResponse(response.status_code, dict(response.headers), body)
