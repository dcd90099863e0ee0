"""Keyword trackers, users' settings history and ``POST /v2/users/extensive``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from gong_connector.emulator import Emulator

from .conftest import assert_gong_error, basic_client

SMALL = {"calls": 120, "users": 12, "workspaces": 3, "page_size": 5}
Factory = Callable[..., Emulator]
JSON = dict[str, Any]


@pytest.fixture
def emu(gong_emulator_factory: Factory) -> Emulator:
    return gong_emulator_factory(**SMALL)


def users_extensive(api: httpx.Client, flt: JSON) -> list[JSON]:
    body: JSON = {"filter": flt}
    out: list[JSON] = []
    while True:
        response = api.post("/v2/users/extensive", json=body)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["records"]["currentPageSize"] == len(page["users"]) <= SMALL["page_size"]
        out.extend(page["users"])
        if "cursor" not in page["records"]:
            assert page["records"]["totalRecords"] == len(out)
            return out
        body["cursor"] = page["records"]["cursor"]


def all_users(api: httpx.Client, avatars: bool = False) -> list[JSON]:
    params: JSON = {"includeAvatars": str(avatars).lower()}
    out: list[JSON] = []
    while True:
        page = api.get("/v2/users", params=params).json()
        out.extend(page["users"])
        if "cursor" not in page["records"]:
            return out
        params["cursor"] = page["records"]["cursor"]


# ----- trackers ----------------------------------------------------------------------------------


def test_trackers_are_the_ones_extensive_data_reports(api: httpx.Client) -> None:
    trackers = api.get("/v2/settings/trackers").json()["keywordTrackers"]
    workspaces = [w["id"] for w in api.get("/v2/workspaces").json()["workspaces"]]
    assert {t["workspaceId"] for t in trackers} == set(workspaces)
    for tracker in trackers:
        assert isinstance(tracker["trackerId"], str) and tracker["trackerId"].isdigit()
        assert tracker["trackerName"] and tracker["affiliation"] in ("Anyone", "Company", "NonCompany")
        assert tracker["saidAt"] in ("Anytime", "First", "Last")
        [keywords] = tracker["languageKeywords"]
        assert keywords["language"] == "eng" and keywords["keywords"]
        assert datetime.fromisoformat(tracker["created"]) <= datetime.fromisoformat(tracker["updated"])
    selector = {"exposedFields": {"content": {"trackers": True}}}
    calls = api.post("/v2/calls/extensive", json={"filter": {}, "contentSelector": selector}).json()["calls"]
    for call in calls:
        named = {t["name"]: t["id"] for t in call["content"]["trackers"]}
        mine = [t for t in trackers if t["workspaceId"] == call["metaData"]["workspaceId"]]
        assert mine and all(named[t["trackerName"]] == t["trackerId"] for t in mine)


def test_trackers_of_one_workspace(api: httpx.Client) -> None:
    workspace = api.get("/v2/workspaces").json()["workspaces"][1]["id"]
    trackers = api.get("/v2/settings/trackers", params={"workspaceId": workspace}).json()["keywordTrackers"]
    assert trackers and all(t["workspaceId"] == workspace for t in trackers)
    assert_gong_error(api.get("/v2/settings/trackers", params={"workspaceId": "1234567890123456789"}), 404, "Workspace")
    assert_gong_error(api.get("/v2/settings/trackers", params={"workspaceId": "sales"}), 400, "workspaceId")


# ----- settings history --------------------------------------------------------------------------

SETTING_FIELDS = {
    "webConferencesRecorded": "webConferencesRecorded",
    "preventWebConferenceRecording": "preventWebConferenceRecording",
    "emailsImported": "emailsImported",
    "preventEmailImport": "preventEmailImport",
    "nonRecordedMeetingsImported": "nonRecordedMeetingsImported",
    "gongConnectEnabled": "gongConnectEnabled",
    "callsImported": "telephonyCallsImported",
}


def test_settings_history_ends_in_the_users_settings(api: httpx.Client) -> None:
    changed = 0
    for user in all_users(api):
        history = api.get(f"/v2/users/{user['id']}/settings-history").json()["userSettingsHistory"]
        times = [datetime.fromisoformat(h["time"]) for h in history]
        assert times == sorted(times) and times[0] == datetime.fromisoformat(user["created"])
        latest: dict[str, bool] = {}
        for entry in history:
            assert set(entry) == {"setting", "value", "time"} and isinstance(entry["value"], bool)
            changed += entry["setting"] in latest
            latest[entry["setting"]] = entry["value"]
        assert latest.pop("active") == user["active"]
        assert latest == {name: user["settings"][field] for name, field in SETTING_FIELDS.items()}
    assert changed  # some settings changed after the user was created


def test_settings_history_errors(api: httpx.Client) -> None:
    assert_gong_error(api.get("/v2/users/1234567890123456789/settings-history"), 404, "User")
    assert_gong_error(api.get("/v2/users/me/settings-history"), 400, "id")


# ----- users extensive ---------------------------------------------------------------------------


def test_users_extensive_pages_and_filters(api: httpx.Client) -> None:
    everyone = all_users(api)
    assert users_extensive(api, {}) == everyone
    with_avatars = users_extensive(api, {"includeAvatars": True})
    assert with_avatars == all_users(api, avatars=True) and len(with_avatars) == len(everyone) + 2
    chosen = [everyone[3]["id"], everyone[0]["id"], "1234567890123456789"]
    assert [u["id"] for u in users_extensive(api, {"userIds": chosen})] == [everyone[0]["id"], everyone[3]["id"]]
    created = sorted(datetime.fromisoformat(u["created"]) for u in everyone)
    cut = created[len(created) // 2]
    later = users_extensive(api, {"createdFromDateTime": cut.isoformat()})
    earlier = users_extensive(api, {"createdToDateTime": cut.isoformat()})
    assert later and earlier and len(later) + len(earlier) == len(everyone)
    assert all(datetime.fromisoformat(u["created"]) >= cut for u in later)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({}, "filter"),
        ({"filter": {"userIds": "all"}}, "userIds"),
        ({"filter": {"userIds": ["me"]}}, "userIds"),
        ({"filter": {"includeAvatars": "yes"}}, "includeAvatars"),
        ({"filter": {"createdFromDateTime": "2026-01-01"}}, "createdFromDateTime"),
        ({"filter": {}, "cursor": "forged"}, "cursor"),
    ],
)
def test_users_extensive_bad_input(api: httpx.Client, body: JSON, fragment: str) -> None:
    assert_gong_error(api.post("/v2/users/extensive", json=body), 400, fragment)


def test_users_extensive_empty(gong_emulator_factory: Factory) -> None:
    nobody = {"filter": {"userIds": ["1234567890123456789"]}}
    with basic_client(gong_emulator_factory(**SMALL)) as api:
        body = api.post("/v2/users/extensive", json=nobody).json()
        assert body["users"] == [] and body["records"]["totalRecords"] == 0
    with basic_client(gong_emulator_factory(empty_results_404=True, **SMALL)) as api:
        assert_gong_error(api.post("/v2/users/extensive", json=nobody), 404, "No users found")
