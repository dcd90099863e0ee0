"""``gong trigger worker --metrics-port``: a worker-only process serves ``/healthz`` and
Prometheus' ``/metrics`` (the receiver's names, its own handler counts, the inbox's gauges)
over real HTTP; and the same from Python with ``WorkerMetricsServer``."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from gong_connector.cli import app
from gong_connector.errors import StoreError
from gong_connector.trigger import Backoff, Event, HandlerRegistry, Inbox, Worker, WorkerMetricsServer
from gong_connector.trigger._endpoints import InboxProbe

from .conftest import FakeClock, payload

GONG = [sys.executable, "-c", "from gong_connector.cli import main; main()"]
runner = CliRunner(env={"COLUMNS": "200"})

HOOKS = """
from gong_connector.trigger import HandlerRegistry

handlers = HandlerRegistry()


@handlers.on_call()
def handle(event):
    if event.call_id == "flaky":
        raise RuntimeError("CRM is down")
"""


def metric(text: str, name: str) -> float:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    assert found, f"{name} not in metrics"
    return float(found.group(1))


def listening_ports(pid: int) -> set[int]:
    """The TCP ports process ``pid`` listens on (Linux: its socket inodes in /proc/net/tcp*)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def seed(inbox: Inbox) -> int:
    """One event already dead, then three due: two that succeed and one whose handler fails.
    Returns the failing event's id."""
    inbox.accept(rule="r", call_id="dead-one", is_test=False, body=payload("dead-one"))
    (dead,) = inbox.claim("earlier-worker", limit=1)
    inbox.fail(dead.id, "earlier-worker", "RuntimeError: gone", retry_at=None)
    for call_id in ("ok-1", "ok-2"):
        inbox.accept(rule="r", call_id=call_id, is_test=False, body=payload(call_id))
    return inbox.accept(rule="r", call_id="flaky", is_test=False, body=payload("flaky")).event_id


