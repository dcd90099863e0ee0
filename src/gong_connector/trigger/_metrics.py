"""Counters for ``/metrics``, in Prometheus' text exposition format (version 0.0.4).

Written out by hand: a few counters, two gauges read from the inbox and one histogram do
not need a client library. Counters are per process; the gauges come from the database, so
every process reports the same queue.
"""

from __future__ import annotations

import bisect
import threading
from collections import Counter
from collections.abc import Mapping

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: Seconds: from a quick CRM call to a slow transcript fetch.
HANDLER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """What one process has done: events accepted, requests rejected by reason, handler runs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.accepted = 0
        self.duplicates = 0
        self.rejected: Counter[str] = Counter()
        self.handler_failures = 0
        self._buckets = [0] * (len(HANDLER_BUCKETS) + 1)
        self._handler_sum = 0.0
        self._handler_count = 0

    def count_accepted(self, *, duplicate: bool) -> None:
        self.accepted += 1
        self.duplicates += duplicate

    def count_rejected(self, reason: str) -> None:
        self.rejected[reason] += 1

    def observe_handler(self, seconds: float, *, failed: bool) -> None:
        """Handlers run on worker threads, hence the lock."""
        with self._lock:
            self._buckets[bisect.bisect_left(HANDLER_BUCKETS, seconds)] += 1
            self._handler_sum += seconds
            self._handler_count += 1
            self.handler_failures += failed

    def render(self, statuses: Mapping[str, int] | None = None, extra: Mapping[str, int] | None = None) -> str:
        """The exposition text; ``statuses`` are the inbox's counts (None: database down)."""
        lines = [
            "# HELP gong_trigger_events_accepted_total Webhooks verified and committed (repeats included).",
            "# TYPE gong_trigger_events_accepted_total counter",
            f"gong_trigger_events_accepted_total {self.accepted}",
            "# HELP gong_trigger_events_duplicate_total Accepted webhooks that repeated a stored event.",
            "# TYPE gong_trigger_events_duplicate_total counter",
            f"gong_trigger_events_duplicate_total {self.duplicates}",
            "# HELP gong_trigger_requests_rejected_total Requests refused, by reason.",
            "# TYPE gong_trigger_requests_rejected_total counter",
            *(f'gong_trigger_requests_rejected_total{{reason="{r}"}} {n}' for r, n in sorted(self.rejected.items())),
        ]
        if statuses is not None:
            lines += [
                "# HELP gong_trigger_events Events in the inbox by status (pending includes retries waiting).",
                "# TYPE gong_trigger_events gauge",
                *(f'gong_trigger_events{{status="{s}"}} {n}' for s, n in statuses.items()),
                "# HELP gong_trigger_events_pending Events waiting for a handler run.",
                "# TYPE gong_trigger_events_pending gauge",
                f"gong_trigger_events_pending {statuses.get('pending', 0)}",
                "# HELP gong_trigger_events_dead Events whose handlers failed every attempt.",
                "# TYPE gong_trigger_events_dead gauge",
                f"gong_trigger_events_dead {statuses.get('dead', 0)}",
            ]
        lines += [
            "# HELP gong_trigger_inbox_up Whether the inbox database answered this scrape.",
            "# TYPE gong_trigger_inbox_up gauge",
            f"gong_trigger_inbox_up {int(statuses is not None)}",
        ]
        with self._lock:
            buckets, total, count, failures = list(self._buckets), self._handler_sum, self._handler_count, 0
            failures = self.handler_failures
        lines += [
            "# HELP gong_trigger_handler_seconds Time to run an event's handlers, one attempt.",
            "# TYPE gong_trigger_handler_seconds histogram",
        ]
        cumulative = 0
        for bound, n in zip((*HANDLER_BUCKETS, float("inf")), buckets, strict=True):
            cumulative += n
            le = "+Inf" if bound == float("inf") else f"{bound:g}"
            lines.append(f'gong_trigger_handler_seconds_bucket{{le="{le}"}} {cumulative}')
        lines += [
            f"gong_trigger_handler_seconds_sum {total:.6f}",
            f"gong_trigger_handler_seconds_count {count}",
            "# HELP gong_trigger_handler_failures_total Handler attempts that failed.",
            "# TYPE gong_trigger_handler_failures_total counter",
            f"gong_trigger_handler_failures_total {failures}",
        ]
        for name, value in sorted((extra or {}).items()):
            lines += [f"# TYPE gong_trigger_{name} counter", f"gong_trigger_{name} {value}"]
        return "\n".join(lines) + "\n"
