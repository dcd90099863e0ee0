"""Users, workspaces, library folders and logs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gong_connector.emulator import Emulator

from .conftest import assert_gong_error

LOG_TYPES = ("AccessLog", "UserActivityLog", "UserCallPlay", "ExternallySharedCallAccess", "ExternallySharedCallPlay")


class TestUsers:
    def test_pages_without_avatars(self, api: httpx.Client) -> None:
        first = api.get("/v2/users").json()
        assert first["records"]["totalRecords"] == 150
        assert first["records"]["currentPageSize"] == 100
        second = api.get("/v2/users", params={"cursor": first["records"]["cursor"]}).json()
        assert second["records"]["currentPageNumber"] == 1
        assert "cursor" not in second["records"]
        users = first["users"] + second["users"]
        assert len({u["id"] for u in users}) == 150
        assert not any(u["emailAddress"].endswith("@gong.io") for u in users)

    def test_include_avatars(self, api: httpx.Client) -> None:
        first = api.get("/v2/users", params={"includeAvatars": "true"}).json()
        assert first["records"]["totalRecords"] == 152
        second = api.get("/v2/users", params={"includeAvatars": "true", "cursor": first["records"]["cursor"]}).json()
        assert sum(u["emailAddress"].endswith("@gong.io") for u in second["users"]) == 2

    def test_fields_and_managers(self, api: httpx.Client) -> None:
        users = api.get("/v2/users").json()["users"]
        ids = {u["id"] for u in users}
        user = users[10]
        for field in (
            "id",
            "emailAddress",
            "created",
            "active",
            "emailAliases",
            "trustedEmailAddress",
            "firstName",
            "lastName",
            "title",
            "phoneNumber",
            "extension",
            "personalMeetingUrls",
            "settings",
            "managerId",
            "meetingConsentPageUrl",
            "spokenLanguages",
        ):
            assert field in user
        assert set(user["settings"]) == {
            "webConferencesRecorded",
            "preventWebConferenceRecording",
            "telephonyCallsImported",
            "emailsImported",
            "preventEmailImport",
            "nonRecordedMeetingsImported",
            "gongConnectEnabled",
        }
        assert all(u["managerId"] is None or u["managerId"] in ids for u in users)
        assert sum(u["managerId"] is None for u in users) == 1

    def test_get_user(self, api: httpx.Client) -> None:
        user = api.get("/v2/users").json()["users"][3]
        assert api.get(f"/v2/users/{user['id']}").json()["user"] == user
        assert_gong_error(api.get("/v2/users/1234567890123456789"), 404)
        assert_gong_error(api.get("/v2/users/me"), 400, "id")

    def test_bad_include_avatars(self, api: httpx.Client) -> None:
        assert_gong_error(api.get("/v2/users", params={"includeAvatars": "maybe"}), 400, "includeAvatars")


def test_workspaces(api: httpx.Client) -> None:
    body = api.get("/v2/workspaces").json()
    assert body["requestId"]
    assert [set(w) for w in body["workspaces"]] == [{"id", "name", "description"}] * 3


class TestLibrary:
    def test_folders_and_content(self, api: httpx.Client) -> None:
        folders = api.get("/v2/library/folders").json()["folders"]
        assert len(folders) >= 6
        ids = {f["id"] for f in folders}
        assert all(f["parentFolderId"] is None or f["parentFolderId"] in ids for f in folders)
        content = api.get("/v2/library/folder-content", params={"folderId": folders[0]["id"]}).json()
        assert content["id"] == folders[0]["id"] and content["name"] == folders[0]["name"]
        assert content["calls"]
        call = content["calls"][0]
        assert set(call) == {"id", "title", "note", "addedBy", "created", "url", "snippet"}
        assert call["snippet"]["fromSec"] < call["snippet"]["toSec"]
        assert api.get(f"/v2/calls/{call['id']}").json()["call"]["title"] == call["title"]

    def test_folders_by_workspace(self, api: httpx.Client, gong_emulator: Emulator) -> None:
        workspace = gong_emulator.backend.data.workspaces[2]["id"]
        folders = api.get("/v2/library/folders", params={"workspaceId": workspace}).json()["folders"]
        everything = api.get("/v2/library/folders").json()["folders"]
        assert 0 < len(folders) < len(everything)

    def test_errors(self, api: httpx.Client) -> None:
        assert_gong_error(api.get("/v2/library/folder-content"), 400, "folderId")
        assert_gong_error(api.get("/v2/library/folder-content", params={"folderId": "x"}), 400, "folderId")
        assert_gong_error(api.get("/v2/library/folder-content", params={"folderId": "42"}), 404)
        assert_gong_error(api.get("/v2/library/folders", params={"workspaceId": "x42"}), 400, "workspaceId")
        # An unknown workspace has no folders (400 only with the guessed reference_checks).
        assert_gong_error(api.get("/v2/library/folders", params={"workspaceId": "42"}), 404, "No folders found")


class TestLogs:
    @pytest.mark.parametrize("log_type", LOG_TYPES)
    def test_each_type_pages(self, api: httpx.Client, log_type: str) -> None:
        params: dict[str, Any] = {"logType": log_type, "fromDateTime": "2000-01-01T00:00:00Z"}
        entries: list[dict[str, Any]] = []
        while True:
            body = api.get("/v2/logs", params=params).json()
            entries.extend(body["logEntries"])
            if "cursor" not in body["records"]:
                break
            params["cursor"] = body["records"]["cursor"]
        assert len(entries) == body["records"]["totalRecords"] >= 300
        assert all(e["userId"] and e["eventTime"] and isinstance(e["logRecord"], dict) for e in entries)

    def test_time_range(self, api: httpx.Client, gong_emulator: Emulator) -> None:
        data = gong_emulator.backend.data
        params = {
            "logType": "AccessLog",
            "fromDateTime": _iso(data.log_time_ms("AccessLog", 5)),
            "toDateTime": _iso(data.log_time_ms("AccessLog", 9)),
        }
        body = api.get("/v2/logs", params=params).json()
        assert body["records"]["totalRecords"] == 4

    @pytest.mark.parametrize(
        ("params", "fragment"),
        [
            ({"fromDateTime": "2020-01-01T00:00:00Z"}, "logType"),
            ({"logType": "Everything", "fromDateTime": "2020-01-01T00:00:00Z"}, "logType"),
            ({"logType": "AccessLog"}, "fromDateTime"),
            ({"logType": "AccessLog", "fromDateTime": "2020"}, "fromDateTime"),
            ({"logType": "AccessLog", "fromDateTime": "2020-01-01T00:00:00Z", "toDateTime": "x"}, "toDateTime"),
        ],
    )
    def test_bad_parameters(self, api: httpx.Client, params: dict[str, str], fragment: str) -> None:
        assert_gong_error(api.get("/v2/logs", params=params), 400, fragment)

    def test_empty_is_404(self, api: httpx.Client) -> None:
        response = api.get(
            "/v2/logs",
            params={
                "logType": "AccessLog",
                "fromDateTime": "2001-01-01T00:00:00Z",
                "toDateTime": "2001-01-02T00:00:00Z",
            },
        )
        assert_gong_error(response, 404, "No log records found")


def _iso(ms: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat()


def test_adding_a_call_to_a_folder_moves_its_updated_time(api: httpx.Client, gong_emulator: Emulator) -> None:
    folder = api.get("/v2/library/folders").json()["folders"][0]
    call_id = api.get("/v2/calls").json()["calls"][-1]["id"]
    gong_emulator.advance_clock(60)
    admin = httpx.post(
        f"{gong_emulator.base_url}/_emulator/library/folders/{folder['id']}/calls",
        json={"callId": call_id, "note": "Great close"},
    )
    assert admin.status_code == 200, admin.text
    content = api.get("/v2/library/folder-content", params={"folderId": folder["id"]}).json()
    assert content["calls"][-1]["id"] == call_id and content["calls"][-1]["note"] == "Great close"
    after = next(f for f in api.get("/v2/library/folders").json()["folders"] if f["id"] == folder["id"])
    assert after["updated"] == content["updated"] != folder["updated"]
    missing = httpx.post(
        f"{gong_emulator.base_url}/_emulator/library/folders/{folder['id']}/calls",
        json={"callId": "1234567890123456789"},
    )
    assert missing.status_code == 404


def test_request_log_keeps_json_bodies(api: httpx.Client, gong_emulator: Emulator) -> None:
    call_id = api.get("/v2/calls").json()["calls"][0]["id"]
    api.post("/v2/calls/transcript", json={"filter": {"callIds": [call_id]}})
    logged = gong_emulator.requests()[-1]
    assert logged["path"] == "/v2/calls/transcript"
    assert logged["body"] == {"filter": {"callIds": [call_id]}}
