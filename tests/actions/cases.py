"""Valid and invalid inputs for every action, on a given emulator; shared with the CLI tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from gong_connector import ApiKeyConnection, GongClient, RateLimiter
from gong_connector.actions import ACTIONS, ActionSpec
from gong_connector.emulator import Emulator

#: The spec's 22 action titles, kept here so the check runs without the spec file too.
SPEC_ACTIONS = (
    "Add Call Media",
    "Create New Call",
    "Create New Gong Meeting",
    "Custom Action Event",
    "Custom Shared Event",
    "Custom Viewed Event",
    "Delete Email Address and Associated Elements",
    "Delete Gong Meeting",
    "Delete Phone Number and Associated Elements",
    "Get Call",
    "Get Call Transcript",
    "Get Logs Data by Type and Time Range",
    "Get User",
    "List Calls",
    "List Calls in Folder",
    "List Library Folders",
    "List References to an Email Address",
    "List References to a Phone Number",
    "List Users",
    "List Workspaces",
    "Raw Request",
    "Update Gong Meeting",
)

#: The actions beyond the spec: every other operation of Gong's reference, by key.
BEYOND_SPEC = {
    "add-call-access": ("PUT", "/v2/calls/users-access"),
    "assign-prospects": ("POST", "/v2/flows/prospects/assign"),
    "create-permission-profile": ("POST", "/v2/permission-profile"),
    "delete-crm-integration": ("DELETE", "/v2/crm/integrations"),
    "get-crm-objects": ("GET", "/v2/crm/entities"),
    "get-crm-request-status": ("GET", "/v2/crm/request-status"),
    "get-meeting-integration-status": ("POST", "/v2/meetings/integration/status"),
    "get-permission-profile": ("GET", "/v2/permission-profile"),
    "get-user-settings-history": ("GET", "/v2/users/{id}/settings-history"),
    "list-activity-by-period": ("POST", "/v2/stats/activity/aggregate-by-period"),
    "list-aggregate-activity": ("POST", "/v2/stats/activity/aggregate"),
    "list-answered-scorecards": ("POST", "/v2/stats/activity/scorecards"),
    "list-call-access": ("POST", "/v2/calls/users-access"),
    "list-calls-extensive": ("POST", "/v2/calls/extensive"),
    "list-coaching-metrics": ("GET", "/v2/coaching"),
    "list-crm-integrations": ("GET", "/v2/crm/integrations"),
    "list-crm-schema-fields": ("GET", "/v2/crm/entity-schema"),
    "list-daily-activity": ("POST", "/v2/stats/activity/day-by-day"),
    "list-flows": ("GET", "/v2/flows"),
    "list-interaction-stats": ("POST", "/v2/stats/interaction"),
    "list-manual-crm-associations": ("GET", "/v2/calls/manual-crm-associations"),
    "list-permission-profile-users": ("GET", "/v2/permission-profile/users"),
    "list-permission-profiles": ("GET", "/v2/all-permission-profiles"),
    "list-prospect-flows": ("POST", "/v2/flows/prospects"),
    "list-scorecards": ("GET", "/v2/settings/scorecards"),
    "list-trackers": ("GET", "/v2/settings/trackers"),
    "list-users-extensive": ("POST", "/v2/users/extensive"),
    "register-crm-integration": ("PUT", "/v2/crm/integrations"),
    "remove-call-access": ("DELETE", "/v2/calls/users-access"),
    "report-digital-interaction": ("POST", "/v2/digital-interaction"),
    "set-integration-settings": ("POST", "/v2/integration-settings"),
    "update-permission-profile": ("PUT", "/v2/permission-profile"),
    "upload-crm-schema": ("POST", "/v2/crm/entity-schema"),
}

_counter = itertools.count(1)


def client_for(emu: Emulator) -> GongClient:
    conn = ApiKeyConnection(emu.access_key, emu.access_key_secret, emu.base_url)
    return GongClient(conn, rate_limiter=RateLimiter.off())


@dataclass
class World:
    """Facts about an emulator's data that valid inputs need."""

    emu: Emulator
    tmp: Path
    user_id: str
    user_email: str
    call_id: str
    folder_id: str
    window: dict[str, str]
    media: Path
    made: list[str] = field(default_factory=list)

    def new_call(self) -> str:
        with client_for(self.emu) as client:
            created = client.create_call(**create_call_inputs(self))
        assert created.call_id
        return created.call_id

    def new_meeting(self) -> str:
        with client_for(self.emu) as client:
            created = client.create_meeting(**meeting_inputs(self))
        assert created.meeting_id
        return created.meeting_id


