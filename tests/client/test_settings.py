"""Settings beyond the spec over real HTTP: scorecards, keyword trackers, coaching metrics
and integration settings, on the sync and the async client."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from gong_connector.client import (
    BaseResponse,
    CoachingMetrics,
    CoachingReportMetrics,
    CoachingUser,
    IntegrationTypeSetting,
    QuestionOption,
    Scorecard,
    ScorecardQuestion,
    Tracker,
    TrackerKeywords,
)
from gong_connector.emulator import Emulator

from .conftest import Facade, api_requests


def test_scorecards_with_their_questions(ro_api: Facade) -> None:
    cards = ro_api.list_scorecards().to_list()
    assert cards and all(isinstance(c, Scorecard) and not c.problems() for c in cards)
    assert len({c.scorecard_id for c in cards}) == len(cards)
    card = cards[0]
    assert isinstance(card.scorecard_id, str) and isinstance(card.workspace_id, str)  # ids are strings
    assert isinstance(card.created, datetime) and card.scorecard_name
    questions = [q for c in cards for q in c.questions]
    assert questions and all(isinstance(q, ScorecardQuestion) for q in questions)
    options = [o for q in questions for o in q.answer_options]
    assert all(isinstance(o, QuestionOption) and isinstance(o.id, str) for o in options)


def test_answered_scorecards_name_listed_scorecards(ro_api: Facade) -> None:
    listed = {c.scorecard_id for c in ro_api.list_scorecards().to_list()}
    answered = {a.scorecard_id for a in ro_api.list_answered_scorecards().to_list()}
    assert answered and answered <= listed


def test_trackers_everywhere_and_in_one_workspace(ro_api: Facade, shared_emu: Emulator) -> None:
    trackers = ro_api.list_trackers().to_list()
    assert trackers and all(isinstance(t, Tracker) and not t.problems() for t in trackers)
    words = [k for t in trackers for k in t.language_keywords]
    assert words and all(isinstance(k, TrackerKeywords) and k.keywords for k in words)
    workspace = trackers[0].workspace_id
    assert workspace is not None
    mine = ro_api.list_trackers(workspace_id=workspace).to_list()
    assert mine and {t.workspace_id for t in mine} == {workspace}
    assert api_requests(shared_emu)[-1]["query"] == {"workspaceId": workspace}


def _manager_and_workspace(api: Facade) -> tuple[str, str]:
    users = api.list_users().to_list()
    managers = {u.manager_id for u in users if u.manager_id}
    workspace = api.list_workspaces().to_list()[0].id
    return sorted(managers)[0], workspace


def test_coaching_metrics_of_a_manager(ro_api: Facade, shared_emu: Emulator) -> None:
    manager, workspace = _manager_and_workspace(ro_api)
    end = shared_emu.config.anchor
    window: dict[str, Any] = {"from_date_time": end - timedelta(days=90), "to_date_time": end}
    data = ro_api.list_coaching_metrics(workspace_id=workspace, manager_id=manager, **window).to_list()
    assert data and all(isinstance(d, CoachingMetrics) and not d.problems() for d in data)
    assert isinstance(data[0].manager, CoachingUser) and data[0].manager.id == manager
    reports = [r for d in data for r in d.direct_reports_metrics]
    assert reports and all(isinstance(r, CoachingReportMetrics) and isinstance(r.report, CoachingUser) for r in reports)
    assert all(isinstance(r.metrics, dict) for r in reports)
    query = api_requests(shared_emu)[-1]["query"]
    assert {k: query[k] for k in ("workspace-id", "manager-id")} == {"workspace-id": workspace, "manager-id": manager}
    assert query["from"].endswith(("Z", "+00:00")) and "to" in query


def test_integration_settings_are_accepted(api: Facade, gong_emulator: Emulator) -> None:
    result = api.set_integration_settings(
        integration_type_settings=[
            IntegrationTypeSetting(integration_type="DIALER", allowed_origin="https://acme.partner.example"),
            {"integrationType": "EMAIL_COMPOSER", "allowedOrigin": "https://mail.partner.example:8443"},
        ]
    )
    assert isinstance(result, BaseResponse) and result.request_id
    (sent,) = [r for r in api_requests(gong_emulator) if r["path"] == "/v2/integration-settings"]
    assert sent["body"] == {
        "integrationTypeSettings": [
            {"integrationType": "DIALER", "allowedOrigin": "https://acme.partner.example"},
            {"integrationType": "EMAIL_COMPOSER", "allowedOrigin": "https://mail.partner.example:8443"},
        ]
    }
