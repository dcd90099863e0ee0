"""Scorecards: their definitions in each workspace, and the answers reviewers gave on calls.

Whether a generated call was reviewed, by whom, when and on which scorecard is a hash of
its index, and its answers are drawn from the seed, so nothing is stored and a page of
answered scorecards costs what its calls cost. A call is reviewed by its host's manager,
one hour to three days after it, and never after the end of the generated history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _vocab as v
from ._dataset import Dataset, _rng
from ._ids import IdCodec, stable_hash
from ._timefmt import fmt

JSON = dict[str, Any]

#: Share of generated calls with an answered scorecard, in percent.
REVIEWED_PERCENT = 20
#: The latest a review comes after its call, in seconds.
MAX_REVIEW_DELAY = 3 * 86_400
#: The score range of ``RANGE`` questions.
SCORE_RANGE = (1, 5)
VISIBILITIES = ("PUBLIC",) * 8 + ("PRIVATE", "OPT_IN_USERS")


@dataclass(frozen=True)
class Review:
    """One answered scorecard, before its answers are drawn."""

    index: int  # the generated call
    call_id: str
    scorecard: JSON
    host_id: str
    reviewer_id: str
    at: float
    #: The reviewer also pressed "Mark as reviewed" (stats count it separately).
    marked: bool


class Scorecards:
    def __init__(self, data: Dataset) -> None:
        self.data = data
        seed = data.seed
        self._ids = IdCodec(seed, "scorecard")
        self._question_ids = IdCodec(seed, "scorecard-question")
        self._revision_ids = IdCodec(seed, "scorecard-question-revision")
        self._answer_ids = IdCodec(seed, "answered-scorecard")
        self.definitions = self._make_definitions()
        self.enabled_by_workspace: dict[str, list[JSON]] = {}
        for card in self.definitions:
            if card["enabled"]:
                self.enabled_by_workspace.setdefault(str(card["workspaceId"]), []).append(card)

    def _make_definitions(self) -> list[JSON]:
        data = self.data
        editors = [u for u in data.users if u["_role"] in ("head", "manager")] or data.users
        cards = []
        for w, workspace in enumerate(data.workspaces):
            for t, (name, questions) in enumerate(v.SCORECARDS):
                k = w * len(v.SCORECARDS) + t
                rng = _rng(data.seed, "scorecard", k)
                created = data.start_ts - rng.randrange(30, 400) * 86_400
                updated = created + rng.randrange(0, 30) * 86_400
                cards.append(
                    {
                        "scorecardId": int(self._ids.encode(k)),
                        "scorecardName": name,
                        "workspaceId": int(workspace["id"]),
                        # The SDR scorecard is in use only in the first workspace.
                        "enabled": t != 2 or w == 0,
                        "updaterUserId": int(editors[rng.randrange(len(editors))]["id"]),
                        "created": fmt(created),
                        "updated": fmt(updated),
                        "questions": [
                            self._question(k, q, text, kind, guide, options)
                            for q, (text, kind, guide, options) in enumerate(questions)
                        ],
                    }
                )
        return cards

    def _question(self, k: int, q: int, text: str, kind: str, guide: str, options: tuple[str, ...]) -> JSON:
        ranged = kind == "RANGE"
        return {
            "questionId": int(self._question_ids.encode(k * 16 + q)),
            "questionRevisionId": int(self._revision_ids.encode(k * 16 + q)),
            "questionText": text,
            "isOverall": q == 0,
            "questionType": kind,
            "answerGuide": guide or None,
            "minRange": SCORE_RANGE[0] if ranged else None,
            "maxRange": SCORE_RANGE[1] if ranged else None,
            "answerOptions": [{"id": n + 1, "text": o} for n, o in enumerate(options)] if options else None,
        }

    # ----- reviews of generated calls ---------------------------------------------------------

    def review_of(
        self, i: int, *, key_ms: int | None = None, workspace: str | None = None, host: JSON | None = None
    ) -> Review | None:
        """The answered scorecard of generated call ``i``, if it has one (cheap: no call is built).

        ``key_ms``, ``workspace`` and ``host``, when the caller has them, save recomputing them.
        """
        data = self.data
        h = stable_hash(data.seed, "review", i)
        if h % 100 >= REVIEWED_PERCENT:
            return None
        cards = self.enabled_by_workspace.get(workspace if workspace is not None else data.workspace_of(i))
        if not cards:
            return None
        at = (key_ms if key_ms is not None else data.key_ms(i)) / 1000 + 3600 + (h >> 8) % (MAX_REVIEW_DELAY - 3600)
        if at > data.end_ts:
            return None
        host = host if host is not None else data.primary_rep_of(i)
        reviewer = host["managerId"] or data.users[0]["id"]
        return Review(
            index=i,
            call_id=data.call_ids.encode(i),
            scorecard=cards[(h >> 40) % len(cards)],
            host_id=str(host["id"]),
            reviewer_id=str(reviewer),
            at=at,
            marked=(h >> 56) % 2 == 0,
        )

    def answered(self, review: Review, call_started: str) -> JSON:
        """Gong's ``AnsweredScorecard`` for a review, its answers drawn from the seed."""
        rng = _rng(self.data.seed, "answers", review.index)
        answers = []
        for question in review.scorecard["questions"]:
            kind = question["questionType"]
            skipped = not question["isOverall"] and rng.random() < 0.08
            score: int | None = None
            text: str | None = None
            selected: list[str] | None = None
            if not skipped:
                options = [str(o["id"]) for o in question["answerOptions"] or []]
                if kind == "RANGE":
                    score = rng.randint(*SCORE_RANGE)
                elif kind == "SINGLE_CHOICE":
                    selected = [rng.choice(options)]
                elif kind == "MULTIPLE_CHOICE":
                    selected = sorted(rng.sample(options, rng.randint(1, len(options))), key=int)
                else:
                    text = rng.choice(v.SCORECARD_NOTES)
            answers.append(
                {
                    "questionId": question["questionId"],
                    "questionRevisionId": question["questionRevisionId"],
                    "isOverall": question["isOverall"],
                    "score": score,
                    "answerText": text,
                    "notApplicable": skipped,
                    "selectedOptions": selected,
                }
            )
        return {
            "answeredScorecardId": int(self._answer_ids.encode(review.index)),
            "scorecardId": review.scorecard["scorecardId"],
            "scorecardName": review.scorecard["scorecardName"],
            "callId": int(review.call_id),
            "callStartTime": call_started,
            "reviewedUserId": int(review.host_id),
            "reviewerUserId": int(review.reviewer_id),
            "reviewTime": fmt(review.at),
            "visibilityType": VISIBILITIES[stable_hash(self.data.seed, "visibility", review.index) % len(VISIBILITIES)],
            "answers": answers,
        }
