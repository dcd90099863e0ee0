"""Windows: cut when Gong refuses a long one, and the helper that cuts them."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from gong_connector.client import BadRequestError, Page, Pager
from gong_connector.sync._streams import Context, read_calls, split


class RefusesLongWindows:
    """Answers like Gong's GET /v2/calls: a window over 90 days is a 400."""

    def __init__(self) -> None:
        self.windows: list[tuple[datetime, datetime]] = []

    def list_calls_extensive(self, *, from_date_time: datetime, to_date_time: datetime, **_: Any) -> Pager[Any]:
        def fetch(_cursor: str | None) -> Page[Any]:
            if to_date_time - from_date_time > timedelta(days=90):
                raise BadRequestError(
                    400, errors=["The date range between fromDateTime and toDateTime must not exceed 90 days"]
                )
            self.windows.append((from_date_time, to_date_time))
            return Page([], None)

        return Pager(fetch)


def test_a_refused_long_window_is_cut_into_90_day_pieces() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    since = now - timedelta(days=200)
    fake = RefusesLongWindows()
    batches = list(
        read_calls(
            Context(
                client=fake,
                now=now,
                since=since,  # type: ignore[arg-type]
                lookback=timedelta(0),
            )
        )
    )
    assert fake.windows == split(since, now, timedelta(days=90))
    assert len(fake.windows) == 3
    # Each piece commits its own watermark: a crash after one piece resumes after it.
    assert [b.watermarks[0].value for b in batches] == [end for _, end in fake.windows]


def test_split_covers_the_window_without_gaps() -> None:
    a = datetime(2025, 1, 1, tzinfo=UTC)
    b = a + timedelta(days=100, hours=5)
    parts = split(a, b, timedelta(days=30))
    assert parts[0][0] == a and parts[-1][1] == b
    assert all(x[1] == y[0] for x, y in itertools.pairwise(parts))
    assert split(a, b, None) == [(a, b)]
