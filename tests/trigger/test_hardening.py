"""The receiver as an attacker or an odd sender meets it, over real HTTP on loopback: every
signed-but-odd body gets a deliberate 4xx (never 5xx, never stored unreadable), credentials
are checked before a byte of the body is read, and slow or greedy connections are closed."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from gong_connector._serving import RateLimitedLogFilter
from gong_connector._tls import shared_ssl_context
from gong_connector.trigger import ConnectionLimits, Trigger, TriggerServer
from gong_connector.trigger._payload import MAX_DEPTH

from .conftest import FakeClock, GongSigner, payload


@pytest.fixture
def served(make_trigger: Callable[..., Trigger], db_url: str) -> Iterator[tuple[Trigger, TriggerServer]]:
    trigger = make_trigger(db_url)
    with TriggerServer(trigger, limits=ConnectionLimits(header_timeout=0.5, max_header_bytes=4096)) as server:
        yield trigger, server


def signed_post(
    server: TriggerServer, signer: GongSigner, body: bytes, query: str = "rule=Renewals", **headers: str
) -> httpx.Response:
    url = f"{server.url}/gong?{query}" if query else f"{server.url}/gong"
    with httpx.Client(timeout=10, verify=shared_ssl_context()) as client:
        return client.post(url, content=body, headers={"Authorization": signer.token(url, body), **headers})


def nested(depth: int) -> bytes:
    inner = "[" * depth + "]" * depth
    return b'{"callData": {"metaData": {"id": "1"}}, "deep": ' + inner.encode() + b"}"


ODD_BODIES: dict[str, tuple[bytes, str]] = {
    "UTF-16 with BOM": (payload("1").decode().encode("utf-16"), "not UTF-8"),
    "UTF-16 without BOM": (payload("1").decode().encode("utf-16-le"), "must be sent as UTF-8"),
    "UTF-8 with BOM": (b"\xef\xbb\xbf" + payload("1"), "byte order mark"),
    "Latin-1 bytes": (b'{"callData": {"metaData": {"id": "1", "title": "caf\xe9"}}}', "not UTF-8"),
    "nested past the recursion limit": (nested(20_000), "nests deeper"),
    "nested past our limit": (nested(MAX_DEPTH + 1), "nests deeper"),
    "call id of 65 characters": (payload("9" * 65), "longer than 64"),
    "call id with a NUL": (payload("12\x003"), "control"),
    "call id with a lone surrogate": (b'{"callData": {"metaData": {"id": "\\ud800"}}}', "surrogate"),
    "call id as a float": (b'{"callData": {"metaData": {"id": 1.5}}}', "metaData.id"),
    "call id as an object": (b'{"callData": {"metaData": {"id": {}}}}', "metaData.id"),
    'isTest "false" as a string': (b'{"callData": {"metaData": {"id": "1"}}, "isTest": "false"}', "isTest"),
    "isTest as 0": (b'{"callData": {"metaData": {"id": "1"}}, "isTest": 0}', "isTest"),
    "isTest null": (b'{"callData": {"metaData": {"id": "1"}}, "isTest": null}', "isTest"),
    "metaData as a list": (b'{"callData": {"metaData": []}}', "metaData"),
    "JSON with a NaN": (b'{"callData": {"metaData": {"id": "1"}}, "x": NaN', "not JSON"),
    "empty body": (b"", "not JSON"),
}


@pytest.mark.parametrize("case", list(ODD_BODIES))
def test_signed_odd_bodies_get_400_with_a_reason_and_nothing_is_stored(
    case: str, served: tuple[Trigger, TriggerServer], gong_signer: GongSigner
) -> None:
    trigger, server = served
    body, reason = ODD_BODIES[case]
    response = signed_post(server, gong_signer, body)
    assert response.status_code == 400, (case, response.text)
    assert reason in response.json()["error"]
    assert trigger.inbox.counts() == dict.fromkeys(("pending", "running", "done", "dead"), 0)


@pytest.mark.parametrize(
    "query,reason",
    [
        ("rule=" + "r" * 201, "longer than 200"),
        ("rule=a%00b", "control"),
        ("rule=%FF%FE", "not percent-encoded UTF-8"),
    ],
)
def test_signed_odd_rules_get_400(
    query: str, reason: str, served: tuple[Trigger, TriggerServer], gong_signer: GongSigner
) -> None:
    """A rule too long for PostgreSQL's column used to be a 503 that Gong retried forever."""
    trigger, server = served
    response = signed_post(server, gong_signer, payload("1"), query=query)
    assert response.status_code == 400, response.text
    assert reason in response.json()["error"]
    assert trigger.inbox.events() == []


def test_what_is_stored_reads_back(served: tuple[Trigger, TriggerServer], gong_signer: GongSigner) -> None:
    """Longest call id and rule, non-ASCII text, an escaped surrogate in a free field, and
    integer call ids: stored, and every event's payload parses again."""
    trigger, server = served
    bodies = [
        payload("9" * 64, title="Café ☕ 東京"),
        b'{"callData": {"metaData": {"id": 12345678901234567890}, "note": "\\ud800"}, "isTest": true}',
        json.dumps({"callData": {"metaData": {"id": "x"}, "deep": json.loads(nested(MAX_DEPTH - 3))}}).encode(),
    ]
    for n, body in enumerate(bodies):
        assert signed_post(server, gong_signer, body, query=f"rule={'é' * 200 if n == 0 else 'r'}").status_code == 200
    events = sorted(trigger.inbox.events(), key=lambda e: e.id)
    assert [e.call_id for e in events] == ["9" * 64, "12345678901234567890", "x"]
    assert events[0].rule == "é" * 200 and events[1].is_test is True
    assert all(isinstance(e.payload, dict) for e in events)


