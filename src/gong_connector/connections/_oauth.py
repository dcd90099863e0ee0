"""OAuth 2.0 (authorization code) connection for Gong.

Signing is an ``httpx.Auth`` whose flow refreshes the token shortly before it expires and
once after a 401, as httpx's own auth classes do. Because Gong's refresh tokens are
single-use, exactly one refresh may run at a time across every thread and task sharing
the connection: the first caller refreshes, the others wait for its result.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import anyio
import httpx

from .._tls import shared_ssl_context
from ..errors import AuthenticationError, GongError, OAuthStateError, ValidationError
from ._common import install_log_redaction, normalize_base_url, same_origin
from ._token_store import FileTokenStore, OAuthToken, TokenStore

__all__ = ["DEFAULT_OAUTH_BASE_URL", "DEFAULT_SCOPES", "GongOAuth", "OAuthConnection"]

DEFAULT_OAUTH_BASE_URL = "https://app.gong.io"
DEFAULT_SCOPES = "api:calls:create api:calls:read:basic"
TOKEN_PATH = "/oauth2/generate-customer-token"  # noqa: S105 - a path, not a secret
AUTHORIZE_PATH = "/oauth2/authorize"
_STATE_TTL = 600.0


class _Refresh:
    """One in-flight refresh that latecomers wait on."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: BaseException | None = None


