"""Stats and coaching: answered scorecards, users' activity and interaction stats, managers' coaching.

Everything here is counted from the calls as the other endpoints show them (see
``_activity``): an answered scorecard names a real call, its host and the host's manager;
a day's ``callsAsHost`` are the calls ``GET /v2/calls`` lists for that day and host; a
user's interaction stats average the host statistics extensive data gives for the calls
they hosted. Stats days are days in the company's time zone.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ._activity import MAX_LAG, METRICS, OTHER_LAG, Act, created_acts, generated_acts, listening_acts, review_acts
from ._calls import CallIndex
from ._checks import (
    check_id,
    filter_object,
    id_list,
    one_of,
    optional_date,
    optional_time,
    required_date,
    time_ms,
)
from ._dataset import host_interaction
from ._directory import public_user
from ._errors import bad_request, not_found
from ._paging import Page, fingerprint, keyed_page
from ._scorecards import MAX_REVIEW_DELAY, Review
from ._timefmt import COMPANY_TZ_NAME, company_date, company_midnight, fmt

JSON = dict[str, Any]

PERIODS = ("DAY", "WEEK", "MONTH", "QUARTER", "YEAR")
#: The host statistics Gong's interaction stats name, and the extensive statistics they average.
INTERACTION_STATS = ("Longest Monologue", "Longest Customer Story", "Interactivity", "Patience")
#: Coaching metric names (guessed) and the act of the manager each one lists calls for.
COACHING_METRICS = (
    ("callsListenedTo", "othersCallsListenedTo"),
    ("callsAttended", "callsAttended"),
    ("callsCommentsGiven", "callsCommentsGiven"),
    ("callsScorecardsFilled", "callsScorecardsFilled"),
    ("callsGaveFeedback", "callsGaveFeedback"),
    ("callsMarkedAsFeedbackGiven", "callsMarkedAsFeedbackGiven"),
)
EMPTY_ANSWERED = "Answered scorecards not found"
EMPTY_ACTIVITY = "User not found"
EMPTY_INTERACTION = "No stats found for the specified period"
ACT_CACHE_SIZE = 8
#: Windows with more acts than this are rebuilt for each page rather than kept.
ACT_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class UserWindow:
    """Gong's ``MultipleUsersWithDates`` filter: company-time days and which users."""

    from_day: date
    to_day: date
    user_ids: tuple[str, ...] | None
    created_from: float | None
    created_to: float | None

    @property
    def start(self) -> float:
        return company_midnight(self.from_day)

    @property
    def end(self) -> float:
        return max(self.start, company_midnight(self.to_day))

    def days(self) -> list[date]:
        count = max(0, (self.to_day - self.from_day).days)
        return [self.from_day + timedelta(days=n) for n in range(count)]

    def as_dict(self) -> JSON:
        return {k: str(val) for k, val in self.__dict__.items() if val is not None}


def _next_period(day: date, period: str) -> date:
    if period == "DAY":
        return day + timedelta(days=1)
    if period == "WEEK":  # Gong's weeks start on Monday
        return day + timedelta(days=7 - day.weekday())
    if period == "MONTH":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    if period == "QUARTER":
        first = (day.month - 1) // 3 * 3 + 1
        return date(day.year + (first + 3 > 12), (first + 2) % 12 + 1, 1)
    return date(day.year + 1, 1, 1)


def periods(from_day: date, to_day: date, period: str) -> list[tuple[date, date]]:
    """Calendar periods covering ``from_day`` up to ``to_day``, cut to the range at both ends."""
    out = []
    day = from_day
    while day < to_day:
        stop = min(_next_period(day, period), to_day)
        out.append((day, stop))
        day = stop
    return out


def _midnight(day: date | None) -> float | None:
    return None if day is None else company_midnight(day)


def _distinct_calls(acts: Iterable[Act]) -> dict[str, list[str]]:
    """Per metric, the calls acted on, each once, in the order of the first act."""
    out: dict[str, dict[str, None]] = {m: {} for m in METRICS}
    for a in acts:
        out[a.metric][a.call_id] = None
    return {m: list(ids) for m, ids in out.items()}


#: Longest stats window the emulator answers, in days (ten years).
MAX_STATS_DAYS = 3660


