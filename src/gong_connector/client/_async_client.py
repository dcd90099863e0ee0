"""The asynchronous client: the same actions as ``GongClient``, awaited.

Each action declaration becomes a coroutine method here (list actions return an
``AsyncPager`` at once: inputs are checked right away, pages fetched when iterated). This
module only adds the async way of sending.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio
import httpx

from .._tls import shared_ssl_context
from ..connections import Connection
from ._access import CallsAccess
from ._base import BaseClient, log_retry, retry_context, transport_error
from ._calls import Calls, upload_operation
from ._crm import Crm
from ._define import Action, AsyncSender, ListOperation, Operation
from ._directory import Directory
from ._engagement import Engagement
from ._flows import Flows
from ._meetings import Meetings
from ._models import GongModel
from ._paging import AsyncPager, Page
from ._permissions import Permissions
from ._privacy import Privacy
from ._ratelimit import DailyBudget, RateLimiter
from ._raw import Raw
from ._retry import RetryPolicy
from ._settings import Settings
from ._stats import Stats

__all__ = ["AsyncGongClient"]

R = TypeVar("R")
T = TypeVar("T", bound=GongModel)


class AsyncGongClient(
    BaseClient,
    AsyncSender,
    Calls,
    Meetings,
    Engagement,
    Privacy,
    Directory,
    Stats,
    Settings,
    CallsAccess,
    Permissions,
    Crm,
    Flows,
    Raw,
):
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

    @classmethod
    def _action_function(cls, action: Action) -> Callable[..., Any]:
        if action.paging is not None:

            def pager(self: AsyncGongClient, /, *args: Any, **kwargs: Any) -> Any:
                op = action.operation(self, action.bind(args, kwargs))
                assert isinstance(op, ListOperation)
                return AsyncPager(functools.partial(self._fetch_page, op), op.cursor)

            return pager

        async def method(self: AsyncGongClient, /, *args: Any, **kwargs: Any) -> Any:
            op = action.operation(self, action.bind(args, kwargs))
            assert isinstance(op, Operation)
            return await self._run(op)

        return method

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
            slot = self.rate_limiter.book()
            wait = slot.wait
            while wait > 0:
                await self._sleep(wait)
                wait = slot.remaining()
            request = build(self._http)
            slot.sent()
            slot.follow(request, is_async=True)
            response: httpx.Response | None = None
            failure: httpx.TransportError | None = None
            try:
                response = await self._http.send(request, auth=self._auth)
            except httpx.TransportError as exc:
                failure = exc
            if response is not None and response.status_code < 300:
                return response
            if response is not None and response.status_code == 429:
                self.rate_limiter.refused()
            ctx = retry_context(attempt, safe, response, failure)
            delay = policy.next_delay(ctx)
            if delay is None:
                if response is None:
                    raise transport_error(request, failure, attempt + 1) from None
                return response
            log_retry(request, ctx, delay)
            if delay > 0:
                await self._sleep(delay)
            attempt += 1

    async def _run(self, op: Operation[R]) -> R:
        try:
            response = await self._send(self._operation_builder(op), safe=op.retry_safe, policy=self._policy(op))
            result: R = self._result(op, response)
            if op.then_upload is not None:
                call_id = str(getattr(result, "call_id", ""))
                await self._run(upload_operation(call_id, op.then_upload))
        finally:
            for upload in (op.upload, op.then_upload):
                if upload is not None:
                    upload.close()
        return result

    async def _fetch_page(self, op: ListOperation[T], cursor: str | None) -> Page[T]:
        plan = self._plan(op, cursor)
        while True:
            response = await self._send(
                self._page_builder(op, cursor, plan), safe=op.action.retry_safe, policy=self.retry
            )
            if not self._cut_window(op, plan, response):
                return self._page(op, response, plan)