def make_world(emu: Emulator, tmp: Path) -> World:
    with client_for(emu) as client:
        user = client.list_users().first_page().items[0]
        folder = client.list_library_folders().first_page().items[0]
        anchor = emu.config.anchor
        window = {
            "from_date_time": (anchor - timedelta(days=89)).isoformat(),
            "to_date_time": (anchor + timedelta(days=1)).isoformat(),
        }
        call = client.list_calls(**window).first_page().items[0]
    media = tmp / "call.mp3"
    media.write_bytes(b"ID3" + b"\x00" * 70_000)
    return World(emu, tmp, user.id, user.email_address or "", call.id, folder.id, window, media)


def create_call_inputs(world: World) -> dict[str, Any]:
    return {
        "client_unique_id": f"pbx-{next(_counter)}",
        "primary_user": world.user_id,
        "parties": [{"userId": world.user_id}, {"name": "Prospect", "phoneNumber": "+14255552671"}],
        "direction": "Outbound",
        "actual_start": "2026-11-01T15:00:00Z",
        "title": "Discovery",
    }


def meeting_inputs(world: World) -> dict[str, Any]:
    return {
        "start_time": "2026-12-01T10:00:00Z",
        "end_time": "2026-12-01T10:30:00Z",
        "organizer_email": world.user_email,
        "invitees": ["buyer@customer.example"],
        "title": "Kick-off",
    }


def _event(extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "reporting_system": "docs-system",
        "event_timestamp": "2026-11-20T08:00:00Z",
        "event_id": f"evt-{next(_counter)}",
        "content_id": "doc-1",
        "content_url": "https://docs.example/doc-1",
        "content_title": "Proposal",
        **extra,
    }


def valid_inputs(world: World, key: str) -> dict[str, Any]:
    """Inputs that succeed for ``key`` on the world's emulator (fresh ids each call)."""
    match key:
        case "add-call-media":
            return {"call_id": world.new_call(), "media": str(world.media)}
        case "create-call":
            return create_call_inputs(world)
        case "create-meeting":
            return meeting_inputs(world)
        case "update-meeting":
            return {"meeting_id": world.new_meeting(), **meeting_inputs(world), "title": "Moved"}
        case "delete-meeting":
            return {"meeting_id": world.new_meeting()}
        case "report-custom-action":
            return _event({"action_name": "Signed", "actor": {"email": "buyer@customer.example"}})
        case "report-content-shared":
            return _event({"sharer": {"email": world.user_email}, "recipients": [{"email": "buyer@customer.example"}]})
        case "report-content-viewed":
            return _event({"view_action_title": "Opened", "viewer": {"email": "buyer@customer.example"}})
        case "erase-email-data" | "list-email-references":
            return {"email_address": "nobody@nowhere.example"}
        case "erase-phone-data" | "list-phone-references":
            return {"phone_number": "+1 425 555 0000"}
        case "get-call":
            return {"call_id": world.call_id}
        case "get-call-transcripts":
            return {"call_ids": [world.call_id]}
        case "get-logs":
            return {"log_type": "AccessLog", "from_date_time": world.window["from_date_time"]}
        case "get-user":
            return {"user_id": world.user_id}
        case "list-calls":
            return dict(world.window)
        case "list-calls-extensive":
            return {"call_ids": [world.call_id]}
        case "list-folder-calls":
            return {"folder_id": world.folder_id}
        case "list-library-folders" | "list-workspaces":
            return {}
        case "list-users":
            return {"include_avatars": False}
        case "raw-request":
            return {"url": "/v2/workspaces", "method": "GET"}
    found = _beyond_spec_inputs(world, key)
    if found is None:
        raise AssertionError(f"no valid inputs for {key}")
    return found


