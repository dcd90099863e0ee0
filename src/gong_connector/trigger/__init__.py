"""Process Automation trigger: receive Gong's webhooks, verify them, keep them, handle them.

Quick look::

    from gong_connector.trigger import Trigger, WebhookVerifier

    trigger = Trigger(WebhookVerifier(public_key=GONG_KEY), inbox="sqlite:///gong-inbox.db",
                      public_url="https://hooks.example.com/gong")

    @trigger.on_call("Renewals")
    def renewals(event): ...

``trigger`` is an ASGI app. See docs/trigger.md.
"""

from ..errors import MalformedPayloadError, PayloadTooLargeError, VerificationError, WebhookError
from ._app import Trigger
from ._inbox import DEFAULT_DB_URL, STATUSES, Accepted, Event, Inbox, events_table, normalize_db_url
from ._server import TriggerServer
from ._verify import DEFAULT_MAX_BODY_BYTES, WebhookVerifier, load_public_key, redact_url
from ._worker import Backoff, Handler, HandlerRegistry, Worker

__all__ = [
    "DEFAULT_DB_URL",
    "DEFAULT_MAX_BODY_BYTES",
    "STATUSES",
    "Accepted",
    "Backoff",
    "Event",
    "Handler",
    "HandlerRegistry",
    "Inbox",
    "MalformedPayloadError",
    "PayloadTooLargeError",
    "Trigger",
    "TriggerServer",
    "VerificationError",
    "WebhookError",
    "WebhookVerifier",
    "Worker",
    "events_table",
    "load_public_key",
    "normalize_db_url",
    "redact_url",
]
