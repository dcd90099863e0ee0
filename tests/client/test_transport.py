"""A request that gets no answer: the error says which host, why and what to check, and
what retrying cannot fix (a name that does not resolve, TLS) is not retried."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from gong_connector import ApiKeyConnection, GongClient, RateLimiter, RetryPolicy, TransportError
from gong_connector.emulator import Emulator


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _fail(base_url: str, **kw: object) -> tuple[TransportError, Sleeps]:
    sleeps = Sleeps()
    client = GongClient(
        ApiKeyConnection("k", "s", base_url), rate_limiter=RateLimiter.off(), retry=RetryPolicy(), sleep=sleeps, **kw
    )
    with client, pytest.raises(TransportError) as info:
        client.list_users().first_page()
    return info.value, sleeps


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]  # bound, not listening: connections are refused


def test_a_refused_connection_is_retried_then_named(closed_port: int) -> None:
    error, sleeps = _fail(f"http://127.0.0.1:{closed_port}")
    assert len(sleeps) == 4  # the policy's retries: a server may be restarting
    assert error.host == f"127.0.0.1:{closed_port}" and error.reason == "connection refused"
    assert f"could not reach Gong at 127.0.0.1:{closed_port}: connection refused after 5 attempts" in str(error)
    assert "GET /v2/users" in str(error) and "base URL" in str(error)


def test_a_name_that_does_not_resolve_fails_at_once() -> None:
    error, sleeps = _fail("https://no-such-gong-host.invalid")
    assert sleeps == []  # retrying cannot fix it
    assert error.reason == "the host name does not resolve (DNS)" and error.host == "no-such-gong-host.invalid:443"
    assert "GONG_BASE_URL" in str(error)


def test_tls_to_a_plain_http_server_fails_at_once(gong_emulator: Emulator) -> None:
    error, sleeps = _fail(gong_emulator.base_url.replace("http://", "https://"))
    assert sleeps == []
    assert error.reason is not None and error.reason.startswith("TLS failed")


def test_no_answer_within_the_timeout_is_retried(closed_port: int) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)  # accepts the connection, never answers
        port = listener.getsockname()[1]
        error, sleeps = _fail(f"http://127.0.0.1:{port}", timeout=0.2)
    assert len(sleeps) == 4 and error.reason == "no answer within the timeout"


class _MissingModules:
    """Last on ``sys.meta_path``: asked only for the modules no other finder found."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        self.names.append(name)


@pytest.fixture
def missing_modules() -> Iterator[list[str]]:
    finder = _MissingModules()
    sys.meta_path.append(finder)
    try:
        yield finder.names
    finally:
        sys.meta_path.remove(finder)


def test_requests_look_for_no_missing_module(api: Any, missing_modules: list[str]) -> None:
    """Python does not remember a failed import: each one searches every path again. httpcore
    asks for sniffio at every async lock and shield it makes (encode/httpcore#1103), which
    without sniffio was up to a quarter of an async request's CPU, so the base install brings
    it. A module looked for on every request, by any layer, is that cost again."""

    def requests() -> None:
        api.list_users().to_list()
        api.list_workspaces().to_list()

    requests()  # first uses may import optional modules, once
    missing_modules.clear()
    for _ in range(3):
        requests()
    assert missing_modules == []
