"""The coaching streams (scorecards, trackers, answered scorecards, daily activity, interaction
stats) against the emulator: Gong's data exactly, adding up to the calls, with the fewest requests."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from gong_connector import GongClient
from gong_connector.emulator import Emulator
from gong_connector.emulator._timefmt import COMPANY_TZ
from gong_connector.sync import Store, SyncResult, sync
from gong_connector.sync._schema import ACTIVITY_LISTS

from .conftest import count_paths, snapshot

COACHING = "scorecards,trackers,answered_scorecards,daily_activity,interaction_stats"


def at(emu: Emulator, client: GongClient, db: str, now: datetime, **kwargs: Any) -> SyncResult:
    """A sync whose 'now' stays put: stats days are cut at days, so the tests fix the clock."""
    return sync(db, client=client, clock=lambda: now, **kwargs)


def months(lo: date, hi: date) -> list[tuple[date, date]]:
    out, day = [], lo
    while day < hi:
        nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        out.append((day, min(nxt, hi)))
        day = min(nxt, hi)
    return out


def weeks(lo: date, hi: date) -> list[tuple[date, date]]:
    out, day = [], lo - timedelta(days=lo.weekday())
    while day < hi:
        out.append((day, min(day + timedelta(days=7), hi)))
        day += timedelta(days=7)
    return out


def pages(total: int, size: int) -> int:
    return max(1, math.ceil(total / size))


def window_filter(lo: date, hi: date) -> dict[str, Any]:
    return {"filter": {"fromDate": lo.isoformat(), "toDate": hi.isoformat()}}


def all_answered(emu: Emulator, flt: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    body: dict[str, Any] = {"filter": flt}
    while True:
        page = emu.backend.answered_scorecards(body)
        out += page.items
        if page.cursor is None:
            return out
        body = {"filter": flt, "cursor": page.cursor}


def coaching_minimum(emu: Emulator, first_day: date, last_day: date, review_from: date) -> dict[str, int]:
    """The fewest requests: one per definition listing, full pages of answered scorecards,
    one page of users for each month of activity and each week of interaction stats."""
    size = emu.config.page_size
    answered = emu.backend.answered_scorecards({"filter": {"reviewFromDate": review_from.isoformat()}}).total
    return {
        "scorecards": 1,
        "trackers": 1,
        "answered_scorecards": pages(answered, size),
        "daily_activity": sum(
            pages(emu.backend.day_by_day(window_filter(a, b)).total, size) for a, b in months(first_day, last_day)
        ),
        "interaction_stats": sum(
            pages(emu.backend.interaction(window_filter(a, b))[0].total, size) for a, b in weeks(first_day, last_day)
        ),
    }


def rows(store: Store, table: str) -> list[Any]:
    with store.engine.connect() as conn:
        return list(conn.execute(sa.select(store.t(table))))


def test_coaching_streams_are_the_emulators_data(emu: Emulator, client: GongClient, db_url: str) -> None:
    now = emu.backend.clock.now_dt().astimezone(UTC).replace(microsecond=0)
    result = at(emu, client, db_url, now, streams="users,calls," + COACHING)
    store = Store(db_url)
    d = emu.backend.data
    try:
        # Definitions: every scorecard with its questions, every keyword tracker.
        cards = d.scorecards.definitions
        assert {r.scorecard_id for r in rows(store, "scorecards")} == {str(c["scorecardId"]) for c in cards}
        questions = {(r.scorecard_id, r.question_id) for r in rows(store, "scorecard_questions")}
        assert questions == {(str(c["scorecardId"]), str(q["questionId"])) for c in cards for q in c["questions"]}
        trackers = emu.backend.list_trackers(None)["keywordTrackers"]
        assert {r.tracker_id: r.tracker_name for r in rows(store, "trackers")} == {
            t["trackerId"]: t["trackerName"] for t in trackers
        }
        # Answered scorecards: all of them, each about a stored call and a stored user.
        answered = all_answered(emu, {})
        stored = {r.answered_scorecard_id: r for r in rows(store, "answered_scorecards")}
        assert set(stored) == {str(a["answeredScorecardId"]) for a in answered} and stored
        call_ids = {r.id for r in rows(store, "calls")}
        user_ids = {r.id for r in rows(store, "users")}
        assert {r.call_id for r in stored.values()} <= call_ids
        assert {r.reviewed_user_id for r in stored.values()} | {r.reviewer_user_id for r in stored.values()} <= user_ids
        answers = rows(store, "answered_scorecard_answers")
        assert len(answers) == sum(len(a["answers"]) for a in answered)
        assert any(r.score is not None for r in answers) and any(r.selected_options for r in answers)
        # Daily activity adds up to the calls: each call once as its host's, on its company day.
        first = min(r.started for r in rows(store, "calls"))
        first_day, last_day = (first - timedelta(days=1)).date(), (now - timedelta(hours=12)).date()
        hosted = {
            (u, c) for r in rows(store, "user_daily_activity") for u, c in ((r.user_id, c) for c in r.calls_as_host)
        }
        assert hosted == {
            (r.primary_user_id, r.id)
            for r in rows(store, "calls")
            if r.started.astimezone(COMPANY_TZ).date() < last_day
        }
        days = rows(store, "user_daily_activity")
        assert all(any(getattr(r, c) for c in ACTIVITY_LISTS) for r in days), "only days with some activity"
        # Interaction stats: Gong's, week by week.
        stats = {(r.user_id, r.from_date): r for r in rows(store, "user_interaction_stats")}
        expected: dict[tuple[str, date], dict[str, Any]] = {}
        for a, b in weeks(first_day, last_day):
            for item in emu.backend.interaction(window_filter(a, b))[0].items:
                expected[(item["userId"], a)] = {s["name"]: s["value"] for s in item["personInteractionStats"]}
        assert set(stats) == set(expected)
        for key, values in expected.items():
            row = stats[key]
            assert (row.interactivity, row.patience, row.question_rate) == (
                values["Interactivity"],
                values["Patience"],
                values["Question Rate"],
            )
    finally:
        store.close()
    # The fewest requests, and no retries.
    minimum = coaching_minimum(emu, first_day, last_day, (datetime(2000, 1, 1) - timedelta(days=1)).date())
    assert {name: result.streams[name].requests for name in minimum} == minimum


def test_a_run_without_changes_reads_only_the_recent_days(emu: Emulator, client: GongClient, db_url: str) -> None:
    now = emu.backend.clock.now_dt().astimezone(UTC).replace(microsecond=0)
    at(emu, client, db_url, now, streams="calls," + COACHING)
    before = snapshot(db_url)
    emu.clear_requests()
    result = at(emu, client, db_url, now, streams=COACHING)
    assert snapshot(db_url) == before
    # The look-back (2 days) of complete days, from where the last run stopped.
    last_day = (now - timedelta(hours=12)).date()
    first_day = last_day - timedelta(days=2)
    minimum = coaching_minimum(emu, first_day, last_day, (now - timedelta(days=3)).date())
    assert {name: result.streams[name].requests for name in minimum} == minimum
    assert sum(count_paths(emu.requests()).values()) == result.requests


def test_stats_start_at_the_first_stored_call(emu: Emulator, client: GongClient, tmp_path: object) -> None:
    """Nothing is counted before the first call: a first sync does not ask for the years
    before it (an open ``since`` would be a request per empty week since 2000)."""
    db = f"sqlite:///{tmp_path}/first.db"
    now = emu.backend.clock.now_dt().astimezone(UTC).replace(microsecond=0)
    at(emu, client, db, now, streams="calls")
    emu.clear_requests()
    result = at(emu, client, db, now, streams="interaction_stats")
    first = datetime.fromtimestamp(emu.backend.data.start_ts, UTC)
    assert result.requests <= math.ceil((now - first).days / 7) + 3
    # Without stored calls, ``since`` bounds it instead.
    other = f"sqlite:///{tmp_path}/since.db"
    result = at(emu, client, other, now, streams="interaction_stats", since="21d")
    assert 3 <= result.requests <= 5
