"""Company settings Gong shares: scorecards, keyword trackers, coaching metrics, and the
allowed origins of embedded integrations.

Response models are lazy, tolerant views (see ``_record.py``); Gong's reference types a
scorecard's ids as 64-bit integers, so they read as (exact) Python ints. The one request
part is a strict pydantic model.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import field_validator

from ._models import RequestModel
from ._record import GongModel

__all__ = [
    "CoachingMetrics",
    "CoachingReportMetrics",
    "CoachingUser",
    "IntegrationTypeSetting",
    "QuestionOption",
    "Scorecard",
    "ScorecardQuestion",
    "Tracker",
    "TrackerKeywords",
]

_ORIGIN_RE = re.compile(r"https?://[^/\s?#]+")


class QuestionOption(GongModel):
    """One choice of a single- or multi-select scorecard question."""

    id: str | None
    text: str | None


class ScorecardQuestion(GongModel):
    """A question of a scorecard, with its type, range and options."""

    question_id: str | None
    question_revision_id: str | None
    question_text: str | None
    is_overall: bool | None
    question_type: str | None
    answer_guide: str | None
    min_range: int | None
    max_range: int | None
    answer_options: list[QuestionOption]


class Scorecard(GongModel):
    """A scorecard defined in Gong, with its questions."""

    __key__ = ("scorecard_id",)

    scorecard_id: str | None
    scorecard_name: str | None
    workspace_id: str | None
    enabled: bool | None
    updater_user_id: str | None
    created: datetime | str | None
    updated: datetime | str | None
    questions: list[ScorecardQuestion]


class TrackerKeywords(GongModel):
    """A tracker's words and phrases in one language (``mul``: every language)."""

    language: str | None
    keywords: list[str]
    include_related_forms: bool | None


class Tracker(GongModel):
    """A keyword tracker: what it listens for, from whom, and when in a call."""

    __key__ = ("tracker_id",)

    tracker_id: str | None
    tracker_name: str | None
    workspace_id: str | None
    language_keywords: list[TrackerKeywords]
    affiliation: str | None
    part_of_question: bool | None
    said_at: str | None
    said_at_interval: int | None
    said_at_unit: str | None
    said_in_topics: list[str]
    said_in_call_parts: list[str]
    filter_query: str | None
    created: datetime | str | None
    creator_user_id: str | None
    updated: datetime | str | None
    updater_user_id: str | None


class CoachingUser(GongModel):
    """A manager or one of their reports, as the coaching metrics name them."""

    id: str | None
    email_address: str | None
    first_name: str | None
    last_name: str | None
    title: str | None


class CoachingReportMetrics(GongModel):
    """One direct report and their coaching metrics (metric name to call ids)."""

    report: CoachingUser | None
    metrics: dict[str, Any] | None


class CoachingMetrics(GongModel):
    """A manager's coaching metrics, per direct report."""

    manager: CoachingUser | None
    direct_reports_metrics: list[CoachingReportMetrics]


class IntegrationTypeSetting(RequestModel):
    """An origin Gong should accept as the frame source of one kind of embedded integration."""

    integration_type: Literal["EMAIL_COMPOSER", "ACCOUNT_PAGES", "DIALER"]
    allowed_origin: str

    @field_validator("allowed_origin")
    @classmethod
    def _origin(cls, value: str) -> str:
        if not _ORIGIN_RE.fullmatch(value):
            raise ValueError("must be an origin: scheme and host, e.g. https://acme.partner.example")
        return value