def _days(world: World) -> dict[str, str]:
    today = world.emu.config.anchor.date()
    return {"from_date": (today - timedelta(days=30)).isoformat(), "to_date": today.isoformat()}


def _workspace(world: World) -> str:
    with client_for(world.emu) as client:
        workspace: str = client.list_workspaces().first_page().items[0].id
    return workspace


def _profile(world: World) -> str:
    with client_for(world.emu) as client:
        profile: str = client.list_permission_profiles(workspace_id=_workspace(world)).first_page().items[0].id
    return profile


def _settle(world: World) -> None:
    """Let any pending CRM delete finish (Gong: up to a day), so one integration is active or none."""
    world.emu.advance_clock(24 * 3600)


def _integration(world: World) -> str:
    """The active CRM integration's id, registered first if there is none (Gong holds one)."""
    _settle(world)
    with client_for(world.emu) as client:
        listed = client.list_crm_integrations().to_list()
        if listed:
            return str(listed[0].integration_id)
        made = client.register_crm_integration(name="Test CRM", owner_email=world.user_email)
    return str(made.integration_id)


def _no_integration(world: World) -> None:
    _settle(world)
    with client_for(world.emu) as client:
        for old in client.list_crm_integrations().to_list():
            rid = f"cleanup-{next(_counter)}"
            client.delete_crm_integration(integration_id=str(old.integration_id), client_request_id=rid)
    _settle(world)


def _schema_upload(world: World) -> dict[str, Any]:
    """Every account field the schema has (Gong wants them all again) and one more."""
    integration = _integration(world)
    with client_for(world.emu) as client:
        fields = client.list_crm_schema_fields(integration_id=integration, object_type="ACCOUNT").fields("ACCOUNT")
    kept = [
        {k: v for k, v in f.raw.items() if k in ("uniqueName", "label", "type", "referenceTo", "orderedValueList")}
        for f in fields
        if f.unique_name != "industry"
    ]
    field = {"uniqueName": "industry", "label": "Industry", "type": "STRING"}
    return {"integration_id": integration, "object_type": "ACCOUNT", "fields": [*kept, field]}


def _flow(world: World) -> str:
    with client_for(world.emu) as client:
        flow: str = client.list_flows(flow_owner_email=world.user_email).first_page().items[0].id
    return flow


def _manager(world: World) -> str:
    with client_for(world.emu) as client:
        return sorted(u.manager_id for u in client.list_users().to_list() if u.manager_id)[0]


