"""API-key connection: Gong's access key and secret, sent as HTTP Basic."""

from __future__ import annotations

import base64
import os
from collections.abc import Generator

import httpx

from ..errors import ValidationError
from ._common import normalize_base_url, same_origin

__all__ = ["DEFAULT_BASE_URL", "ApiKeyConnection"]

DEFAULT_BASE_URL = "https://api.gong.io"


class _HostBoundBasicAuth(httpx.Auth):
    """HTTP Basic that signs only requests to the connection's own host."""

    def __init__(self, base_url: str, user: str, password: str) -> None:
        self._base_url = base_url
        raw = f"{user}:{password}".encode()
        self._header = "Basic " + base64.b64encode(raw).decode("ascii")

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if same_origin(request.url, self._base_url):
            request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return f"<HostBoundBasicAuth {self._base_url}>"


class ApiKeyConnection:
    """Access key + secret from Gong's API settings page, and the company's API base URL.

    Arguments left out are read from ``GONG_BASE_URL``, ``GONG_ACCESS_KEY`` and
    ``GONG_ACCESS_KEY_SECRET``; the base URL defaults to ``https://api.gong.io``.
    """

    def __init__(
        self,
        access_key: str | None = None,
        access_key_secret: str | None = None,
        base_url: str | None = None,
    ) -> None:
        access_key = access_key or os.environ.get("GONG_ACCESS_KEY")
        access_key_secret = access_key_secret or os.environ.get("GONG_ACCESS_KEY_SECRET")
        base_url = base_url or os.environ.get("GONG_BASE_URL") or DEFAULT_BASE_URL
        if not access_key:
            raise ValidationError("access_key", "required", "is required (or GONG_ACCESS_KEY)")
        if not access_key_secret:
            raise ValidationError("access_key_secret", "required", "is required (or GONG_ACCESS_KEY_SECRET)")
        self.access_key = access_key
        self._base_url = normalize_base_url(base_url)
        self._auth = _HostBoundBasicAuth(self._base_url, access_key, access_key_secret)

    @classmethod
    def from_env(cls) -> ApiKeyConnection:
        return cls()

    @property
    def base_url(self) -> str:
        return self._base_url

    def auth(self) -> httpx.Auth:
        return self._auth

    def __repr__(self) -> str:
        key = self.access_key[:4] + "…" if len(self.access_key) > 4 else "…"
        return f"ApiKeyConnection(base_url={self._base_url!r}, access_key={key!r})"
