"""Tenants: the Gong companies one receiver serves, each verified with its own key only.

Tenants are rows of the inbox database (``gong trigger tenants add|list|remove``). Each
receiver keeps them in memory and reads the table again every few seconds, and at most once
a second when a request names a tenant it does not know, so a tenant added or removed
reaches running receivers without a restart.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
import time
from collections.abc import Callable

import anyio.to_thread

from ..errors import StoreError, ValidationError
from ._inbox import Inbox, TenantRecord
from ._verify import DEFAULT_MAX_BODY_BYTES, WebhookVerifier, load_public_key, url_key_digest

__all__ = ["TenantDirectory", "add_tenant", "check_tenant_name"]

log = logging.getLogger("gong_connector.trigger")

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def check_tenant_name(name: str) -> str:
    """A tenant name is a URL path segment: letters, digits, ``.``, ``_``, ``-``, up to 64."""
    if not _NAME.fullmatch(name):
        raise ValidationError(
            "tenant", "name", f"{name!r} is not a tenant name: 1-64 letters, digits, '.', '_' or '-', not first"
        )
    return name


def add_tenant(inbox: Inbox, name: str, *, public_key: str | None = None, url_key: str | None = None) -> None:
    """Store a tenant with exactly one key: Gong's public key (checked here), or a URL key
    (kept as a salted digest). ``ValidationError`` for a bad name or key, or a taken name."""
    check_tenant_name(name)
    if (public_key is None) == (url_key is None):
        raise ValidationError("tenant", "key", "give a tenant exactly one key: a public key or a URL key")
    if public_key is not None:
        load_public_key(public_key)
        added = inbox.add_tenant(name, public_key=public_key.strip())
    else:
        assert url_key is not None
        if len(url_key) < 16:
            raise ValidationError("url_key", "length", "is shorter than 16 characters; use a long random key")
        salt, digest = url_key_digest(url_key)
        added = inbox.add_tenant(name, url_key_sha256=digest, salt=salt)
    if not added:
        raise ValidationError("tenant", "exists", f"a tenant named {name!r} exists; remove it first to change its key")


class TenantDirectory:
    """Verifiers by tenant name, loaded from the inbox and kept fresh."""

    def __init__(
        self,
        inbox: Inbox,
        *,
        refresh_seconds: float = 5.0,
        miss_refresh_seconds: float = 1.0,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        leeway: float = 60.0,
        url_key_param: str = "key",
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inbox = inbox
        self.refresh_seconds = refresh_seconds
        self.miss_refresh_seconds = miss_refresh_seconds
        self._options = {"max_body_bytes": max_body_bytes, "leeway": leeway, "url_key_param": url_key_param}
        self._clock = clock
        self._monotonic = monotonic
        self._verifiers: dict[str, tuple[TenantRecord, WebhookVerifier]] = {}
        self._loaded_at: float | None = None
        self._lock = threading.Lock()
        self._refreshing: asyncio.Task[bool] | None = None
        self._last_read_ok = True

    def __len__(self) -> int:
        return len(self._verifiers)

    def names(self) -> list[str]:
        return sorted(self._verifiers)

    def refresh(self) -> None:
        """Read the tenants table; keys are parsed again only for tenants that changed."""
        records = {r.name: r for r in self.inbox.tenants()}
        with self._lock:
            fresh: dict[str, tuple[TenantRecord, WebhookVerifier]] = {}
            for name, record in records.items():
                known = self._verifiers.get(name)
                if known is not None and known[0] == record:
                    fresh[name] = known
                    continue
                try:
                    fresh[name] = (record, self._verifier(record))
                except ValidationError:
                    continue  # a key edited by hand into something unreadable: the tenant gets 404
            self._verifiers = fresh
            self._loaded_at = self._monotonic()

    def _verifier(self, record: TenantRecord) -> WebhookVerifier:
        digest = (record.url_key_salt, record.url_key_sha256) if record.url_key_sha256 and record.url_key_salt else None
        return WebhookVerifier(
            public_key=record.public_key,
            url_key_sha256=digest,
            clock=self._clock,
            **self._options,  # type: ignore[arg-type]
        )

    def due(self) -> bool:
        return self._loaded_at is None or self._monotonic() - self._loaded_at >= self.refresh_seconds

    async def lookup(self, name: str) -> WebhookVerifier | None:
        """The tenant's verifier, or None. The table is read again when the last read is
        ``refresh_seconds`` old (the request that finds it so waits for the read, so removals
        take effect at once after it), and for a name not known, at most once each
        ``miss_refresh_seconds``. ``StoreError`` when a read that an unknown name needed
        fails: the name is then not known to be wrong. Known tenants keep their keys while
        the database is away."""
        read_ok: bool | None = None
        if self.due():
            read_ok = await asyncio.shield(self._refresh_soon())
        found = self._verifiers.get(name)
        if found is not None:
            return found[1]
        if read_ok is None:
            if self._loaded_at is not None and self._monotonic() - self._loaded_at < self.miss_refresh_seconds:
                read_ok = self._last_read_ok
            else:
                read_ok = await asyncio.shield(self._refresh_soon())
        if not read_ok:
            raise StoreError("cannot read the tenants table")
        found = self._verifiers.get(name)
        return found[1] if found is not None else None

    def _refresh_soon(self) -> asyncio.Task[bool]:
        """One read at a time, shared by every request that wants it."""
        if self._refreshing is None or self._refreshing.done():
            self._refreshing = asyncio.get_running_loop().create_task(self._refresh_in_thread())
        return self._refreshing

    async def _refresh_in_thread(self) -> bool:
        try:
            await anyio.to_thread.run_sync(self.refresh)
        except Exception as exc:
            with self._lock:
                self._loaded_at = self._monotonic()  # not again at once: the database needs a moment
            self._last_read_ok = False
            log.error("trigger tenants: cannot read the tenants table (%s)", type(exc).__name__)
            return False
        self._last_read_ok = True
        return True
