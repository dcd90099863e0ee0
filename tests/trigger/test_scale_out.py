"""Scale-out on one PostgreSQL: two ``gong trigger serve`` receivers and two ``gong trigger
worker`` processes under load; one receiver and one worker are killed with SIGKILL mid-load.
Every event a receiver acknowledged is handled, by a transactional handler, exactly once:
the survivors take over what the dead worker held once its lease expires."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from gong_connector.trigger import Inbox

from .conftest import payload

URL_KEY = "scale-out-url-key-0123456789"
SENDERS = 6
ACKED_BEFORE_KILL = 250
ACKED_AFTER_KILL = 150
WORKER_OPTIONS = ["--handlers", "scale_hooks:handlers", "--lease-seconds", "2", "--poll-interval", "0.2"]

HOOKS = """
import time
import sqlalchemy as sa
from gong_connector.trigger import HandlerRegistry

handlers = HandlerRegistry()
handled = sa.table("handled", sa.column("event_id"), sa.column("call_id"), sa.column("pid"))


@handlers.on_call(transactional=True)
def record(event, conn):
    time.sleep(0.002)  # long enough for a kill to land inside some transactions
    conn.execute(sa.insert(handled).values(event_id=event.id, call_id=event.call_id, pid=__import__("os").getpid()))
"""


def start(args: list[str], cwd: Path, ready: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", "from gong_connector.cli import main; main()", "trigger", *args],
        env=dict(os.environ, GONG_WEBHOOK_URL_KEY=URL_KEY),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if ready not in first:
        proc.kill()
        raise AssertionError((first, proc.communicate()[1]))
    proc.first_line = first  # type: ignore[attr-defined]
    return proc


@pytest.mark.long
def test_two_receivers_two_workers_one_of_each_killed_loses_nothing(pg_schema_url: str, tmp_path: Path) -> None:
    inbox = Inbox(pg_schema_url)
    with inbox.engine.begin() as conn:
        conn.execute(sa.text("create table handled (event_id bigint, call_id varchar(64), pid integer)"))
    (tmp_path / "scale_hooks.py").write_text(HOOKS)
    procs: list[subprocess.Popen[str]] = []
    acked: set[str] = set()
    progress = threading.Condition()
    stop = threading.Event()
    try:
        # Each process joins ``procs`` as it starts, so a failure to start one stops the others.
        for _ in range(2):
            procs.append(
                start(
                    ["serve", "--port", "0", "--db", pg_schema_url, "--log-level", "warning"], tmp_path, "listening on"
                )
            )
        for _ in range(2):
            procs.append(start(["worker", "--db", pg_schema_url, *WORKER_OPTIONS], tmp_path, "worker"))
        receivers, workers = procs[:2], procs[2:]
        bases = [p.first_line.rsplit(" ", 1)[1].strip() for p in receivers]  # type: ignore[attr-defined]
        alive = list(bases)

        def send(sender: int) -> None:
            with httpx.Client(timeout=10) as client:
                for n in itertools.count():
                    if stop.is_set():
                        return
                    base = alive[n % len(alive)]
                    call_id = f"{sender}-{n}"
                    try:
                        response = client.post(f"{base}/?rule=load&key={URL_KEY}", content=payload(call_id))
                    except httpx.HTTPError:
                        continue  # that receiver is gone; the next one takes the call
                    if response.status_code == 200:
                        with progress:
                            acked.add(call_id)
                            progress.notify_all()

        senders = [threading.Thread(target=send, args=(i,)) for i in range(SENDERS)]
        for t in senders:
            t.start()
        with progress:
            assert progress.wait_for(lambda: len(acked) >= ACKED_BEFORE_KILL, timeout=60)
        alive.remove(bases[0])
        for victim in (receivers[0], workers[0]):
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=10)
        with progress:
            assert progress.wait_for(lambda: len(acked) >= ACKED_BEFORE_KILL + ACKED_AFTER_KILL, timeout=60)
        stop.set()
        for t in senders:
            t.join(timeout=15)

        # The surviving worker finishes everything, the dead worker's leases included.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            counts = inbox.counts()
            if counts["pending"] == counts["running"] == 0:
                break
            time.sleep(0.2)
        events = {e.call_id: e for e in inbox.events(limit=None)}
        with inbox.engine.connect() as conn:
            rows = conn.execute(sa.text("select call_id, pid from handled")).all()
    finally:
        stop.set()
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.communicate(timeout=10)
        inbox.close()

    assert acked <= events.keys(), f"lost {len(acked - events.keys())} acknowledged events"
    assert all(events[c].status == "done" for c in acked), {
        c: events[c].status for c in acked if events[c].status != "done"
    }
    handled_ids = [call_id for call_id, _ in rows]
    assert sorted(handled_ids) == sorted(events), "each stored event handled exactly once"
    assert {pid for _, pid in rows} >= {workers[1].pid}
    assert workers[0].returncode == -signal.SIGKILL and receivers[0].returncode == -signal.SIGKILL
