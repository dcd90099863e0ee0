"""Scorecards, activity, interaction stats and coaching: shapes, paging, errors, and that they add
up to the calls, logs and extensive data the other endpoints show."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from gong_connector.emulator import Emulator

from .conftest import assert_gong_error, basic_client

TZ = ZoneInfo("America/Los_Angeles")
#: Small enough to be quick, big enough that every list has more than one page.
SMALL = {"calls": 300, "users": 12, "workspaces": 2, "page_size": 7}
METRICS = (
    "callsAsHost",
    "callsGaveFeedback",
    "callsRequestedFeedback",
    "callsReceivedFeedback",
    "ownCallsListenedTo",
    "othersCallsListenedTo",
    "callsSharedInternally",
    "callsSharedExternally",
    "callsScorecardsFilled",
    "callsScorecardsReceived",
    "callsAttended",
    "callsCommentsGiven",
    "callsCommentsReceived",
    "callsMarkedAsFeedbackGiven",
    "callsMarkedAsFeedbackReceived",
)

Factory = Callable[..., Emulator]
JSON = dict[str, Any]


@pytest.fixture
def emu(gong_emulator_factory: Factory) -> Emulator:
    return gong_emulator_factory(**SMALL)


# ----- helpers -----------------------------------------------------------------------------------


def walk(api: httpx.Client, method: str, path: str, key: str, body: JSON | None = None) -> list[JSON]:
    """Every item of a paged listing; checks the records block on each page."""
    items: list[JSON] = []
    body = dict(body or {})
    params: JSON = {}
    number = 0
    while True:
        response = api.post(path, json=body) if method == "POST" else api.get(path, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        records = page["records"]
        assert records["currentPageNumber"] == number
        assert records["currentPageSize"] == len(page[key])
        items.extend(page[key])
        if "cursor" not in records:
            assert records["totalRecords"] == len(items)
            return items
        number += 1
        body["cursor"] = params["cursor"] = records["cursor"]


def last_day(emu: Emulator) -> date:
    """The company-time day the generated history ends on."""
    return emu.config.anchor.astimezone(TZ).date()


def window(emu: Emulator, days: int) -> tuple[date, date]:
    """``days`` company days ending with the last day of history: ``(fromDate, toDate)``."""
    end = last_day(emu) + timedelta(days=1)
    return end - timedelta(days=days), end


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=TZ)


def stats_filter(days: tuple[date, date], **extra: Any) -> JSON:
    return {"filter": {"fromDate": str(days[0]), "toDate": str(days[1]), **extra}}


def walk_get(api: httpx.Client, path: str, params: JSON, key: str) -> list[JSON]:
    """Every item of a GET listing, or none when Gong answers an empty one with 404."""
    out: list[JSON] = []
    params = dict(params)
    while True:
        response = api.get(path, params=params)
        if response.status_code == 404 and not out:
            return []
        page = response.json()
        out.extend(page[key])
        if "cursor" not in page["records"]:
            return out
        params["cursor"] = page["records"]["cursor"]


def calls_between(api: httpx.Client, start: datetime, end: datetime) -> list[JSON]:
    params = {"fromDateTime": start.isoformat(), "toDateTime": end.isoformat()}
    return walk_get(api, "/v2/calls", params, "calls")


def extensive(api: httpx.Client, flt: JSON, selector: JSON) -> list[JSON]:
    body: JSON = {"filter": flt, "contentSelector": selector}
    first = api.post("/v2/calls/extensive", json=body)
    if first.status_code == 404:
        return []
    return walk(api, "POST", "/v2/calls/extensive", "calls", body)


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


# ----- scorecard definitions ---------------------------------------------------------------------


def test_scorecard_definitions(api: httpx.Client) -> None:
    body = api.get("/v2/settings/scorecards").json()
    workspaces = {int(w["id"]) for w in api.get("/v2/workspaces").json()["workspaces"]}
    users = {int(u["id"]) for u in walk(api, "GET", "/v2/users", "users")}
    cards = body["scorecards"]
    assert cards and body["requestId"]
    for card in cards:
        assert set(card) == {
            "scorecardId",
            "scorecardName",
            "workspaceId",
            "enabled",
            "updaterUserId",
            "created",
            "updated",
            "questions",
        }
        assert isinstance(card["scorecardId"], int) and card["workspaceId"] in workspaces
        assert card["updaterUserId"] in users and isinstance(card["enabled"], bool)
        assert parse(card["created"]) <= parse(card["updated"])
        assert sum(q["isOverall"] for q in card["questions"]) == 1
        for q in card["questions"]:
            assert isinstance(q["questionId"], int) and isinstance(q["questionRevisionId"], int)
            assert isinstance(q["questionText"], str) and q["questionType"]
            if q["questionType"] == "RANGE":
                assert q["minRange"] < q["maxRange"] and q["answerOptions"] is None
            elif q["answerOptions"] is not None:
                assert all(isinstance(o["id"], int) and o["text"] for o in q["answerOptions"])
    assert len({c["scorecardId"] for c in cards}) == len(cards)
    assert {c["workspaceId"] for c in cards} == workspaces


# ----- answered scorecards -----------------------------------------------------------------------


def test_answered_scorecards_refer_to_real_calls_and_users(api: httpx.Client) -> None:
    answered = walk(api, "POST", "/v2/stats/activity/scorecards", "answeredScorecards", {"filter": {}})
    assert len(answered) > SMALL["page_size"]  # several pages
    users = {u["id"]: u for u in walk(api, "GET", "/v2/users", "users")}
    cards = {c["scorecardId"]: c for c in api.get("/v2/settings/scorecards").json()["scorecards"]}
    for item in answered:
        assert isinstance(item["answeredScorecardId"], int) and isinstance(item["callId"], int)
        call = api.get(f"/v2/calls/{item['callId']}").json()["call"]
        assert call["primaryUserId"] == str(item["reviewedUserId"])  # the host is the one reviewed
        assert item["callStartTime"] == call["started"]
        reviewed = users[str(item["reviewedUserId"])]
        assert reviewed["managerId"] == str(item["reviewerUserId"])  # reviewed by their manager
        card = cards[item["scorecardId"]]
        assert item["scorecardName"] == card["scorecardName"] and card["enabled"]
        assert card["workspaceId"] == int(call["workspaceId"])
        assert parse(item["reviewTime"]) > parse(call["scheduled"])
        assert item["visibilityType"] in ("PUBLIC", "PRIVATE", "OPT_IN_USERS")
        questions = {q["questionId"]: q for q in card["questions"]}
        assert [a["questionId"] for a in item["answers"]] == list(questions)
        for answer in item["answers"]:
            question = questions[answer["questionId"]]
            assert answer["questionRevisionId"] == question["questionRevisionId"]
            assert answer["isOverall"] == question["isOverall"]
            if answer["notApplicable"]:
                assert answer["score"] is None and answer["selectedOptions"] is None
            elif question["questionType"] == "RANGE":
                assert question["minRange"] <= answer["score"] <= question["maxRange"]
            elif question["answerOptions"]:
                options = {str(o["id"]) for o in question["answerOptions"]}
                assert answer["selectedOptions"] and set(answer["selectedOptions"]) <= options
            else:
                assert isinstance(answer["answerText"], str)
    assert len({a["answeredScorecardId"] for a in answered}) == len(answered)


def test_answered_scorecards_filters(api: httpx.Client, emu: Emulator) -> None:
    everything = walk(api, "POST", "/v2/stats/activity/scorecards", "answeredScorecards", {"filter": {}})
    host = Counter(a["reviewedUserId"] for a in everything).most_common(1)[0][0]
    path, key = "/v2/stats/activity/scorecards", "answeredScorecards"
    by_host = walk(api, "POST", path, key, {"filter": {"reviewedUserIds": [str(host)]}})
    assert by_host == [a for a in everything if a["reviewedUserId"] == host]
    card = everything[0]["scorecardId"]
    by_card = walk(api, "POST", path, key, {"filter": {"scorecardIds": [str(card)]}})
    assert by_card == [a for a in everything if a["scorecardId"] == card]
    start, end = window(emu, 40)
    in_days = {"callFromDate": str(start), "callToDate": str(end)}
    by_call = walk(api, "POST", path, key, {"filter": in_days})
    assert by_call == [a for a in everything if midnight(start) <= parse(a["callStartTime"]) < midnight(end)]
    reviewed = {"reviewFromDate": str(start), "reviewToDate": str(end - timedelta(days=3))}
    by_review = walk(api, "POST", path, key, {"filter": reviewed})
    expected = [a for a in everything if midnight(start) <= parse(a["reviewTime"]) < midnight(end - timedelta(days=3))]
    assert by_review == expected and by_review


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({}, "filter"),
        ({"filter": "all"}, "filter"),
        ({"filter": {"callFromDate": "2026/01/01"}}, "callFromDate"),
        ({"filter": {"reviewToDate": "2026-02-30"}}, "reviewToDate"),
        ({"filter": {"reviewedUserIds": "123"}}, "reviewedUserIds"),
        ({"filter": {"scorecardIds": ["card"]}}, "scorecardIds"),
        ({"filter": {}, "cursor": "forged"}, "cursor"),
    ],
)
def test_answered_scorecards_bad_input(api: httpx.Client, body: JSON, fragment: str) -> None:
    assert_gong_error(api.post("/v2/stats/activity/scorecards", json=body), 400, fragment)


def test_no_answered_scorecards_is_empty_by_default_and_404_when_asked(gong_emulator_factory: Factory) -> None:
    nothing = {"filter": {"callFromDate": "2001-01-01", "callToDate": "2001-02-01"}}
    with basic_client(gong_emulator_factory(**SMALL)) as api:
        body = api.post("/v2/stats/activity/scorecards", json=nothing).json()
        assert body["answeredScorecards"] == [] and body["records"]["totalRecords"] == 0
    with basic_client(gong_emulator_factory(empty_results_404=True, **SMALL)) as api:
        assert_gong_error(api.post("/v2/stats/activity/scorecards", json=nothing), 404, "not found")


# ----- activity: day by day, aggregate, by period ------------------------------------------------


def day_by_day(api: httpx.Client, days: tuple[date, date], **extra: Any) -> list[JSON]:
    return walk(api, "POST", "/v2/stats/activity/day-by-day", "usersDetailedActivities", stats_filter(days, **extra))


def test_day_by_day_shape(api: httpx.Client, emu: Emulator) -> None:
    days = window(emu, 20)
    users = day_by_day(api, days)
    assert len(users) > SMALL["page_size"]
    known = {u["id"]: u["emailAddress"] for u in walk(api, "GET", "/v2/users", "users")}
    for user in users:
        assert known[user["userId"]] == user["userEmailAddress"]
        daily = user["userDailyActivityStats"]
        assert len(daily) == 20  # one entry for every day, active or not
        assert any(any(entry[m] for m in METRICS) for entry in daily)  # only users with activity
        for n, entry in enumerate(daily):
            assert set(entry) == {*METRICS, "fromDate", "toDate"}
            assert parse(entry["fromDate"]) == midnight(days[0] + timedelta(days=n))
            assert parse(entry["toDate"]) == midnight(days[0] + timedelta(days=n + 1))
            assert all(isinstance(i, str) and i.isdigit() for m in METRICS for i in entry[m])


def test_hosted_and_attended_calls_are_the_windows_calls(api: httpx.Client, emu: Emulator) -> None:
    days = window(emu, 30)
    hosted: dict[tuple[str, str], set[str]] = defaultdict(set)
    attended: dict[tuple[str, str], set[str]] = defaultdict(set)
    for user in day_by_day(api, days):
        for entry in user["userDailyActivityStats"]:
            hosted[(user["userId"], entry["fromDate"][:10])] |= set(entry["callsAsHost"])
            attended[(user["userId"], entry["fromDate"][:10])] |= set(entry["callsAttended"])
    expected_hosted: dict[tuple[str, str], set[str]] = defaultdict(set)
    expected_attended: dict[tuple[str, str], set[str]] = defaultdict(set)
    for n in range(30):
        day = days[0] + timedelta(days=n)
        calls = calls_between(api, midnight(day), midnight(day + timedelta(days=1)))
        parties = extensive(api, {"callIds": [c["id"] for c in calls]}, {"exposedFields": {"parties": True}})
        for call in parties:
            meta = call["metaData"]
            expected_hosted[(meta["primaryUserId"], str(day))].add(meta["id"])
            for party in call["parties"]:
                if party["userId"] and party["userId"] != meta["primaryUserId"]:
                    expected_attended[(party["userId"], str(day))].add(meta["id"])
    assert sum(len(v) for v in expected_hosted.values()) > 20
    assert {k: v for k, v in hosted.items() if v} == dict(expected_hosted)
    assert {k: v for k, v in attended.items() if v} == dict(expected_attended)


def test_comments_and_listening_match_extensive_data_and_logs(api: httpx.Client, emu: Emulator) -> None:
    days = window(emu, 30)
    start, end = midnight(days[0]), midnight(days[1])
    seen: Counter[tuple[str, str, str]] = Counter()
    for user in day_by_day(api, days):
        for entry in user["userDailyActivityStats"]:
            for metric in ("callsCommentsGiven", "ownCallsListenedTo", "othersCallsListenedTo"):
                for call_id in entry[metric]:
                    seen[(user["userId"], metric, call_id)] += 1
    expected: Counter[tuple[str, str, str]] = Counter()
    # Comments can come a few hours after a call: read the calls from a day earlier.
    flt = {"fromDateTime": (start - timedelta(days=1)).isoformat(), "toDateTime": end.isoformat()}
    for call in extensive(api, flt, {"exposedFields": {"collaboration": {"publicComments": True}}}):
        per_day = {
            (c["commenterUserId"], parse(c["posted"]).astimezone(TZ).date())
            for c in call["collaboration"]["publicComments"]
            if start <= parse(c["posted"]) < end
        }
        for commenter, _day in per_day:
            expected[(commenter, "callsCommentsGiven", call["metaData"]["id"])] += 1
    params = {"logType": "UserCallPlay", "fromDateTime": start.isoformat(), "toDateTime": end.isoformat()}
    plays = walk_get(api, "/v2/logs", params, "logEntries")
    hosts = {c["id"]: c["primaryUserId"] for c in calls_between(api, start - timedelta(days=400), end)}
    per_day_plays = {
        (e["userId"], e["logRecord"]["callId"], parse(e["eventTime"]).astimezone(TZ).date()) for e in plays
    }
    for user_id, call_id, _day in per_day_plays:
        metric = "ownCallsListenedTo" if hosts[call_id] == user_id else "othersCallsListenedTo"
        expected[(user_id, metric, call_id)] += 1
    assert sum(expected.values()) > 10
    assert seen == expected


def test_scorecards_filled_are_the_answered_scorecards(api: httpx.Client, emu: Emulator) -> None:
    days = window(emu, 45)
    answered = walk(
        api,
        "POST",
        "/v2/stats/activity/scorecards",
        "answeredScorecards",
        {"filter": {"reviewFromDate": str(days[0]), "reviewToDate": str(days[1])}},
    )
    filled: Counter[str] = Counter(str(a["reviewerUserId"]) for a in answered)
    received: Counter[str] = Counter(str(a["reviewedUserId"]) for a in answered)
    aggregate = walk(api, "POST", "/v2/stats/activity/aggregate", "usersAggregateActivityStats", stats_filter(days))
    stats = {u["userId"]: u["userAggregateActivityStats"] for u in aggregate}
    assert filled and {u: s["callsScorecardsFilled"] for u, s in stats.items() if s["callsScorecardsFilled"]} == filled
    assert {u: s["callsScorecardsReceived"] for u, s in stats.items() if s["callsScorecardsReceived"]} == received
    for s in stats.values():
        assert s["callsMarkedAsFeedbackGiven"] <= s["callsScorecardsFilled"]


def test_aggregate_counts_the_days_calls(api: httpx.Client, emu: Emulator) -> None:
    days = window(emu, 25)
    response = api.post("/v2/stats/activity/aggregate", json=stats_filter(days))
    assert response.status_code == 200
    first = response.json()
    assert first["timeZone"] == "America/Los_Angeles"
    assert parse(first["fromDateTime"]) == midnight(days[0]) and parse(first["toDateTime"]) == midnight(days[1])
    aggregate = walk(api, "POST", "/v2/stats/activity/aggregate", "usersAggregateActivityStats", stats_filter(days))
    daily = {u["userId"]: u["userDailyActivityStats"] for u in day_by_day(api, days)}
    assert set(daily) == {u["userId"] for u in aggregate}
    for user in aggregate:
        stats = user["userAggregateActivityStats"]
        assert set(stats) == set(METRICS) and all(isinstance(v, int) for v in stats.values())
        for metric in METRICS:
            calls = {i for entry in daily[user["userId"]] for i in entry[metric]}
            assert stats[metric] == len(calls), metric
        # Each hosted call is on one day: the days add up to the total.
        assert stats["callsAsHost"] == sum(len(e["callsAsHost"]) for e in daily[user["userId"]])


@pytest.mark.parametrize("period", ["DAY", "WEEK", "MONTH", "QUARTER", "YEAR"])
def test_aggregate_by_period(api: httpx.Client, emu: Emulator, period: str) -> None:
    days = window(emu, 40)
    body = stats_filter(days) | {"aggregationPeriod": period}
    users = walk(api, "POST", "/v2/stats/activity/aggregate-by-period", "usersAggregateActivity", body)
    totals = {
        u["userId"]: u["userAggregateActivityStats"]
        for u in walk(api, "POST", "/v2/stats/activity/aggregate", "usersAggregateActivityStats", stats_filter(days))
    }
    assert set(totals) == {u["userId"] for u in users}
    for user in users:
        periods = user["userAggregateActivity"]
        starts = [parse(p["fromDate"]) for p in periods]
        ends = [parse(p["toDate"]) for p in periods]
        assert starts[0] == midnight(days[0]) and ends[-1] == midnight(days[1])
        assert starts[1:] == ends[:-1]  # consecutive, no gaps
        for start in starts[1:]:
            local = start.astimezone(TZ)
            if period == "WEEK":
                assert local.weekday() == 0  # weeks start on Monday
            elif period in ("MONTH", "QUARTER", "YEAR"):
                assert local.day == 1
        if period == "DAY":
            assert len(periods) == 40
        assert sum(p["callsAsHost"] for p in periods) == totals[user["userId"]]["callsAsHost"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"filter": {"fromDate": "2026-01-01", "toDate": "2026-01-08"}}, "aggregationPeriod"),
        ({"filter": {"fromDate": "2026-01-01", "toDate": "2026-01-08"}, "aggregationPeriod": "FORTNIGHT"}, "DAY"),
    ],
)
def test_aggregate_by_period_needs_a_known_period(api: httpx.Client, body: JSON, fragment: str) -> None:
    assert_gong_error(api.post("/v2/stats/activity/aggregate-by-period", json=body), 400, fragment)


STATS_PATHS = (
    "/v2/stats/activity/day-by-day",
    "/v2/stats/activity/aggregate",
    "/v2/stats/interaction",
)


@pytest.mark.parametrize("path", STATS_PATHS)
@pytest.mark.parametrize(
    ("flt", "fragment"),
    [
        (None, "filter"),
        ({"toDate": "2026-01-08"}, "fromDate"),
        ({"fromDate": "2026-01-01"}, "toDate"),
        ({"fromDate": "01/01/2026", "toDate": "2026-01-08"}, "fromDate"),
        ({"fromDate": "2026-01-01", "toDate": "2026-01-08", "userIds": "all"}, "userIds"),
        ({"fromDate": "2026-01-01", "toDate": "2026-01-08", "userIds": ["me"]}, "userIds"),
        ({"fromDate": "2026-01-01", "toDate": "2026-01-08", "createdFromDateTime": "yesterday"}, "createdFromDateTime"),
    ],
)
def test_stats_bad_filters(api: httpx.Client, path: str, flt: JSON | None, fragment: str) -> None:
    body = {} if flt is None else {"filter": flt}
    assert_gong_error(api.post(path, json=body), 400, fragment)


def test_user_filters(api: httpx.Client, emu: Emulator) -> None:
    days = window(emu, 30)
    everyone = day_by_day(api, days)
    chosen = [u["userId"] for u in everyone[:3]]
    assert [u["userId"] for u in day_by_day(api, days, userIds=chosen)] == chosen
    users = {u["id"]: u for u in walk(api, "GET", "/v2/users", "users")}
    cut = sorted(parse(u["created"]) for u in users.values())[len(users) // 2]
    later = day_by_day(api, days, createdFromDateTime=cut.isoformat())
    assert later and all(parse(users[u["userId"]]["created"]) >= cut for u in later)
    assert len(later) < len(everyone)


def test_empty_windows_and_date_checks(gong_emulator_factory: Factory) -> None:
    backwards = {"filter": {"fromDate": "2026-01-08", "toDate": "2026-01-01"}}
    future = {"filter": {"fromDate": "2099-01-01", "toDate": "2099-01-08"}}
    emu = gong_emulator_factory(**SMALL)
    with basic_client(emu) as api:
        for path in STATS_PATHS:
            for body in (backwards, future):
                response = api.post(path, json=body)
                assert response.status_code == 200, response.text
                assert response.json()["records"]["totalRecords"] == 0
    with basic_client(gong_emulator_factory(stats_date_checks=True, **SMALL)) as api:
        for path in STATS_PATHS:
            assert_gong_error(api.post(path, json=backwards), 400, "later than")
            assert_gong_error(api.post(path, json=future), 400, "current day")
    with basic_client(gong_emulator_factory(empty_results_404=True, **SMALL)) as api:
        assert_gong_error(api.post("/v2/stats/activity/day-by-day", json=future), 404, "User not found")
        assert_gong_error(api.post("/v2/stats/interaction", json=future), 404, "No stats found")


def test_calls_created_through_the_api_count(api: httpx.Client, emu: Emulator) -> None:
    [call_id] = emu.add_calls(1)
    call = api.get(f"/v2/calls/{call_id}").json()["call"]
    today = parse(call["started"]).astimezone(TZ).date()
    days = (today, today + timedelta(days=1))
    host = [u for u in day_by_day(api, days) if u["userId"] == call["primaryUserId"]]
    assert call_id in host[0]["userDailyActivityStats"][0]["callsAsHost"]


def test_erased_calls_are_not_counted(api: httpx.Client, emu: Emulator) -> None:
    days = window(emu, 30)
    before = walk(api, "POST", "/v2/stats/activity/aggregate", "usersAggregateActivityStats", stats_filter(days))
    calls = calls_between(api, midnight(days[0]), midnight(days[1]))
    outsider = next(
        p["emailAddress"]
        for c in extensive(api, {"callIds": [c["id"] for c in calls]}, {"exposedFields": {"parties": True}})
        for p in c["parties"]
        if p["affiliation"] == "External" and p["emailAddress"]
    )
    api.post("/v2/data-privacy/erase-data-for-email-address", params={"emailAddress": outsider})
    emu.advance_clock(emu.config.erasure_delay)  # Gong erases in the background
    after = walk(api, "POST", "/v2/stats/activity/aggregate", "usersAggregateActivityStats", stats_filter(days))
    hosted = sum(u["userAggregateActivityStats"]["callsAsHost"] for u in after)
    left = len(calls_between(api, midnight(days[0]), midnight(days[1])))
    assert hosted == left < sum(u["userAggregateActivityStats"]["callsAsHost"] for u in before)


# ----- interaction stats -------------------------------------------------------------------------


def test_interaction_stats_average_the_hosts_extensive_statistics(api: httpx.Client, emu: Emulator) -> None:
    days = window(emu, 30)
    response = api.post("/v2/stats/interaction", json=stats_filter(days))
    assert response.json()["timeZone"] == "America/Los_Angeles"
    people = walk(api, "POST", "/v2/stats/interaction", "peopleInteractionStats", stats_filter(days))
    assert len(people) > 1
    start, end = midnight(days[0]), midnight(days[1])
    selector = {"exposedFields": {"interaction": {"personInteractionStats": True, "questions": True}}}
    for person in people[:4]:
        stats = {s["name"]: s["value"] for s in person["personInteractionStats"]}
        assert set(stats) == {
            "Longest Monologue",
            "Longest Customer Story",
            "Interactivity",
            "Patience",
            "Question Rate",
        }
        flt = {"fromDateTime": start.isoformat(), "toDateTime": end.isoformat(), "primaryUserIds": [person["userId"]]}
        calls = extensive(api, flt, selector)
        assert calls
        for name in ("Longest Monologue", "Longest Customer Story", "Interactivity", "Patience"):
            values = [s["value"] for c in calls for s in c["interaction"]["interactionStats"] if s["name"] == name]
            assert stats[name] == round(sum(values) / len(values), 2)
        questions = sum(c["interaction"]["questions"]["companyCount"] for c in calls)
        hours = sum(c["metaData"]["duration"] for c in calls) / 3600
        assert stats["Question Rate"] == round(questions / hours, 2)


# ----- coaching ----------------------------------------------------------------------------------


def test_coaching_lists_the_managers_reports_and_their_calls(api: httpx.Client, emu: Emulator) -> None:
    users = walk(api, "GET", "/v2/users", "users")
    managers = {u["managerId"] for u in users if u["managerId"]}
    workspace = api.get("/v2/workspaces").json()["workspaces"][0]["id"]
    span = {"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z"}
    listed = 0
    for manager in sorted(managers):
        params = {"workspace-id": workspace, "manager-id": manager, **span}
        body = api.get("/v2/coaching", params=params).json()
        [data] = body["coachingData"]
        assert data["manager"]["id"] == manager
        assert set(data["manager"]) == {"id", "emailAddress", "firstName", "lastName", "title"}
        reports = {u["id"] for u in users if u["managerId"] == manager}
        assert {r["report"]["id"] for r in data["directReportsMetrics"]} == reports
        for item in data["directReportsMetrics"]:
            for call_ids in item["metrics"].values():
                for call_id in call_ids:
                    call = api.get(f"/v2/calls/{call_id}").json()["call"]
                    assert call["primaryUserId"] == item["report"]["id"] and call["workspaceId"] == workspace
                    listed += 1
    assert listed


@pytest.mark.parametrize("missing", ["workspace-id", "manager-id", "from", "to"])
def test_coaching_needs_every_parameter(api: httpx.Client, missing: str) -> None:
    params = {"workspace-id": "1", "manager-id": "2", "from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}
    del params[missing]
    assert_gong_error(api.get("/v2/coaching", params=params), 400, missing)


def test_coaching_for_someone_unknown(gong_emulator_factory: Factory) -> None:
    params = {
        "workspace-id": "1",
        "manager-id": "1234567890123456789",
        "from": "2026-01-01T00:00:00Z",
        "to": "2026-02-01T00:00:00Z",
    }
    with basic_client(gong_emulator_factory(**SMALL)) as api:
        assert api.get("/v2/coaching", params=params).json()["coachingData"] == []
        assert_gong_error(api.get("/v2/coaching", params={**params, "from": "soon"}), 400, "from")
    with basic_client(gong_emulator_factory(reference_checks=True, **SMALL)) as api:
        assert_gong_error(api.get("/v2/coaching", params=params), 400, "workspace-id")


# ----- determinism -------------------------------------------------------------------------------


def test_same_seed_same_stats(gong_emulator_factory: Factory) -> None:
    one, two = gong_emulator_factory(**SMALL), gong_emulator_factory(**SMALL)
    other = gong_emulator_factory(**{**SMALL, "seed": 7})
    answers = []
    for emu in (one, two, other):
        with basic_client(emu) as api:
            days = window(emu, 20)
            answers.append(
                (
                    walk(api, "POST", "/v2/stats/activity/scorecards", "answeredScorecards", {"filter": {}}),
                    day_by_day(api, days),
                    walk(api, "POST", "/v2/stats/interaction", "peopleInteractionStats", stats_filter(days)),
                    api.get("/v2/settings/scorecards").json()["scorecards"],
                )
            )
    assert answers[0] == answers[1]
    assert answers[0] != answers[2]
