"""The trigger's exceptions: each rejection carries the HTTP status the receiver answers with."""

from __future__ import annotations

__all__ = ["MalformedPayloadError", "PayloadTooLargeError", "VerificationError", "WebhookError"]


class WebhookError(Exception):
    """A webhook request that the receiver refuses; nothing of it is stored.

    Messages name the failed check, never a secret or a token, so they are safe to log.
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
