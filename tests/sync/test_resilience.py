"""Faults and crashes: the database after them equals the database of a clean run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from gong_connector import ApiKeyConnection, CursorExpiredError, GongClient
from gong_connector._tls import shared_ssl_context
from gong_connector.emulator import Emulator, Faults
from gong_connector.errors import StoreError
from gong_connector.sync import Batch, Store, make_client, sync
from gong_connector.sync._streams import BASE_STREAMS

from .conftest import SleepRecorder, run, snapshot
from .test_coaching import COACHING

#: The calls and directory streams; the coaching streams have crash tests of their own.
BASE = ",".join(BASE_STREAMS)


def test_faults_give_the_same_database(
    emu: Emulator, client: GongClient, tmp_path: Path, sleeps: SleepRecorder
) -> None:
    clean, faulty = f"sqlite:///{tmp_path}/clean.db", f"sqlite:///{tmp_path}/faulty.db"
    expected = run(emu, client, clean)
    emu.set_faults(Faults(error_rate=0.1, rate_limit_rate=0.15, drop_rate=0.05, seed=11))
    result = run(emu, client, faulty, sleep=sleeps)
    emu.clear_faults()
    assert snapshot(faulty) == snapshot(clean)
    statuses = [r["status"] for r in emu.requests()]
    assert 429 in statuses and None in statuses and any(s and s >= 500 for s in statuses)
    assert sleeps.calls, "backoff went through the injected sleep"
    # Pages that carried data: retries are not re-reads.
    assert result.requests == expected.requests and result.http_requests is None


def test_429_storm_is_waited_out_not_fatal(
    emu: Emulator, client: GongClient, tmp_path: Path, sleeps: SleepRecorder
) -> None:
    """More 429s in a row than the client retries: the sync waits again, it does not fail."""
    db = f"sqlite:///{tmp_path}/storm.db"
    emu.set_faults(Faults(fail_next=["429"] * 15))
    result = run(emu, client, db, streams="users", sleep=sleeps)
    assert result.streams["users"].records == len(emu.backend.data.users)


def test_a_page_that_is_not_json_is_asked_again_not_taken_as_the_end(
    emu: Emulator, client: GongClient, tmp_path: Path, sleeps: SleepRecorder
) -> None:
    """A proxy's 200 page where Gong's JSON should be, on the first pages of every listing:
    read as an empty page, it would end each listing early and store less."""
    clean, faulty = f"sqlite:///{tmp_path}/clean.db", f"sqlite:///{tmp_path}/faulty.db"
    run(emu, client, clean, streams="users,calls")
    emu.set_faults(Faults(fail_next=["html"] * 4))
    run(emu, client, faulty, streams="users,calls", sleep=sleeps)
    emu.clear_faults()
    assert snapshot(faulty) == snapshot(clean)
    assert emu.backend.faults.injected == 4 and sleeps.calls


def test_a_cursor_that_always_expires_fails_the_stream_instead_of_looping(
    gong_emulator_factory: Any, tmp_path: Path
) -> None:
    """An expired cursor restarts a listing (rows are upserted); a cursor that expires every
    time would restart it forever, so after a few restarts the stream fails."""
    emu = gong_emulator_factory(calls=250, users=6, cursor_ttl=-1)  # every cursor has expired
    connection = ApiKeyConnection(emu.access_key, emu.access_key_secret, emu.base_url)
    fresh, _counter = make_client(connection, rate_limit=None)
    with fresh, pytest.raises(CursorExpiredError):
        run(emu, fresh, f"sqlite:///{tmp_path}/loop.db", streams="calls")
    listed = [r for r in emu.requests() if r["path"] == "/v2/calls/extensive"]
    assert 2 < len(listed) < 20


class Crash(Exception):
    pass


#: A clean run's 'now' and rows, per stream set and data anchor: the crash points of one
#: stream set share one clean run (the data is the same on every fresh emulator).
_CLEAN: dict[tuple[str, datetime], tuple[datetime, dict[str, list[tuple[Any, ...]]]]] = {}


def clean_run(
    emu: Emulator, client: GongClient, tmp_path: Path, streams: str
) -> tuple[datetime, dict[str, list[tuple[Any, ...]]]]:
    key = (streams, emu.config.anchor)
    if key not in _CLEAN:
        clean = f"sqlite:///{tmp_path}/clean.db"
        now = emu.backend.clock.now_dt()  # stats days are cut at days: every run at the same 'now'
        run(emu, client, clean, streams=streams, clock=lambda: now)
        _CLEAN[key] = (now, snapshot(clean))
    return _CLEAN[key]


@pytest.mark.parametrize(
    ("streams", "crash_after"),
    [
        (BASE, 0),
        (BASE, 3),
        (BASE, 10),
        (BASE, 25),
        # Batches: calls 0-2, scorecards 3, trackers 4, answered scorecards 5, daily activity
        # (a page of a month each) 6-8, interaction stats (a week each) 9 on.
        ("calls," + COACHING, 3),
        ("calls," + COACHING, 5),
        ("calls," + COACHING, 7),
        ("calls," + COACHING, 12),
    ],
)
def test_crash_between_any_batches_resumes_exactly(
    emu: Emulator,
    client: GongClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    streams: str,
    crash_after: int,
) -> None:
    """The process dies while committing batch N (its transaction rolls back): the next run
    ends with the same database as a run that never crashed."""
    crashed = f"sqlite:///{tmp_path}/crashed.db"
    now, expected = clean_run(emu, client, tmp_path, streams)
    original = Store.write
    written = 0

    def dying_write(self: Store, batch: Batch) -> None:
        nonlocal written
        if written == crash_after:
            with self.engine.begin() as conn:  # half a transaction, then death
                conn.exec_driver_sql("select 1")
                raise Crash
        written += 1
        original(self, batch)

    monkeypatch.setattr(Store, "write", dying_write)
    with pytest.raises(Crash):
        run(emu, client, crashed, streams=streams, clock=lambda: now)
    monkeypatch.setattr(Store, "write", original)
    assert written == crash_after
    run(emu, client, crashed, streams=streams, clock=lambda: now)
    assert snapshot(crashed) == expected


# ----------------------------------------------------------------------------- real processes

CLI = [sys.executable, "-c", "from gong_connector.cli import main; main()"]
SECRET = "sync-crash-test-secret"


@pytest.fixture
def served() -> Iterator[tuple[str, dict[str, str]]]:
    """``gong emulator serve`` in a subprocess: 300 calls with short transcripts over 40 days,
    60 users, Gong-like limit of 40/s."""
    proc = subprocess.Popen(
        [
            *CLI,
            "emulator",
            "serve",
            "--port",
            "0",
            "--calls",
            "300",
            "--users",
            "60",
            "--max-transcript-sentences",
            "12",
            "--history-days",
            "40",
            "--rate-limit",
            "40/s",
            "--daily-limit",
            "0",
            "--access-key-secret",
            SECRET,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    base = ""
    for _ in range(20):
        line = proc.stdout.readline()
        if "GONG_BASE_URL=" in line:
            base = line.split("=", 1)[1].strip()
            break
    assert base, proc.stderr.read() if proc.stderr and proc.poll() is not None else "no base URL"
    env = dict(os.environ, GONG_BASE_URL=base, GONG_ACCESS_KEY="emulator-access-key", GONG_ACCESS_KEY_SECRET=SECRET)
    try:
        yield base, env
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _admin(base: str, method: str, path: str, **kw: Any) -> Any:
    return httpx.request(method, f"{base}/_emulator/{path}", timeout=10, verify=shared_ssl_context(), **kw).json()


def _v2_requests(base: str, prefix: str = "/v2") -> int:
    return sum(1 for r in _admin(base, "GET", "requests")["requests"] if r["path"].startswith(prefix))


@pytest.mark.long
def test_sigkill_thrice_then_resume_equals_a_clean_run(served: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    base, env = served
    db = tmp_path / "killed.db"
    # 429s say "Retry-After: 0": this test is about dying and resuming, not about waiting.
    faults = {"errorRate": 0.04, "rateLimitRate": 0.04, "dropRate": 0.03, "seed": 5, "retryAfter": 0}
    _admin(base, "POST", "faults", json=faults)
    cmd = [*CLI, "sync", "--db", str(db), "--rate-limit", "40", "--quiet"]
    # Mid-calls/transcripts, then mid-library/logs, then mid-stats (activity or interaction).
    # (A first run asks workspaces 1, users 1, calls 3, transcripts 3, then the library.)
    for prefix, kill_at in (("/v2", 6), ("/v2", 30), ("/v2/stats/", 4)):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while _v2_requests(base, prefix) < kill_at and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the sync finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    _admin(base, "DELETE", "faults")
    clean = f"sqlite:///{tmp_path}/clean.db"
    client, _ = make_client(ApiKeyConnection("emulator-access-key", SECRET, base), rate_limit=40)
    with client:
        sync(clean, client=client)
    assert snapshot(f"sqlite:///{db}") == snapshot(clean)


def test_crash_resumes_exactly_on_postgres(
    emu: Emulator, client: GongClient, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now, expected = clean_run(emu, client, tmp_path, BASE)
    original = Store.write
    written = 0

    def dying_write(self: Store, batch: Batch) -> None:
        nonlocal written
        if written == 3:  # second page of calls: one page committed, no watermark yet
            raise Crash
        written += 1
        original(self, batch)

    monkeypatch.setattr(Store, "write", dying_write)
    with pytest.raises(Crash):
        run(emu, client, pg_url, streams=BASE, clock=lambda: now)
    monkeypatch.setattr(Store, "write", original)
    assert Store(pg_url).watermark("calls") is None
    run(emu, client, pg_url, streams=BASE, clock=lambda: now)
    assert snapshot(pg_url) == expected


def test_a_run_whose_clock_was_ahead_loses_no_later_call(emu: Emulator, client: GongClient, tmp_path: Path) -> None:
    """Its watermark is in the future: the next runs read from now, not from that future."""
    db = f"sqlite:///{tmp_path}/ahead.db"
    ahead = emu.backend.clock.now_dt() + timedelta(days=5)
    run(emu, client, db, streams="calls", clock=lambda: ahead)
    new = emu.add_calls(3)
    result = run(emu, client, db, streams="calls")
    assert result.streams["calls"].records >= 3
    store = Store(db)
    try:
        calls = store.t("calls")
        with store.engine.connect() as conn:
            stored = set(conn.execute(sa.select(calls.c.id).where(calls.c.id.in_(new))).scalars())
    finally:
        store.close()
    assert stored == set(new)


def test_two_syncs_on_one_postgresql_database_do_not_overlap(
    emu: Emulator, client: GongClient, pg_url: str, tmp_path: Path
) -> None:
    """The second one says so and writes nothing, instead of failing on duplicate keys or a
    deadlock halfway through; once the first has finished, it runs."""
    first = Store(pg_url)
    first.claim_run()
    try:
        with pytest.raises(StoreError, match="another gong sync is writing to the gong_\\* tables"):
            run(emu, client, pg_url, streams="users")
        second = Store(pg_url)
        assert second.counts()["users"] == 0
        second.close()
    finally:
        first.close()
    assert run(emu, client, pg_url, streams="users").streams["users"].records == len(emu.backend.data.users)
    # SQLite takes one writer at a time by itself: nothing to claim.
    lite = Store(f"sqlite:///{tmp_path}/lite.db")
    lite.claim_run()
    lite.claim_run()
    lite.close()
