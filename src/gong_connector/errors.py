"""One exception tree for everything the connector raises, at the bottom of the house.

Every package (client, connections, sync, trigger, CLI, MCP) raises from here and imports
nothing else from the package, so ``except GongError`` catches all of it and no import
cycle can form through the errors.

Errors carry what a caller needs to act (status, Gong's ``requestId``, its messages, the
retry delay) and never the request headers or query string, so credentials and tokens
cannot leak through an exception message or a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

__all__ = [
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "CredentialsError",
    "CursorExpiredError",
    "DailyBudgetExceededError",
    "GongError",
    "MalformedPayloadError",
    "MissingExtraError",
    "NotFoundError",
    "OAuthStateError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "StoreError",
    "SyncInputError",
    "TransportError",
    "UnreadableResponseError",
    "ValidationError",
    "VerificationError",
    "WebhookError",
]

_SCOPE_RE = re.compile(r"(api:[A-Za-z0-9:_\-]+)")


class GongError(Exception):
    """Root of every error raised by the connector."""


class ValidationError(GongError, ValueError):
    """An input failed a client-side check; nothing was sent."""

    def __init__(self, field: str, rule: str, message: str | None = None) -> None:
        self.field = field
        self.rule = rule
        self.message = message or rule
        super().__init__(f"{field}: {self.message}")


class SyncInputError(ValidationError):
    """A bad sync input (database URL, stream name, date), raised before anything is written."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(name, "invalid", message)


class CredentialsError(GongError):
    """No usable credentials are configured (nothing was sent to Gong)."""


class MissingExtraError(GongError, ImportError):
    """A feature needs an optional dependency that is not installed; names the extra."""

    def __init__(self, feature: str, extra: str, module: str | None = None) -> None:
        self.feature = feature
        self.extra = extra
        self.module = module
        missing = f" ({module} is not installed)" if module else ""
        super().__init__(f"{feature} needs the {extra!r} extra{missing}: pip install 'gong-connector[{extra}]'")


class StoreError(GongError):
    """The database cannot be used as it is (unreachable, or made by a newer release)."""


class OAuthStateError(GongError):
    """The ``state`` returned to the redirect URI is not one this connection issued."""


class DailyBudgetExceededError(GongError):
    """The client-side daily request budget is spent; sending more would only earn 429s."""

    def __init__(self, limit: int, resets_at: float) -> None:
        self.limit = limit
        self.resets_at = resets_at
        super().__init__(f"daily request budget of {limit} is spent; it resets at unix time {resets_at:.0f}")


class TransportError(GongError):
    """The request got no HTTP response: ``reason`` says why (connection refused, the host
    name does not resolve, TLS failed, timed out, connection dropped) and ``host`` where."""

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        host: str | None = None,
        reason: str | None = None,
        hint: str | None = None,
        retryable: bool = True,
    ):
        self.method = method
        self.path = path
        self.host = host
        self.reason = reason
        self.hint = hint
        #: False when trying again cannot help (the host name does not resolve, TLS failed).
        self.retryable = retryable
        where = f" ({method} {path})" if method and path else ""
        super().__init__(f"{message}{where}" + (f"; {hint}" if hint else ""))


class APIError(GongError):
    """Gong answered with an error status."""

    def __init__(
        self,
        status: int,
        *,
        request_id: str | None = None,
        errors: Sequence[str] = (),
        method: str | None = None,
        path: str | None = None,
        body: Any = None,
    ) -> None:
        self.status = status
        self.request_id = request_id
        self.errors = list(errors)
        self.method = method
        self.path = path
        self.body = body
        detail = "; ".join(self.errors) or "no message"
        where = f" {method} {path}" if method and path else ""
        rid = f" (requestId {request_id})" if request_id else ""
        super().__init__(f"HTTP {status}{where}: {detail}{rid}")

    @property
    def status_code(self) -> int:
        return self.status


class BadRequestError(APIError):
    """400: Gong rejected the request as malformed."""


class CursorExpiredError(BadRequestError):
    """400 for a paging cursor that has expired: restart the listing from the filter."""


class AuthenticationError(APIError):
    """401, or a failed OAuth token exchange: the credentials were not accepted."""


class PermissionDeniedError(APIError):
    """403: the credentials lack a scope (``missing_scope``, when Gong names it)."""

    def __init__(self, status: int, **kwargs: Any) -> None:
        required_scope = kwargs.pop("required_scope", None)
        super().__init__(status, **kwargs)
        found = next((m.group(1) for e in self.errors if (m := _SCOPE_RE.search(e))), None)
        self.missing_scope: str | None = found
        self.required_scope: str | None = required_scope


class NotFoundError(APIError):
    """404 on an endpoint where it means "no such object"."""


class ConflictError(APIError):
    """409: a repeat (same ``clientUniqueId``/``eventId``) or a state conflict."""


class RateLimitError(APIError):
    """429: over Gong's rate limit; ``retry_after`` is the server's wait in seconds."""

    def __init__(self, status: int, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(status, **kwargs)
        self.retry_after = retry_after


class ServerError(APIError):
    """5xx: Gong failed; safe requests are retried before this is raised."""


# --------------------------------------------------------------------------- webhooks


class UnreadableResponseError(APIError):
    """A success status whose body is not the JSON object Gong sends (a proxy's page, a body
    cut short or not UTF-8): an error, never an empty answer that would end a listing early."""


class WebhookError(GongError):
    """A webhook request that the receiver refuses; nothing of it is stored.

    ``status_code`` is what the receiver answers. Messages name the failed check, never a
    secret or a token, so they are safe to log.
    """

    status_code = 400

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class VerificationError(WebhookError):
    """The request is not proven to come from Gong (bad or missing JWT, wrong URL key)."""

    status_code = 401


class PayloadTooLargeError(WebhookError):
    """The body exceeds the size limit; refused before it is parsed or verified."""

    status_code = 413


class MalformedPayloadError(WebhookError):
    """Authentic, but not the JSON shape Gong sends (``{callData: {metaData: {id}}, isTest}``)."""

    status_code = 400
