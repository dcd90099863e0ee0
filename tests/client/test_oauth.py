"""OAuth 2.0: the authorization-code flow, refresh before expiry and after a 401, one
refresh for many concurrent callers, token persistence, and secrets kept out of sight."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from gong_connector import (
    AsyncGongClient,
    AuthenticationError,
    FileTokenStore,
    GongClient,
    MemoryTokenStore,
    OAuthConnection,
    OAuthStateError,
    OAuthToken,
    RateLimiter,
    ValidationError,
)
from gong_connector.connections import DEFAULT_SCOPES
from gong_connector.emulator import ALL_SCOPES, Emulator

from .conftest import api_requests

REDIRECT = "http://127.0.0.1:8765/callback"


def refreshes(emu: Emulator) -> int:
    return sum(
        1
        for r in emu.requests()
        if r["path"] == "/oauth2/generate-customer-token" and r["query"].get("grant_type") == "refresh_token"
    )


def oauth_requests(emu: Emulator) -> list[dict[str, Any]]:
    return [r for r in emu.requests() if r["path"].startswith("/oauth2")]


class Clock:
    def __init__(self) -> None:
        import time

        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def new_connection(emu: Emulator, store: Any = None, **kw: Any) -> OAuthConnection:
    return OAuthConnection(
        emu.oauth_client.client_id,
        emu.oauth_client.client_secret,
        redirect_uri=REDIRECT,
        oauth_base_url=emu.base_url,
        token_store=store or MemoryTokenStore(),
        **kw,
    )


def authorized(emu: Emulator, store: Any = None, scopes: str | None = None, **kw: Any) -> OAuthConnection:
    conn = new_connection(emu, store, scopes=scopes or " ".join(ALL_SCOPES), **kw)
    _, state = conn.authorization_url()
    code = emu.approve(client_id=emu.oauth_client.client_id, redirect_uri=REDIRECT, scope=conn.scopes, state=state)
    conn.exchange_code(code, state=state)
    return conn


def test_authorization_url_has_default_scopes_and_a_fresh_state(gong_emulator: Emulator) -> None:
    conn = new_connection(gong_emulator)
    url, state = conn.authorization_url()
    _, state2 = conn.authorization_url()
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert parts.path == "/oauth2/authorize"
    assert query == {
        "client_id": gong_emulator.oauth_client.client_id,
        "response_type": "code",
        "scope": DEFAULT_SCOPES,
        "redirect_uri": REDIRECT,
        "state": state,
    }
    assert DEFAULT_SCOPES == "api:calls:create api:calls:read:basic"
    assert len(state) >= 20 and state != state2


def test_code_exchange_persists_token_0600_and_uses_customer_base_url(gong_emulator: Emulator, tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "config" / "gong-connector" / "tokens" / "gong.json")
    conn = authorized(gong_emulator, store)
    token_request = oauth_requests(gong_emulator)[-1]
    assert token_request["method"] == "POST"
    assert token_request["query"]["grant_type"] == "authorization_code"
    assert token_request["query"]["redirect_uri"] == REDIRECT
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    for made in (store.path.parent, store.path.parents[1], store.path.parents[2]):  # every directory it made
        assert stat.S_IMODE(made.stat().st_mode) == 0o700, made
    saved = store.load()
    assert saved is not None and conn.token is not None
    assert saved.access_token == conn.token.access_token
    assert conn.base_url == gong_emulator.base_url == saved.api_base_url
    with GongClient(conn, rate_limiter=RateLimiter.off()) as client:
        assert client.list_workspaces().to_list()
    # a later run picks the token up from the store
    again = new_connection(gong_emulator, FileTokenStore(store.path))
    assert again.token == saved


def test_complete_from_redirect_url(gong_emulator: Emulator) -> None:
    conn = new_connection(gong_emulator)
    _, state = conn.authorization_url()
    code = gong_emulator.approve(client_id=conn.client_id, redirect_uri=REDIRECT, scope=conn.scopes, state=state)
    token = conn.complete(f"{REDIRECT}?code={code}&state={state}")
    assert token.scopes == set(DEFAULT_SCOPES.split())


async def test_async_code_exchange(gong_emulator: Emulator) -> None:
    conn = new_connection(gong_emulator)
    _, state = conn.authorization_url()
    code = gong_emulator.approve(client_id=conn.client_id, redirect_uri=REDIRECT, scope=conn.scopes, state=state)
    token = await conn.acomplete(f"{REDIRECT}?code={code}&state={state}")
    assert token.access_token


def test_wrong_or_reused_state_is_refused_before_any_request(gong_emulator: Emulator) -> None:
    conn = new_connection(gong_emulator)
    _, state = conn.authorization_url()
    code = gong_emulator.approve(client_id=conn.client_id, redirect_uri=REDIRECT, scope=conn.scopes, state=state)
    gong_emulator.clear_requests()
    with pytest.raises(OAuthStateError):
        conn.exchange_code(code, state="forged")
    assert oauth_requests(gong_emulator) == []
    conn.exchange_code(code, state=state)
    with pytest.raises(OAuthStateError):
        conn.exchange_code(code, state=state)  # a state is single-use


def test_bad_code_is_authentication_error(gong_emulator: Emulator) -> None:
    conn = new_connection(gong_emulator)
    _, state = conn.authorization_url()
    with pytest.raises(AuthenticationError) as info:
        conn.exchange_code("not-a-code", state=state)
    assert "not-a-code" not in str(info.value)


def test_redirect_with_error_or_without_code(gong_emulator: Emulator) -> None:
    conn = new_connection(gong_emulator)
    _, state = conn.authorization_url()
    # A refusal needs this connection's state too: anyone can send a request to the redirect URI.
    for foreign in ("error=access_denied&state=x", "error=access_denied"):
        with pytest.raises(OAuthStateError):
            conn.complete(f"{REDIRECT}?{foreign}")
    with pytest.raises(AuthenticationError) as info:
        conn.complete(f"{REDIRECT}?error=access_denied&state={state}")
    assert "refused: access_denied" in str(info.value)
    with pytest.raises(ValidationError):
        conn.complete(f"{REDIRECT}?state=x")


def test_connection_input_checks() -> None:
    with pytest.raises(ValidationError) as info:
        OAuthConnection("", "secret", token_store=MemoryTokenStore())
    assert info.value.field == "client_id"
    with pytest.raises(ValidationError) as info:
        OAuthConnection("id", "secret", token_store=MemoryTokenStore(), scopes=" ")
    assert info.value.field == "scopes"
    with pytest.raises(ValidationError) as info:
        OAuthConnection("id", "secret", token_store=MemoryTokenStore()).authorization_url()
    assert info.value.field == "redirect_uri"
    with pytest.raises(ValidationError) as info:
        OAuthConnection("id", "secret", token_store=MemoryTokenStore(), oauth_base_url="ftp://x")
    assert info.value.field == "oauth_base_url"


def test_refresh_before_expiry_persists_the_rotated_token(gong_emulator: Emulator) -> None:
    clock = Clock()
    store = MemoryTokenStore()
    conn = authorized(gong_emulator, store, clock=clock)
    first = conn.token
    assert first is not None and first.expires_at is not None
    with GongClient(conn, rate_limiter=RateLimiter.off()) as client:
        client.list_workspaces().to_list()
        assert refreshes(gong_emulator) == 0
        clock.now = first.expires_at - 60  # inside the refresh margin
        client.list_workspaces().to_list()
        client.list_workspaces().to_list()
    assert refreshes(gong_emulator) == 1
    assert conn.token is not None and conn.token.refresh_token != first.refresh_token
    assert store.load() == conn.token and store.saves == 2


def test_refresh_once_on_401(gong_emulator: Emulator) -> None:
    conn = authorized(gong_emulator)
    with GongClient(conn, rate_limiter=RateLimiter.off()) as client:
        gong_emulator.advance_clock(2 * 86_400)  # Gong expired the token; we do not know yet
        assert client.list_workspaces().to_list()
    statuses = [r["status"] for r in api_requests(gong_emulator)]
    assert statuses == [401, 200]
    assert refreshes(gong_emulator) == 1


def test_401_after_refresh_is_raised(gong_emulator: Emulator) -> None:
    conn = authorized(gong_emulator)
    token = conn.token
    assert token is not None
    # A connection whose access token is garbage but whose refresh token is good: one
    # refresh, then success. With a garbage refresh token too: AuthenticationError.
    broken = new_connection(
        gong_emulator,
        token=OAuthToken("garbage", "also-garbage", None, token.scope, "bearer", token.api_base_url),
    )
    with GongClient(broken, rate_limiter=RateLimiter.off()) as client, pytest.raises(AuthenticationError) as info:
        client.list_workspaces().to_list()
    assert "also-garbage" not in str(info.value)


def test_refresh_tokens_are_single_use(gong_emulator: Emulator) -> None:
    conn = authorized(gong_emulator)
    old = conn.token
    assert old is not None
    conn.refresh()
    stale = new_connection(gong_emulator, token=old)
    with pytest.raises(AuthenticationError):
        stale.refresh()


def test_one_refresh_for_many_threads(gong_emulator: Emulator) -> None:
    conn = authorized(gong_emulator)
    gong_emulator.advance_clock(2 * 86_400)
    barrier = threading.Barrier(16)
    with GongClient(conn, rate_limiter=RateLimiter.off()) as client:

        def work(_: int) -> int:
            barrier.wait()
            return len(client.list_workspaces().to_list())

        with ThreadPoolExecutor(16) as pool:
            results = list(pool.map(work, range(16)))
    assert all(results)
    assert refreshes(gong_emulator) == 1


async def test_one_refresh_for_many_tasks(gong_emulator: Emulator) -> None:
    clock = Clock()
    conn = authorized(gong_emulator, clock=clock)
    assert conn.token is not None and conn.token.expires_at is not None
    clock.now = conn.token.expires_at + 1  # every task sees an expired token
    async with AsyncGongClient(conn, rate_limiter=RateLimiter.off()) as client:
        results = await asyncio.gather(*(client.list_workspaces().to_list() for _ in range(20)))
    assert all(results)
    assert refreshes(gong_emulator) == 1


async def test_one_refresh_on_401_for_many_tasks(gong_emulator: Emulator) -> None:
    conn = authorized(gong_emulator)
    gong_emulator.advance_clock(2 * 86_400)
    async with AsyncGongClient(conn, rate_limiter=RateLimiter.off()) as client:
        results = await asyncio.gather(
            *(client.get_user(user_id=u.id) for u in (await client.list_users().first_page()).items[:10])
        )
    assert len(results) == 10
    assert refreshes(gong_emulator) == 1


def test_one_refresh_for_threads_and_tasks_together(gong_emulator: Emulator) -> None:
    clock = Clock()
    conn = authorized(gong_emulator, clock=clock)
    assert conn.token is not None and conn.token.expires_at is not None
    clock.now = conn.token.expires_at + 1
    barrier = threading.Barrier(9)

    async def tasks() -> list[Any]:
        async with AsyncGongClient(conn, rate_limiter=RateLimiter.off()) as client:
            barrier.wait()
            return await asyncio.gather(*(client.list_workspaces().to_list() for _ in range(8)))

    with GongClient(conn, rate_limiter=RateLimiter.off()) as client:

        def work(_: int) -> Any:
            barrier.wait()
            return client.list_workspaces().to_list()

        with ThreadPoolExecutor(9) as pool:
            async_result = pool.submit(lambda: asyncio.run(tasks()))
            results = list(pool.map(work, range(8)))
            results += async_result.result()
    assert len(results) == 16 and all(results)
    assert refreshes(gong_emulator) == 1


def test_secrets_stay_out_of_logs_reprs_and_errors(
    gong_emulator: Emulator, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    conn = authorized(gong_emulator, FileTokenStore(tmp_path / "t.json"))
    first = conn.token
    assert first is not None and first.refresh_token
    with GongClient(conn, rate_limiter=RateLimiter.off()) as client:
        gong_emulator.advance_clock(2 * 86_400)
        client.list_workspaces().to_list()
        second = conn.token
        assert second is not None and second.refresh_token
        text = " ".join(
            [
                caplog.text,
                repr(conn),
                repr(client),
                repr(first),
                repr(second),
                str(first),
                repr(conn.auth()),
                repr(conn.token_store),
            ]
        )
    for secret in (
        gong_emulator.oauth_client.client_secret,
        first.access_token,
        first.refresh_token,
        second.access_token,
        second.refresh_token,
    ):
        assert secret not in text
    assert "generate-customer-token" in caplog.text  # the requests were logged, redacted


def test_credentials_never_go_to_another_host(gong_emulator: Emulator) -> None:
    import httpx

    conn = authorized(gong_emulator)
    auth = conn.auth()
    foreign = httpx.Request("GET", "https://evil.example/v2/calls")
    flow = auth.sync_auth_flow(foreign)
    sent = next(flow)
    assert "Authorization" not in sent.headers
