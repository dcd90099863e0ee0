"""The actions beyond the spec check their inputs like the others: a ValidationError naming
the field and the rule, and nothing sent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from gong_connector import GongError, ValidationError
from gong_connector.emulator import Emulator

from .conftest import Facade

UID = "1234567890123456789"
DAYS = {"from_date": "2026-10-01", "to_date": "2026-10-08"}
GRANT = {"call_access_list": [{"call_id": UID, "user_ids": [UID]}]}
CRM = {"integration_id": "5517027188234205706", "object_type": "DEAL"}
FIELD = {"unique_name": "stage", "label": "Stage", "type": "STRING"}
INTERACTION = {
    "event_id": "e-1",
    "timestamp": "2026-10-01T08:00:00Z",
    "event_type": "page viewed",
    "content": {"content_title": "Pricing"},
    "person": {"email": "pat@buyer.example"},
}
PROFILE = {"workspace_id": UID, "name": "P", "library_folder_access": {"permission_level": "all"}}
FLOW = {"flow_id": UID, "flow_instance_owner_email": "rep@seller.example", "crm_prospects_ids": ["003A"]}


@pytest.fixture(params=["api_key"])
def kind(request: pytest.FixtureRequest) -> str:
    """Checks run before any credential is used: one connection kind is enough here."""
    return str(request.param)


# (method, valid arguments, overrides making them bad, field named, rule)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str]] = [
    ("list_answered_scorecards", {}, {"call_from_date": "2026-10-01T00:00:00Z"}, "call_from_date", "date"),
    ("list_answered_scorecards", {}, {"review_to_date": "2026-02-30"}, "review_to_date", "date"),
    (
        "list_answered_scorecards",
        {},
        {"review_from_date": datetime(2026, 1, 1, tzinfo=UTC)},
        "review_from_date",
        "date",
    ),
    ("list_answered_scorecards", {}, {"scorecard_ids": [6843152929075440037]}, "scorecard_ids[0]", "id"),
    ("list_answered_scorecards", {}, {"reviewed_user_ids": []}, "reviewed_user_ids", "non_empty"),
    ("list_interaction_stats", DAYS, {"from_date": None}, "from_date", "required"),
    ("list_interaction_stats", DAYS, {"to_date": "next week"}, "to_date", "date"),
    ("list_interaction_stats", DAYS, {"user_ids": ["me"]}, "user_ids[0]", "id"),
    ("list_daily_activity", DAYS, {"created_from_date_time": "2026-10-01"}, "created_from_date_time", "iso8601"),
    ("list_aggregate_activity", DAYS, {"to_date": None}, "to_date", "required"),
    (
        "list_activity_by_period",
        {**DAYS, "aggregation_period": "WEEK"},
        {"aggregation_period": "week"},
        "aggregation_period",
        "choice",
    ),
    ("list_activity_by_period", DAYS, {"aggregation_period": None}, "aggregation_period", "required"),
    ("list_trackers", {}, {"workspace_id": "ws"}, "workspace_id", "id"),
    (
        "list_coaching_metrics",
        {"workspace_id": UID, "manager_id": UID, "from_date_time": "2026-10-01T00:00:00Z"},
        {"to_date_time": "2026-11-01"},
        "to_date_time",
        "iso8601",
    ),
    (
        "list_coaching_metrics",
        {"workspace_id": UID, "from_date_time": "2026-10-01T00:00:00Z", "to_date_time": "2026-11-01T00:00:00Z"},
        {"manager_id": None},
        "manager_id",
        "required",
    ),
    (
        "set_integration_settings",
        {},
        {"integration_type_settings": [{"integration_type": "FAX", "allowed_origin": "https://a.example"}]},
        "integration_type_settings[0].integration_type",
        "literal_error",
    ),
    (
        "set_integration_settings",
        {},
        {"integration_type_settings": [{"integration_type": "DIALER", "allowed_origin": "https://a.example/path"}]},
        "integration_type_settings[0].allowed_origin",
        "value_error",
    ),
    ("set_integration_settings", {}, {"integration_type_settings": []}, "integration_type_settings", "non_empty"),
    (
        "add_call_access",
        {},
        {"call_access_list": [{"call_id": "c-1", "user_ids": [UID]}]},
        "call_access_list[0].call_id",
        "value_error",
    ),
    (
        "add_call_access",
        {},
        {"call_access_list": [{"call_id": UID, "user_ids": []}]},
        "call_access_list[0].user_ids",
        "value_error",
    ),
    ("list_call_access", {}, {"call_ids": []}, "call_ids", "non_empty"),
    ("list_call_access", {}, {"call_ids": None}, "call_ids", "required"),
    ("remove_call_access", GRANT, {"call_access_list": "everyone"}, "call_access_list", "list"),
    ("list_permission_profiles", {}, {"workspace_id": None}, "workspace_id", "required"),
    ("get_permission_profile", {}, {"profile_id": "admins"}, "profile_id", "id"),
    ("create_permission_profile", PROFILE, {"name": None}, "name", "required"),
    ("create_permission_profile", PROFILE, {"library_folder_access": None}, "library_folder_access", "required"),
    (
        "create_permission_profile",
        PROFILE,
        {"library_folder_access": {"permission_level": "none", "manage_streams": True}},
        "library_folder_access",
        "value_error",
    ),
    (
        "create_permission_profile",
        PROFILE,
        {"calls_access": {"permission_level": "everyone"}},
        "calls_access.permission_level",
        "value_error",
    ),
    (
        "create_permission_profile",
        PROFILE,
        {"deals_access": {"permission_level": "managers-team", "team_lead_ids": ["boss"]}},
        "deals_access.team_lead_ids",
        "value_error",
    ),
    ("create_permission_profile", PROFILE, {"score_calls": "yes"}, "score_calls", "bool"),
    (
        "update_permission_profile",
        {"profile_id": UID},
        {"library_folder_access": {"permission_level": "some"}},
        "library_folder_access.permission_level",
        "value_error",
    ),
    ("list_permission_profile_users", {}, {"profile_id": "x"}, "profile_id", "id"),
    ("register_crm_integration", {"name": "CRM"}, {"owner_email": "owner"}, "owner_email", "email"),
    (
        "delete_crm_integration",
        {"integration_id": UID},
        {"client_request_id": "has space"},
        "client_request_id",
        "request_id",
    ),
    (
        "delete_crm_integration",
        {"client_request_id": "r1"},
        {"integration_id": 5517027188234205706},
        "integration_id",
        "id",
    ),
    ("list_crm_schema_fields", {"integration_id": UID}, {"object_type": "OPPORTUNITY"}, "object_type", "choice"),
    ("upload_crm_schema", {**CRM, "fields": [FIELD]}, {"fields": []}, "fields", "non_empty"),
    ("upload_crm_schema", CRM, {"fields": [{**FIELD, "type": "TEXT"}]}, "fields[0].type", "literal_error"),
    ("upload_crm_schema", CRM, {"fields": [{**FIELD, "type": "PICKLIST"}]}, "fields[0]", "value_error"),
    (
        "upload_crm_schema",
        CRM,
        {"fields": [{**FIELD, "last_modified": "yesterday"}]},
        "fields[0].last_modified",
        "value_error",
    ),
    ("get_crm_objects", CRM, {"objects_crm_ids": [str(i) for i in range(101)]}, "objects_crm_ids", "max_items"),
    ("get_crm_objects", CRM, {"objects_crm_ids": []}, "objects_crm_ids", "non_empty"),
    ("get_crm_request_status", {"integration_id": UID}, {"client_request_id": None}, "client_request_id", "required"),
    ("list_flows", {}, {"flow_owner_email": "rep"}, "flow_owner_email", "email"),
    ("list_prospect_flows", {}, {"crm_prospects_ids": "003A"}, "crm_prospects_ids", "list"),
    ("assign_prospects", FLOW, {"crm_prospects_ids": ["p"] * 201}, "crm_prospects_ids", "max_items"),
    ("assign_prospects", FLOW, {"flow_id": "flow-1"}, "flow_id", "id"),
    ("list_users_extensive", {}, {"created_from_date_time": "2026-10-01"}, "created_from_date_time", "iso8601"),
    (
        "list_users_extensive",
        {"created_from_date_time": "2026-10-02T00:00:00Z"},
        {"created_to_date_time": "2026-10-01T00:00:00Z"},
        "created_to_date_time",
        "window",
    ),
    ("list_users_extensive", {}, {"include_avatars": 1}, "include_avatars", "bool"),
    ("get_user_settings_history", {}, {"user_id": "me"}, "user_id", "id"),
    ("list_manual_crm_associations", {}, {"from_date_time": "last week"}, "from_date_time", "iso8601"),
    ("get_meeting_integration_status", {}, {"emails": ["a@b.co"] * 101}, "emails", "max_items"),
    ("get_meeting_integration_status", {}, {"emails": ["a@b.co", "b"]}, "emails[1]", "email"),
    ("report_digital_interaction", INTERACTION, {"timestamp": "now"}, "timestamp", "iso8601"),
    ("report_digital_interaction", INTERACTION, {"device": "TV"}, "device", "choice"),
    (
        "report_digital_interaction",
        INTERACTION,
        {"content": {"content_url": "https://x.example"}},
        "content.contentTitle",
        "missing",
    ),
    ("report_digital_interaction", INTERACTION, {"person": {"location": {"city": "Oslo"}}}, "person", "value_error"),
    ("report_digital_interaction", INTERACTION, {"person": {"email": "pat"}}, "person.email", "value_error"),
    (
        "report_digital_interaction",
        INTERACTION,
        {
            "content": {
                "content_title": "NPS",
                "numeric_content_details": {"value": 11, "range_from": 0, "range_to": 10},
            }
        },
        "content.numeric_content_details",
        "value_error",
    ),
    (
        "report_digital_interaction",
        INTERACTION,
        {"custom_fields": [{"name": "n", "value": "v", "data_type": "COLOR"}]},
        "custom_fields[0].data_type",
        "literal_error",
    ),
]


def _run(api: Facade, method: str, kwargs: dict[str, Any]) -> Any:
    result = getattr(api, method)(**kwargs)
    return result.first_page() if hasattr(result, "first_page") else result


@pytest.mark.parametrize(
    ("method", "valid", "bad", "field", "rule"),
    CASES,
    ids=[f"{c[0]}-{c[3]}-{c[4]}" for c in CASES],
)
def test_bad_input_raises_before_any_request(
    ro_api: Facade,
    shared_emu: Emulator,
    method: str,
    valid: dict[str, Any],
    bad: dict[str, Any],
    field: str,
    rule: str,
) -> None:
    shared_emu.clear_requests()
    with pytest.raises(ValidationError) as info:
        _run(ro_api, method, {**valid, **bad})
    assert (info.value.field, info.value.rule) == (field, rule)
    assert field in str(info.value)
    assert isinstance(info.value, GongError)
    assert shared_emu.requests() == []


def test_every_action_beyond_the_spec_has_a_bad_input_case() -> None:
    from gong_connector.actions import ACTIONS

    beyond = {a.method for a in ACTIONS.values() if not a.in_spec} - {
        "list_calls_extensive",
        "list_scorecards",
        "list_crm_integrations",
    }
    assert beyond <= {c[0] for c in CASES}
