"""Benchmark the Gong emulator: paged-listing throughput and memory at 100,000 calls.

Run from the repository root::

    .venv/bin/python bench/emulator.py

Part A starts an emulator with the default data set (300 calls) in this process and
measures requests per second while walking ``GET /v2/calls`` and ``POST
/v2/calls/transcript`` pages with their cursors, restarting the walk when the last page
is reached. The client and the server share this process (and its GIL), so the figures
are for the pair, over loopback. The yardstick, in the same run and rounds alternating, is
a bare Starlette app on the same server runner answering the same pages (captured from the
emulator) without doing anything: the ratio is what generating the answers costs.

Part B starts an emulator with ``calls=100_000`` alone in a fresh subprocess, so that its
peak memory is its own; this process is the client. It walks every page of ``GET
/v2/calls`` (1,000 pages) and a fixed number of transcript pages, and reports the emulator
process's peak RSS (``ru_maxrss``) before serving and after each walk, the largest
response seen, and the time of three data-privacy look-ups.

The rate limit is off in both parts. The whole run takes about two minutes.

Until commit f4adb30 the emulator's listening socket had protocol 0, so asyncio never set
``TCP_NODELAY`` and every kept-alive response waited about 40 ms for a delayed ACK; the
figures recorded in ``bench/RESULTS.md`` before and after that fix show the difference.
"""

from __future__ import annotations

import argparse
import json
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from gong_connector._serving import SocketServer
from gong_connector.emulator import MAX_MEDIA_BYTES, Emulator, EmulatorConfig, RateLimit

#: Part A: seconds spent on each endpoint.
SECONDS_PER_ENDPOINT = 10.0

#: Part B: data-set size and how many transcript pages to walk.
BIG_CALLS = 100_000
BIG_TRANSCRIPT_PAGES = 300


def peak_rss_mib() -> float:
    """This process's peak resident set size so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vm_hwm_mib() -> float | None:
    """The kernel's high-water mark of this process image's RSS (``VmHWM``), if known."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def client_for(emulator: Emulator) -> httpx.Client:
    return httpx.Client(
        base_url=emulator.base_url, auth=(emulator.access_key, emulator.access_key_secret), timeout=120.0
    )


def calls_page(client: httpx.Client, cursor: str | None) -> httpx.Response:
    return client.get("/v2/calls", params={"cursor": cursor} if cursor else None)


def transcript_page(client: httpx.Client, cursor: str | None) -> httpx.Response:
    body: dict[str, Any] = {"filter": {}}
    if cursor:
        body["cursor"] = cursor
    return client.post("/v2/calls/transcript", json=body)


Fetch = Callable[[httpx.Client, str | None], httpx.Response]


def next_cursor(response: httpx.Response) -> str | None:
    if response.status_code != 200:
        raise SystemExit(f"HTTP {response.status_code} {response.text}")
    cursor: str | None = response.json()["records"].get("cursor")
    return cursor


def timed_walk(client: httpx.Client, fetch: Fetch, seconds: float) -> dict[str, float]:
    """Follow cursors for ``seconds``, starting over after the last page."""
    latencies: list[float] = []
    total_bytes = 0
    cursor: str | None = None
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        response = fetch(client, cursor)
        latencies.append(time.perf_counter() - t0)
        total_bytes += len(response.content)
        cursor = next_cursor(response)
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "mib_per_s": total_bytes / elapsed / 2**20,
        "mean_kib": total_bytes / len(latencies) / 1024,
    }


def report_walk(name: str, r: dict[str, float]) -> None:
    print(
        f"{name}: throughput            {r['rps']:10.1f} requests/s ({r['requests']:.0f} pages in {r['seconds']:.1f} s)"
    )
    print(f"{name}: latency p50           {r['p50_ms']:10.2f} ms")
    print(f"{name}: latency p95           {r['p95_ms']:10.2f} ms")
    print(f"{name}: mean page size        {r['mean_kib']:10.1f} KiB")
    print(f"{name}: bytes served          {r['mib_per_s']:10.2f} MiB/s")


