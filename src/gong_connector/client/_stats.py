"""Stats: answered scorecards, interaction stats and what users did in Gong, by day or period.

Gong filters these by calendar day (``YYYY-MM-DD`` in the company's time zone). None of them
declares a ``window`` for the pager to cut: the activity and interaction ones add up over
the whole range, so cutting it would change the answer, and the pager's windows are
date-times where these take days.
"""

# Action bodies are never run: the declaration is the definition (see _define.py).
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from ._define import Body, Cursor, Filter, list_action
from ._kinds import DATE, DATETIME, IDS, Choice
from ._models import DateTimeLike
from ._models_stats import (
    AnsweredScorecard,
    DateLike,
    UserActivity,
    UserDailyActivity,
    UserInteractionStats,
    UserPeriodActivity,
)
from ._paging import Pager

__all__ = ["AGGREGATION_PERIODS", "Stats"]

AGGREGATION_PERIODS = ("DAY", "WEEK", "MONTH", "QUARTER", "YEAR")

FROM_DATE = Filter(DATE, help="First day of the range (inclusive), in the company's time zone.")
TO_DATE = Filter(
    DATE, help="Day after the range (exclusive), in the company's time zone; no later than today.", example="2026-10-08"
)
USER_IDS = Filter(IDS, help="Only these users (Gong ids); every user with activity if left out.")
CREATED_FROM = Filter(
    DATETIME, help="Lower creation-time bound Gong's reference lists for this filter without explaining it."
)
CREATED_TO = Filter(
    DATETIME, help="Upper creation-time bound Gong's reference lists for this filter without explaining it."
)


class Stats:
    """The stats actions, shared by both clients."""

    @list_action(
        "POST",
        "/v2/stats/activity/scorecards",
        scope="api:stats:scorecards",
        items="answeredScorecards",
        in_spec=False,
    )
    def list_answered_scorecards(
        self,
        *,
        call_from_date: Annotated[
            DateLike | None, Filter(DATE, help="Calls from this day on (inclusive); from the first call if left out.")
        ] = None,
        call_to_date: Annotated[
            DateLike | None,
            Filter(
                DATE, help="Calls before this day (exclusive); to the latest call if left out.", example="2026-10-08"
            ),
        ] = None,
        review_from_date: Annotated[
            DateLike | None, Filter(DATE, help="Reviews from this day on (inclusive); from the first if left out.")
        ] = None,
        review_to_date: Annotated[
            DateLike | None,
            Filter(DATE, help="Reviews before this day (exclusive); to the latest if left out.", example="2026-10-08"),
        ] = None,
        reviewed_user_ids: Annotated[
            Sequence[str] | None, Filter(IDS, help="Only scorecards about these users (the calls' hosts).")
        ] = None,
        scorecard_ids: Annotated[
            Sequence[str] | None,
            Filter(IDS, help="Only these scorecards (ids as list-scorecards gives them, as strings)."),
        ] = None,
        cursor: Annotated[str | None, Cursor()] = None,
    ) -> Pager[AnsweredScorecard]:
        """Scorecards reviewers filled in, with every answer, paged lazily.

        Narrowed by the day of the call, the day of the review, the scorecards and the
        reviewed users; dates are calendar days in the company's time zone.
        """

    @list_action(
        "POST",
        "/v2/stats/interaction",
        scope="api:stats:interaction",
        items="peopleInteractionStats",
        in_spec=False,
    )
    def list_interaction_stats(
        self,
        *,
        from_date: Annotated[DateLike, FROM_DATE],
        to_date: Annotated[DateLike, TO_DATE],
        user_ids: Annotated[Sequence[str] | None, USER_IDS] = None,
        created_from_date_time: Annotated[DateTimeLike | None, CREATED_FROM] = None,
        created_to_date_time: Annotated[DateTimeLike | None, CREATED_TO] = None,
        cursor: Annotated[str | None, Cursor()] = None,
    ) -> Pager[UserInteractionStats]:
        """Each user's interaction measures (longest monologue, interactivity, patience,
        question rate...) over a range of days, from calls Gong analysed."""

    @list_action(
        "POST",
        "/v2/stats/activity/day-by-day",
        scope="api:stats:user-actions:detailed",
        items="usersDetailedActivities",
        in_spec=False,
    )
    def list_daily_activity(
        self,
        *,
        from_date: Annotated[DateLike, FROM_DATE],
        to_date: Annotated[DateLike, TO_DATE],
        user_ids: Annotated[Sequence[str] | None, USER_IDS] = None,
        created_from_date_time: Annotated[DateTimeLike | None, CREATED_FROM] = None,
        created_to_date_time: Annotated[DateTimeLike | None, CREATED_TO] = None,
        cursor: Annotated[str | None, Cursor()] = None,
    ) -> Pager[UserDailyActivity]:
        """What each user did, day by day, with the ids of the calls behind each count.

        Only users with some activity in the range are listed.
        """

    @list_action(
        "POST",
        "/v2/stats/activity/aggregate",
        scope="api:stats:user-actions",
        items="usersAggregateActivityStats",
        in_spec=False,
    )
    def list_aggregate_activity(
        self,
        *,
        from_date: Annotated[DateLike, FROM_DATE],
        to_date: Annotated[DateLike, TO_DATE],
        user_ids: Annotated[Sequence[str] | None, USER_IDS] = None,
        created_from_date_time: Annotated[DateTimeLike | None, CREATED_FROM] = None,
        created_to_date_time: Annotated[DateTimeLike | None, CREATED_TO] = None,
        cursor: Annotated[str | None, Cursor()] = None,
    ) -> Pager[UserActivity]:
        """What each user did over a range of days, as counts (calls hosted, attended,
        listened to, shared, commented, scored...)."""

    @list_action(
        "POST",
        "/v2/stats/activity/aggregate-by-period",
        scope="api:stats:user-actions",
        items="usersAggregateActivity",
        in_spec=False,
    )
    def list_activity_by_period(
        self,
        *,
        aggregation_period: Annotated[
            Literal["DAY", "WEEK", "MONTH", "QUARTER", "YEAR"],
            Body(Choice(AGGREGATION_PERIODS), help="Calendar period to count by (weeks start on Monday)."),
        ],
        from_date: Annotated[DateLike, FROM_DATE],
        to_date: Annotated[DateLike, TO_DATE],
        user_ids: Annotated[Sequence[str] | None, USER_IDS] = None,
        created_from_date_time: Annotated[DateTimeLike | None, CREATED_FROM] = None,
        created_to_date_time: Annotated[DateTimeLike | None, CREATED_TO] = None,
        cursor: Annotated[str | None, Cursor()] = None,
    ) -> Pager[UserPeriodActivity]:
        """What each user did, counted per day, week, month, quarter or year of a range.

        Only users with some activity in the range are listed.
        """
