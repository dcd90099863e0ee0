"""What the sync and async clients share: building requests, reading answers, mapping
errors, deciding retries. No I/O happens here, so the two clients cannot drift apart:
each only adds its own way of sending and sleeping.
"""

from __future__ import annotations

import email.utils
import functools
import json
import logging
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal, TypeVar

import httpx

from .._version import __version__
from ..connections import ApiKeyConnection, Connection
from ..connections._common import same_origin
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
    ValidationError,
)
from ._endpoints import Endpoint
from ._media import MediaUpload
from ._models import GongModel, Records
from ._operations import ListOperation, Operation
from ._paging import Page
from ._ratelimit import DailyBudget, RateLimiter
from ._retry import (
    AnyErrorRetry,
    ConnectionErrorRetry,
    ExponentialBackoff,
    FixedDelay,
    RetryContext,
    RetryPolicy,
    ServerErrorRetry,
)

__all__ = ["BaseClient", "RawResponse", "ResponseType"]

T = TypeVar("T", bound=GongModel)
ResponseType = Literal["json", "text", "binary"]
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
FileInput = bytes | str | IO[bytes]


@dataclass(frozen=True)
class RawResponse:
    """Answer to a raw request: status, headers and the body as json, text or bytes."""

    status_code: int
    headers: Mapping[str, str]
    data: Any


@dataclass
class RawCall:
    build: Callable[[httpx.Client | httpx.AsyncClient], httpx.Request]
    policy: RetryPolicy
    response_type: ResponseType
    safe: bool


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """One verified TLS context for every client: loading the CA bundle costs ~20 ms."""
    return httpx.create_ssl_context()


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value) if value else None
        return max(0.0, when.timestamp() - time.time()) if when else None


