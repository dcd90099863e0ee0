"""Client-side pacing and 429 storms, on simulated time (no real waiting)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from gong_connector import AsyncGongClient, GongClient, RateLimiter, RetryPolicy
from gong_connector.emulator import Emulator, RateLimit

from .conftest import api_requests, make_connection


class SimTime:
    """One simulated clock for the client and the emulator: sleeping moves both."""

    def __init__(self, emu: Emulator | None = None) -> None:
        self.now = 1_000.0
        self.emu = emu
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds
            if self.emu is not None:
                self.emu.advance_clock(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)


def max_in_window(times: Sequence[float], window: float = 1.0) -> int:
    times = sorted(times)
    return max(sum(1 for u in times[i:] if u - t < window) for i, t in enumerate(times)) if times else 0


def test_limiter_books_slots_three_per_second() -> None:
    sim = SimTime()
    limiter = RateLimiter(3.0, clock=sim.clock, margin=0.05)
    delays = [limiter.reserve() for _ in range(9)]
    assert delays[:3] == [0, 0, 0]
    assert delays[3:6] == pytest.approx([1.05] * 3)
    assert delays[6:] == pytest.approx([2.1] * 3)


def test_limiter_below_one_per_second() -> None:
    sim = SimTime()
    limiter = RateLimiter(0.5, clock=sim.clock, margin=0.0)
    assert [limiter.reserve() for _ in range(3)] == [0, 2.0, 4.0]


def test_limiter_settings_are_checked() -> None:
    from gong_connector import DailyBudget, ValidationError

    with pytest.raises(ValidationError) as info:
        RateLimiter(0)
    assert info.value.field == "per_second"
    with pytest.raises(ValidationError) as info:
        DailyBudget(-1)
    assert info.value.field == "per_day"


def test_limiter_off_never_waits() -> None:
    limiter = RateLimiter.off()
    assert not limiter.enabled
    assert all(limiter.reserve() == 0 for _ in range(1000))


def test_limiter_is_shared_by_threads_and_tasks() -> None:
    sim = SimTime()
    limiter = RateLimiter(3.0, clock=sim.clock, margin=0.0)
    slots: list[float] = []
    lock = threading.Lock()

    def book() -> None:
        at = sim.clock() + limiter.reserve()
        with lock:
            slots.append(at)

    async def tasks() -> None:
        async def one() -> None:
            book()
            await asyncio.sleep(0)

        await asyncio.gather(*(one() for _ in range(30)))

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(book) for _ in range(40)]
        loop_thread = threading.Thread(target=lambda: asyncio.run(tasks()))
        loop_thread.start()
        for f in futures:
            f.result()
        loop_thread.join()
    assert len(slots) == 70
    assert max_in_window(slots) == 3


def _emulator_with_gong_limits(factory: Any) -> Emulator:
    emu: Emulator = factory(rate_limit=RateLimit(per_second=3, per_day=10_000))
    return emu


def test_client_limiter_keeps_gong_from_answering_429(gong_emulator_factory: Any) -> None:
    emu = _emulator_with_gong_limits(gong_emulator_factory)
    sim = SimTime(emu)
    conn = make_connection(emu, "api_key")
    with GongClient(
        conn, rate_limiter=RateLimiter(3.0, clock=sim.clock), retry=RetryPolicy.none(), sleep=sim.sleep
    ) as client:
        for _ in range(12):
            client.list_workspaces().to_list()
    assert [r["status"] for r in api_requests(emu)] == [200] * 12
    assert sim.sleeps  # the limiter did pace


def test_without_the_limiter_gong_answers_429(gong_emulator_factory: Any) -> None:
    emu = _emulator_with_gong_limits(gong_emulator_factory)
    sim = SimTime(emu)
    conn = make_connection(emu, "api_key")
    with GongClient(conn, rate_limiter=RateLimiter.off(), retry=RetryPolicy(max_retries=5), sleep=sim.sleep) as client:
        for _ in range(6):
            client.list_workspaces().to_list()
    seen = [r["status"] for r in api_requests(emu)]
    assert 429 in seen and seen.count(200) == 6


def test_429_storm_threads(gong_emulator_factory: Any) -> None:
    emu = _emulator_with_gong_limits(gong_emulator_factory)
    sim = SimTime(emu)
    conn = make_connection(emu, "api_key")
    with (
        GongClient(conn, rate_limiter=RateLimiter.off(), retry=RetryPolicy(max_retries=50), sleep=sim.sleep) as client,
        ThreadPoolExecutor(10) as pool,
    ):
        results = list(pool.map(lambda _: client.list_workspaces().to_list(), range(40)))
    assert all(results)
    seen = [r["status"] for r in api_requests(emu)]
    assert seen.count(200) == 40 and seen.count(429) >= 10
    assert set(seen) == {200, 429}
    assert min(sim.sleeps) >= 1  # each retry waited out Gong's Retry-After


async def test_429_storm_tasks(gong_emulator_factory: Any) -> None:
    emu = _emulator_with_gong_limits(gong_emulator_factory)
    sim = SimTime(emu)
    conn = make_connection(emu, "oauth")
    async with AsyncGongClient(
        conn, rate_limiter=RateLimiter.off(), retry=RetryPolicy(max_retries=50), sleep=sim.asleep
    ) as client:
        results = await asyncio.gather(*(client.list_workspaces().to_list() for _ in range(40)))
    assert all(results)
    seen = [r["status"] for r in api_requests(emu)]
    assert seen.count(200) == 40 and seen.count(429) >= 10


async def test_async_client_paced_by_limiter(gong_emulator_factory: Any) -> None:
    emu = _emulator_with_gong_limits(gong_emulator_factory)
    sim = SimTime(emu)
    conn = make_connection(emu, "api_key")
    async with AsyncGongClient(
        conn, rate_limiter=RateLimiter(3.0, clock=sim.clock), retry=RetryPolicy.none(), sleep=sim.asleep
    ) as client:
        for _ in range(9):
            await client.list_workspaces().to_list()
    assert [r["status"] for r in api_requests(emu)] == [200] * 9


def test_a_late_send_pushes_the_next_slots_back() -> None:
    """Gong counts arrivals: a request that left late must not leave its window crowded."""
    sim = SimTime()
    limiter = RateLimiter(3.0, clock=sim.clock, margin=0.01)
    first = limiter.book()
    others = [limiter.book() for _ in range(2)]
    assert [first.wait, *(s.wait for s in others)] == [0, 0, 0]
    sim.now += 0.5  # the first request only leaves now (a busy thread, a slow build)
    first.sent()
    for slot in others:
        slot.sent()
    assert limiter.book().wait == pytest.approx(1.01)  # from 1000.5, not 1000.0


def test_a_send_that_leaves_after_the_next_was_booked_still_pushes_it_back() -> None:
    """The fourth slot was booked a window after the first's booking; the first then left
    0.5 s late: once the fourth has waited, it must wait those 0.5 s more."""
    sim = SimTime()
    limiter = RateLimiter(3.0, clock=sim.clock, margin=0.01)
    first, *others = [limiter.book() for _ in range(3)]
    fourth = limiter.book()
    assert fourth.wait == pytest.approx(1.01)
    for slot in others:
        slot.sent()
    sim.now += 0.5  # while the fourth sleeps its 1.01 s, the first leaves 0.5 s late
    first.sent()
    sim.now += fourth.wait - 0.5
    assert fourth.remaining() == pytest.approx(0.5)
    sim.sleep(fourth.remaining())
    assert fourth.remaining() == 0.0


def test_a_429_despite_pacing_widens_the_margin() -> None:
    sim = SimTime()
    limiter = RateLimiter(3.0, clock=sim.clock, margin=0.01)
    margins = []
    for _ in range(6):
        limiter.refused()
        margins.append(limiter.margin)
    assert margins[0] == pytest.approx(0.03) and margins == sorted(margins)
    assert margins[-1] == RateLimiter.MAX_MARGIN
    assert [limiter.book().wait for _ in range(4)][-1] == pytest.approx(1.0 + RateLimiter.MAX_MARGIN)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_slot_counts_from_the_write_not_from_the_build(gong_emulator: Emulator, is_async: bool) -> None:
    """Between ``slot.sent()`` and the socket write another thread may hold the GIL: simulated
    time jumps 0.4 s there (in httpx's request hook), and the write is what Gong counts."""
    sim = SimTime()
    limiter = RateLimiter(1.0, clock=sim.clock, margin=0.0)
    conn = make_connection(gong_emulator, "api_key")

    def busy(_request: Any) -> None:
        sim.now += 0.4

    if is_async:

        async def abusy(request: Any) -> None:
            busy(request)

        async def twice() -> None:
            async with AsyncGongClient(conn, rate_limiter=limiter, sleep=sim.asleep) as client:
                client._http.event_hooks["request"].append(abusy)
                await client.list_workspaces().to_list()
                await client.list_workspaces().to_list()

        asyncio.run(twice())
    else:
        with GongClient(conn, rate_limiter=limiter, sleep=sim.sleep) as client:
            client._http.event_hooks["request"].append(busy)
            client.list_workspaces().to_list()
            client.list_workspaces().to_list()
    # The first left at 1000.4, not at 1000.0 when it was built: the second waits a whole second.
    assert sim.sleeps == pytest.approx([1.0])
