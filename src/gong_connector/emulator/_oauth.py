"""Gong's OAuth 2.0 authorization-code flow: codes, access tokens, single-use refresh tokens."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from ._clock import Clock
from ._config import ALL_SCOPES, OAuthClient

CODE_TTL = 600.0


class OAuthError(Exception):
    """An OAuth protocol error, rendered as ``{"error", "error_description"}``."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


@dataclass
class Grant:
    client_id: str
    scopes: tuple[str, ...]
    redirect_uri: str
    expires_at: float
    user_email: str


@dataclass
class AccessToken:
    client_id: str
    scopes: frozenset[str]
    expires_at: float
    user_email: str


def _is_loopback(uri: str) -> bool:
    try:
        parts = urlsplit(uri)
        host = parts.hostname
    except ValueError:  # not a URL (an unclosed [ipv6 bracket...): no loopback URI either
        return False
    return parts.scheme in ("http", "https") and host in ("127.0.0.1", "localhost", "::1")


class OAuthServer:
    def __init__(self, clients: tuple[OAuthClient, ...], clock: Clock, token_ttl: int) -> None:
        self._lock = threading.Lock()
        self.clients = {c.client_id: c for c in clients}
        self.clock = clock
        self.token_ttl = token_ttl
        self._codes: dict[str, Grant] = {}
        self._access: dict[str, AccessToken] = {}
        self._refresh: dict[str, AccessToken] = {}
        self.used_refresh_tokens: set[str] = set()

    # ----- authorize ------------------------------------------------------------------------

    def check_authorize(
        self, client_id: str | None, redirect_uri: str | None, response_type: str | None, scope: str | None
    ) -> tuple[OAuthClient, tuple[str, ...]]:
        """Validate an authorize request; errors here are shown on the page, not redirected."""
        client = self.clients.get(client_id or "")
        if client is None:
            raise OAuthError(400, "invalid_client", "Unknown client_id")
        if not redirect_uri:
            raise OAuthError(400, "invalid_request", "redirect_uri is required")
        allowed = client.redirect_uris
        if (allowed is None and not _is_loopback(redirect_uri)) or (
            allowed is not None and redirect_uri not in allowed
        ):
            raise OAuthError(400, "invalid_request", "redirect_uri is not registered for this integration")
        if response_type != "code":
            raise OAuthError(400, "unsupported_response_type", "response_type must be code")
        scopes = tuple(dict.fromkeys((scope or "").split()))
        if not scopes:
            raise OAuthError(400, "invalid_scope", "scope is required")
        unknown = [s for s in scopes if s not in ALL_SCOPES]
        if unknown:
            raise OAuthError(400, "invalid_scope", f"Unknown scope: {', '.join(unknown)}")
        not_granted = [s for s in scopes if s not in client.scopes]
        if not_granted:
            raise OAuthError(
                400, "invalid_scope", f"The integration is not allowed these scopes: {', '.join(not_granted)}"
            )
        return client, scopes

    def issue_code(self, client_id: str, scopes: tuple[str, ...], redirect_uri: str, user_email: str) -> str:
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = Grant(client_id, scopes, redirect_uri, self.clock.now() + CODE_TTL, user_email)
        return code

    # ----- token endpoint -------------------------------------------------------------------

    def authenticate_client(self, basic: tuple[str, str] | None) -> OAuthClient:
        if basic is None:
            raise OAuthError(401, "invalid_client", "Client authentication (HTTP Basic) is required")
        client = self.clients.get(basic[0])
        if client is None or not secrets.compare_digest(client.client_secret, basic[1]):
            raise OAuthError(401, "invalid_client", "Client authentication failed")
        return client

    def exchange_code(
        self, client: OAuthClient, code: str | None, redirect_uri: str | None, client_id: str | None
    ) -> tuple[str, str, AccessToken]:
        if client_id is not None and client_id != client.client_id:
            raise OAuthError(400, "invalid_request", "client_id does not match the client credentials")
        with self._lock:
            grant = self._codes.pop(code or "", None)  # single use
        if grant is None or grant.client_id != client.client_id:
            raise OAuthError(400, "invalid_grant", "The authorization code is invalid or was already used")
        if grant.expires_at < self.clock.now():
            raise OAuthError(400, "invalid_grant", "The authorization code has expired")
        if redirect_uri != grant.redirect_uri:
            raise OAuthError(400, "invalid_grant", "redirect_uri does not match the authorization request")
        return self._issue(client.client_id, grant.scopes, grant.user_email)

    def refresh(self, client: OAuthClient, refresh_token: str | None) -> tuple[str, str, AccessToken]:
        with self._lock:
            token = self._refresh.get(refresh_token or "")
            if token is None:
                reused = (refresh_token or "") in self.used_refresh_tokens
                raise OAuthError(
                    400,
                    "invalid_grant",
                    "The refresh token was already used" if reused else "The refresh token is invalid",
                )
            # Checked before spending it: another client must not be able to burn the token.
            if token.client_id != client.client_id:
                raise OAuthError(400, "invalid_grant", "The refresh token belongs to another client")
            del self._refresh[refresh_token or ""]  # single use: gone once used
            self.used_refresh_tokens.add(refresh_token or "")
        return self._issue(client.client_id, tuple(sorted(token.scopes)), token.user_email)

    def _issue(
        self, client_id: str, scopes: tuple[str, ...], user_email: str, ttl: int | None = None
    ) -> tuple[str, str, AccessToken]:
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        lifetime = self.token_ttl if ttl is None else ttl  # 0 is a token that is already expired
        token = AccessToken(client_id, frozenset(scopes), self.clock.now() + lifetime, user_email)
        with self._lock:
            self._access[access] = token
            self._refresh[refresh] = token
        return access, refresh, token

    def issue_direct(
        self, client_id: str, scopes: tuple[str, ...], user_email: str, ttl: int | None = None
    ) -> tuple[str, str, AccessToken]:
        """Tokens without the browser, for tests."""
        return self._issue(client_id, scopes, user_email, ttl)

    def lookup(self, access_token: str) -> AccessToken | None:
        with self._lock:
            token = self._access.get(access_token)
        if token is None or token.expires_at <= self.clock.now():
            return None
        return token

    def reset(self, clients: tuple[OAuthClient, ...], token_ttl: int) -> None:
        """Forget every code and token, under (possibly new) settings."""
        with self._lock:
            self.clients = {c.client_id: c for c in clients}
            self.token_ttl = token_ttl
            self.used_refresh_tokens.clear()
            self._access.clear()
            self._refresh.clear()
            self._codes.clear()
