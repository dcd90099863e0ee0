"""The synchronous client.

Its actions come from the resource classes it is made of (``Calls``, ``Meetings``...):
each declaration becomes a method here, and the same declaration a coroutine method of
the async client, so the two always offer the same actions with the same arguments.
This module only adds the blocking way of sending.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from .._tls import shared_ssl_context
from ..connections import Connection
from ._access import CallsAccess
from ._base import BaseClient, log_retry, retry_context, transport_error
from ._calls import Calls, upload_operation
from ._crm import Crm
from ._define import Action, ListOperation, Operation, SyncSender
from ._directory import Directory
from ._engagement import Engagement
from ._flows import Flows
from ._meetings import Meetings
from ._models import GongModel
from ._paging import Page, Pager
from ._permissions import Permissions
from ._privacy import Privacy
from ._ratelimit import DailyBudget, RateLimiter
from ._raw import Raw
from ._retry import RetryPolicy
from ._settings import Settings
from ._stats import Stats

__all__ = ["GongClient"]

R = TypeVar("R")
T = TypeVar("T", bound=GongModel)


class GongClient(
    BaseClient,
    SyncSender,
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
    """Blocking client for Gong's API v2. Use as a context manager to close connections.

    Thread-safe: threads may share one client; its rate limiter paces them together.
    """

    def __init__(
        self,
        connection: Connection | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = None,
        daily_budget: DailyBudget | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
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
        self._http = httpx.Client(
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
            verify=shared_ssl_context(),
        )

    @classmethod
    def from_env(cls, **kwargs: Any) -> GongClient:
        """Client on an API key from GONG_BASE_URL, GONG_ACCESS_KEY, GONG_ACCESS_KEY_SECRET."""
        from ..connections import ApiKeyConnection

        return cls(ApiKeyConnection.from_env(), **kwargs)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GongClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @classmethod
    def _action_function(cls, action: Action) -> Callable[..., Any]:
        if action.paging is not None:

            def method(self: GongClient, /, *args: Any, **kwargs: Any) -> Any:
                op = action.operation(self, action.bind(args, kwargs))
                assert isinstance(op, ListOperation)
                return Pager(functools.partial(self._fetch_page, op), op.cursor)

        else:

            def method(self: GongClient, /, *args: Any, **kwargs: Any) -> Any:
                op = action.operation(self, action.bind(args, kwargs))
                assert isinstance(op, Operation)
                return self._run(op)

        return method

    # ------------------------------------------------------------------ sending

    def _send(
        self,
        build: Callable[[httpx.Client], httpx.Request],
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
                self._sleep(wait)
                wait = slot.remaining()
            request = build(self._http)
            slot.sent()
            slot.follow(request)
            response: httpx.Response | None = None
            failure: httpx.TransportError | None = None
            try:
                response = self._http.send(request, auth=self._auth)
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
                self._sleep(delay)
            attempt += 1

    def _run(self, op: Operation[R]) -> R:
        try:
            response = self._send(self._operation_builder(op), safe=op.retry_safe, policy=self._policy(op))
            result: R = self._result(op, response)
            if op.then_upload is not None:
                call_id = str(getattr(result, "call_id", ""))
                self._run(upload_operation(call_id, op.then_upload))
        finally:
            for upload in (op.upload, op.then_upload):
                if upload is not None:
                    upload.close()
        return result

    def _fetch_page(self, op: ListOperation[T], cursor: str | None) -> Page[T]:
        plan = self._plan(op, cursor)
        while True:
            response = self._send(self._page_builder(op, cursor, plan), safe=op.action.retry_safe, policy=self.retry)
            if not self._cut_window(op, plan, response):
                return self._page(op, response, plan)