ENDPOINTS: tuple[tuple[str, Fetch], ...] = (
    ("GET /v2/calls", calls_page),
    ("POST /v2/calls/transcript", transcript_page),
)


def captured_pages(client: httpx.Client, fetch: Fetch) -> list[bytes]:
    """Every page of one walk, as the emulator answered it."""
    pages, cursor = [], None
    while True:
        response = fetch(client, cursor)
        pages.append(response.content)
        cursor = next_cursor(response)
        if cursor is None:
            return pages


def bare_server(pages: dict[str, list[bytes]]) -> SocketServer:
    """The yardstick: a bare Starlette app on the emulator's own runner (same uvicorn and
    parser) answering each endpoint's captured pages in turn, doing no work of its own."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    turns = dict.fromkeys(pages, 0)

    def endpoint(path: str) -> Callable[[Request], Any]:
        async def answer(request: Request) -> Response:
            await request.body()
            turn = turns[path]
            turns[path] = turn + 1
            return Response(pages[path][turn % len(pages[path])], media_type="application/json")

        return answer

    routes = [
        Route("/v2/calls", endpoint("/v2/calls"), methods=["GET"]),
        Route("/v2/calls/transcript", endpoint("/v2/calls/transcript"), methods=["POST"]),
    ]
    return SocketServer(Starlette(routes=routes), name="bare-starlette")


def part_a(seconds: float, rounds: int = 3) -> None:
    config = EmulatorConfig(rate_limit=RateLimit.off())
    print(
        f"== Part A: throughput, default data set ({config.calls} calls), rate limit off, "
        f"one keep-alive connection, {seconds:g} s per endpoint and side, in {rounds} alternating rounds"
    )
    with Emulator(config) as emulator, client_for(emulator) as client:
        pages = {"/v2/calls": captured_pages(client, calls_page)}
        pages["/v2/calls/transcript"] = captured_pages(client, transcript_page)
        with bare_server(pages) as bare, httpx.Client(base_url=bare.url, timeout=120.0) as plain:
            for name, fetch in ENDPOINTS:
                timed_walk(client, fetch, 1.0)  # warm-up: connection, caches
                timed_walk(plain, fetch, 1.0)
                ours, theirs = [], []
                for _ in range(rounds):
                    ours.append(timed_walk(client, fetch, seconds / rounds))
                    theirs.append(timed_walk(plain, fetch, seconds / rounds))
                median = statistics.median(r["rps"] for r in ours)
                ceiling = statistics.median(r["rps"] for r in theirs)
                report_walk(name, min(ours, key=lambda r: abs(r["rps"] - median)))
                print(
                    f"{name}: bare Starlette, same pages {ceiling:10.1f} requests/s; "
                    f"emulator / bare = {median / ceiling:.2f}"
                )


def walk_all(client: httpx.Client, fetch: Fetch, max_pages: int | None) -> dict[str, Any]:
    """Walk from the first page until the cursor runs out (or ``max_pages``)."""
    pages = records = largest = 0
    total_records = 0
    cursor: str | None = None
    start = time.perf_counter()
    while True:
        response = fetch(client, cursor)
        if response.status_code != 200:
            raise SystemExit(f"page {pages}: HTTP {response.status_code} {response.text}")
        data = response.json()
        pages += 1
        records += data["records"]["currentPageSize"]
        total_records = data["records"]["totalRecords"]
        largest = max(largest, len(response.content))
        cursor = data["records"].get("cursor")
        if cursor is None or (max_pages is not None and pages >= max_pages):
            break
    elapsed = time.perf_counter() - start
    return {
        "pages": pages,
        "records": records,
        "total_records": total_records,
        "seconds": elapsed,
        "largest_bytes": largest,
    }


def timed_request(client: httpx.Client, path: str, params: dict[str, str]) -> dict[str, Any]:
    t0 = time.perf_counter()
    response = client.get(path, params=params)
    response.raise_for_status()
    return {"seconds": time.perf_counter() - t0, "calls": len(response.json()["calls"])}


class EmulatorProcess:
    """The 100k-call emulator in a child process; the client stays in this one.

    Only the emulator lives in the child, so its ``ru_maxrss`` is the emulator's own peak
    (interpreter, imports, server, data), not the benchmark client's.
    """

    def __init__(self) -> None:
        # Linux carries ru_maxrss across fork+exec: a child exec'd straight from this
        # process would start with this process's peak. A shell that forks once more
        # (hence "; exit $?", which stops it exec'ing python in place) gives a clean one.
        command = shlex.join([sys.executable, __file__, "--serve-big"]) + "; exit $?"
        self.proc = subprocess.Popen(
            ["/bin/sh", "-c", command], text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.hello: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"the emulator process exited (code {self.proc.wait()})")
        result: dict[str, Any] = json.loads(line)
        return result

    def peak_rss_mib(self) -> float:
        return float(self.rss()["peak_rss_mib"])

    def rss(self) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write("rss\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def serve_big() -> None:
    """Child: start the big emulator, then answer ``rss`` / ``quit`` lines on stdin."""
    hello: dict[str, Any] = {"rss_after_imports_mib": peak_rss_mib()}
    t0 = time.perf_counter()
    emulator = Emulator(EmulatorConfig(calls=BIG_CALLS, rate_limit=RateLimit.off())).start()
    hello["startup_seconds"] = time.perf_counter() - t0
    hello["rss_baseline_mib"] = peak_rss_mib()  # started, nothing served yet
    data = emulator.backend.data
    hello.update(
        base_url=emulator.base_url,
        key=emulator.access_key,
        secret=emulator.access_key_secret,
        contact_email=data.contact(5).email,
        contact_phone=data.contact(5).phone,
        user_email=data.users[1]["emailAddress"],
        user_id=data.users[1]["id"],
    )
    print(json.dumps(hello), flush=True)
    try:
        for line in sys.stdin:
            if line.strip() == "rss":
                print(json.dumps({"peak_rss_mib": peak_rss_mib(), "vm_hwm_mib": vm_hwm_mib()}), flush=True)
            elif line.strip() == "quit":
                break
    finally:
        emulator.stop()


def upload_big(client: httpx.Client, user_id: str) -> dict[str, Any]:
    """Create a call and give it Gong's largest allowed recording, from a sparse file."""
    created = client.post(
        "/v2/calls",
        json={
            "clientUniqueId": f"bench-{time.time_ns()}",
            "actualStart": "2026-01-05T10:00:00Z",
            "direction": "Outbound",
            "primaryUser": user_id,
            "parties": [{"userId": user_id}],
        },
    )
    created.raise_for_status()
    call_id = created.json()["callId"]
    size = MAX_MEDIA_BYTES
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "recording.mp3"
        with path.open("wb") as f:
            f.truncate(size)  # sparse: no disk space, reads as zeros
        t0 = time.perf_counter()
        with path.open("rb") as f:
            response = client.put(f"/v2/calls/{call_id}/media", files={"mediaFile": ("recording.mp3", f, "audio/mpeg")})
        seconds = time.perf_counter() - t0
    return {"bytes": size, "seconds": seconds, "status": response.status_code}


