"""What Gong's stats endpoints send: answered scorecards, interaction stats and user activity.

Lazy, tolerant views (see ``_record.py``). Gong's reference types the scorecard, call and
user ids of an answered scorecard as 64-bit integers (the other stats send user ids as
strings); they read as Python ints, which are exact at any size.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeAlias

from ._record import GongModel

__all__ = [
    "ActivityCounts",
    "AnsweredScorecard",
    "DailyActivity",
    "DateLike",
    "InteractionStat",
    "PeriodActivity",
    "ScorecardAnswer",
    "UserActivity",
    "UserDailyActivity",
    "UserInteractionStats",
    "UserPeriodActivity",
]

#: A calendar-day input: a ``date`` or ``YYYY-MM-DD`` (Gong reads it in the company's time zone).
DateLike: TypeAlias = str | date


class ScorecardAnswer(GongModel):
    """One question's answer in an answered scorecard."""

    question_id: str | None
    question_revision_id: str | None
    is_overall: bool | None
    score: int | None
    answer_text: str | None
    not_applicable: bool | None
    selected_options: list[str]


class AnsweredScorecard(GongModel):
    """A scorecard a reviewer filled in for one call."""

    __key__ = ("answered_scorecard_id",)

    answered_scorecard_id: str | None
    scorecard_id: str | None
    scorecard_name: str | None
    call_id: str | None
    call_start_time: datetime | str | None
    reviewed_user_id: str | None
    reviewer_user_id: str | None
    review_time: datetime | str | None
    visibility_type: str | None
    answers: list[ScorecardAnswer]


class InteractionStat(GongModel):
    """One interaction measure (``Interactivity``, ``Patience``, ``Question Rate``...)."""

    name: str | None
    value: float | None


class UserInteractionStats(GongModel):
    """A user's interaction measures over the requested days."""

    __key__ = ("user_id",)

    user_id: str | None
    user_email_address: str | None
    person_interaction_stats: list[InteractionStat]


class ActivityCounts(GongModel):
    """How many calls a user hosted, attended, listened to, shared, commented, scored..."""

    calls_as_host: int | None
    calls_gave_feedback: int | None
    calls_requested_feedback: int | None
    calls_received_feedback: int | None
    own_calls_listened_to: int | None
    others_calls_listened_to: int | None
    calls_shared_internally: int | None
    calls_shared_externally: int | None
    calls_scorecards_filled: int | None
    calls_scorecards_received: int | None
    calls_attended: int | None
    calls_comments_given: int | None
    calls_comments_received: int | None
    calls_marked_as_feedback_given: int | None
    calls_marked_as_feedback_received: int | None


class UserActivity(GongModel):
    """A user's activity counts over the whole requested period."""

    __key__ = ("user_id",)

    user_id: str | None
    user_email_address: str | None
    user_aggregate_activity_stats: ActivityCounts | None


class PeriodActivity(ActivityCounts):
    """Activity counts for one day, week, month, quarter or year of the requested range."""

    from_date: datetime | str | None
    to_date: datetime | str | None


class UserPeriodActivity(GongModel):
    """A user's activity counts, one entry per period of the requested range."""

    __key__ = ("user_id",)

    user_id: str | None
    user_email_address: str | None
    user_aggregate_activity: list[PeriodActivity]


class DailyActivity(GongModel):
    """One day of a user's activity: the ids of the calls behind each count."""

    calls_as_host: list[str]
    calls_gave_feedback: list[str]
    calls_requested_feedback: list[str]
    calls_received_feedback: list[str]
    own_calls_listened_to: list[str]
    others_calls_listened_to: list[str]
    calls_shared_internally: list[str]
    calls_shared_externally: list[str]
    calls_attended: list[str]
    calls_comments_given: list[str]
    calls_comments_received: list[str]
    calls_marked_as_feedback_given: list[str]
    calls_marked_as_feedback_received: list[str]
    calls_scorecards_filled: list[str]
    calls_scorecards_received: list[str]
    from_date: datetime | str | None
    to_date: datetime | str | None


class UserDailyActivity(GongModel):
    """A user's activity, day by day."""

    __key__ = ("user_id",)

    user_id: str | None
    user_email_address: str | None
    user_daily_activity_stats: list[DailyActivity]
