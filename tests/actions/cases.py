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
    raise AssertionError(f"no valid inputs for {key}")


#: A value each input type must refuse.
_BAD = {
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
