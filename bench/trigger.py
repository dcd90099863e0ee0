"""Benchmark the Process Automation trigger against the ceiling of its server stack.

Run from the repository root::

    .venv/bin/python bench/trigger.py [--requests 4000] [--concurrency 16 64] [--repeat 3] [--processes 1 2]

Servers, each in a subprocess, side by side in one run:

- ``receiver sqlite``: ``gong trigger serve`` on a SQLite file (WAL, ``synchronous=FULL``),
  signed-JWT mode, no handlers: each request is authenticated (RS256: signature, expiry,
  URL), its body read and bound to the token, parsed, checked, committed (group commit),
  then answered 200. Every figure is for durable commits.
- ``receiver postgresql``: the same on PostgreSQL (``synchronous_commit=on``), skipped with
  a message when unreachable (``--pg-url``).
- ``bare starlette``: a Starlette app that reads the body and answers a small JSON, on the
  same runner (``gong_connector._serving`` with the same connection limits, the same
  uvicorn and HTTP parser, the same number of processes): the ceiling of the stack here.

Each is run with every ``--processes`` setting (``xN``: N processes on one port).

This process is the load: ``--concurrency`` keep-alive connections over loopback, each
sending its next request when the previous answer is in (distinct calls, tokens signed
beforehand). The client writes prepared bytes and reads answers with asyncio streams,
so it costs little next to the server, but it shares the machine's cores with it. Each
configuration runs ``--repeat`` times, alternating servers; the median run is shown, with
the server's CPU time per request (its processes' user + system time over the timed run):
on a machine others are loading too, that figure moves much less than the rates do.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import jwt
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
WARMUP = 300

BARE_APP = """
import sys
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from gong_connector._serving import ConnectionLimits, SocketServer, bind, serve_in_processes

async def ok(request):
    await request.body()
    return JSONResponse({"eventId": 1, "duplicate": False})

