"""Client benchmark against the emulator (run: ``python bench/client.py``).

Prints, in one run:
  * pages per second through ``GongClient`` and through a bare httpx loop doing the same
    requests, and their ratio (what the client's checks, models and pacing cost);
  * peak memory of this process while uploading a 1.5 GB (1536 MiB) sparse file through
    ``add_call_media``, next to the file's size.

The emulator runs in a child process so its memory and CPU are not counted here.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

import httpx

from gong_connector import ApiKeyConnection, AsyncGongClient, GongClient, RateLimiter

MiB = 1024 * 1024
MEDIA_BYTES = 1536 * MiB


def _serve(calls: int, conn: Any, stop: Any) -> None:
    from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit

    cfg = EmulatorConfig(seed=1, calls=calls, users=40, workspaces=3, rate_limit=RateLimit.off(), frozen_clock=True)
    with Emulator(cfg) as emu:
        conn.send((emu.base_url, emu.access_key, emu.access_key_secret))
        stop.wait()


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class RssSampler:
    """Samples this process's resident memory every few milliseconds; keeps the peak."""

    def __init__(self, every: float = 0.01) -> None:
        self.every = every
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_mib())
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mib())


def bench_pages_client(conn: ApiKeyConnection, rounds: int) -> tuple[int, float]:
    with GongClient(conn, rate_limiter=RateLimiter.off()) as client:
        best = float("inf")
        pages = 0
        for _ in range(rounds):
            start = time.perf_counter()
            pages = sum(1 for _ in client.list_calls_extensive().pages())
            best = min(best, time.perf_counter() - start)
    return pages, best


def bench_pages_async_client(conn: ApiKeyConnection, rounds: int) -> tuple[int, float]:
    import anyio

    async def run() -> tuple[int, float]:
        async with AsyncGongClient(conn, rate_limiter=RateLimiter.off()) as client:
            best = float("inf")
            pages = 0
            for _ in range(rounds):
                start = time.perf_counter()
                pages = 0
                async for _page in client.list_calls_extensive().pages():
                    pages += 1
                best = min(best, time.perf_counter() - start)
        return pages, best

    return anyio.run(run)


def bench_pages_bare(base_url: str, key: str, secret: str, rounds: int) -> tuple[int, float]:
    with httpx.Client(auth=(key, secret), timeout=30) as http:
        best = float("inf")
        pages = 0
        for _ in range(rounds):
            start = time.perf_counter()
            pages, cursor = 0, None
            while True:
                body: dict[str, Any] = {"filter": {}}
                if cursor:
                    body["cursor"] = cursor
                response = http.post(f"{base_url}/v2/calls/extensive", json=body)
                response.raise_for_status()
                pages += 1
                cursor = response.json()["records"].get("cursor")
                if not cursor:
                    break
            best = min(best, time.perf_counter() - start)
    return pages, best


def bench_upload(conn: ApiKeyConnection, size: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, GongClient(conn, rate_limiter=RateLimiter.off(), timeout=600) as client:
        media = Path(tmp) / "recording.wav"
        with media.open("wb") as fh:
            fh.truncate(size)  # sparse: takes no disk space, reads as zeros
        user = client.list_users().first_page().items[0]
        created = client.create_call(
            client_unique_id=f"bench-{time.time_ns()}",
            primary_user=user.id,
            parties=[{"user_id": user.id}],
            direction="Outbound",
            actual_start="2026-11-01T10:00:00Z",
        )
        baseline = _rss_mib()
        sent = [0]
        tracemalloc.start()
        start = time.perf_counter()
        with RssSampler() as sampler:
            client.add_call_media(
                call_id=str(created.call_id), media=media, progress=lambda done, total: sent.__setitem__(0, done)
            )
        took = time.perf_counter() - start
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "size": media.stat().st_size if media.exists() else size,
        "sent": sent[0],
        "baseline_rss": baseline,
        "peak_rss": sampler.peak,
        "traced_peak": traced_peak / MiB,
        "seconds": took,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000, help="calls in the emulator")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds; best is kept")
    parser.add_argument("--media-mib", type=int, default=MEDIA_BYTES // MiB)
    args = parser.parse_args()

    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    stop = ctx.Event()
    server = ctx.Process(target=_serve, args=(args.calls, child, stop), daemon=True)
    server.start()
    try:
        base_url, key, secret = parent.recv()
        conn = ApiKeyConnection(key, secret, base_url)
        bench_pages_bare(base_url, key, secret, 1)  # warm up both sides
        # Rounds alternate between the three so drift on the server side hits all alike.
        bare_s = client_s = async_s = float("inf")
        for _ in range(args.rounds):
            pages, t = bench_pages_bare(base_url, key, secret, 1)
            bare_s = min(bare_s, t)
            cpages, t = bench_pages_client(conn, 1)
            client_s = min(client_s, t)
            apages, t = bench_pages_async_client(conn, 1)
            async_s = min(async_s, t)
            assert pages == cpages == apages, (pages, cpages, apages)
        bare_rate, client_rate, async_rate = pages / bare_s, pages / client_s, pages / async_s
        print(f"paging: {pages} pages of up to 100 calls (POST /v2/calls/extensive), best of {args.rounds}")
        print(f"  bare httpx loop      {bare_rate:8.1f} pages/s   (JSON decode only)")
        print(f"  GongClient           {client_rate:8.1f} pages/s   (+ checks, pacing, models)")
        print(f"  AsyncGongClient      {async_rate:8.1f} pages/s")
        print(f"  ratio client / bare  {client_rate / bare_rate:8.2f}  (async / bare {async_rate / bare_rate:.2f})")
        up = bench_upload(conn, args.media_mib * MiB)
        print(
            f"upload: file {up['size']:,.0f} bytes ({up['size'] / MiB:.0f} MiB), "
            f"sent {up['sent']:,.0f} bytes in {up['seconds']:.1f} s "
            f"({up['size'] / MiB / up['seconds']:.0f} MiB/s)"
        )
        print(
            f"  peak RSS during upload {up['peak_rss']:.1f} MiB "
            f"(before: {up['baseline_rss']:.1f} MiB, "
            f"growth {up['peak_rss'] - up['baseline_rss']:+.1f} MiB)"
        )
        print(f"  peak Python heap during upload (tracemalloc) {up['traced_peak']:.2f} MiB")
    finally:
        stop.set()
        server.join(timeout=10)
        if server.is_alive():
            server.terminate()


if __name__ == "__main__":
    main()
