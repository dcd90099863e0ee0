"""Retry policy as data.

Which failures are retried, how often and after what delay are fields of a frozen
``RetryPolicy`` made of small handlers (as slack-sdk's ``http_retry`` does), not branches
in the client. Only requests that are safe to repeat are retried after a 5xx or a lost
connection; a 429 is retried for any request, because Gong refused it before doing anything.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from .._backoff import exponential_delay

__all__ = [
    "AnyErrorRetry",
    "ConnectionErrorRetry",
    "ExponentialBackoff",
    "FixedDelay",
    "RateLimitRetry",
    "RetryContext",
    "RetryHandler",
    "RetryPolicy",
    "ServerErrorRetry",
]


@dataclass(frozen=True)
class RetryContext:
    """What happened on one attempt."""

    attempt: int  # retries already made (0 on the first failure)
    safe: bool  # the request may be repeated without side effects
    status: int | None = None  # HTTP status, None when no response came
    #: connect: never reached Gong; transport: lost on the way; fatal: retrying cannot help
    #: (the host name does not resolve, TLS failed, a bad URL).
    error: Literal["connect", "transport", "fatal"] | None = None
    retry_after: float | None = None  # the server's Retry-After, in seconds


class RetryHandler(Protocol):
    def applies(self, ctx: RetryContext) -> bool: ...


@dataclass(frozen=True)
class RateLimitRetry:
    """429: Gong did nothing, so any request may be sent again."""

    def applies(self, ctx: RetryContext) -> bool:
        return ctx.status == 429


@dataclass(frozen=True)
class ServerErrorRetry:
    """5xx, for requests that are safe to repeat."""

    only_safe: bool = True

    def applies(self, ctx: RetryContext) -> bool:
        return ctx.status is not None and ctx.status >= 500 and (ctx.safe or not self.only_safe)


@dataclass(frozen=True)
class ConnectionErrorRetry:
    """No response: always when the connection was never made, else only safe requests."""

    only_safe: bool = True

    def applies(self, ctx: RetryContext) -> bool:
        if ctx.error == "connect":
            return True
        return ctx.error == "transport" and (ctx.safe or not self.only_safe)


@dataclass(frozen=True)
class AnyErrorRetry:
    """Any error status or lost connection (the raw request's "retry on all errors")."""

    def applies(self, ctx: RetryContext) -> bool:
        if ctx.error == "fatal":
            return False
        return ctx.error is not None or (ctx.status is not None and ctx.status >= 300)


@dataclass(frozen=True)
class ExponentialBackoff:
    """``base * factor**attempt`` capped at ``max_delay``, minus up to ``jitter`` of it."""

    base: float = 0.5
    factor: float = 2.0
    max_delay: float = 30.0
    jitter: float = 0.5

    def delay(self, attempt: int, rand: Callable[[], float]) -> float:
        raw = exponential_delay(attempt, first=self.base, factor=self.factor, cap=self.max_delay)
        return raw * (1.0 - self.jitter * rand())


@dataclass(frozen=True)
class FixedDelay:
    seconds: float = 0.0

    def delay(self, attempt: int, rand: Callable[[], float]) -> float:
        return self.seconds


@dataclass(frozen=True)
class RetryPolicy:
    """When to send a failed request again, and after how long."""

    max_retries: int = 4
    handlers: tuple[RetryHandler, ...] = (
        RateLimitRetry(),
        ServerErrorRetry(),
        ConnectionErrorRetry(),
    )
    backoff: ExponentialBackoff | FixedDelay = ExponentialBackoff()
    #: Retry-After values above this are not waited out: the error is raised instead.
    max_retry_after: float = 120.0
    rand: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    @classmethod
    def none(cls) -> RetryPolicy:
        return cls(max_retries=0, handlers=())

    def next_delay(self, ctx: RetryContext) -> float | None:
        """Seconds to wait before the next attempt, or None to give up."""
        if ctx.attempt >= self.max_retries:
            return None
        if not any(h.applies(ctx) for h in self.handlers):
            return None
        if ctx.retry_after is not None:
            if ctx.retry_after > self.max_retry_after:
                return None
            return max(ctx.retry_after, 0.0)
        return self.backoff.delay(ctx.attempt, self.rand)
