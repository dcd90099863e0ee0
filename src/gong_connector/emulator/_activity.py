"""What users did with calls, and when: the acts Gong's activity stats and coaching count.

Every act comes from something another endpoint shows, so the stats add up to it: hosting
and attending from a call's parties (``GET /v2/calls``, extensive ``parties``), comments
from its public comments (extensive ``collaboration``), listening from ``UserCallPlay`` log
entries (``GET /v2/logs``), scorecards and "mark as reviewed" from answered scorecards
(``/v2/stats/activity/scorecards``). Feedback requests, feedback and shares, which no
endpoint shows, are hashes of the call. Nothing is stored: acts are rebuilt per window.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ._dataset import CallRecord, Dataset, comment_plan
from ._ids import stable_hash
from ._scorecards import MAX_REVIEW_DELAY

JSON = dict[str, Any]

#: Gong's activity fields, in the order of its ``AggregateActivity``.
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
#: The latest an act comes after its call's time: a review, three days on, is the last.
MAX_LAG = MAX_REVIEW_DELAY + 86_400
#: The latest any other act comes: feedback, a day on. Older calls can only add reviews.
OTHER_LAG = 2 * 86_400


@dataclass(frozen=True, slots=True)
class Act:
    at: float  # epoch seconds
    user_id: str
    metric: str
    call_id: str
    host_id: str
    workspace_id: str


def generated_acts(data: Dataset, i: int) -> list[Act]:
    """Everything done with generated call ``i`` (listening aside: that is in the logs).

    Each fact about the call is computed once here: stats read every call of a window.
    """
    key_ms = data.key_ms(i)
    t = key_ms / 1000
    call_id = data.call_ids.encode(i)
    workspace = data.workspace_of(i)
    host = data.primary_rep_of(i)
    internal_only = data.is_internal_only(i)
    people = data.internal_users_of(i, host, internal_only)
    host_id = str(host["id"])

    def act(at: float, user: str, metric: str) -> Act:
        return Act(at, user, metric, call_id, host_id, workspace)

    acts = [act(t, host_id, "callsAsHost")]
    acts += [act(t, str(u["id"]), "callsAttended") for u in people[1:]]
    acts += _comment_acts(data, data.call_seed_key(i), key_ms, host_id, act)
    review = data.scorecards.review_of(i, key_ms=key_ms, workspace=workspace, host=host)
    if review is not None:
        acts.append(act(review.at, review.reviewer_id, "callsScorecardsFilled"))
        acts.append(act(review.at, host_id, "callsScorecardsReceived"))
        if review.marked:
            acts.append(act(review.at, review.reviewer_id, "callsMarkedAsFeedbackGiven"))
            acts.append(act(review.at, host_id, "callsMarkedAsFeedbackReceived"))
    h = stable_hash(data.seed, "activity", i)
    manager = host.get("managerId")
    if h % 100 < 15:
        acts.append(act(t + 2 * 3600, host_id, "callsRequestedFeedback"))
        if manager and (h >> 8) % 100 < 60:
            acts.append(act(t + 86_400, str(manager), "callsGaveFeedback"))
            acts.append(act(t + 86_400, host_id, "callsReceivedFeedback"))
    if (h >> 16) % 100 < 12:
        acts.append(act(t + 3 * 3600, host_id, "callsSharedInternally"))
    if not internal_only and (h >> 24) % 100 < 6:
        acts.append(act(t + 4 * 3600, host_id, "callsSharedExternally"))
    return acts


def review_acts(data: Dataset, i: int) -> list[Act]:
    """Only the review of generated call ``i``: all a call more than ``OTHER_LAG`` old can add."""
    review = data.scorecards.review_of(i)
    if review is None:
        return []
    workspace = data.workspace_of(i)
    acts = [
        Act(review.at, review.reviewer_id, "callsScorecardsFilled", review.call_id, review.host_id, workspace),
        Act(review.at, review.host_id, "callsScorecardsReceived", review.call_id, review.host_id, workspace),
    ]
    if review.marked:
        acts.append(
            Act(review.at, review.reviewer_id, "callsMarkedAsFeedbackGiven", review.call_id, review.host_id, workspace)
        )
        acts.append(
            Act(review.at, review.host_id, "callsMarkedAsFeedbackReceived", review.call_id, review.host_id, workspace)
        )
    return acts


def _comment_acts(
    data: Dataset, seed_key: str, key_ms: int, host_id: str, act: Callable[[float, str, str], Act]
) -> list[Act]:
    out = []
    for posted, commenter, _ in comment_plan(data.users, seed_key, key_ms):
        out.append(act(posted, str(commenter["id"]), "callsCommentsGiven"))
        if commenter["id"] != host_id:  # one's own comment is not feedback received
            out.append(act(posted, host_id, "callsCommentsReceived"))
    return out


def created_acts(data: Dataset, rec: CallRecord) -> list[Act]:
    """Hosting, attending and comments on a call created through the API."""
    t = rec.key_ms / 1000
    host_id = str(rec.meta.get("primaryUserId"))
    workspace = str(rec.meta.get("workspaceId"))

    def act(at: float, user: str, metric: str) -> Act:
        return Act(at, user, metric, rec.id, host_id, workspace)

    acts = [act(t, host_id, "callsAsHost")]
    attendees = dict.fromkeys(p.user_id for p in rec.parties if p.user_id and p.user_id != host_id)
    acts += [act(t, str(u), "callsAttended") for u in attendees]
    acts += _comment_acts(data, rec.seed_key, rec.key_ms, host_id, act)
    return acts


def listening_acts(data: Dataset, start: float, end: float, visible: Callable[[int], bool]) -> Iterator[Act]:
    """Plays of generated calls in ``UserCallPlay`` log entries between ``start`` and ``end``."""
    lo = data.log_index_at_or_after("UserCallPlay", int(start * 1000))
    hi = data.log_index_at_or_after("UserCallPlay", int(end * 1000))
    for k in range(lo, hi):
        user, i = data.log_actor("UserCallPlay", k)
        if i is None or not visible(i):
            continue
        host_id = str(data.primary_rep_of(i)["id"])
        metric = "ownCallsListenedTo" if host_id == user["id"] else "othersCallsListenedTo"
        at = data.log_time_ms("UserCallPlay", k) / 1000
        yield Act(at, str(user["id"]), metric, data.call_ids.encode(i), host_id, data.workspace_of(i))
