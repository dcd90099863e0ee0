"""Client benchmark against the emulator (run: ``python bench/client.py``).

Prints, in one run, each figure next to its yardstick, both measured in the same run,
rounds alternating so load on the shared machine hits both alike, median shown:

  * ``GongClient.list_calls`` pages per second (every item read, ``call.id`` touched) against
    a bare ``httpx.Client`` loop doing the same requests with the same cursor logic
    (``response.json()``, every item's ``id`` touched), in the same process; the same for
    ``AsyncGongClient`` against the same bare loop;
  * a 1.5 GiB (1536 MiB) ``add_call_media`` upload against ``curl -F`` sending the same file
    to the same emulator, with this process's peak RSS during the upload.

The emulator runs in a child process so its memory and CPU are not counted here.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import anyio
import httpx

from gong_connector import ApiKeyConnection, AsyncGongClient, GongClient, RateLimiter

MiB = 1024 * 1024
MEDIA_BYTES = 1536 * MiB
WINDOW = {"fromDateTime": "2000-01-01T00:00:00Z", "toDateTime": "2099-01-01T00:00:00Z"}


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


# ----------------------------------------------------------------------------- paging


def walk_bare(http: httpx.Client, base_url: str) -> tuple[int, float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    pages, cursor, ids = 0, None, 0
    while True:
        params = {**WINDOW, **({"cursor": cursor} if cursor else {})}
        response = http.get(f"{base_url}/v2/calls", params=params)
        response.raise_for_status()
        body = response.json()
        for item in body["calls"]:
            ids += bool(item["id"])
        pages += 1
        cursor = body["records"].get("cursor")
        if not cursor:
            return pages, time.perf_counter() - start, time.process_time() - cpu


async def walk_bare_async(http: httpx.AsyncClient, base_url: str) -> tuple[int, float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    pages, cursor, ids = 0, None, 0
    while True:
        params = {**WINDOW, **({"cursor": cursor} if cursor else {})}
        response = await http.get(f"{base_url}/v2/calls", params=params)
        response.raise_for_status()
        body = response.json()
        for item in body["calls"]:
            ids += bool(item["id"])
        pages += 1
        cursor = body["records"].get("cursor")
        if not cursor:
            return pages, time.perf_counter() - start, time.process_time() - cpu


def walk_client(client: GongClient) -> tuple[int, float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    pages, ids = 0, 0
    for page in client.list_calls(from_date_time=WINDOW["fromDateTime"], to_date_time=WINDOW["toDateTime"]).pages():
        for call in page.items:
            ids += bool(call.id)
        pages += 1
    return pages, time.perf_counter() - start, time.process_time() - cpu


async def walk_async(client: AsyncGongClient) -> tuple[int, float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    pages, ids = 0, 0
    pager = client.list_calls(from_date_time=WINDOW["fromDateTime"], to_date_time=WINDOW["toDateTime"])
    async for page in pager.pages():
        for call in page.items:
            ids += bool(call.id)
        pages += 1
    return pages, time.perf_counter() - start, time.process_time() - cpu


def bench_paging(conn: ApiKeyConnection, rounds: int) -> dict[str, Any]:
    """Each side's pages/s (wall clock) and CPU milliseconds per page, medians of ``rounds``;
    sync sides alternate round by round, async sides likewise on one event loop."""
    base_url = conn.base_url
    auth = httpx.BasicAuth(*_credentials(conn))
    runs: dict[str, list[tuple[int, float, float]]] = {"bare": [], "sync": [], "bare_async": [], "async": []}
    with httpx.Client(auth=auth, timeout=30) as http, GongClient(conn, rate_limiter=RateLimiter.off()) as client:
        walk_bare(http, base_url)  # warm up connections and the emulator's caches
        walk_client(client)
        for _ in range(rounds):
            runs["bare"].append(walk_bare(http, base_url))
            runs["sync"].append(walk_client(client))

    async def run_async() -> None:
        async with (
            httpx.AsyncClient(auth=auth, timeout=30) as http,
            AsyncGongClient(conn, rate_limiter=RateLimiter.off()) as aclient,
        ):
            await walk_bare_async(http, base_url)
            await walk_async(aclient)
            for _ in range(rounds):
                runs["bare_async"].append(await walk_bare_async(http, base_url))
                runs["async"].append(await walk_async(aclient))

    anyio.run(run_async)
    pages = runs["bare"][0][0]
    assert all(r[0] == pages for side in runs.values() for r in side), runs
    out: dict[str, Any] = {"pages": pages}
    for side, results in runs.items():
        out[side] = pages / statistics.median(r[1] for r in results)
        out[side + "_cpu"] = statistics.median(r[2] for r in results) / pages * 1000
    return out


def _credentials(conn: ApiKeyConnection) -> tuple[str, str]:
    header = conn.auth()._header  # type: ignore[attr-defined]
    import base64

    user, _, password = base64.b64decode(header.removeprefix("Basic ")).decode().partition(":")
    return user, password


# ----------------------------------------------------------------------------- upload


def _new_call(client: GongClient) -> str:
    user = client.list_users().first_page().items[0]
    assert user.id
    created = client.create_call(
        client_unique_id=f"bench-{time.time_ns()}",
        primary_user=user.id,
        parties=[{"user_id": user.id}],
        direction="Outbound",
        actual_start="2026-11-01T10:00:00Z",
    )
    return str(created.call_id)


def upload_client(client: GongClient, media: Path) -> dict[str, float]:
    call_id = _new_call(client)
    baseline = _rss_mib()
    start = time.perf_counter()
    with RssSampler() as sampler:
        client.add_call_media(call_id=call_id, media=media)
    return {"seconds": time.perf_counter() - start, "growth": sampler.peak - baseline, "peak": sampler.peak}


def upload_curl(client: GongClient, conn: ApiKeyConnection, media: Path) -> float:
    call_id = _new_call(client)
    user, password = _credentials(conn)
    start = time.perf_counter()
    subprocess.run(
        [
            "curl",
            "-sS",
            "--fail",
            "-o",
            "/dev/null",
            "-u",
            f"{user}:{password}",
            "-X",
            "PUT",
            "-F",
            f"mediaFile=@{media}",
            f"{conn.base_url}/v2/calls/{call_id}/media",
        ],
        check=True,
    )
    return time.perf_counter() - start


def bench_upload(conn: ApiKeyConnection, size: int, rounds: int) -> dict[str, Any]:
    ours: list[dict[str, float]] = []
    curl: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, GongClient(conn, rate_limiter=RateLimiter.off(), timeout=600) as client:
        media = Path(tmp) / "recording.wav"
        with media.open("wb") as fh:
            fh.truncate(size)  # sparse: takes no disk space, reads as zeros
        for _ in range(rounds):
            curl.append(upload_curl(client, conn, media))
            ours.append(upload_client(client, media))
    client_s = statistics.median(r["seconds"] for r in ours)
    curl_s = statistics.median(curl)
    return {
        "size": size,
        "client_s": client_s,
        "curl_s": curl_s,
        "growth": max(r["growth"] for r in ours),
        "peak": max(r["peak"] for r in ours),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000, help="calls in the emulator (100 per page)")
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds of each side; the median is shown")
    parser.add_argument("--upload-rounds", type=int, default=3)
    parser.add_argument("--media-mib", type=int, default=MEDIA_BYTES // MiB)
    parser.add_argument("--skip-upload", action="store_true")
    args = parser.parse_args()

    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    stop = ctx.Event()
    server = ctx.Process(target=_serve, args=(args.calls, child, stop), daemon=True)
    server.start()
    try:
        base_url, key, secret = parent.recv()
        conn = ApiKeyConnection(key, secret, base_url)
        p = bench_paging(conn, args.rounds)
        print(f"paging GET /v2/calls: {p['pages']} pages of 100 calls, every item read; median of {args.rounds}")
        rows = [
            ("bare httpx.Client loop", "bare", "bare"),
            ("GongClient", "sync", "bare"),
            ("bare httpx.AsyncClient loop", "bare_async", "bare"),
            ("AsyncGongClient", "async", "bare"),
        ]
        for label, side, yard in rows:
            ratio = p[side] / p[yard]
            line = f"  {label:28} {p[side]:7.1f} pages/s  {p[side + '_cpu']:5.2f} ms CPU/page  ratio {ratio:.2f}"
            if side == "async":
                line += f" (vs the bare async loop {p['async'] / p['bare_async']:.2f})"
            print(line)
        if not args.skip_upload:
            up = bench_upload(conn, args.media_mib * MiB, args.upload_rounds)
            mib = up["size"] / MiB
            print(f"upload {mib:.0f} MiB (sparse file), median of {args.upload_rounds}:")
            print(f"  curl -F              {up['curl_s']:8.2f} s  ({mib / up['curl_s']:.0f} MiB/s)")
            print(
                f"  add_call_media       {up['client_s']:8.2f} s  ({mib / up['client_s']:.0f} MiB/s)   "
                f"ratio {up['curl_s'] / up['client_s']:.2f}"
            )
            print(f"  peak RSS of this process {up['peak']:.1f} MiB (growth during upload {up['growth']:+.1f} MiB)")
    finally:
        stop.set()
        server.join(timeout=10)
        if server.is_alive():
            server.terminate()


if __name__ == "__main__":
    main()
