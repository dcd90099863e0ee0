"""``gong trigger serve`` attacked as the issue measured it, in a subprocess: 300 connections
that each start a 5 MB body without credentials and stall, and thousands of connections
trickling header bytes, against a connection cap. The server's memory stays bounded, slow
connections are closed, a correctly signed webhook sent meanwhile gets its 200 within 2 s
(the one timing assertion of the suite), and the log stays a few lines."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import GongSigner, payload

STALLED_BODIES = 300
TRICKLERS = 3000
MAX_CONNECTIONS = 400
HEADER_TIMEOUT = 3  # seconds: short for the test, long enough for a loaded machine to read 300 headers


def serve(tmp_path: Path, key_file: Path) -> tuple[subprocess.Popen[str], str]:
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
            f"sqlite:///{tmp_path / 'attack.db'}",
            "--public-key-file",
            str(key_file),
            "--header-timeout",
            str(HEADER_TIMEOUT),
            "--body-timeout",
            "2",
            "--max-connections",
            str(MAX_CONNECTIONS),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if "listening on" not in first:
        proc.kill()
        raise AssertionError((first, proc.communicate()[1]))
    return proc, first.rsplit(" ", 1)[1].strip()


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


async def stalled_body(port: int, answers: list[bytes], sent: asyncio.Queue[None]) -> None:
    """Headers for 5 MB without credentials, as much of the body as the server takes, then
    nothing: the answer is the status line the server sent (b"" for none)."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        answers.append(b"")
        sent.put_nowait(None)
        return
    try:
        writer.write(b"POST /?rule=x HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n")
        sent.put_nowait(None)
        with contextlib.suppress(OSError):
            for _ in range(16):
                writer.write(b"x" * 65536)
                await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 30)
        answers.append(answer.split(b"\r\n", 1)[0])
    except (OSError, TimeoutError):
        answers.append(b"")
    finally:
        writer.close()


async def trickle(port: int, closed: list[bool], stop: asyncio.Event) -> None:
    """A header byte now and then, never the end of the headers."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        closed.append(True)
        return
    try:
        for byte in b"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000:
            writer.write(bytes([byte]))
            await writer.drain()
            try:
                await asyncio.wait_for(reader.read(1), 0.3)
                closed.append(True)  # EOF: the server closed it
                return
            except TimeoutError:
                if stop.is_set():
                    return
    except OSError:
        closed.append(True)
    finally:
        writer.close()


async def attack(base: str, signer: GongSigner) -> tuple[float, list[bytes], int, str]:
    port = int(base.rsplit(":", 1)[1])
    answers: list[bytes] = []
    trickles_closed: list[bool] = []
    stop = asyncio.Event()
    sent: asyncio.Queue[None] = asyncio.Queue()
    # First the bodies, all at once, until each is answered; the tricklers come after, so that
    # making room for them cannot close a body's connection before its headers are read.
    await asyncio.gather(*(stalled_body(port, answers, sent) for _ in range(STALLED_BODIES)))
    tasks = []
    for n in range(TRICKLERS):
        tasks.append(asyncio.create_task(trickle(port, trickles_closed, stop)))
        if n % 500 == 499:
            await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)  # the attack is in full swing
    url = f"{base}/?rule=real"
    body = payload("real-1")
    async with httpx.AsyncClient(timeout=10) as client:
        started = time.monotonic()
        response = await client.post(url, content=body, headers={"Authorization": signer.token(url, body)})
        took = time.monotonic() - started
    assert response.status_code == 200, response.text
    await asyncio.sleep(HEADER_TIMEOUT + 1.5)  # past the header timeout: the tricklers are cut off
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    async with httpx.AsyncClient(timeout=10) as client:
        metrics = (await client.get(f"{base}/metrics")).text
    return took, answers, len(trickles_closed), metrics


@pytest.mark.long
def test_the_receiver_survives_the_measured_attacks(tmp_path: Path, gong_signer: GongSigner) -> None:
    key_file = tmp_path / "gong.pub"
    key_file.write_text(gong_signer.public_key_base64)
    proc, base = serve(tmp_path, key_file)
    try:
        took, answers, trickles_closed, metrics = asyncio.run(attack(base, gong_signer))
        peak = peak_rss_mb(proc.pid)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _, stderr = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, stderr = proc.communicate()
    assert took <= 2.0, f"the signed webhook took {took:.2f} s during the attack"
    assert peak < 200, f"peak memory {peak:.0f} MB"
    # Each stalled body was answered 401 from its headers, and its connection closed; the
    # client may see the 401 or a reset (its unread body makes the close a reset).
    assert set(answers) <= {b"HTTP/1.1 401 Unauthorized", b""} and len(answers) == STALLED_BODIES
    assert f'gong_trigger_requests_rejected_total{{reason="unauthorized"}} {STALLED_BODIES}' in metrics
    assert trickles_closed >= TRICKLERS * 0.95, f"only {trickles_closed} slow connections were closed"
    lines = stderr.splitlines()
    assert len(stderr) < 20_000 and len(lines) < 60, stderr[-3000:]
    assert "Traceback" not in stderr
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, 0)
        raise AssertionError("the server is still running")