def _beyond_spec_inputs(world: World, key: str) -> dict[str, Any] | None:
    """Valid inputs for the actions beyond the spec (fresh ids, and the state each needs)."""
    grant = [{"callId": world.call_id, "userIds": [world.user_id]}]
    match key:
        case "list-answered-scorecards" | "list-scorecards" | "list-trackers" | "list-crm-integrations":
            return {}
        case "list-interaction-stats" | "list-daily-activity" | "list-aggregate-activity":
            return _days(world)
        case "list-activity-by-period":
            return {"aggregation_period": "MONTH", **_days(world)}
        case "list-coaching-metrics":
            return {
                "workspace_id": _workspace(world),
                "manager_id": _manager(world),
                "from_date_time": world.window["from_date_time"],
                "to_date_time": world.window["to_date_time"],
            }
        case "set-integration-settings":
            return {"integration_type_settings": [{"integrationType": "DIALER", "allowedOrigin": "https://x.example"}]}
        case "list-users-extensive":
            return {"user_ids": [world.user_id]}
        case "get-user-settings-history":
            return {"user_id": world.user_id}
        case "list-manual-crm-associations":
            return {"from_date_time": world.window["from_date_time"]}
        case "get-meeting-integration-status":
            return {"emails": [world.user_email]}
        case "report-digital-interaction":
            return {
                "event_id": f"web-{next(_counter)}",
                "timestamp": "2026-11-20T08:00:00Z",
                "event_type": "page viewed",
                "content": {"contentTitle": "Pricing"},
                "person": {"email": "buyer@customer.example"},
            }
        case "add-call-access" | "remove-call-access":
            return {"call_access_list": grant}
        case "list-call-access":
            return {"call_ids": [world.call_id]}
        case "list-permission-profiles":
            return {"workspace_id": _workspace(world)}
        case "get-permission-profile" | "list-permission-profile-users":
            return {"profile_id": _profile(world)}
        case "create-permission-profile":
            return {
                "workspace_id": _workspace(world),
                "name": f"Profile {next(_counter)}",
                "library_folder_access": {"permissionLevel": "all"},
                "score_calls": True,
            }
        case "update-permission-profile":
            return {"profile_id": _profile(world), "description": f"Updated {next(_counter)}"}
        case "register-crm-integration":
            _no_integration(world)
            return {"name": "Test CRM", "owner_email": world.user_email}
        case "delete-crm-integration":
            return {"integration_id": _integration(world), "client_request_id": f"delete-{next(_counter)}"}
        case "get-crm-request-status":
            integration, rid = _integration(world), f"status-{next(_counter)}"
            with client_for(world.emu) as client:
                client.delete_crm_integration(integration_id=integration, client_request_id=rid)
            return {"integration_id": integration, "client_request_id": rid}
        case "list-crm-schema-fields":
            return {"integration_id": _integration(world), "object_type": "ACCOUNT"}
        case "upload-crm-schema":
            return _schema_upload(world)
        case "get-crm-objects":
            return {"integration_id": _integration(world), "object_type": "ACCOUNT", "objects_crm_ids": ["001A"]}
        case "list-flows":
            return {"flow_owner_email": world.user_email}
        case "list-prospect-flows":
            return {"crm_prospects_ids": ["0035000001AB"]}
        case "assign-prospects":
            return {
                "flow_id": _flow(world),
                "flow_instance_owner_email": world.user_email,
                "crm_prospects_ids": [f"00350000{next(_counter):04d}"],
            }
    return None


#: A value each input type must refuse.
_BAD = {
    "date": "2026-02-30",
    "list": "not-a-list",
    "request-id": "has space",
    "id": "12ab",
    "ids": [],
    "datetime": "yesterday",
    "email": "not-an-email",
    "phone": "12345",
    "choice": "Nope",
    "direction": "Sideways",
    "language": "xx-XX",
    "bool": "maybe",
    "number": -1,
    "integer": "three",
    "models": "not-a-list",
    "model": 5,
    "map": "not-an-object",
    "file": "/nonexistent/recording.mp3",
    "text": 5,
}


def bad_inputs(world: World, action: ActionSpec) -> list[tuple[dict[str, Any], str, str | None]]:
    """Invalid inputs for an action: (inputs, the field named, the rule or None)."""
    base = {k: v for k, v in valid_inputs(world, action.key).items()}
    cases: list[tuple[dict[str, Any], str, str | None]] = [
        ({**base, "no_such_input": 1}, "no_such_input", "unknown"),
    ]
    required = [i.key for i in action.inputs if i.required]
    if required:
        missing = {k: v for k, v in base.items() if k != required[0]}
        cases.append((missing, required[0], "required"))
    typed = next((i for i in action.inputs if i.type in _BAD and i.type != "text"), None)
    if typed is not None:
        cases.append(({**base, typed.key: _BAD[typed.type]}, typed.key, None))
    return cases


ALL_KEYS = tuple(ACTIONS)
