"""The asynchronous client: the same actions as ``GongClient``, awaited.

Action methods are the ``_operations`` functions bound to async sending; list methods
return an ``AsyncPager`` at once (inputs are checked right away) and fetch when iterated.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import Any, Concatenate, ParamSpec, TypeVar

import anyio
import httpx

from ..connections import Connection
from ..errors import TransportError
from . import _operations as ops
from ._base import (
    BaseClient,
    FileInput,
    RawResponse,
    log_retry,
    retry_context,
    shared_ssl_context,
)
from ._endpoints import ENDPOINTS
from ._models import GongModel
from ._operations import ListOperation, Operation
from ._paging import AsyncPager, Page
from ._ratelimit import DailyBudget, RateLimiter
from ._retry import RetryPolicy

__all__ = ["AsyncGongClient"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T", bound=GongModel)


def _call(
    build: Callable[P, Operation[R]],
) -> Callable[Concatenate[AsyncGongClient, P], Coroutine[Any, Any, R]]:
    @functools.wraps(build)
    async def method(self: AsyncGongClient, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return await self._run(build(*args, **kwargs))

    ops.bind_signature(method, build, "{}")
    return method


def _list(
    build: Callable[P, ListOperation[T]],
) -> Callable[Concatenate[AsyncGongClient, P], AsyncPager[T]]:
    @functools.wraps(build)
    def method(self: AsyncGongClient, /, *args: P.args, **kwargs: P.kwargs) -> AsyncPager[T]:
        op = build(*args, **kwargs)
        return AsyncPager(functools.partial(self._fetch_page, op), op.cursor)

    ops.bind_signature(method, build, "AsyncPager[{}]")
    return method


class AsyncGongClient(BaseClient):
    """Async client for Gong's API v2; use ``async with`` to close its connections.

    Tasks may share one client; its rate limiter paces them (and threads) together.
    """

    def __init__(
        self,
        connection: Connection | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = None,
        daily_budget: DailyBudget | None = None,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        transport: httpx.AsyncBaseTransport | None = None,
        user_agent: str | None = None,
    ) -> None:
        super().__init__(
            connection,
            timeout=timeout,
            retry=retry,
            rate_limiter=rate_limiter,
            daily_budget=daily_budget,
            user_agent=user_agent,
        )
        self._sleep = sleep
        self._auth = self.connection.auth()
        self._http = httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
            verify=shared_ssl_context(),
        )

    @classmethod
    def from_env(cls, **kwargs: Any) -> AsyncGongClient:
        """Client on an API key from GONG_BASE_URL, GONG_ACCESS_KEY, GONG_ACCESS_KEY_SECRET."""
        from ..connections import ApiKeyConnection

        return cls(ApiKeyConnection.from_env(), **kwargs)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncGongClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ sending

    async def _send(
        self,
        build: Callable[[httpx.AsyncClient], httpx.Request],
        *,
        safe: bool,
        policy: RetryPolicy,
    ) -> httpx.Response:
        attempt = 0
        while True:
            self.daily_budget.consume()
            wait = self.rate_limiter.reserve()
            if wait > 0:
                await self._sleep(wait)
            request = build(self._http)
            response: httpx.Response | None = None
            failure: httpx.TransportError | None = None
            try:
                response = await self._http.send(request, auth=self._auth)
            except httpx.TransportError as exc:
                failure = exc
            if response is not None and response.status_code < 300:
                return response
            ctx = retry_context(attempt, safe, response, failure)
            delay = policy.next_delay(ctx)
            if delay is None:
                if response is None:
                    raise TransportError(
                        f"{type(failure).__name__}: no response from Gong",
                        method=request.method,
                        path=request.url.path,
                    ) from None
                return response
            log_retry(request, ctx, delay)
            if delay > 0:
                await self._sleep(delay)
            attempt += 1

    async def _run(self, op: Operation[R]) -> R:
        try:
            response = await self._send(self._operation_builder(op), safe=op.retry_safe, policy=self.retry)
            result: R = self._result(op, response)
            if op.then_upload is not None:
                call_id = str(getattr(result, "call_id", ""))
                await self._run(ops.upload_operation(call_id, op.then_upload))
        finally:
            for upload in (op.upload, op.then_upload):
                if upload is not None:
                    upload.close()
        return result

    async def _fetch_page(self, op: ListOperation[T], cursor: str | None) -> Page[T]:
        response = await self._send(
            self._page_builder(op, cursor),
            safe=op.endpoint.retry_safe,
            policy=self.retry,
        )
        return self._page(op, response)

    # ------------------------------------------------------------------ actions

    list_calls = _list(ops.list_calls)
    get_call = _call(ops.get_call)
    create_call = _call(ops.create_call)
    add_call_media = _call(ops.add_call_media)
    get_call_transcripts = _list(ops.get_call_transcripts)
    list_calls_extensive = _list(ops.list_calls_extensive)
    create_meeting = _call(ops.create_meeting)
    update_meeting = _call(ops.update_meeting)
    delete_meeting = _call(ops.delete_meeting)
    report_custom_action = _call(ops.report_custom_action)
    report_content_shared = _call(ops.report_content_shared)
    report_content_viewed = _call(ops.report_content_viewed)
    list_email_references = _call(ops.list_email_references)
    erase_email_data = _call(ops.erase_email_data)
    list_phone_references = _call(ops.list_phone_references)
    erase_phone_data = _call(ops.erase_phone_data)
    get_logs = _list(ops.get_logs)
    get_user = _call(ops.get_user)
    list_users = _list(ops.list_users)
    list_workspaces = _list(ops.list_workspaces)
    list_library_folders = _list(ops.list_library_folders)
    list_folder_calls = _list(ops.list_folder_calls)

    async def request(
        self,
        url: str,
        *,
        method: str = "GET",
        data: Any = None,
        form_data: Mapping[str, str] | None = None,
        file_data: Mapping[str, FileInput] | None = None,
        file_data_file_names: Mapping[str, str] | None = None,
        query_params: Mapping[str, str | Sequence[str]] | Sequence[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
        response_type: str = "json",
        timeout: float | None = None,
        retry_delay_ms: int = 0,
        retry_on_all_errors: bool = False,
        max_retry_count: int = 0,
        use_exponential_backoff: bool = False,
    ) -> RawResponse:
        """Send any request to the connection's Gong host (a path or a same-host URL)."""
        call = self._raw_call(
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
        response = await self._send(call.build, safe=call.safe, policy=call.policy)
        return self._raw_result(call, response)


assert set(ENDPOINTS) <= set(dir(AsyncGongClient)), "every endpoint needs a client method"
