"""Benchmark ``gong sync``: requests against the minimum, time against the rate limit, memory.

Run from the repository root::

    .venv/bin/python bench/sync.py

Part A starts an emulator with the default data set (300 calls) and Gong's limits (3
requests per second, 10,000 per day) in this process, and syncs it into a fresh SQLite file
with a client held to 3 requests per second: a full sync, a second run with no changes, and
a run after 20 new calls. For each it prints the requests used, the minimum the data set
allows, the 429s seen, and the wall time against ``requests / 3`` (the floor the limit sets).

Part B starts ``gong emulator serve --calls 100000 --rate-limit off`` in a subprocess and
runs a full sync of every stream in another fresh subprocess, which reports its own peak
RSS (``VmHWM``, reset by exec) before and after, with the rows written and the time taken.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from gong_connector import ApiKeyConnection
from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit
from gong_connector.sync import LOG_TYPES, Store, make_client, sync

GONG_RATE = 3.0
BIG_CALLS = 100_000
CLI = [sys.executable, "-c", "from gong_connector.cli import main; main()"]


def vm_hwm_mib() -> float:
    """This process image's peak RSS (``VmHWM``), which exec resets, unlike ``ru_maxrss``."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def minimum_requests(emu: Emulator, new_calls: int = 0, *, first: bool) -> int:
    """Fewest requests for the data set: full pages; transcripts for 100 calls per request."""
    d = emu.backend.data

    def pages(n: int) -> int:
        return max(1, math.ceil(n / 100))

    listings = 1 + pages(len(d.users)) + 1 + len(LOG_TYPES) * (pages(d.n_logs) if first else 1)
    if first:
        calls = d.n_calls + new_calls
        return listings + pages(calls) + math.ceil(calls / 100) + len(d.folders)
    # Later runs: the look-back window of calls (one page here) and the new calls' transcripts.
    return listings + 1 + math.ceil(new_calls / 100)


def part_a() -> list[dict[str, Any]]:
    rows = []
    limit = RateLimit(per_second=GONG_RATE, per_day=10_000)
    with tempfile.TemporaryDirectory() as tmp, Emulator(EmulatorConfig(rate_limit=limit)) as emu:
        db = f"sqlite:///{tmp}/bench.db"
        client, counter = make_client(
            ApiKeyConnection(emu.access_key, emu.access_key_secret, emu.base_url), rate_limit=GONG_RATE
        )
        with client:
            for label, new in (("full sync", 0), ("no changes", 0), ("after 20 new calls", 20)):
                if new:
                    emu.add_calls(new)
                emu.clear_requests()
                result = sync(db, client=client, request_counter=counter)
                seen = [r for r in emu.requests() if r["path"].startswith("/v2")]
                rows.append(
                    {
                        "run": label,
                        "requests": result.requests,
                        "http": result.http_requests,
                        "minimum": minimum_requests(emu, new, first=label == "full sync"),
                        "429s": sum(1 for r in seen if r["status"] == 429),
                        "seconds": result.seconds,
                        "floor": result.requests / GONG_RATE,
                        "rows": result.records,
                    }
                )
    return rows


def part_b_child(db: str) -> None:
    """Runs in its own process: a full sync with the rate limit off; prints JSON."""
    before = vm_hwm_mib()
    client, counter = make_client(rate_limit=None)
    with client:
        result = sync(db, client=client, request_counter=counter)
    counts = Store(db).counts()
    print(
        json.dumps(
            {
                "hwm_before": before,
                "hwm_after": vm_hwm_mib(),
                "seconds": result.seconds,
                "requests": result.requests,
                "http": result.http_requests,
                "counts": counts,
                "per_stream": {n: [s.requests, round(s.seconds, 1)] for n, s in result.streams.items()},
            }
        )
    )


def part_b(calls: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(
            [
                *CLI,
                "emulator",
                "serve",
                "--port",
                "0",
                "--calls",
                str(calls),
                "--rate-limit",
                "off",
                "--daily-limit",
                "0",
                "--access-key-secret",
                "bench-secret",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert server.stdout is not None
        base = next(line.split("=", 1)[1].strip() for line in server.stdout if "GONG_BASE_URL=" in line)
        secret = "bench-secret"  # noqa: S105 - the local emulator's
        env = dict(os.environ, GONG_BASE_URL=base, GONG_ACCESS_KEY="emulator-access-key", GONG_ACCESS_KEY_SECRET=secret)
        try:
            t0 = time.monotonic()
            out = subprocess.run(
                [sys.executable, __file__, "--part-b-child", f"sqlite:///{tmp}/big.db"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            data: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
            data["wall"] = time.monotonic() - t0
            data["db_mib"] = sum(p.stat().st_size for p in Path(tmp).glob("big.db*")) / 2**20
        finally:
            server.terminate()
            server.wait(timeout=30)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-calls", type=int, default=BIG_CALLS)
    parser.add_argument("--skip-a", action="store_true")
    parser.add_argument("--skip-b", action="store_true")
    parser.add_argument("--part-b-child", metavar="DB")
    args = parser.parse_args()
    if args.part_b_child:
        part_b_child(args.part_b_child)
        return
    if not args.skip_a:
        print(f"Part A: 300 calls, emulator and client at Gong's {GONG_RATE:g} requests/s")
        print(f"{'run':<20}{'requests':>9}{'http':>6}{'minimum':>9}{'429s':>6}{'wall s':>8}{'req/3 s':>9}{'rows':>9}")
        for r in part_a():
            print(
                f"{r['run']:<20}{r['requests']:>9}{r['http']:>6}{r['minimum']:>9}{r['429s']:>6}"
                f"{r['seconds']:>8.1f}{r['floor']:>9.1f}{r['rows']:>9,}"
            )
    if args.skip_b:
        return
    print(f"\nPart B: {args.big_calls:,} calls, rate limit off, sync in a fresh process")
    b = part_b(args.big_calls)
    print(f"  requests {b['requests']:,} (HTTP {b['http']:,}); sync {b['seconds']:.1f} s, wall {b['wall']:.1f} s")
    print(f"  peak RSS (VmHWM) before sync {b['hwm_before']:.1f} MiB, after {b['hwm_after']:.1f} MiB")
    print(f"  SQLite size {b['db_mib']:,.0f} MiB; per stream [requests, s]: {b['per_stream']}")
    print(f"  rows: {b['counts']}")


if __name__ == "__main__":
    main()