def part_b() -> None:
    print(f"== Part B: memory, {BIG_CALLS:,} calls, emulator alone in a fresh subprocess, rate limit off")
    server = EmulatorProcess()
    h = server.hello
    try:
        with httpx.Client(base_url=h["base_url"], auth=(h["key"], h["secret"]), timeout=120.0) as client:
            c = walk_all(client, calls_page, None)
            c["peak_rss_mib"] = server.peak_rss_mib()
            t = walk_all(client, transcript_page, BIG_TRANSCRIPT_PAGES)
            t["peak_rss_mib"] = server.peak_rss_mib()
            privacy = [
                (
                    "data-for-email-address, a contact's address",
                    timed_request(
                        client, "/v2/data-privacy/data-for-email-address", {"emailAddress": h["contact_email"]}
                    ),
                ),
                (
                    "data-for-phone-number, a contact's number",
                    timed_request(
                        client, "/v2/data-privacy/data-for-phone-number", {"phoneNumber": h["contact_phone"]}
                    ),
                ),
                (
                    "data-for-email-address, a Gong user's address",
                    timed_request(client, "/v2/data-privacy/data-for-email-address", {"emailAddress": h["user_email"]}),
                ),
            ]
            before_upload = server.peak_rss_mib()
            upload = upload_big(client, h["user_id"])
            upload["peak_rss_mib"] = server.peak_rss_mib()
            upload["before_mib"] = before_upload
            final = server.rss()
    finally:
        server.close()
    print(f"emulator process: peak RSS after imports     {h['rss_after_imports_mib']:8.1f} MiB")
    print(f"emulator start-up (100k calls)               {h['startup_seconds']:8.2f} s")
    print(f"emulator process: baseline peak RSS          {h['rss_baseline_mib']:8.1f} MiB (started, nothing served)")
    print(
        f"GET /v2/calls: pages walked                  {c['pages']:8d} pages "
        f"({c['records']:,} of {c['total_records']:,} records)"
    )
    print(
        f"GET /v2/calls: walk time                     {c['seconds']:8.1f} s ({c['pages'] / c['seconds']:.1f} pages/s)"
    )
    print(f"GET /v2/calls: largest response              {c['largest_bytes'] / 1024:8.1f} KiB")
    print(f"emulator process: peak RSS after calls walk {c['peak_rss_mib']:8.1f} MiB")
    print(
        f"POST /v2/calls/transcript: pages walked      {t['pages']:8d} pages "
        f"({t['records']:,} transcripts of {t['total_records']:,})"
    )
    print(
        f"POST /v2/calls/transcript: walk time         {t['seconds']:8.1f} s ({t['pages'] / t['seconds']:.2f} pages/s)"
    )
    print(f"POST /v2/calls/transcript: largest response  {t['largest_bytes'] / 1024:8.1f} KiB")
    print(f"emulator process: peak RSS after transcripts {t['peak_rss_mib']:8.1f} MiB")
    print(f"emulator process: peak RSS growth, serving   {t['peak_rss_mib'] - h['rss_baseline_mib']:8.1f} MiB")
    for what, p in privacy:
        print(f"GET /v2/data-privacy/{what}: one request {p['seconds']:.2f} s ({p['calls']} calls found)")
    print(
        f"PUT /v2/calls/{{id}}/media: {upload['bytes']:,} bytes (1.5 GiB) in {upload['seconds']:.1f} s, "
        f"status {upload['status']}"
    )
    print(
        f"emulator process: peak RSS before / after upload {upload['before_mib']:8.1f} / "
        f"{upload['peak_rss_mib']:.1f} MiB"
    )
    print(f"emulator process: peak RSS at the end        {final['peak_rss_mib']:8.1f} MiB")
    if final["vm_hwm_mib"] is not None:
        print(f"emulator process: VmHWM at the end (check)   {final['vm_hwm_mib']:8.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=SECONDS_PER_ENDPOINT, help="Part A: seconds per endpoint (default %(default)s)"
    )
    parser.add_argument("--skip-a", action="store_true", help="run Part B only")
    parser.add_argument("--skip-b", action="store_true", help="run Part A only")
    parser.add_argument("--serve-big", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_big:
        serve_big()
        return
    started = time.perf_counter()
    if not args.skip_a:
        part_a(args.seconds)
    if not args.skip_b:
        part_b()
    print(f"total run time                         {time.perf_counter() - started:10.1f} s")


if __name__ == "__main__":
    main()
