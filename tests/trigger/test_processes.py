"""``gong trigger serve --processes 2``: two receiver processes on one port, one SQLite file.
Every webhook is committed once, ``/metrics`` adds both processes up whichever answers,
and SIGTERM stops the supervisor and its children."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from gong_connector._tls import shared_ssl_context
from gong_connector.trigger import Inbox

from .conftest import payload

URL_KEY = "processes-url-key-0123456789"
GONG = [sys.executable, "-c", "from gong_connector.cli import main; main()"]


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def test_two_processes_share_the_port_and_the_counts(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    proc = subprocess.Popen(
        [*GONG, "trigger", "serve", "--port", "0", "--db", db, "--processes", "2", "--log-level", "warning"],
        env=dict(os.environ, GONG_WEBHOOK_URL_KEY=URL_KEY),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert "listening on" in first, proc.stderr.read() if proc.stderr else ""
        base = first.rsplit(" ", 1)[1].strip()

        def send(n: int) -> int:
            with httpx.Client(timeout=10, verify=shared_ssl_context()) as client:
                return client.post(f"{base}/?rule=r&key={URL_KEY}", content=payload(str(n))).status_code

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(send, range(200))) == {200}
        children = children_of(proc.pid)
        assert len(children) == 2
        with httpx.Client(timeout=10) as client:
            scrapes = [client.get(f"{base}/metrics").text for _ in range(6)]  # new connections: either process
        totals = {re.search(r"^gong_trigger_events_accepted_total (\d+)$", s, re.M).group(1) for s in scrapes}  # type: ignore[union-attr]
        assert totals == {"200"}
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
        assert proc.stderr is not None and "error" not in proc.stderr.read()  # a good start says nothing wrong
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    inbox = Inbox(db)
    assert inbox.counts()["pending"] == 200
    inbox.close()


STUCK_HANDLERS = """
import threading
from pathlib import Path
from gong_connector.trigger import HandlerRegistry

handlers = HandlerRegistry()


@handlers.on_call()
def never_returns(event):
    Path(__file__).with_name("started").touch()
    threading.Event().wait()  # a handler stuck for ever: its thread cannot be stopped
"""


def _stops_though_stuck(proc: subprocess.Popen[str], started: Path) -> None:
    """Once the stuck handler runs, SIGTERM ends the process after the 0.2 s it is given."""
    deadline = time.monotonic() + 10  # for the handler to start: another process's pace
    while not started.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert started.exists(), proc.stderr.read() if proc.stderr and proc.poll() is not None else "not started"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 1
    assert "1 handler(s) still running 0.2s after the stop" in (proc.stderr.read() if proc.stderr else "")


def test_a_worker_whose_handler_never_returns_still_stops(tmp_path: Path) -> None:
    """After SIGTERM the events in hand get --shutdown-timeout to finish; a handler that never
    returns does not keep the process alive: it exits 1, saying so, and the event is left
    leased (it runs again once the lease expires)."""
    (tmp_path / "stuckhooks.py").write_text(STUCK_HANDLERS)
    db = f"sqlite:///{tmp_path / 'stuck.db'}"
    inbox = Inbox(db)
    inbox.accept(rule="", call_id="1", is_test=False, body=payload("1"))
    inbox.close()
    command = [*GONG, "trigger", "worker", "--db", db, "--handlers", "stuckhooks:handlers", "--shutdown-timeout", "0.2"]
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _stops_though_stuck(proc, tmp_path / "started")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    inbox = Inbox(db)
    assert inbox.counts()["running"] == 1
    inbox.close()


def test_a_receiver_whose_handler_never_returns_still_stops(tmp_path: Path) -> None:
    """The same for ``gong trigger serve``, which runs its handlers in-process."""
    (tmp_path / "stuckhooks.py").write_text(STUCK_HANDLERS)
    db = f"sqlite:///{tmp_path / 'stuck.db'}"
    serve = ["trigger", "serve", "--port", "0", "--db", db, "--handlers", "stuckhooks:handlers"]
    env = dict(os.environ, PYTHONPATH=str(tmp_path), GONG_WEBHOOK_URL_KEY=URL_KEY)
    proc = subprocess.Popen(
        [*GONG, *serve, "--shutdown-timeout", "0.2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().rsplit(" ", 1)[1].strip()
        with httpx.Client(timeout=10) as client:
            assert client.post(f"{base}/?rule=r&key={URL_KEY}", content=payload("1")).status_code == 200
        _stops_though_stuck(proc, tmp_path / "started")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
