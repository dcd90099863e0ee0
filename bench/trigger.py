"""Benchmark the Process Automation trigger: accepted webhooks per second and latency.

Run from the repository root::

    .venv/bin/python bench/trigger.py [--requests 3000] [--concurrency 16]

For each inbox (a SQLite file in WAL mode with ``synchronous=FULL``, then PostgreSQL with
its default ``synchronous_commit=on``) it starts ``gong trigger serve`` in a subprocess,
with the signed-JWT mode on and no handlers, so each request is: read the body, verify the
RS256 token (signature, expiry, URL, body hash), commit the event, answer 200. The 200 is
sent only after the commit, so every figure is for durable commits.

This process is the client: ``--concurrency`` connections over loopback posting distinct
calls (tokens signed beforehand, so signing is not timed). Latency is per request, from
send to response. PostgreSQL is skipped with a message when unreachable; set
``--pg-url`` to use another server. Both processes share this machine's CPUs.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import jwt
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
WARMUP = 200


def signed_requests(count: int, base_url: str, private: rsa.RSAPrivateKey, tag: str) -> list[tuple[bytes, str]]:
    url = f"{base_url}/?rule=bench"
    now = int(time.time())
    out = []
    for n in range(count):
        body = json.dumps(
            {
                "callData": {
                    "metaData": {"id": f"{tag}-{n}", "title": "Bench | Call"},
                    "parties": [{"emailAddress": f"p{n}@example.com"}] * 4,
                },
                "isTest": False,
            },
            separators=(",", ":"),
        ).encode()
        claims = {"webhook_url": url, "body_sha256": hashlib.sha256(body).hexdigest(), "iat": now, "exp": now + 3600}
        out.append((body, jwt.encode(claims, private, algorithm="RS256")))
    return out


async def blast(base_url: str, requests: list[tuple[bytes, str]], concurrency: int) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    queue = iter(requests)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal errors
            for body, token in queue:
                started = time.perf_counter()
                response = await client.post(
                    "/?rule=bench", content=body, headers={"Authorization": token, "Content-Type": "application/json"}
                )
                elapsed = time.perf_counter() - started
                if response.status_code == 200:
                    latencies.append(elapsed)
                else:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return latencies, errors, wall


def start_server(db_url: str, key_file: Path) -> tuple[subprocess.Popen[str], str]:
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
            "--public-key-file",
            str(key_file),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "listening on" not in line:
        proc.kill()
        raise SystemExit(f"server did not start: {line}{proc.stderr.read() if proc.stderr else ''}")
    return proc, line.rsplit(" ", 1)[1].strip()


def run(
    name: str, db_url: str, key_file: Path, private: rsa.RSAPrivateKey, count: int, concurrency: int
) -> dict[str, object]:
    proc, base = start_server(db_url, key_file)
    try:
        warm = signed_requests(WARMUP, base, private, f"warm-{uuid.uuid4().hex[:6]}")
        asyncio.run(blast(base, warm, concurrency))
        timed = signed_requests(count, base, private, f"run-{uuid.uuid4().hex[:6]}")
        latencies, errors, wall = asyncio.run(blast(base, timed, concurrency))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    latencies.sort()
    result = {
        "inbox": name,
        "requests": count,
        "concurrency": concurrency,
        "errors": errors,
        "accepted_per_s": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }
    print(
        f"{name:<11} {count:>8} {concurrency:>5} {result['accepted_per_s']:>12.0f} "
        f"{result['p50_ms']:>8.1f} {result['p99_ms']:>8.1f} {errors:>7}",
        flush=True,
    )
    return result


def postgres_schema(url: str) -> tuple[str, str] | None:
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    except Exception as exc:
        print(f"postgres    skipped: unreachable at {url} ({type(exc).__name__})")
        return None
    return f"{url}?options=-csearch_path%3D{schema}", schema


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--pg-url", default=os.environ.get("GONG_TEST_POSTGRES_URL", PG_URL))
    args = parser.parse_args()

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    der = private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    with tempfile.TemporaryDirectory(prefix="gong-trigger-bench-") as tmp:
        key_file = Path(tmp) / "gong.pub"
        key_file.write_text(base64.b64encode(der).decode())  # bare base64, as Gong shows it
        print(f"{'inbox':<11} {'requests':>8} {'conc':>5} {'accepted/s':>12} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        run("sqlite-wal", f"sqlite:///{tmp}/bench.db", key_file, private, args.requests, args.concurrency)
        pg = postgres_schema(args.pg_url)
        if pg is not None:
            url, schema = pg
            try:
                run("postgresql", url, key_file, private, args.requests, args.concurrency)
            finally:
                engine = sa.create_engine(args.pg_url)
                with engine.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                engine.dispose()


if __name__ == "__main__":
    main()
