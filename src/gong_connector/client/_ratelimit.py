"""Client-side pacing, so one client (all its threads or tasks) stays under Gong's limits.

The limiter books send slots under a plain lock and returns how long the caller must wait;
the caller waits with its own sleep (``time.sleep`` or the event loop's), so the same
limiter serves threads and tasks and tests can inject a fake clock and sleep.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import httpx

from ..errors import DailyBudgetExceededError, ValidationError

__all__ = ["DailyBudget", "RateLimiter", "Slot"]

_DAY = 86_400.0
#: Shorter waits than this are not worth a second sleep (and absorb float rounding).
_RECHECK_TOLERANCE = 0.001


class Slot:
    """One booked send: how long to wait for it, and a way to say when it really left."""

    __slots__ = ("_after", "_entry", "_limiter", "wait")

    def __init__(
        self, limiter: RateLimiter, entry: list[float] | None, wait: float, after: list[float] | None = None
    ) -> None:
        self._limiter = limiter
        self._entry = entry
        self._after = after
        self.wait = wait

    def remaining(self) -> float:
        """Seconds still to wait after waiting ``wait``: the send this slot follows in the
        window may have left later than booked, and Gong counts when it arrived."""
        if self._after is None:
            return 0.0
        return self._limiter._remaining(self._after)

    def sent(self) -> None:
        """The request leaves now: later slots are counted from this moment, not the booking."""
        if self._entry is not None:
            self._limiter._mark(self._entry)

    def follow(self, request: httpx.Request, *, is_async: bool = False) -> None:
        """Mark the slot again once the request's last byte is on the socket (httpcore's
        trace events): what another thread does between ``sent()`` and the write (holding
        the GIL to decode a large page, say) then cannot crowd Gong's count of arrivals."""
        if self._entry is None:
            return
        prior = request.extensions.get("trace")
        if is_async:

            async def atrace(name: str, info: dict[str, Any]) -> None:
                if name.endswith("send_request_body.complete"):
                    self.sent()
                if prior is not None:
                    await prior(name, info)

            request.extensions["trace"] = atrace
            return

        def trace(name: str, info: dict[str, Any]) -> None:
            if name.endswith("send_request_body.complete"):
                self.sent()
            if prior is not None:
                prior(name, info)

        request.extensions["trace"] = trace


class RateLimiter:
    """At most ``per_second`` sends in any sliding one-second window, plus a margin.

    Gong counts arrivals. A slot is booked before the caller waits, then moved to when the
    request really left (``Slot.sent``): a request that left late pushes the next ones back,
    so late senders never crowd a window. The margin covers the jitter between leaving here
    and arriving there; it starts at 10 ms (the largest gap measured on loopback, see
    bench/RESULTS.md) and doubles, up to 250 ms, after each 429 that pacing did not prevent.
    """

    MAX_MARGIN = 0.25

    def __init__(
        self,
        per_second: float | None = 3.0,
        *,
        window: float = 1.0,
        margin: float = 0.01,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_second is not None and per_second <= 0:
            raise ValidationError("per_second", "positive", "must be positive, or None for no limit")
        self.per_second = per_second
        if per_second is not None and per_second * window < 1:
            window = 1.0 / per_second  # slower than one per window: one per 1/rate seconds
        self._window = window
        self.margin = margin
        self._clock = clock
        self._lock = threading.Lock()
        burst = max(1, int(per_second * window)) if per_second else 1
        self._slots: deque[list[float]] = deque(maxlen=burst)

    @classmethod
    def off(cls) -> RateLimiter:
        return cls(None)

    @property
    def enabled(self) -> bool:
        return self.per_second is not None

    def book(self) -> Slot:
        """Book the next free slot; wait ``slot.wait`` seconds (then ``slot.remaining()``
        more, until it is 0), then call ``slot.sent()``."""
        if self.per_second is None:
            return Slot(self, None, 0.0)
        with self._lock:
            now = self._clock()
            slots = self._slots
            at = now
            after = None
            if len(slots) == slots.maxlen:
                after = slots[0]
                at = max(now, after[0] + self._window + self.margin)
            entry = [at]
            slots.append(entry)
            return Slot(self, entry, at - now, after)

    def _remaining(self, after: list[float]) -> float:
        with self._lock:
            left = after[0] + self._window + self.margin - self._clock()
        return left if left > _RECHECK_TOLERANCE else 0.0

    def reserve(self) -> float:
        """Book the next free slot; return the seconds to wait before using it."""
        return self.book().wait

    def _mark(self, entry: list[float]) -> None:
        with self._lock:
            entry[0] = max(entry[0], self._clock())

    def refused(self) -> None:
        """Gong answered 429 although the sends were paced: widen the margin."""
        if self.per_second is None:
            return
        with self._lock:
            self.margin = min(self.MAX_MARGIN, self.margin * 2 + 0.01)

    def __repr__(self) -> str:
        return f"RateLimiter(per_second={self.per_second!r})"


class DailyBudget:
    """Counts requests per UTC day and refuses once ``per_day`` is spent."""

    def __init__(self, per_day: int | None = 10_000, *, clock: Callable[[], float] = time.time) -> None:
        if per_day is not None and per_day < 0:
            raise ValidationError("per_day", "non_negative", "must be >= 0, or None for no limit")
        self.per_day = per_day
        self._clock = clock
        self._lock = threading.Lock()
        self._day = -1
        self._used = 0

    @classmethod
    def off(cls) -> DailyBudget:
        return cls(None)

    def _roll(self) -> int:
        day = int(self._clock() // _DAY)
        if day != self._day:
            self._day, self._used = day, 0
        return day

    def consume(self) -> None:
        """Take one request from today's budget, or raise ``DailyBudgetExceededError``."""
        if self.per_day is None:
            return
        with self._lock:
            day = self._roll()
            if self._used >= self.per_day:
                raise DailyBudgetExceededError(self.per_day, (day + 1) * _DAY)
            self._used += 1

    @property
    def remaining(self) -> int | None:
        if self.per_day is None:
            return None
        with self._lock:
            self._roll()
            return self.per_day - self._used

    def __repr__(self) -> str:
        return f"DailyBudget(per_day={self.per_day!r}, remaining={self.remaining!r})"
