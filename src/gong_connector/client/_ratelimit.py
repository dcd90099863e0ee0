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

from ..errors import DailyBudgetExceededError, ValidationError

__all__ = ["DailyBudget", "RateLimiter"]

_DAY = 86_400.0


class RateLimiter:
    """At most ``per_second`` sends in any sliding one-second window (plus a safety margin)."""

    def __init__(
        self,
        per_second: float | None = 3.0,
        *,
        window: float = 1.0,
        margin: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_second is not None and per_second <= 0:
            raise ValidationError("per_second", "positive", "must be positive, or None for no limit")
        self.per_second = per_second
        if per_second is not None and per_second * window < 1:
            window = 1.0 / per_second  # slower than one per window: one per 1/rate seconds
        self._window = window
        self._margin = margin
        self._clock = clock
        self._lock = threading.Lock()
        burst = max(1, int(per_second * window)) if per_second else 1
        self._slots: deque[float] = deque(maxlen=burst)

    @classmethod
    def off(cls) -> RateLimiter:
        return cls(None)

    @property
    def enabled(self) -> bool:
        return self.per_second is not None

    def reserve(self) -> float:
        """Book the next free slot; return the seconds to wait before using it."""
        if self.per_second is None:
            return 0.0
        with self._lock:
            now = self._clock()
            slots = self._slots
            at = now
            if len(slots) == slots.maxlen:
                at = max(now, slots[0] + self._window + self._margin)
            slots.append(at)
            return at - now

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
