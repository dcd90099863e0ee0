"""Fixtures for the client tests: real emulators on loopback, both connection kinds, and
one facade that runs each test body against the sync client and the async client.

The async client runs on an event loop in a helper thread (anyio's blocking portal), so
a test written once in plain style exercises ``AsyncGongClient`` for real.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal

from gong_connector import (
    ApiKeyConnection,
    AsyncGongClient,
    GongClient,
    MemoryTokenStore,
    OAuthConnection,
    OAuthToken,
    RateLimiter,
    RetryPolicy,
)
from gong_connector.client import AsyncPager, Page, Pager
from gong_connector.emulator import ALL_SCOPES, Emulator, EmulatorConfig, RateLimit

MODES = ("sync", "async")
KINDS = ("api_key", "oauth")


class SleepRecorder:
    """Stands in for time.sleep / anyio.sleep: records the delay, never waits."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.calls.append(seconds)


def make_connection(emu: Emulator, kind: str, tmp_path: Path | None = None, **kw: Any) -> Any:
    if kind == "api_key":
        return ApiKeyConnection(emu.access_key, emu.access_key_secret, emu.base_url)
    scopes = kw.pop("scopes", list(ALL_SCOPES))
    data = emu.issue_token(scopes=scopes, expires_in=kw.pop("expires_in", 3600))
    clock = kw.get("clock", time.time)
    return OAuthConnection(
        emu.oauth_client.client_id,
        emu.oauth_client.client_secret,
        oauth_base_url=emu.base_url,
        token=OAuthToken.from_response(data, now=clock()),
        token_store=kw.pop("token_store", None) or MemoryTokenStore(),
        **kw,
    )


class Facade:
    """The same calls on either client; async results are awaited on the portal's loop."""

    def __init__(self, mode: str, client: Any, portal: BlockingPortal, sleeps: SleepRecorder):
        self.mode = mode
        self.client = client
        self.portal = portal
        self.sleeps = sleeps

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.client, name)

        def invoke(*args: Any, **kwargs: Any) -> Any:
            if self.mode == "sync":
                result = method(*args, **kwargs)
            else:
                result = method(*args, **kwargs)
                if not isinstance(result, AsyncPager):
                    result = self.portal.call(_awaitable, result)
            if isinstance(result, Pager | AsyncPager):
                return PagerFacade(result, self.portal)
            return result

        return invoke


async def _awaitable(coro: Any) -> Any:
    return await coro


class PagerFacade:
    def __init__(self, pager: Any, portal: BlockingPortal) -> None:
        self.pager = pager
        self.portal = portal

    def first_page(self) -> Page[Any]:
        if isinstance(self.pager, Pager):
            return self.pager.first_page()
        return self.portal.call(self.pager.first_page)

    def pages(self) -> list[Page[Any]]:
        if isinstance(self.pager, Pager):
            return list(self.pager.pages())

        async def collect() -> list[Page[Any]]:
            return [p async for p in self.pager.pages()]

        return self.portal.call(collect)

    def to_list(self) -> list[Any]:
        if isinstance(self.pager, Pager):
            return self.pager.to_list()
        return self.portal.call(self.pager.to_list)


def build_client(
    mode: str,
    connection: Any,
    portal: BlockingPortal,
    sleeps: SleepRecorder | None = None,
    **kwargs: Any,
) -> Facade:
    sleeps = sleeps or SleepRecorder()
    kwargs.setdefault("rate_limiter", RateLimiter.off())
    kwargs.setdefault("retry", RetryPolicy())
    if mode == "sync":
        client: Any = GongClient(connection, sleep=sleeps, **kwargs)
    else:
        client = AsyncGongClient(connection, sleep=sleeps.asleep, **kwargs)
    return Facade(mode, client, portal, sleeps)


def close_client(facade: Facade) -> None:
    if facade.mode == "sync":
        facade.client.close()
    else:
        facade.portal.call(facade.client.aclose)


@pytest.fixture(scope="session")
def portal() -> Iterator[BlockingPortal]:
    with start_blocking_portal() as p:
        yield p


@pytest.fixture(scope="module", params=["default", "strict"])
def shared_emu(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """A read-only emulator shared by a module's tests (cheaper than one per test). Every
    read test runs twice: on what Gong documents, and with every guessed rule on too."""
    cfg = EmulatorConfig(
        seed=42,
        calls=300,
        users=40,
        workspaces=3,
        rate_limit=RateLimit.off(),
        frozen_clock=True,
        strict=request.param == "strict",
    )
    with Emulator(cfg) as emu:
        yield emu


@pytest.fixture(scope="module")
def _module_scratch_emu() -> Iterator[Emulator]:
    cfg = EmulatorConfig(seed=7, calls=120, users=20, workspaces=2, rate_limit=RateLimit.off(), frozen_clock=True)
    with Emulator(cfg) as emu:
        yield emu


@pytest.fixture
def scratch_emu(_module_scratch_emu: Emulator) -> Iterator[Emulator]:
    """A module-wide emulator for fault and error tests; faults and the request log are
    cleared around each test (cheaper than starting one per test)."""
    _module_scratch_emu.clear_faults()
    _module_scratch_emu.clear_requests()
    yield _module_scratch_emu
    _module_scratch_emu.clear_faults()


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_api(portal: BlockingPortal, mode: str, kind: str, tmp_path: Path) -> Iterator[Callable[..., Facade]]:
    """Build a facade on a given emulator, in this test's mode and connection kind."""
    made: list[Facade] = []

    def make(emu: Emulator, **kwargs: Any) -> Facade:
        conn_kw = kwargs.pop("connection_kw", {})
        facade = build_client(mode, make_connection(emu, kind, tmp_path, **conn_kw), portal, **kwargs)
        made.append(facade)
        return facade

    yield make
    for facade in made:
        close_client(facade)


@pytest.fixture
def api(make_api: Callable[..., Facade], gong_emulator: Emulator) -> Facade:
    """Client facade on a fresh emulator (mutations and faults allowed)."""
    return make_api(gong_emulator)


@pytest.fixture
def ro_api(make_api: Callable[..., Facade], shared_emu: Emulator) -> Facade:
    """Client facade on the module's shared emulator (reads only)."""
    shared_emu.clear_requests()
    return make_api(shared_emu)


@pytest.fixture(scope="module")
def dataset(shared_emu: Emulator) -> dict[str, Any]:
    """Facts about the seeded data, read once through a plain sync client."""
    conn = ApiKeyConnection(shared_emu.access_key, shared_emu.access_key_secret, shared_emu.base_url)
    with GongClient(conn, rate_limiter=RateLimiter.off()) as client:
        calls = client.list_calls_extensive().to_list()
        users = client.list_users().to_list()
        folders = client.list_library_folders().to_list()
        workspaces = client.list_workspaces().to_list()
    latest = max(c.meta_data.started for c in calls if c.meta_data.started)
    shared_emu.clear_requests()
    return {
        "calls": calls,
        "users": users,
        "folders": folders,
        "workspaces": workspaces,
        "to": (latest + timedelta(days=1)).isoformat(),
        "from": (latest - timedelta(days=88)).isoformat(),
    }


def api_requests(emu: Emulator) -> list[dict[str, Any]]:
    """Requests the emulator saw on the API (not the OAuth endpoints)."""
    return [r for r in emu.requests() if r["path"].startswith("/v2")]


partial = functools.partial
