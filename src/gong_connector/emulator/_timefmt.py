"""ISO-8601 parsing and formatting as Gong does it: offsets required, company time zone out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

try:
    from zoneinfo import ZoneInfo

    COMPANY_TZ: tzinfo = ZoneInfo("America/Los_Angeles")
    COMPANY_TZ_NAME = "America/Los_Angeles"
except Exception:  # pragma: no cover - machines without tzdata
    COMPANY_TZ = UTC
    COMPANY_TZ_NAME = "UTC"


def parse_iso(value: object, *, offset_required: bool = True) -> datetime | None:
    """A timezone-aware datetime, or ``None`` when ``value`` is not an ISO-8601 date-time.

    Without ``offset_required``, a date-time without an offset is read as UTC.
    """
    if not isinstance(value, str) or len(value) < 10:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if "T" not in text.upper():
        return None
    if parsed.tzinfo is None:
        if offset_required:
            return None
        parsed = parsed.replace(tzinfo=UTC)
    # Years 1 and 9999 have no room for a time-zone shift: written back in the company's
    # time zone they would fall off the calendar. No call is that old or that far ahead.
    return parsed if 1 < parsed.year < 9999 else None


def fmt(ts: float) -> str:
    """Epoch seconds as Gong writes date-times: company-local with offset, no fraction."""
    return datetime.fromtimestamp(int(ts), tz=UTC).astimezone(COMPANY_TZ).isoformat()


def fmt_utc(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def day_start_utc(ts: float) -> float:
    day = datetime.fromtimestamp(ts, tz=UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day.timestamp()


def next_day_utc(ts: float) -> float:
    return day_start_utc(ts) + timedelta(days=1).total_seconds()


def company_midnight(day: date) -> float:
    """Epoch seconds of ``day``'s start in the company's time zone (Gong's stats dates)."""
    return datetime(day.year, day.month, day.day, tzinfo=COMPANY_TZ).timestamp()


def company_date(ts: float) -> date:
    return datetime.fromtimestamp(ts, tz=UTC).astimezone(COMPANY_TZ).date()