def test_no_credentials_is_401_before_the_body_is_read(served: tuple[Trigger, TriggerServer]) -> None:
    """Headers announce 5 MB and no body follows: the answer comes anyway, and closes."""
    _, server = served
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /gong?rule=x HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n")
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 401"), answer[:80]
    assert b"connection: close" in answer.lower()


def test_a_bad_token_is_401_before_the_body_is_read(served: tuple[Trigger, TriggerServer]) -> None:
    _, server = served
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(
            b"POST /gong?rule=x HTTP/1.1\r\nHost: x\r\nAuthorization: e30.e30.e30\r\nContent-Length: 5000000\r\n\r\n"
        )
        assert _read_all(sock).startswith(b"HTTP/1.1 401")


def test_a_declared_size_over_the_limit_is_413_before_reading(
    served: tuple[Trigger, TriggerServer], gong_signer: GongSigner
) -> None:
    trigger, server = served
    token = gong_signer.token("http://x/gong?rule=x", b"").encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        length = trigger.max_body_bytes + 1
        sock.sendall(
            b"POST /gong?rule=x HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nContent-Length: %d\r\n\r\n"
            % (token, length)
        )
        assert _read_all(sock).startswith(b"HTTP/1.1 413")


def test_slow_headers_are_cut_off(served: tuple[Trigger, TriggerServer]) -> None:
    """A connection that never finishes its headers is closed after the header timeout."""
    _, server = served
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /gong HTTP/1.1\r\nHost: x\r\n")
        assert _read_all(sock) == b""  # closed by the server, no response
    assert server.guard is not None and server.guard.counts["header_timeout"] >= 1


def test_idle_connection_is_cut_off(served: tuple[Trigger, TriggerServer]) -> None:
    _, server = served
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        assert _read_all(sock) == b""


def test_oversized_headers_get_431(served: tuple[Trigger, TriggerServer]) -> None:
    _, server = served
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"POST /gong HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 8000)
        answer = _read_all(sock)
    assert answer.startswith((b"HTTP/1.1 431", b"HTTP/1.1 400")), answer[:60]


def test_full_connection_table_makes_room_for_a_real_request(
    make_trigger: Callable[..., Trigger], gong_signer: GongSigner, tmp_path: Path
) -> None:
    """At the cap, the oldest connection still waiting for headers is closed for a new one."""
    trigger = make_trigger(f"sqlite:///{tmp_path / 'cap.db'}")
    with TriggerServer(trigger, limits=ConnectionLimits(max_connections=20, header_timeout=60)) as server:
        idle = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(40)]
        try:
            response = signed_post(server, gong_signer, payload("1"))
            assert response.status_code == 200
            assert server.guard is not None and server.guard.counts["evicted"] >= 20
            assert server.guard.open <= 21
        finally:
            for sock in idle:
                sock.close()


def test_a_flood_of_rejections_is_a_few_log_lines(
    served: tuple[Trigger, TriggerServer], caplog: pytest.LogCaptureFixture
) -> None:
    trigger, server = served
    caplog.set_level(logging.WARNING, logger="gong_connector")
    with httpx.Client(timeout=10) as client:
        for _ in range(200):
            assert client.post(f"{server.url}/gong", content=b"{}").status_code == 401
    lines = [r for r in caplog.records if r.name.startswith("gong_connector")]
    assert len(lines) == trigger.log_gate.burst
    assert trigger.log_gate.suppressed == 200 - trigger.log_gate.burst
    with httpx.Client(timeout=10) as client:
        metrics = client.get(f"{server.url}/metrics").text
    assert 'gong_trigger_requests_rejected_total{reason="unauthorized"} 200' in metrics


def test_rate_limited_log_filter_counts_and_reports_what_it_dropped() -> None:
    clock = FakeClock(now=0.0)
    gate = RateLimitedLogFilter(burst=2, interval=10, clock=clock)

    def record(status: int) -> logging.LogRecord:
        return logging.LogRecord("x", logging.WARNING, __file__, 1, "rejected (%d)", (status,), None)

    assert [gate.filter(record(401)) for _ in range(5)] == [True, True, False, False, False]
    assert gate.filter(record(400))  # another kind of line has its own allowance
    clock.advance(10)
    again = record(401)
    assert gate.filter(again) and "3 similar messages suppressed" in again.getMessage()


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_bug_of_ours_is_a_500_with_a_bounded_log(
    served: tuple[Trigger, TriggerServer],
    gong_signer: GongSigner,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trigger, server = served
    assert trigger.verifier is not None

    def broken(*_: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(trigger.verifier, "authenticate", broken)
    caplog.set_level(logging.ERROR, logger="gong_connector")
    for _ in range(30):
        assert signed_post(server, gong_signer, payload("1")).status_code == 500
    ours = [r for r in caplog.records if r.name.startswith("gong_connector")]
    assert len(ours) == trigger.log_gate.burst and sum(r.exc_info is not None for r in ours) == 1
