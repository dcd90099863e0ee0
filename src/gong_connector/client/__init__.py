"""Typed sync and async clients for Gong's API v2.

Each action is declared once, in the resource module of its Gong area (``_calls.py``,
``_meetings.py``, ``_engagement.py``, ``_privacy.py``, ``_directory.py``, ``_stats.py``,
``_settings.py``, ``_access.py``, ``_permissions.py``, ``_crm.py``, ``_flows.py``,
``_raw.py``); ``_define.py`` turns a declaration into the methods of both clients.
"""

from collections.abc import Mapping
from types import MappingProxyType

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
    UnreadableResponseError,
    ValidationError,
)
from ._async_client import AsyncGongClient
from ._client import GongClient
from ._define import Action, Exclusive, Input, Paging, declared_actions
from ._kinds import LOG_TYPES, Kind
from ._media import MediaUpload
from ._models import *  # noqa: F403
from ._models import __all__ as _models_all
from ._models_crm import *  # noqa: F403
from ._models_crm import __all__ as _crm_all
from ._models_digital import *  # noqa: F403
from ._models_digital import __all__ as _digital_all
from ._models_flows import *  # noqa: F403
from ._models_flows import __all__ as _flows_all
from ._models_permissions import *  # noqa: F403
from ._models_permissions import __all__ as _permissions_all
from ._models_settings import *  # noqa: F403
from ._models_settings import __all__ as _settings_all
from ._models_stats import *  # noqa: F403
from ._models_stats import __all__ as _stats_all
from ._models_users import *  # noqa: F403
from ._models_users import __all__ as _users_all
from ._paging import AsyncPager, Page, Pager
from ._ratelimit import DailyBudget, RateLimiter
from ._raw import RAW_REQUEST, RawResponse
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

#: Every action with a fixed Gong endpoint, by client method name (the raw request, which
#: has none, is ``RAW_REQUEST``). Derived from the declarations; nothing is listed twice.
ENDPOINTS: Mapping[str, Action] = MappingProxyType(
    {name: a for name, a in declared_actions(GongClient).items() if a is not RAW_REQUEST}
)

__all__ = [
    "ENDPOINTS",
    "LOG_TYPES",
    "RAW_REQUEST",
    "APIError",
    "Action",
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
    "Exclusive",
    "ExponentialBackoff",
    "FixedDelay",
    "GongClient",
    "GongError",
    "Input",
    "Kind",
    "MediaUpload",
    "NotFoundError",
    "OAuthStateError",
    "Page",
    "Pager",
    "Paging",
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
    "UnreadableResponseError",
    "ValidationError",
    *_models_all,
    *_crm_all,
    *_digital_all,
    *_flows_all,
    *_permissions_all,
    *_settings_all,
    *_stats_all,
    *_users_all,
]
