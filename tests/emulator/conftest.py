"""Shared helpers for the emulator's tests: HTTP clients and a webhook receiver on loopback."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from gong_connector._tls import shared_ssl_context
from gong_connector.emulator import Emulator


def basic_client(emu: Emulator) -> httpx.Client:
    """A client with the company's access key, as Gong's API expects (HTTP Basic)."""
    return httpx.Client(
        base_url=emu.base_url, auth=(emu.access_key, emu.access_key_secret), timeout=30, verify=shared_ssl_context()
    )


def bearer_client(emu: Emulator, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=emu.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30, verify=shared_ssl_context()
    )


def assert_gong_error(response: httpx.Response, status: int, fragment: str = "") -> dict[str, Any]:
    """Gong's error body ``{"requestId": ..., "errors": [...]}``; ``fragment`` must be in one."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert isinstance(body["requestId"], str) and body["requestId"]
    assert isinstance(body["errors"], list) and body["errors"]
    assert all(isinstance(m, str) and m for m in body["errors"])
    if fragment:
        assert any(fragment.lower() in m.lower() for m in body["errors"]), body
    return body


@pytest.fixture
def emu(gong_emulator: Emulator) -> Emulator:
    """The emulator the ``api`` client talks to; a module overrides it for other settings."""
    return gong_emulator


@pytest.fixture
def http(emu: Emulator) -> Iterator[httpx.Client]:
    with basic_client(emu) as client:
        yield client


@pytest.fixture
def api(http: httpx.Client) -> httpx.Client:
    return http


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook endpoint: records every request, answers with queued statuses (default 200)."""

    url: str
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.requests) >= count, timeout)
        return list(self.requests)


@pytest.fixture
def webhook_receiver() -> Iterator[Callable[[str], Receiver]]:
    servers: list[ThreadingHTTPServer] = []

    def start(path: str = "/hook") -> Receiver:
        receiver: Receiver

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.arrived:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.requests.append(Received(self.command, self.path, dict(self.headers), body))
                    receiver.arrived.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        servers.append(server)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        receiver = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}{path}")
        return receiver

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
