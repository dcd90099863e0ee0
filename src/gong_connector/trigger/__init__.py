"""Process Automation trigger: receive Gong's webhooks, verify them, keep them, handle them.

Quick look::

    from gong_connector.trigger import Trigger, WebhookVerifier

    trigger = Trigger(WebhookVerifier(public_key=GONG_KEY), inbox="sqlite:///gong-inbox.db",
                      public_url="https://hooks.example.com/gong")

    @trigger.on_call("Renewals")
    def renewals(event): ...

``trigger`` is an ASGI app. See docs/trigger.md.
"""

from .._extras import require

require("gong_connector.trigger", "trigger", "starlette", "uvicorn", "jwt", "cryptography", "sqlalchemy", "alembic")

from ..errors import MalformedPayloadError, PayloadTooLargeError, VerificationError, WebhookError
from ._app import Trigger
from ._endpoints import WorkerMetricsApp
from ._inbox import (
    DEFAULT_DB_URL,
    STATUSES,
    Accepted,
    Delivery,
    Event,
    Inbox,
    LeaseLostError,
    TenantRecord,
    events_table,
    normalize_db_url,
    tenants_table,
)
from ._metrics import Metrics
from ._server import ConnectionLimits, TriggerServer, WorkerMetricsServer
from ._tenants import TenantDirectory, add_tenant, check_tenant_name
from ._verify import DEFAULT_MAX_BODY_BYTES, WebhookVerifier, load_public_key, redact_url
from ._worker import Backoff, Handler, HandlerRegistry, TransactionalHandler, Worker

__all__ = [
    "DEFAULT_DB_URL",
    "DEFAULT_MAX_BODY_BYTES",
    "STATUSES",
    "Accepted",
    "Backoff",
    "ConnectionLimits",
    "Delivery",
    "Event",
    "Handler",
    "HandlerRegistry",
    "Inbox",
    "LeaseLostError",
    "MalformedPayloadError",
    "Metrics",
    "PayloadTooLargeError",
    "TenantDirectory",
    "TenantRecord",
    "TransactionalHandler",
    "Trigger",
    "TriggerServer",
    "VerificationError",
    "WebhookError",
    "WebhookVerifier",
    "Worker",
    "WorkerMetricsApp",
    "WorkerMetricsServer",
    "add_tenant",
    "check_tenant_name",
    "events_table",
    "load_public_key",
    "normalize_db_url",
    "redact_url",
    "tenants_table",
]
