"""What every connection gives a client: the API base URL and an ``httpx.Auth``."""

from __future__ import annotations

import functools
import logging
import re
from typing import Any, Protocol, runtime_checkable

import httpx

from ..errors import ValidationError

__all__ = ["Connection", "normalize_base_url", "same_origin"]


@runtime_checkable
class Connection(Protocol):
    """A source of credentials bound to one Gong API host."""

    @property
    def base_url(self) -> str:
        """Scheme and host (and port) of the API, without the ``/v2`` path."""
        ...

    def auth(self) -> httpx.Auth:
        """The auth that signs requests to ``base_url`` (and nothing else)."""
        ...


def normalize_base_url(url: str, field: str = "base_url") -> str:
    parsed = httpx.URL(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValidationError(field, "url", "must be an absolute http(s) URL")
    text = str(parsed.copy_with(query=None, fragment=None)).rstrip("/")
    return text.removesuffix("/v2")


def same_origin(url: httpx.URL, base_url: str) -> bool:
    """Whether ``url`` is on the connection's own host, where credentials may go."""
    return (url.scheme, url.host, url.port) == _origin(base_url)


@functools.lru_cache(maxsize=64)
def _origin(base_url: str) -> tuple[str, str, int | None]:
    # Parsed once per base URL: every signed request asks.
    base = httpx.URL(base_url)
    return base.scheme, base.host, base.port


_SECRET_QUERY = re.compile(r"((?:refresh_token|access_token|code|client_secret)=)[^&\s\"']+")


class _RedactSecrets(logging.Filter):
    """httpx logs each request URL; the OAuth token endpoint carries secrets in its query."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(_redact(a) for a in args)
        if isinstance(record.msg, str):
            record.msg = _SECRET_QUERY.sub(r"\1[REDACTED]", record.msg)
        return True


def _redact(value: Any) -> Any:
    if isinstance(value, httpx.URL | str):
        text = str(value)
        redacted = _SECRET_QUERY.sub(r"\1[REDACTED]", text)
        return redacted if redacted != text else value
    return value


_installed = False


def install_log_redaction() -> None:
    global _installed
    if not _installed:
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).addFilter(_RedactSecrets())
        _installed = True