class OAuthConnection:
    """Client id/secret of a Gong OAuth app, plus the company's token once authorized.

    ``authorization_url()`` starts the flow; ``exchange_code()`` (or ``complete()`` with the
    redirect URL) finishes it. The API host is taken from the token's
    ``api_base_url_for_customer``. Tokens are saved to ``token_store`` on every change.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        redirect_uri: str | None = None,
        scopes: str = DEFAULT_SCOPES,
        oauth_base_url: str = DEFAULT_OAUTH_BASE_URL,
        token_store: TokenStore | None = None,
        token: OAuthToken | None = None,
        api_base_url: str | None = None,
        refresh_margin: float = 300.0,
        timeout: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not client_id:
            raise ValidationError("client_id", "required", "is required")
        if not client_secret:
            raise ValidationError("client_secret", "required", "is required")
        if not scopes.split():
            raise ValidationError("scopes", "required", "needs at least one scope")
        self.client_id = client_id
        self.__client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.scopes = " ".join(scopes.split())
        self.oauth_base_url = normalize_base_url(oauth_base_url, "oauth_base_url")
        self.token_store: TokenStore = token_store or FileTokenStore.default()
        self._api_base_override = normalize_base_url(api_base_url) if api_base_url else None
        self.refresh_margin = refresh_margin
        self._timeout = timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._token = token or self.token_store.load()
        if token is not None:
            self.token_store.save(token)
        self._refresh: _Refresh | None = None
        self._states: dict[str, float] = {}
        self._auth = GongOAuth(self)
        self.refresh_count = 0
        install_log_redaction()

    # ------------------------------------------------------------------ public surface

    @property
    def token(self) -> OAuthToken | None:
        return self._token

    @property
    def base_url(self) -> str:
        if self._api_base_override:
            return self._api_base_override
        token = self._token
        if token is None:
            raise AuthenticationError(401, errors=["not authorized yet: run the OAuth flow (authorization_url)"])
        if not token.api_base_url:
            raise AuthenticationError(401, errors=["token has no api_base_url_for_customer; pass api_base_url"])
        return normalize_base_url(token.api_base_url, "api_base_url_for_customer")

    def auth(self) -> httpx.Auth:
        return self._auth

    def authorization_url(self, *, state: str | None = None) -> tuple[str, str]:
        """The URL to send the user to, and the ``state`` that must come back with the code."""
        redirect_uri = self._need_redirect_uri()
        state = state or secrets.token_urlsafe(24)
        now = self._clock()
        with self._lock:
            self._states = {s: t for s, t in self._states.items() if now - t < _STATE_TTL}
            self._states[state] = now
        query = urlencode(
            {
                "client_id": self.client_id,
                "response_type": "code",
                "scope": self.scopes,
                "redirect_uri": redirect_uri,
                "state": state,
            }
        )
        return f"{self.oauth_base_url}{AUTHORIZE_PATH}?{query}", state

    def exchange_code(self, code: str, *, state: str) -> OAuthToken:
        """Trade the authorization code for tokens (checks ``state`` first)."""
        request = self._code_request(code, state)
        with httpx.Client(timeout=self._timeout, verify=shared_ssl_context()) as http:
            response = self._send_token_request_sync(http, request)
        return self._store(response)

    async def aexchange_code(self, code: str, *, state: str) -> OAuthToken:
        request = self._code_request(code, state)
        async with httpx.AsyncClient(timeout=self._timeout, verify=shared_ssl_context()) as http:
            try:
                response = await http.send(request)
                await response.aread()
            except httpx.HTTPError:
                raise _transport_failed() from None
        return self._store(response)

    def complete(self, redirect_url: str) -> OAuthToken:
        """Finish the flow from the full URL Gong redirected the browser to."""
        code, state = self._parse_redirect(redirect_url)
        return self.exchange_code(code, state=state)

    async def acomplete(self, redirect_url: str) -> OAuthToken:
        code, state = self._parse_redirect(redirect_url)
        return await self.aexchange_code(code, state=state)

    def refresh(self) -> OAuthToken:
        """Refresh now (normally automatic); waits for one already running instead."""
        token = self._require_token()
        flow = self._auth._refresh_sync(token)
        try:
            request = next(flow)
        except StopIteration as stop:
            result: OAuthToken = stop.value
            return result
        with httpx.Client(timeout=self._timeout, verify=shared_ssl_context()) as http:
            response = self._send_token_request_sync(http, request)
        try:
            flow.send(response)
        except StopIteration as stop:
            result = stop.value
            return result
        raise AssertionError("refresh flow did not finish")  # pragma: no cover

    def __repr__(self) -> str:
        return (
            f"OAuthConnection(client_id={self.client_id!r}, scopes={self.scopes!r}, token_store={self.token_store!r})"
        )

    # ------------------------------------------------------------------ internals

    def _need_redirect_uri(self) -> str:
        if not self.redirect_uri:
            raise ValidationError("redirect_uri", "required", "is required for the OAuth flow")
        return self.redirect_uri

    def _require_token(self) -> OAuthToken:
        token = self._token
        if token is None:
            raise AuthenticationError(401, errors=["not authorized yet: no OAuth token"])
        return token

    def _parse_redirect(self, redirect_url: str) -> tuple[str, str]:
        params = parse_qs(urlsplit(redirect_url).query)
        if "error" in params:
            # A refusal counts only with a state this connection issued, as a code does:
            # otherwise anyone who can reach the redirect URI could end a sign-in.
            self._check_state(params.get("state", [""])[0])
            raise AuthenticationError(401, errors=[f"authorization refused: {params['error'][0]}"])
        code, state = params.get("code", [""])[0], params.get("state", [""])[0]
        if not code:
            raise ValidationError("redirect_url", "code", "has no code parameter")
        return code, state

    def _check_state(self, state: str) -> None:
        now = self._clock()
        with self._lock:
            match = next(
                (
                    s
                    for s, t in self._states.items()
                    if now - t < _STATE_TTL and hmac.compare_digest(s.encode(), state.encode())
                ),
                None,
            )
            if match is None:
                raise OAuthStateError("OAuth state does not match any authorization request")
            del self._states[match]  # a state is good for one exchange only

    def _basic(self) -> httpx.BasicAuth:
        return httpx.BasicAuth(self.client_id, self.__client_secret)

    def _token_request(self, params: dict[str, str]) -> httpx.Request:
        request = httpx.Request("POST", f"{self.oauth_base_url}{TOKEN_PATH}", params=params)
        return next(self._basic().auth_flow(request))

    def _code_request(self, code: str, state: str) -> httpx.Request:
        if not code:
            raise ValidationError("code", "required", "is required")
        self._check_state(state)
        return self._token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
                "redirect_uri": self._need_redirect_uri(),
            }
        )

    def _refresh_request(self, token: OAuthToken) -> httpx.Request:
        if not token.refresh_token:
            raise AuthenticationError(401, errors=["token expired and has no refresh token"])
        return self._token_request({"grant_type": "refresh_token", "refresh_token": token.refresh_token})

    def _send_token_request_sync(self, http: httpx.Client, req: httpx.Request) -> httpx.Response:
        try:
            response = http.send(req)
            response.read()
        except httpx.HTTPError:
            raise _transport_failed() from None
        return response

    def _store(self, response: httpx.Response) -> OAuthToken:
        """Read a token response and persist it before anyone can use it."""
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            data = None
        if response.status_code != 200 or not isinstance(data, dict) or "access_token" not in data:
            errors = _error_messages(data, response)
            raise AuthenticationError(
                response.status_code if response.status_code >= 400 else 401,
                request_id=data.get("requestId") if isinstance(data, dict) else None,
                errors=errors,
                method="POST",
                path=TOKEN_PATH,
            )
        with self._lock:
            token = OAuthToken.from_response(data, self._clock(), previous=self._token)
            self._token = token
        self.token_store.save(token)
        return token

    def _needs_refresh(self, token: OAuthToken) -> bool:
        return token.expires_at is not None and token.expires_at - self.refresh_margin <= (self._clock())

    def _claim(self, seen: OAuthToken) -> tuple[str, _Refresh | None]:
        """Decide this caller's part in a refresh: use the newer token, wait, or lead."""
        with self._lock:
            if self._token is not seen and self._token is not None:
                return "done", None
            if self._refresh is not None:
                return "wait", self._refresh
            self._refresh = _Refresh()
            return "lead", self._refresh

    def _release(self, refresh: _Refresh, error: BaseException | None) -> None:
        with self._lock:
            refresh.error = error
            self._refresh = None
            if error is None:
                self.refresh_count += 1
        refresh.done.set()

    def _after_wait(self, refresh: _Refresh) -> OAuthToken:
        if refresh.error is not None:
            raise AuthenticationError(401, errors=[f"token refresh failed: {refresh.error}"])
        return self._require_token()