class Stats(CallIndex):
    _act_cache: OrderedDict[tuple[float, float, int], list[Act]]
    _answered_counts: dict[tuple[str, int], int]

    def _load(self) -> None:
        super()._load()
        self._act_cache = OrderedDict()
        self._answered_counts = {}

    def empty_check(self, page: Page, message: str) -> Page:
        """Gong lists a 404 for these lists without saying when: only with ``empty_results_404``."""
        if not page.items and page.page_number == 0 and self.config.empty_results_404:
            raise not_found(message)
        return page

    # ----- acts -------------------------------------------------------------------------------

    def acts(self, start: float, end: float) -> list[Act]:
        """Every act between ``start`` and ``end``, by time.

        Built outside the lock from a snapshot of what the API changed (a long window at
        100,000 calls takes seconds); kept for the next pages unless it is large.
        """
        lo_ms, end_ms = int((start - MAX_LAG) * 1000), int(end * 1000)
        with self.lock:
            key = (start, end, self.calls_version)
            cached = self._act_cache.get(key)
            if cached is not None:
                self._act_cache.move_to_end(key)
                return cached
            data = self.data
            deleted = frozenset(self.deleted_calls)
            created = [
                self.created[call_key[1]].record
                for call_key in self.processed_keys
                if lo_ms <= call_key[0] < end_ms and call_key[1] not in deleted
            ]
        acts: list[Act] = []
        if end > start:
            # Calls older than OTHER_LAG can only add a late review.
            split = data.index_at_or_after(int((start - OTHER_LAG) * 1000))
            for i in range(data.index_at_or_after(lo_ms), data.index_at_or_after(end_ms)):
                if deleted and data.call_ids.encode(i) in deleted:
                    continue
                made = generated_acts(data, i) if i >= split else review_acts(data, i)
                acts.extend(a for a in made if start <= a.at < end)
            for rec in created:
                acts.extend(a for a in created_acts(data, rec) if start <= a.at < end)
            acts.extend(listening_acts(data, start, end, lambda i: data.call_ids.encode(i) not in deleted))
            acts.sort(key=lambda a: a.at)
        if len(acts) <= ACT_CACHE_LIMIT:
            with self.lock:
                self._act_cache[key] = acts
                while len(self._act_cache) > ACT_CACHE_SIZE:
                    self._act_cache.popitem(last=False)
        return acts

    # ----- POST /v2/stats/activity/scorecards -------------------------------------------------

    def answered_scorecards(self, body: JSON) -> Page:
        flt = filter_object(body)
        call_from, call_to = optional_date(flt, "callFromDate"), optional_date(flt, "callToDate")
        review_from, review_to = optional_date(flt, "reviewFromDate"), optional_date(flt, "reviewToDate")
        reviewed = id_list(flt, "reviewedUserIds")
        cards = id_list(flt, "scorecardIds")
        data = self.data
        bounds = {
            "cf": _midnight(call_from),
            "ct": _midnight(call_to),
            "rf": _midnight(review_from),
            "rt": _midnight(review_to),
        }
        # Calls that can match: reviews come at most MAX_REVIEW_DELAY after their call.
        lo, hi = 0, data.n_calls
        if bounds["cf"] is not None:
            lo = max(lo, data.index_at_or_after(int(bounds["cf"] * 1000)))
        if bounds["rf"] is not None:
            lo = max(lo, data.index_at_or_after(int((bounds["rf"] - MAX_REVIEW_DELAY) * 1000)))
        if bounds["ct"] is not None:
            hi = min(hi, data.index_at_or_after(int(bounds["ct"] * 1000)))
        if bounds["rt"] is not None:
            hi = min(hi, data.index_at_or_after(int(bounds["rt"] * 1000)))

        with self.lock:
            deleted = frozenset(self.deleted_calls)
            version = self.calls_version

        def match(i: int) -> Review | None:
            review = data.scorecards.review_of(i)
            if review is None or (deleted and review.call_id in deleted):
                return None
            if bounds["rf"] is not None and review.at < bounds["rf"]:
                return None
            if bounds["rt"] is not None and review.at >= bounds["rt"]:
                return None
            if reviewed is not None and review.host_id not in reviewed:
                return None
            if cards is not None and str(review.scorecard["scorecardId"]) not in cards:
                return None
            return review

        filters = {k: val for k, val in bounds.items() if val is not None} | {"u": reviewed, "s": cards}
        fp = fingerprint("answered-scorecards", filters)
        start, page_number = lo, 0
        if body.get("cursor") is not None:
            position, page_number = self.cursors.decode(
                body["cursor"], "answered-scorecards", fp, bound_to_filter=self.config.cursor_bound_to_filter
            )
            start = max(lo, int(position) + 1)
        # Counting reads every candidate call (a second at 100,000): once per filter and change.
        total = self._answered_counts.get((fp, version))
        if total is None:
            total = sum(1 for i in range(lo, hi) if match(i))
            if len(self._answered_counts) > 64:
                self._answered_counts.clear()
            self._answered_counts[(fp, version)] = total
        items: list[JSON] = []
        last = None
        more = False
        for i in range(start, hi):
            review = match(i)
            if review is None:
                continue
            if len(items) == self.config.page_size:
                more = True
                break
            items.append(data.scorecards.answered(review, data.call(i).meta["started"]))
            last = i
        cursor = (
            self.cursors.encode("answered-scorecards", fp, last, page_number + 1) if more and last is not None else None
        )
        return self.empty_check(Page(items, total, page_number, cursor), EMPTY_ANSWERED)

    # ----- users and windows ------------------------------------------------------------------

    def user_window(self, body: JSON) -> UserWindow:
        flt = filter_object(body)
        strict_time = self.config.require_utc_offset
        window = UserWindow(
            from_day=required_date(flt, "fromDate"),
            to_day=required_date(flt, "toDate"),
            user_ids=id_list(flt, "userIds"),
            created_from=optional_time(flt, "createdFromDateTime", offset_required=strict_time),
            created_to=optional_time(flt, "createdToDateTime", offset_required=strict_time),
        )
        # The emulator's own bound, not Gong's: a record holds an entry for every day of the
        # window, and a window of centuries would hold up every request and then the memory.
        if (window.to_day - window.from_day).days > MAX_STATS_DAYS or window.to_day.year > 2999:
            raise bad_request(f"The emulator answers stats windows of at most {MAX_STATS_DAYS} days, before 3000")
        if self.config.stats_date_checks:
            if window.to_day <= window.from_day:
                raise bad_request("filter.toDate must be later than filter.fromDate")
            if window.to_day > company_date(self.clock.now()):
                raise bad_request("filter.toDate must not be after the current day")
        return window

    def _window_users(self, window: UserWindow) -> list[JSON]:
        out = []
        for user in self.data.users:
            if window.user_ids is not None and user["id"] not in window.user_ids:
                continue
            if window.created_from is not None and user["_created"] < window.created_from:
                continue
            if window.created_to is not None and user["_created"] >= window.created_to:
                continue
            out.append(user)
        return out

    def _acts_by_user(self, window: UserWindow) -> tuple[list[JSON], dict[str, list[Act]]]:
        """The window's users with any act in it (by index), and their acts; call without the lock."""
        by_user: dict[str, list[Act]] = {}
        for a in self.acts(window.start, window.end):
            by_user.setdefault(a.user_id, []).append(a)
        return [u for u in self._window_users(window) if u["id"] in by_user], by_user

    def _user_page(
        self, kind: str, window: UserWindow, body: JSON, users: list[JSON], render: Callable[[JSON], JSON]
    ) -> Page:
        fp = fingerprint(kind, window.as_dict() | {"extra": body.get("aggregationPeriod")})
        return keyed_page(
            self.cursors,
            kind,
            fp,
            [u["_index"] for u in users],
            lambda n: render(users[n]),
            body.get("cursor"),
            self.config.page_size,
            bound_to_filter=self.config.cursor_bound_to_filter,
        )

    # ----- POST /v2/stats/activity/day-by-day, /aggregate, /aggregate-by-period ---------------

    def day_by_day(self, body: JSON) -> Page:
        window = self.user_window(body)
        days = window.days()
        starts = [company_midnight(d) for d in days] + [window.end]
        users, by_user = self._acts_by_user(window)
        # Most user-days are empty: their bounds and empty lists are made once per request.
        bounds = [{"fromDate": fmt(starts[k]), "toDate": fmt(starts[k + 1])} for k in range(len(days))]
        nothing: dict[str, list[str]] = {m: [] for m in METRICS}

        def render(user: JSON) -> JSON:
            per_day: list[list[Act]] = [[] for _ in days]
            n = 0
            for a in by_user[user["id"]]:
                while a.at >= starts[n + 1]:
                    n += 1
                per_day[n].append(a)
            return {
                "userId": user["id"],
                "userEmailAddress": user["emailAddress"],
                "userDailyActivityStats": [
                    (_distinct_calls(acts) if acts else nothing) | bounds[k] for k, acts in enumerate(per_day)
                ],
            }

        page = self._user_page("day-by-day", window, body, users, render)
        return self.empty_check(page, EMPTY_ACTIVITY)

    def aggregate(self, body: JSON) -> tuple[Page, JSON]:
        window = self.user_window(body)
        users, by_user = self._acts_by_user(window)

        def render(user: JSON) -> JSON:
            counts = {m: len(ids) for m, ids in _distinct_calls(by_user[user["id"]]).items()}
            return {
                "userId": user["id"],
                "userEmailAddress": user["emailAddress"],
                "userAggregateActivityStats": counts,
            }

        page = self._user_page("aggregate", window, body, users, render)
        return self.empty_check(page, EMPTY_ACTIVITY), self._window_times(window)

    def aggregate_by_period(self, body: JSON) -> Page:
        period = one_of(body.get("aggregationPeriod"), "aggregationPeriod", PERIODS)
        window = self.user_window(body)
        spans = [(company_midnight(a), company_midnight(b)) for a, b in periods(window.from_day, window.to_day, period)]
        users, by_user = self._acts_by_user(window)

        def render(user: JSON) -> JSON:
            acts = by_user[user["id"]]
            items = []
            for start, end in spans:
                counts = _distinct_calls(a for a in acts if start <= a.at < end)
                items.append({m: len(ids) for m, ids in counts.items()} | {"fromDate": fmt(start), "toDate": fmt(end)})
            return {"userId": user["id"], "userEmailAddress": user["emailAddress"], "userAggregateActivity": items}

        page = self._user_page("aggregate-by-period", window, body, users, render)
        return self.empty_check(page, EMPTY_ACTIVITY)

    @staticmethod
    def _window_times(window: UserWindow) -> JSON:
        return {"timeZone": COMPANY_TZ_NAME, "fromDateTime": fmt(window.start), "toDateTime": fmt(window.end)}

    # ----- POST /v2/stats/interaction ---------------------------------------------------------

    def _call_interaction(self, call_id: str) -> tuple[list[JSON], JSON, int]:
        """A hosted call's host statistics, question counts and length, without building it."""
        index = self.data.call_index(call_id)
        if index is not None:
            key = self.data.call_seed_key(index)
            duration = self.data.call_duration(index)
        else:
            rec = self.created[call_id].record
            key, duration = rec.seed_key, max(0, int(rec.meta.get("duration") or 0))
        stats, questions = host_interaction(key)
        return stats, questions, duration

    def interaction(self, body: JSON) -> tuple[Page, JSON]:
        window = self.user_window(body)
        acts = self.acts(window.start, window.end)
        with self.lock:  # created calls are read while rendering
            hosted: dict[str, list[str]] = {}
            for a in acts:
                if a.metric == "callsAsHost":
                    hosted.setdefault(a.user_id, []).append(a.call_id)
            users = [u for u in self._window_users(window) if u["id"] in hosted]

            def render(user: JSON) -> JSON:
                sums = dict.fromkeys(INTERACTION_STATS, 0.0)
                questions, seconds = 0, 0
                calls = hosted[user["id"]]
                for call_id in calls:
                    stats, counts, duration = self._call_interaction(call_id)
                    for stat in stats:
                        if stat["name"] in sums:
                            sums[stat["name"]] += stat["value"]
                    questions += counts["companyCount"]
                    seconds += duration
                values = [{"name": name, "value": round(total / len(calls), 2)} for name, total in sums.items()]
                rate = round(questions / (seconds / 3600), 2) if seconds else 0.0
                return {
                    "userId": user["id"],
                    "userEmailAddress": user["emailAddress"],
                    "personInteractionStats": [*values, {"name": "Question Rate", "value": rate}],
                }

            page = self._user_page("interaction", window, body, users, render)
        return self.empty_check(page, EMPTY_INTERACTION), self._window_times(window)

    # ----- GET /v2/coaching -------------------------------------------------------------------

    def coaching(self, workspace: str | None, manager: str | None, from_text: str | None, to_text: str | None) -> JSON:
        for name, value in (("workspace-id", workspace), ("manager-id", manager), ("from", from_text), ("to", to_text)):
            if value is None:
                raise bad_request(f"{name} is required")
        assert workspace is not None and manager is not None
        check_id(workspace, "workspace-id")
        check_id(manager, "manager-id")
        strict_time = self.config.require_utc_offset
        start = time_ms(from_text, "from", offset_required=strict_time) / 1000
        end = time_ms(to_text, "to", offset_required=strict_time) / 1000
        if self.config.stats_date_checks and end <= start:
            raise bad_request("to must be later than from")
        data = self.data
        boss = data.users_by_id.get(manager)
        if self.config.reference_checks:
            if all(ws["id"] != workspace for ws in data.workspaces):
                raise bad_request(f"workspace-id {workspace} does not exist")
            if boss is None or boss["_role"] == "avatar":
                raise bad_request(f"manager-id {manager} is not a Gong user")
        if boss is None:
            return {"coachingData": []}
        reports = [u for u in data.users if u["managerId"] == manager]
        report_ids = {u["id"] for u in reports}
        metrics: dict[str, dict[str, dict[str, None]]] = {u["id"]: {} for u in reports}
        for a in self.acts(start, end):
            if a.user_id == manager and a.host_id in report_ids and a.workspace_id == workspace:
                metrics[a.host_id].setdefault(a.metric, {})[a.call_id] = None
        return {
            "coachingData": [
                {
                    "manager": _coaching_user(boss),
                    "directReportsMetrics": [
                        {
                            "report": _coaching_user(u),
                            "metrics": {name: list(metrics[u["id"]].get(act, {})) for name, act in COACHING_METRICS},
                        }
                        for u in reports
                    ],
                }
            ]
        }


def _coaching_user(user: JSON) -> JSON:
    shown = public_user(user)
    return {k: shown[k] for k in ("id", "emailAddress", "firstName", "lastName", "title")}
