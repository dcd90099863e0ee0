"""Typed sync and async clients for Gong's API v2."""

from ..errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    CursorExpiredError,
    DailyBudgetExceededError,
    GongError,
    NotFoundError,
    OAuthStateError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
    ValidationError,
)
from ._async_client import AsyncGongClient
from ._base import RawResponse
from ._client import GongClient
from ._endpoints import ENDPOINTS, Endpoint, Exclusive, Paging, Param
from ._media import MediaUpload
from ._models import *  # noqa: F403
from ._models import __all__ as _models_all
from ._paging import AsyncPager, Page, Pager
from ._ratelimit import DailyBudget, RateLimiter
from ._retry import (
    AnyErrorRetry,
    ConnectionErrorRetry,
    ExponentialBackoff,
    FixedDelay,
    RateLimitRetry,
    RetryContext,
    RetryHandler,
    RetryPolicy,
    ServerErrorRetry,
)
from ._validation import LOG_TYPES

__all__ = [
    "LOG_TYPES",
    "ENDPOINTS",
    "APIError",
    "AnyErrorRetry",
    "AsyncGongClient",
    "AsyncPager",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ConnectionErrorRetry",
    "CursorExpiredError",
    "DailyBudget",
    "DailyBudgetExceededError",
    "Endpoint",
    "Exclusive",
    "ExponentialBackoff",
    "FixedDelay",
    "GongClient",
    "GongError",
    "MediaUpload",
    "NotFoundError",
    "OAuthStateError",
    "Page",
    "Pager",
    "Paging",
    "Param",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitRetry",
    "RateLimiter",
    "RawResponse",
    "RetryContext",
    "RetryHandler",
    "RetryPolicy",
    "ServerError",
    "ServerErrorRetry",
    "TransportError",
    "ValidationError",
    *_models_all,
]
