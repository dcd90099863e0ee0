"""Counters for ``/metrics``, in Prometheus' text exposition format (version 0.0.4).

Written out by hand: a few counters, two gauges read from the inbox and one histogram do
not need a client library. Counters of several receiver processes (``--processes``) live in
shared memory and are added up, so a scrape that reaches any of them sees the totals; the
gauges come from the database.
"""

from __future__ import annotations

import bisect
import mmap
from collections.abc import Mapping

__all__ = ["CONTENT_TYPE", "PROCESS_COUNTERS", "REJECT_REASONS", "Metrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: Seconds: from a quick CRM call to a slow transcript fetch.
HANDLER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


#: Why a request was refused: the label values of gong_trigger_requests_rejected_total.
REJECT_REASONS = (
    "unauthorized",
    "malformed",
    "too_large",
    "body_timeout",
    "unknown_tenant",
    "method",
    "store_unavailable",
    "store_refused",
    "rejected",
)
#: Counted by the server and the process rather than per request; copied in by the trigger.
PROCESS_COUNTERS = (
    "connections_evicted_total",
    "connections_refused_total",
    "connections_header_timeout_total",
    "connections_header_too_large_total",
    "log_lines_suppressed_total",
    "commit_batches_total",
)
_FIELDS = (
    "accepted",
    "duplicates",
    *(f"rejected:{r}" for r in REJECT_REASONS),
    *(f"bucket:{n}" for n in range(len(HANDLER_BUCKETS) + 1)),
    "handler_sum",
    "handler_count",
    "handler_failures",
    *PROCESS_COUNTERS,
)
_INDEX = {name: n for n, name in enumerate(_FIELDS)}


class Metrics:
    """What the receiver's processes have done: events accepted, requests rejected by reason,
    handler runs. Values are doubles in one buffer with a slot per process; each process
    writes its own slot (``Metrics.shared(n)`` before forking, then ``for_process(i)`` in
    each), and ``render`` adds the slots up, so any process answers for all of them."""

    def __init__(self, buffer: mmap.mmap | bytearray | None = None, *, slots: int = 1, slot: int = 0) -> None:
        width = len(_FIELDS)
        self._buffer = buffer if buffer is not None else bytearray(8 * width * slots)
        self._all = memoryview(self._buffer).cast("d")
        self._slots = slots
        self._slot = slot
        self._own = self._all[slot * width : (slot + 1) * width]

    @classmethod
    def shared(cls, processes: int) -> Metrics:
        """Counters in anonymous shared memory, for ``processes`` forked children to share."""
        return cls(mmap.mmap(-1, 8 * len(_FIELDS) * processes), slots=processes)

    def for_process(self, slot: int) -> Metrics:
        return Metrics(self._buffer, slots=self._slots, slot=slot)

    def _total(self, name: str) -> float:
        n, width = _INDEX[name], len(_FIELDS)
        return sum(self._all[k * width + n] for k in range(self._slots))

    @property
    def accepted(self) -> int:
        return int(self._total("accepted"))

    def rejected(self, reason: str) -> int:
        return int(self._total(f"rejected:{reason}"))

    def count_accepted(self, *, duplicate: bool) -> None:
        self._own[0] += 1
        if duplicate:
            self._own[1] += 1

    def count_rejected(self, reason: str) -> None:
        self._own[_INDEX.get(f"rejected:{reason}", _INDEX["rejected:rejected"])] += 1

    def observe_handler(self, seconds: float, *, failed: bool) -> None:
        own = self._own
        own[_INDEX[f"bucket:{bisect.bisect_left(HANDLER_BUCKETS, seconds)}"]] += 1
        own[_INDEX["handler_sum"]] += seconds
        own[_INDEX["handler_count"]] += 1
        if failed:
            own[_INDEX["handler_failures"]] += 1

    def set_process_counter(self, name: str, value: float) -> None:
        """This process's value of one of ``PROCESS_COUNTERS`` (kept by other objects)."""
        self._own[_INDEX[name]] = value

    def render(self, statuses: Mapping[str, int] | None = None) -> str:
        """The exposition text; ``statuses`` are the inbox's counts (None: database down)."""
        t = self._total
        lines = [
            "# HELP gong_trigger_events_accepted_total Webhooks verified and committed (repeats included).",
            "# TYPE gong_trigger_events_accepted_total counter",
            f"gong_trigger_events_accepted_total {t('accepted'):.0f}",
            "# HELP gong_trigger_events_duplicate_total Accepted webhooks that repeated a stored event.",
            "# TYPE gong_trigger_events_duplicate_total counter",
            f"gong_trigger_events_duplicate_total {t('duplicates'):.0f}",
            "# HELP gong_trigger_requests_rejected_total Requests refused, by reason.",
            "# TYPE gong_trigger_requests_rejected_total counter",
            *(f'gong_trigger_requests_rejected_total{{reason="{r}"}} {t(f"rejected:{r}"):.0f}' for r in REJECT_REASONS),
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
            "# HELP gong_trigger_handler_seconds Time to run an event's handlers, one attempt.",
            "# TYPE gong_trigger_handler_seconds histogram",
        ]
        cumulative = 0.0
        for n, bound in enumerate((*HANDLER_BUCKETS, float("inf"))):
            cumulative += t(f"bucket:{n}")
            le = "+Inf" if bound == float("inf") else f"{bound:g}"
            lines.append(f'gong_trigger_handler_seconds_bucket{{le="{le}"}} {cumulative:.0f}')
        lines += [
            f"gong_trigger_handler_seconds_sum {t('handler_sum'):.6f}",
            f"gong_trigger_handler_seconds_count {t('handler_count'):.0f}",
            "# HELP gong_trigger_handler_failures_total Handler attempts that failed.",
            "# TYPE gong_trigger_handler_failures_total counter",
            f"gong_trigger_handler_failures_total {t('handler_failures'):.0f}",
        ]
        for name in PROCESS_COUNTERS:
            lines += [f"# TYPE gong_trigger_{name} counter", f"gong_trigger_{name} {t(name):.0f}"]
        return "\n".join(lines) + "\n"
