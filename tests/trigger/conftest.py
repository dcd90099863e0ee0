"""Shared fixtures for the trigger's tests: a Gong-like signer, an injectable clock, and the
inbox on SQLite and (when it is reachable) on a fresh schema of the real PostgreSQL server."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gong_connector.trigger import Inbox, Trigger, WebhookVerifier

from .._postgres import BACKENDS, schema_url


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A URL whose search_path is a schema of its own, dropped afterwards."""
    yield from schema_url("gt")


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'inbox.db'}"
    url: str = request.getfixturevalue("pg_schema_url")
    return url


@dataclass
class FakeClock:
    """Unix time that moves only when told to."""

    now: float = field(default_factory=lambda: float(int(time.time())))

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


class GongSigner:
    """Signs like Gong: RS256, bare JWT, claims webhook_url, body_sha256, iat, exp."""

    def __init__(self) -> None:
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = self.private.public_key()
        der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        self.public_key_base64 = base64.b64encode(der).decode()
        self.public_key_pem = public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()

    def token(self, url: str, body: bytes, *, now: float | None = None, ttl: int = 300, **overrides: Any) -> str:
        issued = int(time.time() if now is None else now)
        claims: dict[str, Any] = {
            "webhook_url": url,
            "body_sha256": hashlib.sha256(body).hexdigest(),
            "iat": issued,
            "exp": issued + ttl,
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, self.private, algorithm="RS256")


@pytest.fixture(scope="session")
def gong_signer() -> GongSigner:
    return GongSigner()


@pytest.fixture(scope="session")
def other_signer() -> GongSigner:
    return GongSigner()


def payload(call_id: str = "7782342274025937895", *, is_test: bool = False, **extra: Any) -> bytes:
    """A body shaped like Gong's: {callData: {metaData, parties, ...}, isTest}."""
    data = {
        "callData": {
            "metaData": {"id": call_id, "title": "Acme | Renewal", "url": "https://x/call"},
            "parties": [{"id": "1", "emailAddress": "bo@acme.example"}],
            **extra,
        },
        "isTest": is_test,
    }
    return json.dumps(data, separators=(",", ":")).encode()


@pytest.fixture(scope="session")
def migrated_inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite inbox at the newest revision, made once per worker. Receiver tests open
    a copy (4 ms rather than 23 ms of migrations); migrating is tested in tests/db and by
    the inbox tests, which open new databases."""
    path = tmp_path_factory.mktemp("template") / "inbox.db"
    Inbox(f"sqlite:///{path}").close()
    return path


@pytest.fixture
def make_trigger(
    clock: FakeClock, gong_signer: GongSigner, tmp_path: Path, migrated_inbox: Path
) -> Iterator[Callable[..., Trigger]]:
    made: list[Trigger] = []
    default_db = tmp_path / "inbox.db"

    def make(
        db: str | None = None, *, public_key: str | None = "default", url_key: str | None = None, **kwargs: Any
    ) -> Trigger:
        key = gong_signer.public_key_base64 if public_key == "default" else public_key
        verifier = WebhookVerifier(
            public_key=key, url_key=url_key, clock=clock, max_body_bytes=kwargs.pop("max_body_bytes", 64 * 1024)
        )
        if db is None and not default_db.exists():
            shutil.copyfile(migrated_inbox, default_db)
        inbox = Inbox(db or f"sqlite:///{default_db}", clock=clock)
        trigger = Trigger(verifier, inbox=inbox, **kwargs)
        made.append(trigger)
        return trigger

    yield make
    for trigger in made:
        trigger.inbox.close()
