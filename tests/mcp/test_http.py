"""``gong mcp --http``: the same tools over streamable HTTP, reached with the SDK's client."""

from __future__ import annotations

import queue
import re
import signal
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from gong_connector import AsyncGongClient, RateLimiter, mcp_server
from gong_connector._serving import ConnectionLimits
from gong_connector._tls import shared_ssl_context
from gong_connector.actions import ACTIONS
from gong_connector.connections import ApiKeyConnection
from gong_connector.emulator import Emulator

from .conftest import GONG


class HttpServer:
    """``gong mcp --http --port 0`` in the background; ``url`` (and the generated ``token``)
    once it says where it is."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.token: str | None = None
        self.proc = subprocess.Popen(
            [GONG, "mcp", "--http", "--port", "0", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**env, "PATH": str(Path(GONG).parent)},
        )
        self.stderr: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._drain, daemon=True).start()
        self.url = self._wait_for_url()

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def _wait_for_url(self) -> str:
        while True:
            line = self._lines.get(timeout=30)
            if line is None:
                raise AssertionError("gong mcp --http exited: " + "".join(self.stderr))
            if found := re.search(r"bearer token .*: (\S+)$", line):
                self.token = found.group(1)
            if found := re.search(r"serving MCP on (http://\S+)", line):
                return found.group(1)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise


@pytest.fixture
def http_server(server_env: dict[str, str]) -> Iterator[HttpServer]:
    server = HttpServer(server_env)
    yield server
    if server.proc.poll() is None:
        server.stop()


def authorized(server: HttpServer, token: str | None = None) -> Client:
    """The SDK's client, sending the bearer token."""
    headers = {"Authorization": f"Bearer {token or server.token}"}
    return Client(streamable_http_client(server.url, http_client=create_mcp_http_client(headers=headers)))


async def test_streamable_http_serves_the_same_tools(http_server: HttpServer) -> None:
    assert http_server.url.startswith("http://127.0.0.1:") and http_server.url.endswith("/mcp")
    async with authorized(http_server) as client:
        tools = (await client.list_tools()).tools
        assert len(tools) == len(ACTIONS)
        users = await client.call_tool("list_users", {})
        assert not users.is_error
        page = users.structured_content
        assert isinstance(page, dict) and len(page["items"]) == 5 and page["cursor"]
        nxt = await client.call_tool("list_users", {"cursor": page["cursor"]})
        assert not nxt.is_error
        missing = await client.call_tool("get_user", {"user_id": "42"})
        assert missing.is_error and "requestId" in str(missing.structured_content)
    # A second client on the same server: no per-session state is needed.
    async with authorized(http_server) as again:
        assert not (await again.call_tool("list_workspaces", {})).is_error
    assert http_server.stop() == 0  # Ctrl-C stops it cleanly
    assert "Traceback" not in "".join(http_server.stderr)


async def test_requests_without_the_token_are_refused(http_server: HttpServer) -> None:
    import httpx

    assert http_server.token and len(http_server.token) >= 32
    printed = "".join(http_server.stderr)
    assert printed.count(http_server.token) == 1  # printed once, at start, on stderr
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    headers = {"Accept": "application/json, text/event-stream"}
    for auth in (None, "Bearer wrong-token", f"Basic {http_server.token}", f"Bearer {http_server.token}x"):
        sent = {**headers, **({"Authorization": auth} if auth else {})}
        answer = httpx.post(http_server.url, json=body, headers=sent, timeout=10, verify=shared_ssl_context())
        assert answer.status_code == 401, auth
        assert answer.headers["www-authenticate"].startswith("Bearer")
        assert http_server.token not in answer.text
    with pytest.raises(Exception):  # noqa: B017 - the SDK's client surfaces the 401 its own way
        async with authorized(http_server, token="wrong") as client:
            await client.list_tools()


async def test_a_token_of_ones_own_is_used_and_never_printed(server_env: dict[str, str]) -> None:
    token = "my-own-token-0123456789abcdef0123456789"
    server = HttpServer({**server_env, "GONG_MCP_TOKEN": token})
    try:
        assert server.token is None and token not in "".join(server.stderr)
        async with authorized(server, token=token) as client:
            assert (await client.list_tools()).tools
    finally:
        server.stop()


def _read_until_closed(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_connections_without_the_token_are_bounded(emu: Emulator) -> None:
    """Before a request shows the token, its connection is bounded like the trigger's: headers
    within a deadline, a capped number of connections, and no body read after a 401."""
    conn = ApiKeyConnection(emu.access_key, emu.access_key_secret, emu.base_url)
    limits = ConnectionLimits(header_timeout=0.5, max_connections=20)
    server = mcp_server.http_server(
        lambda: AsyncGongClient(conn, rate_limiter=RateLimiter.off()), token="t0k3n", limits=limits
    )
    with server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as idle:
            assert _read_until_closed(idle) == b""  # nothing sent: closed at the deadline
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as slow:
            slow.sendall(b"POST /mcp HTTP/1.1\r\nHost: x\r\n")  # and never the rest
            assert _read_until_closed(slow) == b""
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as greedy:
            greedy.sendall(b"POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000000\r\n\r\n" + b"x" * 1024)
            answer = _read_until_closed(greedy)  # the 401, then the connection ends
        assert answer.startswith(b"HTTP/1.1 401") and b"connection: close" in answer.lower()
        crowd = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(40)]
        try:
            with httpx.Client(timeout=10) as client:
                response = client.post(f"{server.url}/mcp", headers={"Authorization": "Bearer t0k3n"}, json={})
            assert response.status_code != 401  # served, despite 40 idle connections at a cap of 20
            assert server.guard is not None and server.guard.counts["evicted"] >= 20
            assert server.guard.counts["header_timeout"] >= 2
        finally:
            for sock in crowd:
                sock.close()
