"""The coaching streams: scorecards and trackers (definitions), answered scorecards, users'
daily activity and interaction stats.

Definitions are full listings (one request each), kept like users and workspaces. Answered
scorecards follow the review day. Activity and interaction stats are counted by Gong per
calendar day in the company's time zone, which the API does not tell: windows are cut with a
day to spare on each side of UTC, and a day is stored once it is over everywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..client import AnsweredScorecard, Pager, Scorecard, Tracker, UserDailyActivity, UserInteractionStats
from ..client._record import as_text
from ._batch import Batch, Row, Watermark
from ._schema import ACTIVITY_LISTS
from ._streams import Context, Stream, _when, pages, prefetch, sound, window

__all__ = [
    "COACHING_STREAMS",
    "INTERACTION_STATS",
    "activity_pieces",
    "read_answered_scorecards",
    "read_daily_activity",
    "read_interaction_stats",
    "read_scorecards",
    "read_trackers",
    "stats_days",
    "stats_weeks",
]

log = logging.getLogger("gong_connector.sync")

#: Gong's interaction stats by name, and the column each one is stored in.
INTERACTION_STATS = {
    "Longest Monologue": "longest_monologue",
    "Longest Customer Story": "longest_customer_story",
    "Interactivity": "interactivity",
    "Patience": "patience",
    "Question Rate": "question_rate",
}
#: Company time zones run from UTC-12 to UTC+14: a UTC moment is within a day of the company's.
_ZONE_SLACK = timedelta(days=1)
#: Gong refuses a stats window ending after the company's current day; 12 hours before now is
#: never later than it, whatever the time zone.
_DAY_DONE = timedelta(hours=12)


def _id(value: Any) -> str | None:
    """An id as text: Gong sends these ids as 64-bit numbers, stored as text to join others."""
    return as_text(value)


def _ids(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [t for t in (as_text(v) for v in value) if t is not None]


def _day_mark(day: date) -> datetime:
    """A stats watermark: everything before ``day`` (company days) is stored."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _company_day(value: Any) -> date | None:
    """The day of Gong's ``fromDate`` (a date-time with the company's offset), as the company counts it."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip()).date()
    except ValueError:
        return None


# ----------------------------------------------------------------------------- definitions


def scorecard_rows(s: Scorecard, batch: Batch) -> None:
    raw = s.raw
    sid = _id(raw.get("scorecardId"))
    batch.add(
        "scorecards",
        [
            {
                "scorecard_id": sid,
                "scorecard_name": s.scorecard_name,
                "workspace_id": _id(raw.get("workspaceId")),
                "enabled": s.enabled,
                "updater_user_id": _id(raw.get("updaterUserId")),
                "created": _when(s.created),
                "updated": _when(s.updated),
            }
        ],
    )
    batch.add(
        "scorecard_questions",
        [
            {
                "scorecard_id": sid,
                "position": n,
                "question_id": _id(q.raw.get("questionId")),
                "question_revision_id": _id(q.raw.get("questionRevisionId")),
                "question_text": q.question_text,
                "is_overall": q.is_overall,
                "question_type": q.question_type,
                "answer_guide": q.answer_guide,
                "min_range": q.min_range,
                "max_range": q.max_range,
                "answer_options": q.raw.get("answerOptions"),
            }
            for n, q in enumerate(s.questions)
        ],
    )


def tracker_row(t: Tracker) -> Row:
    raw = t.raw
    return {
        "tracker_id": _id(raw.get("trackerId")),
        "tracker_name": t.tracker_name,
        "workspace_id": _id(raw.get("workspaceId")),
        "language_keywords": raw.get("languageKeywords"),
        "affiliation": t.affiliation,
        "part_of_question": t.part_of_question,
        "said_at": t.said_at,
        "said_at_interval": t.said_at_interval,
        "said_at_unit": t.said_at_unit,
        "said_in_topics": raw.get("saidInTopics"),
        "said_in_call_parts": raw.get("saidInCallParts"),
        "filter_query": t.filter_query,
        "created": _when(t.created),
        "creator_user_id": _id(raw.get("creatorUserId")),
        "updated": _when(t.updated),
        "updater_user_id": _id(raw.get("updaterUserId")),
    }


def read_scorecards(ctx: Context) -> Iterator[Batch]:
    batch = Batch()
    for page in pages(ctx, "scorecards", lambda _c: ctx.client.list_scorecards()):
        batch.requests += 1
        for card in sound(page.items, lambda s: _id(s.raw.get("scorecardId")), "scorecards"):
            scorecard_rows(card, batch)
    ids = {r["scorecard_id"] for r in batch.rows.get("scorecards", [])}
    batch.keep_only["scorecards"] = ("scorecard_id", ids)
    batch.keep_only["scorecard_questions"] = ("scorecard_id", ids)
    batch.replace.append(("scorecard_questions", "scorecard_id", sorted(ids)))
    yield batch


def read_trackers(ctx: Context) -> Iterator[Batch]:
    batch = Batch()
    for page in pages(ctx, "trackers", lambda _c: ctx.client.list_trackers()):
        batch.requests += 1
        batch.add(
            "trackers", [tracker_row(t) for t in sound(page.items, lambda t: _id(t.raw.get("trackerId")), "trackers")]
        )
    batch.keep_only["trackers"] = ("tracker_id", {r["tracker_id"] for r in batch.rows.get("trackers", [])})
    yield batch


# ----------------------------------------------------------------------------- answered scorecards


def answered_rows(a: AnsweredScorecard, batch: Batch) -> str:
    raw = a.raw
    aid = _id(raw.get("answeredScorecardId"))
    assert aid is not None, "only sound answers reach here"
    batch.add(
        "answered_scorecards",
        [
            {
                "answered_scorecard_id": aid,
                "scorecard_id": _id(raw.get("scorecardId")),
                "scorecard_name": a.scorecard_name,
                "call_id": _id(raw.get("callId")),
                "call_start_time": _when(a.call_start_time),
                "reviewed_user_id": _id(raw.get("reviewedUserId")),
                "reviewer_user_id": _id(raw.get("reviewerUserId")),
                "review_time": _when(a.review_time),
                "visibility_type": a.visibility_type,
            }
        ],
    )
    batch.add(
        "answered_scorecard_answers",
        [
            {
                "answered_scorecard_id": aid,
                "position": n,
                "question_id": _id(x.raw.get("questionId")),
                "question_revision_id": _id(x.raw.get("questionRevisionId")),
                "is_overall": x.is_overall,
                "score": x.score,
                "answer_text": x.answer_text,
                "not_applicable": x.not_applicable,
                "selected_options": x.raw.get("selectedOptions"),
            }
            for n, x in enumerate(a.answers)
        ],
    )
    return aid


def read_answered_scorecards(ctx: Context) -> Iterator[Batch]:
    """Scorecards reviewed since the watermark (less the look-back), to now: the review day is
    the filter, with no end (Gong's "to the latest"), so no day of the company's is cut short."""
    span = window(ctx, "answered_scorecards")
    if span is None:
        return
    start, end = span
    first_day = (start - _ZONE_SLACK).date()

    def make(cursor: str | None) -> Pager[AnsweredScorecard]:
        return ctx.client.list_answered_scorecards(review_from_date=first_day, cursor=cursor)

    for page in prefetch(pages(ctx, "answered_scorecards", make)):
        batch = Batch(requests=1)
        found = sound(page.items, lambda a: _id(a.raw.get("answeredScorecardId")), "answered_scorecards")
        ids = [answered_rows(a, batch) for a in found]
        batch.replace.append(("answered_scorecard_answers", "answered_scorecard_id", ids))
        if page.cursor is None:
            batch.watermarks.append(Watermark("answered_scorecards", "", end))
        yield batch


# ----------------------------------------------------------------------------- activity and interaction


def stats_days(ctx: Context, stream: str) -> tuple[date, date] | None:
    """Company days ``[first, last)`` a stats stream reads: from its watermark less the
    look-back, or on a first sync from the first stored call (nothing is counted before it;
    without stored calls, from ``since``); up to the last day that is over everywhere."""
    mark = ctx.watermark(stream, "")
    if mark is None:
        first = ctx.first_call()
        start = ctx.since if first is None else max(ctx.since, first)
        lo = (start - _ZONE_SLACK).date()
    else:
        lo = max(ctx.since - _ZONE_SLACK, mark - ctx.lookback).date()
    hi = (ctx.now - _DAY_DONE).date()
    return (lo, hi) if lo < hi else None


def activity_pieces(lo: date, hi: date) -> list[tuple[date, date]]:
    """``[lo, hi)`` cut at month starts: a page holds every day of its window for 100 users,
    so a month keeps it to a few MB (the whole history in one window would not)."""
    out = []
    day = lo
    while day < hi:
        month = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        out.append((day, min(month, hi)))
        day = out[-1][1]
    return out


def stats_weeks(lo: date, hi: date) -> list[tuple[date, date]]:
    """Weeks from Monday (as Gong's periods count them) covering ``[lo, hi)``; the last may be
    cut short at ``hi``, and is read again until it is whole."""
    out = []
    day = lo - timedelta(days=lo.weekday())
    while day < hi:
        out.append((day, min(day + timedelta(days=7), hi)))
        day += timedelta(days=7)
    return out


def activity_rows(u: UserDailyActivity, batch: Batch) -> None:
    """One row per day with any activity (Gong lists every day of the window for each user)."""
    raw = u.raw
    user_id = _id(raw.get("userId"))
    days = raw.get("userDailyActivityStats")
    rows: list[Row] = []
    for d in days if isinstance(days, list) else ():
        if not isinstance(d, dict):
            continue
        day = _company_day(d.get("fromDate"))
        if day is None:
            log.warning("daily_activity: a day of user %s without a readable fromDate was skipped", user_id)
            continue
        lists = {name: _ids(d.get(_CAMEL[name])) for name in ACTIVITY_LISTS}
        if any(lists.values()):
            rows.append({"user_id": user_id, "day": day, "user_email_address": u.user_email_address, **lists})
    batch.add("user_daily_activity", rows)


_CAMEL = {name: name.split("_")[0] + "".join(w.title() for w in name.split("_")[1:]) for name in ACTIVITY_LISTS}


def read_daily_activity(ctx: Context) -> Iterator[Batch]:
    span = stats_days(ctx, "daily_activity")
    if span is None:
        return
    pieces = activity_pieces(*span)
    ctx.progress.add_total("daily_activity", len(pieces) - 1)
    for lo, hi in pieces:
        batch = Batch()

        def make(cursor: str | None, a: date = lo, b: date = hi) -> Pager[UserDailyActivity]:
            return ctx.client.list_daily_activity(from_date=a, to_date=b, cursor=cursor)

        for page in pages(ctx, "daily_activity", make):
            batch.requests += 1
            for u in sound(page.items, lambda u: _id(u.raw.get("userId")), "daily_activity"):
                activity_rows(u, batch)
        # Every user with activity in the window was listed: its days are replaced whole.
        days = [lo + timedelta(days=n) for n in range((hi - lo).days)]
        batch.replace.append(("user_daily_activity", "day", days))
        batch.watermarks.append(Watermark("daily_activity", "", _day_mark(hi)))
        yield batch


def interaction_row(u: UserInteractionStats, lo: date, hi: date) -> Row:
    row: Row = {
        "user_id": _id(u.raw.get("userId")),
        "from_date": lo,
        "to_date": hi,
        "user_email_address": u.user_email_address,
        "stats": u.raw.get("personInteractionStats"),
    }
    row.update(dict.fromkeys(INTERACTION_STATS.values()))
    for stat in u.person_interaction_stats:
        column = INTERACTION_STATS.get(stat.name or "")
        if column is not None:
            row[column] = stat.value
    return row


def read_interaction_stats(ctx: Context) -> Iterator[Batch]:
    """One request per week (per 100 users): the measures are averages over the window, so
    they cannot be added up from days; a week is the grain stored."""
    span = stats_days(ctx, "interaction_stats")
    if span is None:
        return
    weeks = stats_weeks(*span)
    ctx.progress.add_total("interaction_stats", len(weeks) - 1)
    for lo, hi in weeks:
        batch = Batch()

        def make(cursor: str | None, a: date = lo, b: date = hi) -> Pager[UserInteractionStats]:
            return ctx.client.list_interaction_stats(from_date=a, to_date=b, cursor=cursor)

        for page in pages(ctx, "interaction_stats", make):
            batch.requests += 1
            found = sound(page.items, lambda u: _id(u.raw.get("userId")), "interaction_stats")
            batch.add("user_interaction_stats", [interaction_row(u, lo, hi) for u in found])
        batch.replace.append(("user_interaction_stats", "from_date", [lo]))
        batch.watermarks.append(Watermark("interaction_stats", "", _day_mark(hi)))
        yield batch


COACHING_STREAMS: dict[str, Stream] = {
    s.name: s
    for s in (
        Stream(
            "scorecards",
            "list_scorecards",
            ("scorecards", "scorecard_questions"),
            ("scorecard_id",),
            None,
            read_scorecards,
        ),
        Stream("trackers", "list_trackers", ("trackers",), ("tracker_id",), None, read_trackers),
        Stream(
            "answered_scorecards",
            "list_answered_scorecards",
            ("answered_scorecards", "answered_scorecard_answers"),
            ("answered_scorecard_id",),
            "reviewTime",
            read_answered_scorecards,
        ),
        Stream(
            "daily_activity",
            "list_daily_activity",
            ("user_daily_activity",),
            ("user_id", "day"),
            "fromDate",
            read_daily_activity,
            child_of="calls",
        ),
        Stream(
            "interaction_stats",
            "list_interaction_stats",
            ("user_interaction_stats",),
            ("user_id", "from_date"),
            "fromDate",
            read_interaction_stats,
            child_of="calls",
        ),
    )
}
