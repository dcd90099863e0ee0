"""Per-company rate limits and injected faults: state and rules, no HTTP."""

from __future__ import annotations

import math
import random
import threading
from collections import deque
from dataclasses import dataclass, field

from ._clock import Clock
from ._config import RateLimit
from ._timefmt import day_start_utc, next_day_utc


class RateLimiter:
    """Gong's two limits: requests in any one-second window, and requests per UTC day."""

    def __init__(self, limit: RateLimit, clock: Clock) -> None:
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._recent: deque[float] = deque()
        self._day = 0.0
        self._day_count = 0

    def configure(self, limit: RateLimit) -> None:
        with self._lock:
            self.limit = limit
            self._recent.clear()

    def reset(self) -> None:
        """Start today's count and the one-second window afresh."""
        with self._lock:
            self._recent.clear()
            self._day_count = 0

    @property
    def used_today(self) -> int:
        return self._day_count

    def acquire(self) -> int | None:
        """Count a request; ``None`` if allowed, else the seconds for ``Retry-After``."""
        now = self._clock.now()
        with self._lock:
            today = day_start_utc(now)
            if today != self._day:
                self._day, self._day_count = today, 0
            if self.limit.per_day is not None and self._day_count >= self.limit.per_day:
                return max(1, math.ceil(next_day_utc(now) - now))
            if self.limit.per_second is not None:
                per_window = max(1, math.floor(self.limit.per_second))
                window = per_window / self.limit.per_second  # 1 s for whole rates
                tick = self._clock.ticking()  # runs while the clock is frozen, jumps with it
                while self._recent and self._recent[0] <= tick - window:
                    self._recent.popleft()
                if len(self._recent) >= per_window:
                    return max(1, math.ceil(self._recent[0] + window - tick))
                self._recent.append(tick)
            self._day_count += 1
            return None


@dataclass
class Faults:
    """What to break, for tests of retries and resilience."""

    error_rate: float = 0.0  # share of requests answered with a 5xx
    error_statuses: tuple[int, ...] = (500, 502, 503)
    rate_limit_rate: float = 0.0  # share of requests answered with 429
    drop_rate: float = 0.0  # share of requests whose connection is cut mid-response
    latency_ms: int = 0  # added before answering
    fail_next: list[str] = field(default_factory=list)  # queued: "500", "503", "429", "drop", "html"
    retry_after: int = 1
    seed: int = 0


class FaultInjector:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.faults = Faults()
        self._rng = random.Random(0)
        self.injected = 0

    def configure(self, faults: Faults) -> None:
        with self._lock:
            self.faults = faults
            self._rng = random.Random(faults.seed)

    def clear(self) -> None:
        self.configure(Faults())

    def reset(self) -> None:
        """No faults, and none injected so far."""
        with self._lock:
            self.faults = Faults()
            self._rng = random.Random(0)
            self.injected = 0

    def pick(self) -> str | None:
        """The fault for this request: ``"500"``..., ``"429"``, ``"drop"``, ``"html"`` or ``None``."""
        with self._lock:
            f = self.faults
            chosen: str | None = None
            if f.fail_next:
                chosen = f.fail_next.pop(0)
            else:
                roll = self._rng.random()
                if roll < f.error_rate:
                    chosen = str(self._rng.choice(f.error_statuses))
                elif roll < f.error_rate + f.rate_limit_rate:
                    chosen = "429"
                elif roll < f.error_rate + f.rate_limit_rate + f.drop_rate:
                    chosen = "drop"
            if chosen:
                self.injected += 1
            return chosen
