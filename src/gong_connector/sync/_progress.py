"""A rich progress bar per stream whose estimate knows the rate limit.

Rich's own ETA extrapolates the recent speed, which is wrong at the start of a rate-limited
sync (the first requests go out in a burst). Here the time left is the requests left divided
by the slower of the observed rate and the client's limit.
"""

from __future__ import annotations

import threading
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TaskID, TextColumn
from rich.text import Text

__all__ = ["RichProgress", "estimate_seconds"]


def estimate_seconds(remaining: float, observed_rate: float | None, limit: float | None) -> float | None:
    """Seconds for ``remaining`` requests at the observed rate, never faster than ``limit``."""
    if remaining <= 0:
        return 0.0
    rates = [r for r in (observed_rate, limit) if r]
    return remaining / min(rates) if rates else None


class _EtaColumn(ProgressColumn):
    def __init__(self, limit: float | None) -> None:
        super().__init__()
        self.limit = limit

    def render(self, task: Task) -> Text:
        if task.finished:
            return Text(f"done in {task.finished_time or task.elapsed or 0:.1f}s", style="green")
        total = task.total or 0
        secs = estimate_seconds(total - task.completed, task.speed, self.limit)
        return Text("eta ?" if secs is None else f"eta {secs:,.0f}s", style="cyan")


class RichProgress:
    """``SyncProgress`` drawn with rich; use as a context manager around ``sync()``."""

    def __init__(self, rate_limit: float | None, console: Console | None = None) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            TextColumn("{task.completed:>5.0f}/{task.total:<5.0f} requests"),
            TextColumn("{task.fields[records]:>9,} records"),
            _EtaColumn(rate_limit),
            console=console,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}
        self._records: dict[str, int] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()

    def start(self, stream: str, requests: int) -> None:
        with self._lock:
            self._records[stream] = 0
            self._tasks[stream] = self._progress.add_task(stream, total=max(0, requests), records=0)

    def add_total(self, stream: str, requests: int) -> None:
        with self._lock:
            task = self._tasks[stream]
            current = self._progress.tasks[task].total or 0
            self._progress.update(task, total=max(0, current + requests))

    def advance(self, stream: str, requests: int, records: int) -> None:
        with self._lock:
            self._records[stream] += records
            task = self._tasks[stream]
            t = self._progress.tasks[task]
            if (t.total or 0) < t.completed + requests:
                self._progress.update(task, total=t.completed + requests)
            self._progress.update(task, advance=requests, records=self._records[stream])

    def finish(self, stream: str) -> None:
        with self._lock:
            task = self._tasks[stream]
            done = self._progress.tasks[task].completed
            self._progress.update(task, total=done, completed=done)
