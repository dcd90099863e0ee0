"""Process Automation: rules that send a call to a webhook once Gong has processed it.

Gong signs with RS256 and puts the bare JWT (no ``Bearer``) in ``Authorization``; the
claims bind the token to the webhook URL (``webhook_url``) and the body
(``body_sha256``). Deliveries run on one background thread, started with the first, are
retried on failure, and are kept in a log tests can read.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .._tls import shared_ssl_context
from ._clock import Clock
from ._dataset import CallRecord
from ._errors import bad_request

JSON = dict[str, Any]
AUTH_MODES = ("jwt", "url_key")
FILTERS = ("workspaceId", "primaryUserIds", "direction", "scope", "titleContains")
TOKEN_TTL = 300


@dataclass
class Rule:
    id: str
    name: str
    url: str
    auth: str = "jwt"
    filters: JSON = field(default_factory=dict)
    enabled: bool = True

    def matches(self, call: JSON) -> bool:
        f = self.filters
        if not self.enabled:
            return False
        if f.get("workspaceId") and call.get("workspaceId") != f["workspaceId"]:
            return False
        if f.get("primaryUserIds") and call.get("primaryUserId") not in f["primaryUserIds"]:
            return False
        if f.get("direction") and call.get("direction") != f["direction"]:
            return False
        if f.get("scope") and call.get("scope") != f["scope"]:
            return False
        title = f.get("titleContains")
        return not (title and str(title).lower() not in str(call.get("title") or "").lower())

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "name": self.name,
            "url": self.url,
            "auth": self.auth,
            "filters": self.filters,
            "enabled": self.enabled,
        }


class WebhookSigner:
    def __init__(self) -> None:
        self._private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        der = self._private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        #: The key as Gong's rule page shows it: bare base64, no PEM armour.
        self.public_key_base64 = base64.b64encode(der).decode()
        self.public_key_pem = (
            self._private.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )

    def sign(self, url: str, body: bytes, now: float, ttl: int = TOKEN_TTL) -> str:
        claims = {
            "webhook_url": url,
            "body_sha256": hashlib.sha256(body).hexdigest(),
            "iat": int(now),
            "exp": int(now) + ttl,
        }
        return jwt.encode(claims, self._private, algorithm="RS256")


class Webhooks:
    def __init__(self, clock: Clock, retry_delays: tuple[float, ...] = (1.0, 5.0)) -> None:
        self.clock = clock
        self._signer: WebhookSigner | None = None
        self.retry_delays = retry_delays
        self._lock = threading.Lock()
        self.rules: dict[str, Rule] = {}
        self._ids = itertools.count(1)
        self.deliveries: list[JSON] = []
        self._queue: queue.Queue[tuple[Rule, bytes, JSON] | None] = queue.Queue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def signer(self) -> WebhookSigner:
        """Made on first use: an RSA key takes longer to make than the rest of an emulator."""
        with self._lock:
            if self._signer is None:
                self._signer = WebhookSigner()
            return self._signer

    # ----- rules ----------------------------------------------------------------------------

    def add_rule(self, body: JSON) -> Rule:
        name = body.get("name")
        url = body.get("url")
        if not isinstance(name, str) or not name:
            raise bad_request("name is required")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise bad_request("url must be an http(s) URL")
        auth = body.get("auth", "jwt")
        if auth not in AUTH_MODES:
            raise bad_request("auth must be one of jwt, url_key")
        filters = body.get("filters") or {}
        if not isinstance(filters, dict):
            raise bad_request("filters must be an object")
        unknown = sorted(set(filters) - set(FILTERS))
        if unknown:  # a misspelt filter would otherwise match every call
            raise bad_request(f"filters has unknown fields: {', '.join(unknown)}; known: {', '.join(FILTERS)}")
        ids = filters.get("primaryUserIds")
        if ids is not None and (not isinstance(ids, list) or not all(isinstance(i, str) for i in ids)):
            raise bad_request("filters.primaryUserIds must be a list of user ids (strings)")
        rule = Rule(
            id=str(next(self._ids)),
            name=name,
            url=url,
            auth=auth,
            filters=filters,
            enabled=bool(body.get("enabled", True)),
        )
        with self._lock:
            self.rules[rule.id] = rule
        return rule

    def clear(self) -> None:
        """Forget every rule and delivery (pending deliveries are finished first)."""
        self.wait(5.0)
        with self._lock:
            self.rules.clear()
            self.deliveries.clear()
            self._ids = itertools.count(1)

    def delete_rule(self, rule_id: str) -> bool:
        with self._lock:
            return self.rules.pop(rule_id, None) is not None

    # ----- delivery -------------------------------------------------------------------------

    def call_processed(self, record: CallRecord, call_data: JSON) -> None:
        for rule in list(self.rules.values()):
            if rule.matches(record.meta):
                self.send(rule, call_data, is_test=False)

    def send(self, rule: Rule, call_data: JSON, *, is_test: bool) -> None:
        payload = {"callData": call_data, "isTest": is_test}
        body = json.dumps(payload, separators=(",", ":")).encode()
        info = {"ruleId": rule.id, "ruleName": rule.name, "callId": call_data["metaData"]["id"], "isTest": is_test}
        self._start()
        self._queue.put((rule, body, info))

    def _start(self) -> None:
        """The delivery thread, and its HTTP client, start with the first webhook: most
        emulators never send one, and a new process would load httpcore and the CA bundle."""
        with self._lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(target=self._run, name="gong-emulator-webhooks", daemon=True)
                self._thread.start()

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until every queued delivery has finished (or failed for good)."""
        done = threading.Event()

        def waiter() -> None:
            self._queue.join()
            done.set()

        threading.Thread(target=waiter, daemon=True).start()
        return done.wait(timeout)

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            thread = self._thread
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=5)

    def _run(self) -> None:
        hide = _NoQueryInLogs(threading.current_thread())
        logging.getLogger("httpx").addFilter(hide)
        try:
            self._serve_queue()
        finally:
            logging.getLogger("httpx").removeFilter(hide)

    def _serve_queue(self) -> None:
        with httpx.Client(timeout=10.0, verify=shared_ssl_context()) as client:
            while True:
                item = self._queue.get()
                try:
                    if item is None:
                        return
                    self._deliver(client, *item)
                finally:
                    self._queue.task_done()

    def _deliver(self, client: httpx.Client, rule: Rule, body: bytes, info: JSON) -> None:
        for attempt in range(1 + len(self.retry_delays)):
            if attempt and self._stop.wait(self.retry_delays[attempt - 1]):
                return
            headers = {"Content-Type": "application/json", "User-Agent": "Gong-Webhooks (emulator)"}
            if rule.auth == "jwt":
                # Wall-clock time, not the emulator clock: the receiver checks iat/exp against its
                # own real clock, and tests move the emulator clock ahead (iat "in the future").
                headers["Authorization"] = self.signer.sign(rule.url, body, time.time())
            record = dict(info, attempt=attempt + 1, at=self.clock.now())
            try:
                response = client.post(rule.url, content=body, headers=headers)
                record["status"] = response.status_code
                ok = 200 <= response.status_code < 300
            except httpx.HTTPError as exc:
                record["status"] = None
                record["error"] = type(exc).__name__
                ok = False
            with self._lock:
                self.deliveries.append(record)
            if ok:
                return


class _NoQueryInLogs(logging.Filter):
    """httpx logs each request's URL at INFO, and a rule's URL may hold the receiver's URL
    key: the delivery thread's request lines are logged without their query."""

    def __init__(self, thread: threading.Thread) -> None:
        super().__init__()
        self.thread = thread

    def filter(self, record: logging.LogRecord) -> bool:
        if threading.current_thread() is self.thread and isinstance(record.args, tuple):
            record.args = tuple(
                a.copy_with(query=None) if isinstance(a, httpx.URL) and a.query else a for a in record.args
            )
        return True
