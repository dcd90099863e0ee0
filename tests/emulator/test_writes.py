"""Meetings and custom engagement events."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gong_connector.emulator import Emulator

from .conftest import assert_gong_error


def meeting(emu: Emulator, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "startTime": "2026-12-01T10:00:00Z",
        "endTime": "2026-12-01T10:30:00Z",
        "organizerEmail": emu.backend.data.users[4]["emailAddress"],
        "invitees": [{"email": "prospect@globex.example", "displayName": "Pat Prospect"}],
        "title": "Intro",
        "externalId": "ext-1",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


class TestMeetings:
    def test_create_update_delete(self, api: httpx.Client, gong_emulator: Emulator) -> None:
        created = api.post("/v2/meetings", json=meeting(gong_emulator))
        assert created.status_code == 200, created.text
        body = created.json()
        meeting_id = body["meetingId"]
        assert meeting_id.isdigit() and body["meetingUrl"] and isinstance(body["additionalInvitees"], list)
        updated = api.put(f"/v2/meetings/{meeting_id}", json=meeting(gong_emulator, title="Renamed"))
        assert updated.json()["meetingId"] == meeting_id
        assert gong_emulator.backend.meetings[meeting_id]["title"] == "Renamed"
        other = gong_emulator.backend.data.users[6]["emailAddress"]
        assert_gong_error(
            api.request("DELETE", f"/v2/meetings/{meeting_id}", json={"organizerEmail": other}), 404, "organizer"
        )
        organizer = meeting(gong_emulator)["organizerEmail"]
        deleted = api.request("DELETE", f"/v2/meetings/{meeting_id}", json={"organizerEmail": organizer})
        assert deleted.status_code == 200 and deleted.json()["requestId"]
        assert_gong_error(api.delete(f"/v2/meetings/{meeting_id}"), 404, "meeting")
        assert_gong_error(api.put(f"/v2/meetings/{meeting_id}", json=meeting(gong_emulator)), 404)

    def test_unknown_organizer_is_404(self, api: httpx.Client, gong_emulator: Emulator) -> None:
        response = api.post("/v2/meetings", json=meeting(gong_emulator, organizerEmail="nobody@else.example"))
        assert_gong_error(response, 404, "No Gong user found corresponding to the provided organizer email")

    @pytest.mark.parametrize(
        ("change", "fragment"),
        [
            ({"startTime": None}, "startTime"),
            ({"startTime": "noon"}, "startTime"),
            ({"endTime": "at ten"}, "endTime"),
            ({"organizerEmail": None}, "organizerEmail"),
            ({"organizerEmail": 7}, "organizerEmail"),
            ({"invitees": None}, "invitees"),
            ({"invitees": ["a@b.example"]}, "invitees[0]"),
            ({"invitees": [{"email": None}]}, "invitees[0].email"),
            ({"title": 5}, "title"),
        ],
    )
    def test_bad_body(self, api: httpx.Client, gong_emulator: Emulator, change: dict[str, Any], fragment: str) -> None:
        body = meeting(gong_emulator)
        for key, value in change.items():
            if value is None:
                body.pop(key)
            else:
                body[key] = value
        before = dict(gong_emulator.backend.meetings)
        assert_gong_error(api.post("/v2/meetings", json=body), 400, fragment)
        assert gong_emulator.backend.meetings == before

    def test_bad_meeting_id(self, api: httpx.Client, gong_emulator: Emulator) -> None:
        assert_gong_error(api.put("/v2/meetings/abc", json=meeting(gong_emulator)), 400, "meetingId")
        assert_gong_error(api.delete("/v2/meetings/abc"), 400, "meetingId")


def event(kind: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "reportingSystem": "docs-portal",
        "eventTimestamp": "2026-05-01T10:00:00Z",
        "eventId": "evt-1",
    }
    if kind != "action":
        body.update({"contentId": "doc-1", "contentUrl": "https://docs.example/doc-1", "contentTitle": "Proposal"})
    if kind == "shared":
        body["recipients"] = [{"email": "buyer@globex.example", "name": "Bo"}]
    if kind == "viewed":
        body["viewer"] = {"email": "buyer@globex.example", "name": "Bo"}
    if kind == "action":
        body["actor"] = {"email": "buyer@globex.example", "name": "Bo"}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


PATHS = {
    "action": "/v2/customer-engagement/action",
    "shared": "/v2/customer-engagement/content/shared",
    "viewed": "/v2/customer-engagement/content/viewed",
}


class TestEngagement:
    @pytest.mark.parametrize("kind", PATHS)
    def test_report_then_repeat_is_409(self, api: httpx.Client, kind: str) -> None:
        response = api.put(
            PATHS[kind], json=event(kind, contentProperties=[{"name": "pages", "value": 12, "dataType": "number"}])
        )
        assert response.status_code == 200, response.text
        assert set(response.json()) == {"requestId"}
        assert_gong_error(api.put(PATHS[kind], json=event(kind)), 409, "already reported")
        assert api.put(PATHS[kind], json=event(kind, eventId="evt-2")).status_code == 200

    @pytest.mark.parametrize(
        ("kind", "change", "fragment"),
        [
            ("action", {"reportingSystem": None}, "reportingSystem"),
            ("action", {"eventTimestamp": "today"}, "eventTimestamp"),
            ("action", {"agentPlatform": "Amiga"}, "agentPlatform"),
            ("action", {"eventProperties": [{"name": "x", "value": "1", "dataType": "blob"}]}, "dataType"),
            ("action", {"crmContext": [{"system": "Notion"}]}, "crmContext[0].system"),
            ("action", {"actor": {"email": 7}}, "actor.email"),
            ("shared", {"contentId": None}, "contentId"),
            ("shared", {"contentUrl": None}, "contentUrl"),
            ("shared", {"recipients": [{"name": "no email"}]}, "recipients[0].email"),
            ("viewed", {"contentTitle": None}, "contentTitle"),
            ("viewed", {"workspaceId": "x77"}, "workspaceId"),
            ("viewed", {"agentPlatform": "ChromeOS"}, "agentPlatform"),
            ("shared", {"agentPlatform": 7}, "agentPlatform"),
        ],
    )
    def test_bad_body(
        self, api: httpx.Client, gong_emulator: Emulator, kind: str, change: dict[str, Any], fragment: str
    ) -> None:
        body = event(kind)
        for key, value in change.items():
            if value is None:
                body.pop(key)
            else:
                body[key] = value
        assert_gong_error(api.put(PATHS[kind], json=body), 400, fragment)
        assert gong_emulator.backend.events == []


class TestIntegrationStatus:
    def test_each_address_is_checked(self, api: httpx.Client, gong_emulator: Emulator) -> None:
        users = gong_emulator.backend.data.users
        recording = next(u for u in users if u["active"] and u["settings"]["webConferencesRecorded"])
        inactive = next(u for u in users if not u["active"])
        emails = [recording["emailAddress"].upper(), inactive["emailAddress"], "nobody@else.example"]
        response = api.post("/v2/meetings/integration/status", json={"emails": emails})
        assert response.status_code == 200, response.text
        ok, off, unknown = response.json()["users"]
        assert ok == {
            "email": emails[0],
            "exists": True,
            "valid": True,
            "userFacingError": None,
            "fixUrl": None,
            "helpUrl": None,
        }
        assert off["exists"] is True and off["valid"] is False and off["userFacingError"] and off["fixUrl"]
        assert unknown["exists"] is False and unknown["valid"] is False and unknown["helpUrl"]

    def test_limits(self, api: httpx.Client) -> None:
        assert api.post("/v2/meetings/integration/status", json={}).json()["users"] == []
        many = {"emails": [f"u{n}@x.example" for n in range(101)]}
        assert_gong_error(api.post("/v2/meetings/integration/status", json=many), 400, "100")
        assert_gong_error(api.post("/v2/meetings/integration/status", json={"emails": "a@b.co"}), 400, "emails")