def wait_until(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def hooks_dir(tmp_path: Path) -> Path:
    (tmp_path / "wm_hooks.py").write_text(HOOKS)
    return tmp_path


@pytest.fixture
def worker_db(db_url: str) -> str:
    """The inbox URL, with a password on PostgreSQL (the test server ignores it) to prove it is never shown."""
    if db_url.startswith("sqlite"):
        return db_url
    return sa.make_url(db_url).set(password=f"pw-{uuid.uuid4().hex}").render_as_string(hide_password=False)


def start_worker(db: str, cwd: Path, *extra: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [*GONG, "trigger", "worker", "--db", db, "--handlers", "wm_hooks:handlers", "--log-level", "warning", *extra],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if "Gong trigger worker" not in first:
        proc.kill()
        raise AssertionError((first, proc.communicate()))
    return proc


def stop(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """SIGTERM, then the rest of its output: read through the same text streams the test
    read lines from (``communicate`` reads the pipes below them and would miss what those
    streams had already buffered). The worker says little, so the pipes cannot fill."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    assert proc.stdout is not None and proc.stderr is not None
    return proc.stdout.read(), proc.stderr.read()


def test_worker_serves_its_handler_counts_and_the_inbox_gauges(worker_db: str, hooks_dir: Path) -> None:
    inbox = Inbox(worker_db)
    flaky = seed(inbox)
    proc = start_worker(worker_db, hooks_dir, "--metrics-port", "0", "--poll-interval", "0.05", "--max-attempts", "3")
    stderr_seen: list[str] = []
    try:
        assert proc.stderr is not None
        url = None
        while url is None:
            line = proc.stderr.readline()
            assert line, ("the worker ended", stderr_seen)
            stderr_seen.append(line)
            found = re.search(r"metrics on (http://127\.0\.0\.1:(\d+))", line)
            if found:
                url, port = found.group(1), int(found.group(2))
        assert listening_ports(proc.pid) == {port}

        # Settled when the inbox says so: the histogram is updated before an attempt's outcome is written.
        def settled() -> bool:
            event = inbox.get(flaky)
            retrying = event is not None and (event.status, event.attempts) == ("pending", 1)
            return retrying and inbox.counts()["done"] == 2

        wait_until(settled)
        counts = inbox.counts()
        with httpx.Client(base_url=url, timeout=10) as client:
            response = client.get("/metrics")  # the first scrape: the gauges are read now
            health = client.get("/healthz")
            elsewhere = client.get("/")
            posted = client.post("/metrics", content=b"x")
        text = response.text
    finally:
        out, err = stop(proc)
        inbox.close()
    assert proc.returncode == 0, err
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert metric(text, "gong_trigger_handler_seconds_count") == 3  # ok-1, ok-2, flaky's first attempt
    assert metric(text, 'gong_trigger_handler_seconds_bucket{le="+Inf"}') == 3
    assert metric(text, "gong_trigger_handler_failures_total") == 1
    assert metric(text, "gong_trigger_events_pending") == counts["pending"] == 1
    assert metric(text, "gong_trigger_events_dead") == counts["dead"] == 1
    for status, n in counts.items():
        assert metric(text, f'gong_trigger_events{{status="{status}"}}') == n
    assert metric(text, "gong_trigger_inbox_up") == 1
    assert metric(text, "gong_trigger_events_accepted_total") == 0  # a worker receives nothing
    assert all(
        line.startswith("#") or re.fullmatch(r"[a-z_]+(\{[^}]*\})? [0-9.e+-]+", line) for line in text.splitlines()
    )
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert elsewhere.status_code == 404
    assert posted.status_code == 405 and posted.headers["allow"] == "GET, HEAD"
    password = sa.make_url(worker_db).password
    if password:
        shown = out + "".join(stderr_seen) + err + text + health.text
        assert str(password) not in shown and "***" in out


def test_without_the_option_nothing_listens(hooks_dir: Path) -> None:
    proc = start_worker(f"sqlite:///{hooks_dir / 'w.db'}", hooks_dir)
    try:
        assert listening_ports(proc.pid) == set()
    finally:
        _, err = stop(proc)
    assert proc.returncode == 0 and "metrics on" not in err


@pytest.mark.parametrize("port", ["-1", "70000", "ninety"])
def test_a_bad_metrics_port_is_a_usage_error(tmp_path: Path, port: str) -> None:
    db = tmp_path / "w.db"
    result = runner.invoke(
        app, ["trigger", "worker", "--db", f"sqlite:///{db}", "--handlers", "json:dumps", "--metrics-port", port]
    )
    assert result.exit_code == 2, result.output
    assert "'--metrics-port'" in result.output
    assert "Gong trigger worker" not in result.output and not db.exists()


def test_a_busy_metrics_port_is_one_line_and_nothing_starts(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(
            app,
            ["trigger", "worker", "--db", f"sqlite:///{db}", "--handlers", "json:dumps", "--metrics-port", str(port)],
        )
    assert result.exit_code == 1, result.output
    assert f"--metrics-port: cannot listen on 127.0.0.1:{port}" in result.output
    assert "Gong trigger worker" not in result.output and not db.exists()


# ----- from Python ------------------------------------------------------------------------------


@pytest.fixture
def worker(tmp_path: Path, clock: FakeClock) -> Iterator[Worker]:
    inbox = Inbox(f"sqlite:///{tmp_path / 'inbox.db'}", clock=clock)
    handlers = HandlerRegistry()

    @handlers.on_call()
    def handle(event: Event) -> None:
        if event.call_id == "flaky":
            raise RuntimeError("CRM is down")

    yield Worker(inbox, handlers, backoff=Backoff(max_attempts=1))
    inbox.close()


async def test_worker_metrics_server_from_python(worker: Worker, monkeypatch: pytest.MonkeyPatch) -> None:
    for call_id in ("ok", "flaky"):
        worker.inbox.accept(rule="r", call_id=call_id, is_test=False, body=payload(call_id))
    assert await worker.run_due() == 2
    with WorkerMetricsServer(worker) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        text = client.get("/metrics").text
        assert metric(text, "gong_trigger_handler_seconds_count") == 2
        assert metric(text, "gong_trigger_handler_failures_total") == 1
        assert metric(text, "gong_trigger_events_dead") == 1 and metric(text, "gong_trigger_events_pending") == 0
        assert client.head("/healthz").status_code == 200

        def down() -> Any:
            raise StoreError("cannot connect")

        monkeypatch.setattr(worker.inbox, "ping", down)
        monkeypatch.setattr(worker.inbox, "counts", down)
        server.metrics_app.probe.expire()
        health = client.get("/healthz")
        text = client.get("/metrics").text
    assert (health.status_code, health.json()) == (503, {"status": "inbox unavailable"})
    assert metric(text, "gong_trigger_inbox_up") == 0 and "gong_trigger_events_pending" not in text
    assert metric(text, "gong_trigger_handler_seconds_count") == 2


async def test_the_inbox_is_read_at_most_every_two_seconds(worker: Worker, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    probe = InboxProbe(worker.inbox, clock=lambda: now[0])
    reads = []
    counts = worker.inbox.counts
    monkeypatch.setattr(worker.inbox, "counts", lambda: reads.append(1) or counts())
    assert (await probe.statuses() or {})["pending"] == 0
    worker.inbox.accept(rule="r", call_id="1", is_test=False, body=payload("1"))
    now[0] = 1.9
    assert (await probe.statuses() or {})["pending"] == 0 and len(reads) == 1
    now[0] = 2.0
    assert (await probe.statuses() or {})["pending"] == 1 and len(reads) == 2
