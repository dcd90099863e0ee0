"""The stats actions (beyond the spec) over real HTTP: answered scorecards, interaction
stats and user activity, typed, filtered and paged, on the sync and the async client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from gong_connector.client import (
    ActivityCounts,
    AnsweredScorecard,
    DailyActivity,
    InteractionStat,
    PeriodActivity,
    ScorecardAnswer,
    UserActivity,
    UserDailyActivity,
    UserInteractionStats,
    UserPeriodActivity,
)
from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit
from gong_connector.emulator._timefmt import company_date

from .conftest import Facade, api_requests


@pytest.fixture(scope="module")
def days(shared_emu: Emulator) -> dict[str, str]:
    """The 90 days up to the emulator's today, as the stats take them: the company's day
    (after midnight UTC it is still yesterday there, and strict Gong refuses a later toDate)."""
    today = company_date(shared_emu.backend.clock.now())
    return {"from_date": (today - timedelta(days=90)).isoformat(), "to_date": today.isoformat()}


@pytest.fixture(scope="module")
def small_pages() -> Iterator[Emulator]:
    """An emulator that pages by 5, so a few users make several pages."""
    cfg = EmulatorConfig(seed=3, calls=120, users=17, page_size=5, rate_limit=RateLimit.off(), frozen_clock=True)
    with Emulator(cfg) as emu:
        yield emu


def _sent_filter(emu: Emulator, path: str) -> dict[str, Any]:
    body = [r for r in api_requests(emu) if r["path"] == path][-1]["body"]
    assert isinstance(body, dict)
    found: dict[str, Any] = body["filter"]
    return found


def test_answered_scorecards_are_typed_with_their_answers(ro_api: Facade, shared_emu: Emulator) -> None:
    cards = ro_api.list_answered_scorecards().to_list()
    assert cards and all(isinstance(c, AnsweredScorecard) and not c.problems() for c in cards)
    assert len({c.answered_scorecard_id for c in cards}) == len(cards)
    card = cards[0]
    # Gong's reference types these ids as 64-bit integers: exact Python ints.
    assert isinstance(card.answered_scorecard_id, str) and isinstance(card.call_id, str)  # ids are strings
    assert isinstance(card.call_start_time, datetime) and isinstance(card.review_time, datetime)
    assert card.answers and all(isinstance(a, ScorecardAnswer) for a in card.answers)
    assert _sent_filter(shared_emu, "/v2/stats/activity/scorecards") == {}


def test_answered_scorecards_by_scorecard_and_reviewed_user(ro_api: Facade, shared_emu: Emulator) -> None:
    cards = ro_api.list_answered_scorecards().to_list()
    scorecard, reviewed = cards[0].scorecard_id, cards[0].reviewed_user_id
    only = ro_api.list_answered_scorecards(scorecard_ids=[str(scorecard)]).to_list()
    assert only and {c.scorecard_id for c in only} == {scorecard}
    assert _sent_filter(shared_emu, "/v2/stats/activity/scorecards") == {"scorecardIds": [str(scorecard)]}
    theirs = ro_api.list_answered_scorecards(reviewed_user_ids=[str(reviewed)]).to_list()
    assert theirs and {c.reviewed_user_id for c in theirs} == {reviewed}


def test_answered_scorecards_by_call_and_review_day(ro_api: Facade, shared_emu: Emulator) -> None:
    everything = ro_api.list_answered_scorecards().to_list()
    later = ro_api.list_answered_scorecards(call_from_date=date(2100, 1, 1)).to_list()
    assert later == []
    assert _sent_filter(shared_emu, "/v2/stats/activity/scorecards") == {"callFromDate": "2100-01-01"}
    reviewed = ro_api.list_answered_scorecards(review_from_date="2000-01-01", review_to_date="2100-01-01").to_list()
    assert [c.answered_scorecard_id for c in reviewed] == [c.answered_scorecard_id for c in everything]
    assert _sent_filter(shared_emu, "/v2/stats/activity/scorecards") == {
        "reviewFromDate": "2000-01-01",
        "reviewToDate": "2100-01-01",
    }


def test_interaction_stats_per_user(ro_api: Facade, shared_emu: Emulator, days: dict[str, str]) -> None:
    people = ro_api.list_interaction_stats(**days).to_list()
    assert people and all(isinstance(p, UserInteractionStats) and not p.problems() for p in people)
    stats = people[0].person_interaction_stats
    assert stats and all(isinstance(s, InteractionStat) and isinstance(s.value, int | float) for s in stats)
    assert _sent_filter(shared_emu, "/v2/stats/interaction") == {
        "fromDate": days["from_date"],
        "toDate": days["to_date"],
    }
    one = ro_api.list_interaction_stats(**days, user_ids=[people[0].user_id]).to_list()
    assert [p.user_id for p in one] == [people[0].user_id]


def test_daily_activity_lists_days_with_call_ids(ro_api: Facade, days: dict[str, str]) -> None:
    users = ro_api.list_daily_activity(**days).to_list()
    assert users and all(isinstance(u, UserDailyActivity) and not u.problems() for u in users)
    daily = [d for u in users for d in u.user_daily_activity_stats]
    assert daily and all(isinstance(d, DailyActivity) for d in daily)
    assert all(isinstance(d.from_date, datetime) for d in daily)
    hosted = [c for d in daily for c in d.calls_as_host]
    assert hosted and all(isinstance(c, str) and c.isdigit() for c in hosted)


def test_aggregate_activity_counts(ro_api: Facade, days: dict[str, str]) -> None:
    users = ro_api.list_aggregate_activity(**days).to_list()
    assert users and all(isinstance(u, UserActivity) and not u.problems() for u in users)
    assert len({u.user_id for u in users}) == len(users)
    counts = [u.user_aggregate_activity_stats for u in users]
    assert all(isinstance(c, ActivityCounts) and isinstance(c.calls_as_host, int) for c in counts)
    assert sum(c.calls_as_host or 0 for c in counts if c) > 0


def test_activity_by_period_weekly(ro_api: Facade, shared_emu: Emulator, days: dict[str, str]) -> None:
    users = ro_api.list_activity_by_period(aggregation_period="WEEK", **days).to_list()
    assert users and all(isinstance(u, UserPeriodActivity) and not u.problems() for u in users)
    periods = users[0].user_aggregate_activity
    assert periods and all(isinstance(p, PeriodActivity) and isinstance(p.calls_as_host, int) for p in periods)
    starts = [p.from_date for p in periods]
    assert starts == sorted(starts)  # type: ignore[type-var]
    body = [r for r in api_requests(shared_emu) if r["path"] == "/v2/stats/activity/aggregate-by-period"][-1]["body"]
    assert body["aggregationPeriod"] == "WEEK"


def test_stats_page_across_pages_and_resume(make_api: Callable[..., Facade], small_pages: Emulator) -> None:
    api = make_api(small_pages)
    small_pages.clear_requests()
    today = small_pages.config.anchor.date()
    window = {"from_date": (today - timedelta(days=90)).isoformat(), "to_date": today.isoformat()}
    pages = api.list_aggregate_activity(**window).pages()
    assert len(pages) >= 2 and all(p.cursor for p in pages[:-1]) and pages[-1].cursor is None
    users = [u.user_id for p in pages for u in p.items]
    assert len(users) == len(set(users)) == pages[0].records.total_records
    first = api.list_aggregate_activity(**window).first_page()
    second = api.list_aggregate_activity(**window, cursor=first.cursor).first_page()
    assert [u.user_id for u in first.items + second.items] == users[: len(first.items) + len(second.items)]
    cursors = [r["body"].get("cursor") for r in api_requests(small_pages) if r["path"].endswith("/aggregate")]
    assert cursors[0] is None and all(cursors[1 : len(pages)])  # the cursor goes in the body
