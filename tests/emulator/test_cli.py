"""The command line: ``gong emulator serve`` and ``gong demo``, run as real subprocesses."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

GONG = shutil.which("gong", path=str(Path(sys.executable).parent)) or "gong"
ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}


def _plain(text: str) -> str:
    """Rich's error box and line wrapping removed, whitespace collapsed."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


class Served:
    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def settings(self, timeout: float = 30.0) -> dict[str, str]:
        """Read stdout until the credentials are printed; returns NAME=value pairs."""
        found: dict[str, str] = {}
        while "GONG_ACCESS_KEY_SECRET" not in found:
            line = self.lines.get(timeout=timeout)
            if line is None:
                raise AssertionError(f"serve exited early: {self.seen}")
            self.seen.append(line)
            found.update(re.findall(r"(GONG_[A-Z_]+)=(\S+)", line))
        return found


@contextlib.contextmanager
def serving(*extra: str) -> Iterator[Served]:
    """``gong emulator serve`` on a free port with small data, fixed keys and ``extra`` options."""
    proc = subprocess.Popen(
        [
            GONG,
            "emulator",
            "serve",
            "--port",
            "0",
            "--seed",
            "7",
            "--rate-limit",
            "off",
            "--calls",
            "20",
            "--users",
            "5",
            "--workspaces",
            "2",
            "--access-key",
            "K",
            "--access-key-secret",
            "S",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    served = Served(proc)
    try:
        yield served
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def serve() -> Iterator[Served]:
    with serving() as served:
        yield served


def test_serve_prints_base_url_and_credentials_and_serves_gong(serve: Served) -> None:
    """serve prints what a client needs, then answers Gong's API with the chosen data and keys."""
    settings = serve.settings()
    base_url = settings["GONG_BASE_URL"]
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
    assert not base_url.endswith(":0")
    assert settings["GONG_ACCESS_KEY"] == "K" and settings["GONG_ACCESS_KEY_SECRET"] == "S"

    with httpx.Client(base_url=base_url, auth=("K", "S"), timeout=30) as api:
        calls = api.get("/v2/calls")
        assert calls.status_code == 200, calls.text
        assert calls.json()["records"]["totalRecords"] == 20
        assert len(api.get("/v2/workspaces").json()["workspaces"]) == 2
        assert api.get("/v2/users").json()["records"]["totalRecords"] == 5
        # --rate-limit off: no 429 however fast we go
        assert {api.get("/v2/workspaces").status_code for _ in range(5)} == {200}
    with httpx.Client(base_url=base_url, auth=("K", "wrong"), timeout=30) as intruder:
        assert intruder.get("/v2/calls").status_code == 401

    serve.proc.send_signal(signal.SIGINT)  # Ctrl-C, as the banner says
    assert serve.proc.wait(timeout=15) == 0


def test_serve_same_seed_same_data(serve: Served) -> None:
    """--seed 7 gives the same company as the emulator in-process with seed 7."""
    from gong_connector.emulator import Emulator, RateLimit

    base_url = serve.settings()["GONG_BASE_URL"]
    with httpx.Client(base_url=base_url, auth=("K", "S"), timeout=30) as api:
        remote = api.get("/v2/users").json()["users"]
    with (
        Emulator(seed=7, calls=20, users=5, workspaces=2, rate_limit=RateLimit.off()) as emu,
        httpx.Client(base_url=emu.base_url, auth=(emu.access_key, emu.access_key_secret)) as api,
    ):
        local = api.get("/v2/users").json()["users"]
    assert [u["id"] for u in remote] == [u["id"] for u in local]
    serve.proc.terminate()
    serve.proc.wait(timeout=15)


@pytest.mark.parametrize("value", ["bogus", "3/h", "-1"])
def test_serve_rejects_a_bad_rate_limit(value: str) -> None:
    """A bad --rate-limit exits non-zero with a message naming the option and the accepted forms."""
    result = subprocess.run(
        [GONG, "emulator", "serve", "--rate-limit", value], capture_output=True, text=True, env=ENV, timeout=60
    )
    assert result.returncode != 0
    message = _plain(result.stderr)
    assert "--rate-limit" in message
    assert value in message
    assert "'off'" in message and "3/s" in message
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["yesterday", "2026-02-30"])
def test_serve_rejects_a_bad_anchor_naming_the_option(value: str) -> None:
    from typer.testing import CliRunner

    from gong_connector.cli import app

    result = CliRunner().invoke(app, ["emulator", "serve", "--anchor", value])
    assert result.exit_code == 2
    assert f"error: --anchor: {value!r} is not a date" in result.stderr


def test_demo_prints_a_transcript() -> None:
    """gong demo runs end to end on an embedded emulator and prints calls, users, a transcript."""
    result = subprocess.run([GONG, "demo"], capture_output=True, text=True, env=ENV, timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Calls (300 in all" in out and "Users (150 in all" in out
    assert "Transcript of" in out
    lines = re.findall(r"^\s+\d\d:\d\d \S.*: .+$", out, flags=re.MULTILINE)
    assert len(lines) >= 3, out
    assert "Traceback" not in result.stderr


CENTURY = {"fromDateTime": "2000-01-01T00:00:00Z", "toDateTime": "2100-01-01T00:00:00Z"}


def test_serve_follows_gongs_documentation_unless_strict() -> None:
    """By default a century-long window lists every call; --strict refuses it as over 90 days."""
    with serving() as served, httpx.Client(base_url=served.settings()["GONG_BASE_URL"], auth=("K", "S")) as api:
        assert api.get("/v2/calls", params=CENTURY).json()["records"]["totalRecords"] == 20
    with (
        serving("--strict") as served,
        httpx.Client(base_url=served.settings()["GONG_BASE_URL"], auth=("K", "S")) as api,
    ):
        refused = api.get("/v2/calls", params=CENTURY)
        assert refused.status_code == 400
        assert refused.json()["errors"] == [
            "The date range between fromDateTime and toDateTime must not exceed 90 days"
        ]
        assert api.get("/v2/data-privacy/data-for-phone-number", params={"phoneNumber": "+12"}).status_code == 400


def test_serve_max_call_window_days_sets_the_window_alone_and_data_can_be_small() -> None:
    with (
        serving(
            "--max-call-window-days",
            "30",
            "--max-transcript-sentences",
            "4",
            "--anchor",
            "2026-06-01",
            "--history-days",
            "29",
        ) as served,
        httpx.Client(base_url=served.settings()["GONG_BASE_URL"], auth=("K", "S")) as api,
    ):
        month = {"fromDateTime": "2026-01-01T00:00:00Z", "toDateTime": "2026-02-01T00:00:00Z"}  # 31 days
        refused = api.get("/v2/calls", params=month)
        assert refused.status_code == 400
        assert refused.json()["errors"] == [
            "The date range between fromDateTime and toDateTime must not exceed 30 days"
        ]
        thirty = {"fromDateTime": "2026-01-01T00:00:00Z", "toDateTime": "2026-01-31T00:00:00Z"}
        assert api.get("/v2/calls", params=thirty).status_code in (200, 404)
        assert api.get("/v2/data-privacy/data-for-phone-number", params={"phoneNumber": "+12"}).status_code == 200
        last_days = {"fromDateTime": "2026-05-02T00:00:00Z", "toDateTime": "2026-06-01T00:00:00Z"}
        assert api.get("/v2/calls", params=last_days).json()["records"]["totalRecords"] == 20  # all in 29 days
        transcripts = api.post("/v2/calls/transcript", json={"filter": {}}).json()["callTranscripts"]
        assert transcripts and all(sum(len(m["sentences"]) for m in t["transcript"]) == 4 for t in transcripts)
