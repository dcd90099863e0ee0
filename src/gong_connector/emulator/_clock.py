"""Emulator time: real time plus an offset, optionally frozen.

Tests move time forward instead of sleeping: cursor expiry, token expiry, processing
delays and rate-limit windows all read this clock.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class Clock:
    def __init__(self, start: float | None = None, *, frozen: bool = False) -> None:
        self._lock = threading.Lock()
        self._advanced = 0.0
        self._offset = 0.0 if start is None else start - time.time()
        self._frozen_at: float | None = (start if start is not None else time.time()) if frozen else None

    def ticking(self) -> float:
        """Monotonic seconds plus every ``advance``: time that runs even while frozen.

        Windows that real clients wait out (the per-second rate limit) use this, so a
        frozen clock cannot starve a client that paces itself, while tests can still jump.
        """
        return time.monotonic() + self._advanced

    def now(self) -> float:
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return time.time() + self._offset

    def now_dt(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=UTC)

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._advanced += seconds
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds
        return self.now()

    def freeze(self, frozen: bool = True) -> None:
        with self._lock:
            if frozen and self._frozen_at is None:
                self._frozen_at = time.time() + self._offset
            elif not frozen and self._frozen_at is not None:
                self._offset = self._frozen_at - time.time()
                self._frozen_at = None

    def reset(self, *, frozen: bool) -> None:
        """Back to real time (frozen at this instant if ``frozen``)."""
        with self._lock:
            self._advanced = 0.0
            self._offset = 0.0
            self._frozen_at = time.time() if frozen else None

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None
