"""Benchmark ``gong sync`` against its yardsticks, both measured in the same run.

Run from the repository root::

    .venv/bin/python bench/sync.py            # both parts
    .venv/bin/python bench/sync.py --part a   # only the rate-limited one (about a minute)

Part A: an emulator with 300 calls and 20 users holding Gong's limit (3 requests/second) in
its own process, and ``gong sync`` into a fresh SQLite file, as a user runs it: a new
process each time, timed from its start to its exit. The yardstick is the rate limit: the
requests the emulator saw divided by 3. Repeated; the median ratio is shown, with the 429s
seen and when the first request arrived after the process started.

Part B: an emulator with 100,000 calls and no rate limit in its own process, and a full
``gong sync`` in another. The yardstick is the emulator's own work: the sync process's CPU
seconds against the emulator's for the same run, with the sync's peak RSS (``VmHWM``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

SECRET = "bench-secret"  # noqa: S105 - the local emulator's
KEY = "emulator-access-key"
GONG_RATE = 3.0
ROOT = Path(__file__).resolve().parent.parent
GONG = [sys.executable, "-c", "import sys; from gong_connector.cli import main; sys.argv[0] = 'gong'; main()"]
#: Runs ``gong sync ...`` and reports the process's own peak RSS and CPU on stderr at exit.
SYNC_CHILD = """
import atexit, json, os, resource, sys, time
def report():
    hwm = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')) / 1024
    ru = resource.getrusage(resource.RUSAGE_SELF)
    sys.stderr.write('BENCH ' + json.dumps({'hwm': hwm, 'cpu': ru.ru_utime + ru.ru_stime}) + '\\n')
atexit.register(report)
from gong_connector.cli import main
sys.argv = ['gong', 'sync', *sys.argv[1:]]
main()
"""


def start_emulator(*args: str) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [*GONG, "emulator", "serve", "--port", "0", "--access-key-secret", SECRET, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert server.stdout is not None
    for line in server.stdout:
        if "GONG_BASE_URL=" in line:
            return server, line.split("=", 1)[1].strip().strip("'\"")
    raise RuntimeError("the emulator did not start")


def stop(server: subprocess.Popen[str]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sync_env(base_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONG_")}
    return {**env, "GONG_BASE_URL": base_url, "GONG_ACCESS_KEY": KEY, "GONG_ACCESS_KEY_SECRET": SECRET}


def run_sync(base_url: str, db: str, *args: str) -> tuple[float, float, dict[str, Any]]:
    """One ``gong sync`` process: (its start as a Unix time, its wall seconds, its report)."""
    began_unix, began = time.time(), time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", SYNC_CHILD, "--db", db, *args],
        env=sync_env(base_url),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    wall = time.perf_counter() - began
    if out.returncode != 0:
        raise RuntimeError(f"gong sync failed: {out.stderr[-2000:]}")
    line = next(x for x in out.stderr.splitlines() if x.startswith("BENCH "))
    return began_unix, wall, json.loads(line[6:])


def part_a(rounds: int) -> dict[str, Any]:
    server, base = start_emulator("--calls", "300", "--users", "20", "--rate-limit", "3/s")
    admin = httpx.Client(base_url=base + "/_emulator", timeout=30)
    results = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(rounds):
                admin.post("/reset")
                time.sleep(1.2)  # an empty one-second window, as for a sync started cold
                admin.delete("/requests")
                began, wall, _ = run_sync(base, f"sqlite:///{tmp}/a{n}.db")
                seen = [r for r in admin.get("/requests").json()["requests"] if r["path"].startswith("/v2")]
                requests = len(seen)
                results.append(
                    {
                        "wall": wall,
                        "requests": requests,
                        "floor": requests / GONG_RATE,
                        "429s": sum(1 for r in seen if r["status"] == 429),
                        "first": min(r["at"] for r in seen) - began,
                    }
                )
    finally:
        admin.close()
        stop(server)
    return {
        "rounds": results,
        "ratio": statistics.median(r["wall"] / r["floor"] for r in results),
        "wall": statistics.median(r["wall"] for r in results),
        "floor": statistics.median(r["floor"] for r in results),
        "first": statistics.median(r["first"] for r in results),
    }


def part_b(calls: int) -> dict[str, Any]:
    server, base = start_emulator("--calls", str(calls), "--rate-limit", "off", "--daily-limit", "0")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            before = cpu_seconds(server.pid)
            _, wall, report = run_sync(base, f"sqlite:///{tmp}/big.db", "--rate-limit", "off")
            emulator_cpu = cpu_seconds(server.pid) - before
            size = sum(p.stat().st_size for p in Path(tmp).glob("big.db*")) / 2**20
    finally:
        stop(server)
    return {
        "calls": calls,
        "wall": wall,
        "sync_cpu": report["cpu"],
        "emulator_cpu": emulator_cpu,
        "hwm": report["hwm"],
        "db_mib": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("a", "b", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--calls", type=int, default=100_000, help="calls for part B")
    args = parser.parse_args()
    if args.part in ("a", "both"):
        a = part_a(args.rounds)
        print(f"part A: gong sync, 300 calls, 20 users, 3 requests/s; median of {args.rounds}")
        for r in a["rounds"]:
            print(
                f"  {r['requests']} requests, floor {r['floor']:.2f} s, process start to exit {r['wall']:.2f} s, "
                f"ratio {r['wall'] / r['floor']:.3f}, 429s {r['429s']}, first request {r['first']:.2f} s after start"
            )
        print(f"  median ratio {a['ratio']:.3f} (wall {a['wall']:.2f} s against {a['floor']:.2f} s)")
    if args.part in ("b", "both"):
        b = part_b(args.calls)
        print(f"part B: full gong sync of {b['calls']:,} calls, rate limit off")
        print(
            f"  sync CPU {b['sync_cpu']:.1f} s, emulator CPU {b['emulator_cpu']:.1f} s, "
            f"ratio {b['sync_cpu'] / b['emulator_cpu']:.2f}; wall {b['wall']:.1f} s; "
            f"sync peak RSS {b['hwm']:.0f} MiB; database {b['db_mib']:.0f} MiB"
        )


if __name__ == "__main__":
    main()