def _error_messages(data: Any, response: httpx.Response) -> list[str]:
    if isinstance(data, dict):
        errs = data.get("errors")
        if isinstance(errs, list):
            return [str(e) for e in errs]
        for key in ("error_description", "error", "message"):
            if key in data:
                return [str(data[key])]
    return [f"token endpoint answered HTTP {response.status_code}"]


def _transport_failed() -> GongError:
    from ..errors import TransportError

    return TransportError("could not reach the OAuth token endpoint", method="POST", path=TOKEN_PATH)


class GongOAuth(httpx.Auth):
    """Bearer auth for one ``OAuthConnection``: refreshes early and after a 401, once.

    ``auth_flow`` is the flow httpx drives for sync clients. ``async_auth_flow`` repeats
    it for async clients, because a task waiting on another's refresh must not block the
    event loop the way a waiting thread may.
    """

    requires_response_body = True

    def __init__(self, connection: OAuthConnection) -> None:
        self._conn = connection

    def _owns(self, request: httpx.Request) -> bool:
        try:
            return same_origin(request.url, self._conn.base_url)
        except GongError:
            return False

    @staticmethod
    def _apply(request: httpx.Request, token: OAuthToken) -> None:
        request.headers["Authorization"] = f"Bearer {token.access_token}"

    def _refresh_sync(self, seen: OAuthToken) -> Generator[httpx.Request, httpx.Response, OAuthToken]:
        role, refresh = self._conn._claim(seen)
        if refresh is None:
            return self._conn._require_token()
        if role == "wait":
            refresh.done.wait()
            return self._conn._after_wait(refresh)
        error: BaseException | None = None
        try:
            response = yield self._conn._refresh_request(seen)
            response.read()
            return self._conn._store(response)
        except BaseException as exc:
            error = exc
            raise
        finally:
            self._conn._release(refresh, error)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if not self._owns(request):
            yield request
            return
        token = self._conn._require_token()
        must_refresh = self._conn._needs_refresh(token)
        for attempt in range(2):
            if must_refresh and token.refresh_token:
                token = yield from self._refresh_sync(token)
            self._apply(request, token)
            response = yield request
            if response.status_code != 401 or not token.refresh_token or attempt:
                return
            response.read()
            must_refresh = True

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        # Same steps as sync_auth_flow; an async generator cannot "yield from", so the
        # refresh is inlined, and a waiter polls instead of blocking the event loop.
        if not self._owns(request):
            yield request
            return
        token = self._conn._require_token()
        must_refresh = self._conn._needs_refresh(token)
        for attempt in range(2):
            if must_refresh and token.refresh_token:
                role, refresh = self._conn._claim(token)
                if refresh is None:
                    token = self._conn._require_token()
                elif role == "wait":
                    while not refresh.done.is_set():
                        await anyio.sleep(0.002)
                    token = self._conn._after_wait(refresh)
                else:
                    error: BaseException | None = None
                    try:
                        refresh_response = yield self._conn._refresh_request(token)
                        await refresh_response.aread()
                        token = self._conn._store(refresh_response)
                    except BaseException as exc:
                        error = exc
                        raise
                    finally:
                        self._conn._release(refresh, error)
            self._apply(request, token)
            response = yield request
            if response.status_code != 401 or not token.refresh_token or attempt:
                return
            await response.aread()
            must_refresh = True

    def __repr__(self) -> str:
        return f"<GongOAuth client_id={self._conn.client_id!r}>"