def decode_json(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def error_from_response(response: httpx.Response, endpoint: Endpoint | None = None) -> APIError:
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
        return PermissionDeniedError(status, required_scope=endpoint.scope if endpoint else None, **kwargs)
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
    connect = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
    return RetryContext(attempt, safe, error="connect" if connect else "transport")


log = logging.getLogger("gong_connector.client")


def log_retry(request: httpx.Request, ctx: RetryContext, delay: float) -> None:
    """One debug line per retry; the URL's query is left out (it may carry e-mails)."""
    what = f"HTTP {ctx.status}" if ctx.status is not None else f"{ctx.error} error"
    log.debug(
        "retrying %s %s after %s in %.2fs (retry %d)", request.method, request.url.path, what, delay, ctx.attempt + 1
    )


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

    @property
    def base_url(self) -> str:
        return self.connection.base_url

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
        ep = op.endpoint
        body = op.body if op.body else None
        return lambda http: self._build(http, ep.method, op.path, query=op.query, body=body, upload=op.upload)

    def _page_builder(
        self, op: ListOperation[Any], cursor: str | None
    ) -> Callable[[httpx.Client | httpx.AsyncClient], httpx.Request]:
        ep = op.endpoint
        assert ep.paging is not None
        query = dict(op.query)
        body = dict(op.body) if op.body is not None else None
        if cursor is not None:
            if ep.paging.cursor_location == "query":
                query["cursor"] = cursor
            else:
                body = {**(body or {}), "cursor": cursor}
        return lambda http: self._build(http, ep.method, op.path, query=query, body=body)

    # ------------------------------------------------------------------ answers

    def _result(self, op: Operation[Any], response: httpx.Response) -> Any:
        if response.status_code >= 300:
            raise error_from_response(response, op.endpoint)
        return op.parse(decode_json(response))

    def _page(self, op: ListOperation[T], response: httpx.Response) -> Page[T]:
        paging = op.endpoint.paging
        assert paging is not None
        if response.status_code == 404 and paging.empty_on_404:
            data = decode_json(response)
            raw = data if isinstance(data, dict) else {}
            return Page([], None, None, raw.get("requestId"), raw)
        if response.status_code >= 300:
            raise error_from_response(response, op.endpoint)
        data = decode_json(response)
        raw = data if isinstance(data, dict) else {}
        records = Records.model_validate(raw["records"]) if raw.get("records") else None
        items = [op.item_model.model_validate(i) for i in raw.get(paging.items_field) or []]
        cursor = records.cursor if records else None
        return Page(items, cursor or None, records, raw.get("requestId"), raw)

    # ------------------------------------------------------------------ raw request

    def _raw_call(
        self,
        url: str,
        *,
        method: str,
        data: Any,
        form_data: Mapping[str, str] | None,
        file_data: Mapping[str, FileInput] | None,
        file_data_file_names: Mapping[str, str] | None,
        query_params: Mapping[str, str | Sequence[str]] | Sequence[tuple[str, str]] | None,
        headers: Mapping[str, str] | None,
        response_type: str,
        timeout: float | None,
        retry_delay_ms: int,
        retry_on_all_errors: bool,
        max_retry_count: int,
        use_exponential_backoff: bool,
    ) -> RawCall:
        method = method.upper() if isinstance(method, str) else method
        if method not in _METHODS:
            raise ValidationError("method", "choice", f"must be one of {', '.join(_METHODS)}")
        if response_type not in ("json", "text", "binary"):
            raise ValidationError("response_type", "choice", "must be json, text or binary")
        if not isinstance(max_retry_count, int) or max_retry_count < 0:
            raise ValidationError("max_retry_count", "non_negative", "must be an integer >= 0")
        if not isinstance(retry_delay_ms, int | float) or retry_delay_ms < 0:
            raise ValidationError("retry_delay_ms", "non_negative", "must be >= 0")
        if timeout is not None and (not isinstance(timeout, int | float) or timeout <= 0):
            raise ValidationError("timeout", "positive", "must be a positive number of seconds")
        if data is not None and (form_data or file_data):
            raise ValidationError("data", "exclusive", "send data or form/file data, not both")
        names = dict(file_data_file_names or {})
        unknown = set(names) - set(file_data or {})
        if unknown:
            raise ValidationError("file_data_file_names", "keys", f"keys not in file_data: {sorted(unknown)}")
        target = self._raw_url(url)
        handlers = (
            (AnyErrorRetry(),)
            if retry_on_all_errors
            else (
                ServerErrorRetry(only_safe=False),
                ConnectionErrorRetry(only_safe=False),
            )
        )
        backoff = ExponentialBackoff() if use_exponential_backoff else FixedDelay(retry_delay_ms / 1000.0)
        policy = RetryPolicy(max_retries=max_retry_count, handlers=handlers, backoff=backoff, rand=self.retry.rand)
        files = None
        if file_data:
            files = {
                key: (names.get(key, key), value.encode() if isinstance(value, str) else value)
                for key, value in file_data.items()
            }
        params: Any = query_params
        if isinstance(query_params, Mapping):
            params = {k: list(v) if isinstance(v, list | tuple) else v for k, v in query_params.items()}

        def build(http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
            hdrs = {"User-Agent": self._user_agent, **(headers or {})}
            kwargs: dict[str, Any] = {"params": params, "headers": hdrs}
            if timeout is not None:
                kwargs["timeout"] = timeout
            if files is not None or form_data:
                kwargs["files"] = files
                kwargs["data"] = dict(form_data or {})
            elif isinstance(data, bytes | str):
                kwargs["content"] = data
            elif data is not None:
                kwargs["json"] = data
            return http.build_request(method, target, **kwargs)

        kind: ResponseType = "binary" if response_type == "binary" else ("text" if response_type == "text" else "json")
        return RawCall(build, policy, kind, safe=True)

    def _raw_url(self, url: str) -> str:
        if not isinstance(url, str) or not url.strip():
            raise ValidationError("url", "required", "is required")
        parsed = httpx.URL(url.strip())
        if parsed.is_absolute_url:
            if not same_origin(parsed, self.base_url):
                raise ValidationError("url", "same_host", "must be on the connection's host; credentials stay there")
            return str(parsed)
        path = url.strip()
        return self.base_url + (path if path.startswith("/") else "/" + path)

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
