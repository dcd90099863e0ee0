"""gong-connector: a typed Python connector for Gong's API v2.

The names below are loaded on first use (PEP 562), so ``import gong_connector`` (and the
pytest plugin that every project installing us gets) costs nothing until a name is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._httpx_cli import defer as _defer_httpx_cli
from ._lazy import lazy_attributes
from ._version import __version__

_defer_httpx_cli()

_LAZY = {
    "APIError": "errors",
    "ApiKeyConnection": "connections",
    "AsyncGongClient": "client",
    "AuthenticationError": "errors",
    "BadRequestError": "errors",
    "ConflictError": "errors",
    "CursorExpiredError": "errors",
    "DailyBudget": "client",
    "DailyBudgetExceededError": "errors",
    "FileTokenStore": "connections",
    "GongClient": "client",
    "GongError": "errors",
    "MemoryTokenStore": "connections",
    "NotFoundError": "errors",
    "OAuthConnection": "connections",
    "OAuthStateError": "errors",
    "OAuthToken": "connections",
    "Page": "client",
    "PermissionDeniedError": "errors",
    "RateLimitError": "errors",
    "RateLimiter": "client",
    "RetryPolicy": "client",
    "ServerError": "errors",
    "TokenStore": "connections",
    "TransportError": "errors",
    "UnreadableResponseError": "errors",
    "ValidationError": "errors",
}

__all__ = [
    "APIError",
    "ApiKeyConnection",
    "AsyncGongClient",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "CursorExpiredError",
    "DailyBudget",
    "DailyBudgetExceededError",
    "FileTokenStore",
    "GongClient",
    "GongError",
    "MemoryTokenStore",
    "NotFoundError",
    "OAuthConnection",
    "OAuthStateError",
    "OAuthToken",
    "Page",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimiter",
    "RetryPolicy",
    "ServerError",
    "TokenStore",
    "TransportError",
    "UnreadableResponseError",
    "ValidationError",
    "__version__",
]


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals())


if TYPE_CHECKING:
    from .client import (
        AsyncGongClient,
        DailyBudget,
        GongClient,
        Page,
        RateLimiter,
        RetryPolicy,
    )
    from .connections import (
        ApiKeyConnection,
        FileTokenStore,
        MemoryTokenStore,
        OAuthConnection,
        OAuthToken,
        TokenStore,
    )
    from .errors import (
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
        UnreadableResponseError,
        ValidationError,
    )
