"""Crash safety: ``gong trigger serve`` killed with SIGKILL under load has every event it
answered 200 for in its database. The 200 is sent only after the commit, so an event
acknowledged before the kill must be there afterwards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import httpx

from gong_connector._tls import shared_ssl_context
from gong_connector.trigger import Inbox

from .conftest import payload

URL_KEY = "crash-test-url-key-0123456789"
SENDERS = 6
ACKED_BEFORE_KILL = 300


def start_server(db_url: str) -> tuple[subprocess.Popen[str], str]:
    env = dict(os.environ, GONG_WEBHOOK_URL_KEY=URL_KEY)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from gong_connector.cli import main; main()",
            "trigger",
            "serve",
            "--port",
            "0",
            "--db",
            db_url,
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    assert "listening on" in first, (first, proc.stderr.read() if proc.poll() is not None else "")
    return proc, first.rsplit(" ", 1)[1].strip()


def test_sigkill_under_load_loses_no_acknowledged_event(db_url: str) -> None:
    proc, base = start_server(db_url)
    acked: set[str] = set()
    progress = threading.Condition()
    stop = threading.Event()

    def send(sender: int) -> None:
        with httpx.Client(base_url=base, timeout=10, verify=shared_ssl_context()) as client:
            n = 0
            while not stop.is_set():
                call_id = f"{sender}-{n}"
                n += 1
                try:
                    response = client.post(f"/?rule=load&key={URL_KEY}", content=payload(call_id))
                except httpx.HTTPError:
                    return  # the server is gone
                if response.status_code == 200:
                    with progress:
                        acked.add(call_id)
                        progress.notify_all()

    senders = [threading.Thread(target=send, args=(i,)) for i in range(SENDERS)]
    try:
        for t in senders:
            t.start()
        with progress:
            assert progress.wait_for(lambda: len(acked) >= ACKED_BEFORE_KILL, timeout=60)
        proc.send_signal(signal.SIGKILL)  # mid-load: senders have requests in flight
        proc.wait(timeout=10)
    finally:
        stop.set()
        if proc.poll() is None:
            proc.kill()
        for t in senders:
            t.join(timeout=15)
    output = (proc.stdout.read() if proc.stdout else "") + (proc.stderr.read() if proc.stderr else "")
    assert proc.returncode == -signal.SIGKILL

    inbox = Inbox(db_url)
    stored = {e.call_id for e in inbox.events(limit=None)}
    inbox.close()
    assert acked, "the load acknowledged nothing"
    assert acked <= stored, f"lost {len(acked - stored)} acknowledged events"
    assert URL_KEY not in output
