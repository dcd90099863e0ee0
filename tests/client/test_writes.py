"""Actions that change Gong's state, each on a fresh emulator, sync and async, both auths."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from gong_connector import ConflictError, NotFoundError
from gong_connector.client import (
    AddCallMediaResponse,
    CallParty,
    CreateCallResponse,
    CreateMeetingResponse,
    UpdateMeetingResponse,
)
from gong_connector.emulator import Emulator

from .conftest import Facade, api_requests


def _users(api: Facade) -> list[Any]:
    users: list[Any] = api.list_users().first_page().items
    return users


def _new_call(api: Facade, uid: str = "pbx-1", **extra: Any) -> CreateCallResponse:
    user = _users(api)[0]
    created: CreateCallResponse = api.create_call(
        client_unique_id=uid,
        primary_user=user.id,
        parties=[
            CallParty(user_id=user.id, email_address=user.email_address),
            {"name": "Prospect", "phone_number": "+1 425 555 2671"},
        ],
        direction="Outbound",
        actual_start=datetime(2026, 11, 1, 15, 0, tzinfo=UTC),
        title="Discovery",
        purpose="Qualify",
        duration=300,
        language_code="en-US",
        **extra,
    )
    return created


def test_create_call_then_repeat_is_a_conflict(api: Facade, gong_emulator: Emulator) -> None:
    created = _new_call(api)
    assert isinstance(created, CreateCallResponse)
    assert created.call_id and created.call_id.isdigit() and created.request_id
    body_seen = [r for r in api_requests(gong_emulator) if r["path"] == "/v2/calls"]
    assert body_seen[-1]["method"] == "POST"
    with pytest.raises(ConflictError) as info:
        _new_call(api)
    assert info.value.status == 409 and info.value.errors


def test_add_call_media_streams_a_file_with_progress(api: Facade, tmp_path: Path) -> None:
    created = _new_call(api)
    media = tmp_path / "call.mp3"
    media.write_bytes(b"ID3" + b"\x00" * 300_000)
    seen: list[tuple[int, int]] = []
    result = api.add_call_media(call_id=created.call_id, media=media, progress=lambda s, t: seen.append((s, t)))
    assert isinstance(result, AddCallMediaResponse)
    assert result.call_id == created.call_id
    assert seen[0] == (0, media.stat().st_size) and seen[-1] == (media.stat().st_size,) * 2
    assert [s for s, _ in seen] == sorted(s for s, _ in seen)


def test_add_call_media_from_a_file_object(api: Facade) -> None:
    created = _new_call(api)
    result = api.add_call_media(call_id=created.call_id, media=io.BytesIO(b"RIFF" + b"\x01" * 5000), file_name="a.wav")
    assert result.call_id == created.call_id


def test_create_call_with_media_uploads_after_creating(api: Facade, gong_emulator: Emulator, tmp_path: Path) -> None:
    media = tmp_path / "rec.wav"
    media.write_bytes(b"RIFF" + b"\x00" * 1000)
    created = _new_call(api, uid="pbx-media", media=media)
    paths = [(r["method"], r["path"]) for r in api_requests(gong_emulator)]
    assert ("POST", "/v2/calls") in paths
    assert ("PUT", f"/v2/calls/{created.call_id}/media") in paths


def test_create_call_with_download_url(api: Facade) -> None:
    created = _new_call(api, uid="pbx-url", download_media_url="https://example.com/a.mp3")
    assert created.call_id


def test_add_call_media_to_unknown_call(api: Facade) -> None:
    with pytest.raises(NotFoundError):
        api.add_call_media(call_id="12345678901234567890", media=io.BytesIO(b"x" * 10))


def _meeting_args(api: Facade) -> dict[str, Any]:
    organizer = _users(api)[0].email_address
    return {
        "start_time": "2026-12-01T10:00:00Z",
        "end_time": "2026-12-01T10:30:00+00:00",
        "organizer_email": organizer,
        "invitees": ["buyer@customer.example", {"email": "cfo@customer.example", "display_name": "CFO"}],
        "title": "Kick-off",
        "external_id": "ext-1",
    }


def test_meeting_lifecycle(api: Facade, gong_emulator: Emulator) -> None:
    args = _meeting_args(api)
    created = api.create_meeting(**args)
    assert isinstance(created, CreateMeetingResponse) and created.meeting_id
    updated = api.update_meeting(meeting_id=created.meeting_id, **{**args, "title": "Moved"})
    assert isinstance(updated, UpdateMeetingResponse)
    assert updated.meeting_id == created.meeting_id
    deleted = api.delete_meeting(meeting_id=created.meeting_id, organizer_email=args["organizer_email"])
    assert deleted.request_id
    methods = [r["method"] for r in api_requests(gong_emulator) if r["path"].startswith("/v2/meetings")]
    assert methods == ["POST", "PUT", "DELETE"]
    with pytest.raises(NotFoundError):
        api.update_meeting(meeting_id=created.meeting_id, **args)
    with pytest.raises(NotFoundError):
        api.delete_meeting(meeting_id=created.meeting_id)


def test_create_meeting_unknown_organizer_is_not_found(api: Facade) -> None:
    args = {**_meeting_args(api), "organizer_email": "nobody@nowhere.example"}
    with pytest.raises(NotFoundError):
        api.create_meeting(**args)


_EVENT = {
    "reporting_system": "docs-system",
    "event_timestamp": "2026-11-20T08:00:00Z",
    "content_id": "doc-1",
    "content_url": "https://docs.example/doc-1",
    "content_title": "Proposal",
}


def test_engagement_events_and_repeat_conflict(api: Facade, gong_emulator: Emulator) -> None:
    action = api.report_custom_action(
        **_EVENT,
        event_id="evt-1",
        action_name="Signed",
        actor={"email": "buyer@customer.example", "name": "Buyer"},
        event_properties=[{"name": "pages", "value": "3", "data_type": "number"}],
        agent_platform="MacOS",
    )
    assert action.request_id
    shared = api.report_content_shared(
        **_EVENT,
        event_id="evt-2",
        sharer={"email": _users(api)[0].email_address},
        recipients=[{"email": "buyer@customer.example"}],
        crm_context=[{"system": "Salesforce", "objects": [{"object_type": "Account", "object_id": "001"}]}],
    )
    assert shared.request_id
    viewed = api.report_content_viewed(
        **_EVENT,
        event_id="evt-3",
        view_action_title="Opened",
        viewer={"email": "buyer@customer.example"},
    )
    assert viewed.request_id
    paths = {(r["method"], r["path"]) for r in api_requests(gong_emulator)}
    assert {
        ("PUT", "/v2/customer-engagement/action"),
        ("PUT", "/v2/customer-engagement/content/shared"),
        ("PUT", "/v2/customer-engagement/content/viewed"),
    } <= paths
    with pytest.raises(ConflictError):
        api.report_content_viewed(**_EVENT, event_id="evt-3")


def test_erase_data_sends_the_address_in_the_query(api: Facade, gong_emulator: Emulator) -> None:
    email = _users(api)[1].email_address
    assert api.erase_email_data(email_address=email).request_id
    assert api.erase_phone_data(phone_number="+1 (425) 555-2671").request_id
    erase = [r for r in api_requests(gong_emulator) if "erase" in r["path"]]
    assert [r["method"] for r in erase] == ["POST", "POST"]
    assert erase[0]["query"] == {"emailAddress": email}
    assert erase[1]["query"] == {"phoneNumber": "+1 (425) 555-2671"}