app = Starlette(routes=[Route("/", ok, methods=["POST"])])
processes = int(sys.argv[1])
first = bind("127.0.0.1", 0, reuse_port=processes > 1)
socks = [first, *(bind("127.0.0.1", first.getsockname()[1], reuse_port=True) for _ in range(processes - 1))]
print(f"bare starlette listening on http://127.0.0.1:{first.getsockname()[1]}", flush=True)
serve = lambda index: SocketServer(app, limits=ConnectionLimits(), sock=socks[index]).serve_forever()
serve(0) if processes == 1 else serve_in_processes(processes, serve)
"""


def signed_requests(count: int, port: int, private: rsa.RSAPrivateKey, tag: str) -> list[bytes]:
    """Raw HTTP/1.1 requests, each a distinct call with a token for this server's URL."""
    url = f"http://127.0.0.1:{port}/?rule=bench"
    now = int(time.time())
    out = []
    for n in range(count):
        body = json.dumps(
            {
                "callData": {
                    "metaData": {"id": f"{tag}-{n}", "title": "Bench | Call", "url": "https://x/call"},
                    "parties": [{"emailAddress": f"p{n}@example.com", "name": "Pat"}] * 4,
                },
                "isTest": False,
            },
            separators=(",", ":"),
        ).encode()
        claims = {"webhook_url": url, "body_sha256": hashlib.sha256(body).hexdigest(), "iat": now, "exp": now + 3600}
        token = jwt.encode(claims, private, algorithm="RS256")
        head = (
            f"POST /?rule=bench HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Authorization: {token}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        out.append(head.encode() + body)
    return out


async def blast(port: int, requests: list[bytes], concurrency: int) -> tuple[list[float], int, float]:
    """Send every request over ``concurrency`` keep-alive connections; latencies of the 200s."""
    latencies: list[float] = []
    errors = 0
    queue = iter(requests)

    async def connection() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for request in queue:
                started = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                at = head.lower().find(b"content-length:")
                length = int(head[at + 15 : head.find(b"\r\n", at)])
                await reader.readexactly(length)
                elapsed = time.perf_counter() - started
                if head.startswith(b"HTTP/1.1 200"):
                    latencies.append(elapsed)
                else:
                    errors += 1
                if b"connection: close" in head.lower():
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    return latencies, errors, time.perf_counter() - started


def start(command: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "listening on" not in line:
        proc.kill()
        raise SystemExit(f"server did not start: {line}{proc.stderr.read() if proc.stderr else ''}")
    return proc, int(line.rsplit(":", 1)[1])


def receiver(db_url: str, key_file: Path, processes: int) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from gong_connector.cli import main; main()",
        "trigger",
        "serve",
        "--port",
        "0",
        "--db",
        db_url,
        "--public-key-file",
        str(key_file),
        "--log-level",
        "warning",
        "--processes",
        str(processes),
    ]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (the ``--processes`` workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def measure(command: list[str], private: rsa.RSAPrivateKey, count: int, concurrency: int) -> dict[str, float | int]:
    proc, port = start(command)
    try:
        asyncio.run(blast(port, signed_requests(WARMUP, port, private, f"w{uuid.uuid4().hex[:6]}"), concurrency))
        timed = signed_requests(count, port, private, f"r{uuid.uuid4().hex[:6]}")
        before = cpu_seconds(proc.pid)
        latencies, errors, wall = asyncio.run(blast(port, timed, concurrency))
        cpu = cpu_seconds(proc.pid) - before
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    latencies.sort()
    return {
        "per_s": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": errors,
        "cpu_ms": cpu / max(1, len(latencies) + errors) * 1000,
    }


def postgres_schema(url: str) -> tuple[str, str] | None:
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    except Exception as exc:
        print(f"postgresql skipped: unreachable at {url} ({type(exc).__name__})")
        return None
    return f"{url}?options=-csearch_path%3D{schema}", schema


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="server processes (each setting)")
    parser.add_argument("--pg-url", default=os.environ.get("GONG_TEST_POSTGRES_URL", PG_URL))
    args = parser.parse_args()

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    print(
        f"python {platform.python_version()}, {os.cpu_count()} cores, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; uvicorn protocol {AutoHTTPProtocol.__name__}; "
        f"{args.requests} requests per run, median of {args.repeat}"
    )
    with tempfile.TemporaryDirectory(prefix="gong-trigger-bench-") as tmp:
        key_file = Path(tmp) / "gong.pub"
        key_file.write_text(base64.b64encode(der).decode())  # bare base64, as Gong shows it
        pg = postgres_schema(args.pg_url)
        servers: dict[str, list[str]] = {}
        for n in args.processes:
            servers[f"bare starlette x{n}"] = [sys.executable, "-c", BARE_APP, str(n)]
            servers[f"receiver sqlite x{n}"] = receiver(f"sqlite:///{tmp}/bench{n}.db", key_file, n)
            if pg is not None:
                servers[f"receiver postgresql x{n}"] = receiver(pg[0], key_file, n)
        try:
            print(
                f"{'server':<24} {'conc':>5} {'per s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
                f"{'cpu ms/req':>10}  runs (per s)"
            )
            for concurrency in args.concurrency:
                runs: dict[str, list[dict[str, float | int]]] = {name: [] for name in servers}
                for _ in range(args.repeat):
                    for name, command in servers.items():
                        runs[name].append(measure(command, private, args.requests, concurrency))
                for name, results in runs.items():
                    median = sorted(results, key=lambda r: r["per_s"])[len(results) // 2]
                    each = " ".join(f"{r['per_s']:.0f}" for r in results)
                    print(
                        f"{name:<24} {concurrency:>5} {median['per_s']:>8.0f} {median['p50_ms']:>8.1f} "
                        f"{median['p99_ms']:>8.1f} {sum(int(r['errors']) for r in results):>7} "
                        f"{statistics.median(r['cpu_ms'] for r in results):>10.2f}  {each}",
                        flush=True,
                    )
        finally:
            if pg is not None:
                engine = sa.create_engine(args.pg_url)
                with engine.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{pg[1]}" CASCADE'))
                engine.dispose()


if __name__ == "__main__":
    main()
