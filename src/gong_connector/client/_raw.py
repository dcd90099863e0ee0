"""The raw request: any HTTP request to the connection's Gong host, with its own retry options."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Annotated, Any, Literal

import httpx

from ..connections._common import same_origin
from ..errors import ValidationError
from ._define import Local, Operation, custom_action
from ._kinds import BOOL, JSON_VALUE, MAP, Choice, Integer, Number
from ._retry import (
    AnyErrorRetry,
    ConnectionErrorRetry,
    ExponentialBackoff,
    FixedDelay,
    RetryPolicy,
    ServerErrorRetry,
)

__all__ = ["METHODS", "RAW_REQUEST", "FileInput", "Raw", "RawCall", "RawResponse", "ResponseType"]

ResponseType = Literal["json", "text", "binary"]
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
FileInput = bytes | str | IO[bytes]
QueryParams = Mapping[str, str | Sequence[str]] | Sequence[tuple[str, str]]


@dataclass(frozen=True)
class RawResponse:
    """Answer to a raw request: status, headers and the body as json, text or bytes."""

    status_code: int
    headers: Mapping[str, str]
    data: Any


@dataclass
class RawCall:
    """How to build, retry and read one raw request (the client supplies the sending)."""

    build: Callable[[httpx.Client | httpx.AsyncClient], httpx.Request]
    policy: RetryPolicy
    response_type: ResponseType


#: Bounds on the raw request's retry options: a caller (an agent, a typo) asking for a
#: million retries or days between them would spend the day's request budget or never return.
RETRIES = Integer(maximum=10, example=3)
RETRY_DELAY_MS = Integer(maximum=600_000, example=500)
TIMEOUT = Number(maximum=3600, example=60)


class Raw:
    """The raw-request action, shared by both clients."""

    @custom_action(key="raw-request", title="Raw Request")
    def request(
        self,
        url: Annotated[
            str, Local(label="URL", help="Path on the Gong API host (e.g. /v2/users) or a URL on that host.")
        ],
        *,
        method: Annotated[str, Local(Choice(METHODS), help="HTTP method.")] = "GET",
        data: Annotated[Any, Local(JSON_VALUE, help="Body to send: JSON value, or a string sent as is.")] = None,
        form_data: Annotated[
            Mapping[str, str] | None, Local(MAP, help="Form fields sent as multipart/form-data.")
        ] = None,
        file_data: Annotated[
            Mapping[str, FileInput] | None,
            Local(MAP, help="Files sent as multipart/form-data: field name to content."),
        ] = None,
        file_data_file_names: Annotated[
            Mapping[str, str] | None, Local(MAP, help="File name for each File Data field (same keys).")
        ] = None,
        query_params: Annotated[
            QueryParams | None, Local(MAP, label="Query Parameter", help="Query string parameters.")
        ] = None,
        headers: Annotated[Mapping[str, str] | None, Local(MAP, label="Header", help="Extra request headers.")] = None,
        response_type: Annotated[
            str, Local(Choice(("json", "text", "binary")), help="How to read the answer: json, text or binary.")
        ] = "json",
        timeout: Annotated[float | None, Local(TIMEOUT, help="Seconds to wait for the answer.")] = None,
        retry_delay_ms: Annotated[
            int,
            Local(
                RETRY_DELAY_MS,
                label="Retry Delay (ms)",
                help="Pause between retries in milliseconds, unless exponential backoff is on.",
            ),
        ] = 0,
        retry_on_all_errors: Annotated[
            bool, Local(BOOL, help="Retry any error status (429, 4xx too), not only 5xx and network failures.")
        ] = False,
        max_retry_count: Annotated[int, Local(RETRIES, help="How many times to retry; 0 for never.")] = 0,
        use_exponential_backoff: Annotated[
            bool, Local(BOOL, help="Wait longer after each failure; overrides the fixed retry delay.")
        ] = False,
    ) -> Operation[RawResponse]:
        """Send any HTTP request to the connection's Gong host, signed with its credentials.

        For endpoints the other actions do not cover. Retries follow the arguments, not the
        client's policy, as the raw action defines.
        """
        return raw_operation(
            self,
            url,
            method=method,
            data=data,
            form_data=form_data,
            file_data=file_data,
            file_data_file_names=file_data_file_names,
            query_params=query_params,
            headers=headers,
            response_type=response_type,
            timeout=timeout,
            retry_delay_ms=retry_delay_ms,
            retry_on_all_errors=retry_on_all_errors,
            max_retry_count=max_retry_count,
            use_exponential_backoff=use_exponential_backoff,
        )


RAW_REQUEST = Raw.request.action


def _text_values(name: str, given: Mapping[str, Any] | None) -> None:
    """Header, form field and file name values are one line of text each."""
    for key, value in (given or {}).items():
        if not isinstance(value, str):
            raise ValidationError(f"{name}.{key}", "string", "must be a string")
        if "\r" in value or "\n" in value:
            raise ValidationError(f"{name}.{key}", "one_line", "must be one line (no CR or LF)")


def raw_operation(
    client: Any,
    url: str,
    *,
    method: str,
    data: Any,
    form_data: Mapping[str, str] | None,
    file_data: Mapping[str, FileInput] | None,
    file_data_file_names: Mapping[str, str] | None,
    query_params: QueryParams | None,
    headers: Mapping[str, str] | None,
    response_type: str,
    timeout: float | None,
    retry_delay_ms: int,
    retry_on_all_errors: bool,
    max_retry_count: int,
    use_exponential_backoff: bool,
) -> Operation[RawResponse]:
    """Check the raw request's options and describe how to send it; nothing is sent."""
    method = method.upper() if isinstance(method, str) else method
    if method not in METHODS:
        raise ValidationError("method", "choice", f"must be one of {', '.join(METHODS)}")
    if response_type not in ("json", "text", "binary"):
        raise ValidationError("response_type", "choice", "must be json, text or binary")
    RETRIES.check("max_retry_count", max_retry_count)
    RETRY_DELAY_MS.check("retry_delay_ms", retry_delay_ms)
    if timeout is not None and (TIMEOUT.check("timeout", timeout) == 0):
        raise ValidationError("timeout", "positive", "must be a positive number of seconds")
    for name, given in (("headers", headers), ("form_data", form_data), ("file_data_file_names", file_data_file_names)):
        _text_values(name, given)
    for key, content in (file_data or {}).items():
        if not isinstance(content, str | bytes) and not hasattr(content, "read"):
            raise ValidationError(f"file_data.{key}", "file", "must be text, bytes or a binary file object")
    if data is not None and (form_data or file_data):
        raise ValidationError("data", "exclusive", "send data or form/file data, not both")
    names = dict(file_data_file_names or {})
    unknown = set(names) - set(file_data or {})
    if unknown:
        raise ValidationError("file_data_file_names", "keys", f"keys not in file_data: {sorted(unknown)}")
    target = _raw_url(client.base_url, url)
    handlers = (
        (AnyErrorRetry(),)
        if retry_on_all_errors
        else (
            ServerErrorRetry(only_safe=False),
            ConnectionErrorRetry(only_safe=False),
        )
    )
    backoff = ExponentialBackoff() if use_exponential_backoff else FixedDelay(retry_delay_ms / 1000.0)
    policy = RetryPolicy(max_retries=max_retry_count, handlers=handlers, backoff=backoff, rand=client.retry.rand)
    files = None
    if file_data:
        files = {
            key: (names.get(key, key), value.encode() if isinstance(value, str) else value)
            for key, value in file_data.items()
        }
    params: Any = query_params
    if isinstance(query_params, Mapping):
        params = {k: list(v) if isinstance(v, list | tuple) else v for k, v in query_params.items()}
    user_agent = client.user_agent

    def build(http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        hdrs = {"User-Agent": user_agent, **(headers or {})}
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
    return Operation(RAW_REQUEST, target, {}, None, custom=RawCall(build, policy, kind))


#: Longer is no URL a server takes (httpx refuses a component over 65,536 characters).
MAX_URL = 8192


def _raw_url(base_url: str, url: str) -> str:
    if not isinstance(url, str) or not url.strip():
        raise ValidationError("url", "required", "is required")
    if len(url) > MAX_URL or any(ord(c) < 32 or ord(c) == 127 for c in url):
        raise ValidationError("url", "url", f"must be one line of at most {MAX_URL} characters")
    try:
        parsed = httpx.URL(url.strip())
    except httpx.InvalidURL as exc:
        raise ValidationError("url", "url", f"is not a URL: {exc}") from None
    if parsed.is_absolute_url:
        if not same_origin(parsed, base_url):
            raise ValidationError("url", "same_host", "must be on the connection's host; credentials stay there")
        return str(parsed)
    path = url.strip()
    return base_url + (path if path.startswith("/") else "/" + path)
