"""Permission profiles: listing per workspace, one profile, its users, create and update."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from gong_connector.emulator import Emulator

from .conftest import assert_gong_error, basic_client

SMALL = {"calls": 40, "users": 20, "workspaces": 2}
UNKNOWN = "1234567890123456789"
SCOPED = ("callsAccess", "dealsAccess", "coachingAccess", "insightsAccess", "usageAccess", "emailsAccess")
LEVELS = {"all", "managers-team", "report-to-them", "own", "none"}
Factory = Callable[..., Emulator]
JSON = dict[str, Any]


@pytest.fixture
def emu(gong_emulator_factory: Factory) -> Emulator:
    return gong_emulator_factory(**SMALL)


def workspaces(api: httpx.Client) -> list[str]:
    return [w["id"] for w in api.get("/v2/workspaces").json()["workspaces"]]


def profiles(api: httpx.Client, workspace: str) -> list[JSON]:
    response = api.get("/v2/all-permission-profiles", params={"workspaceId": workspace})
    assert response.status_code == 200, response.text
    return list(response.json()["profiles"])


def new_profile(**changes: Any) -> JSON:
    body: JSON = {
        "name": "Contractors",
        "description": "Outside help",
        "callsAccess": {"permissionLevel": "own"},
        "libraryFolderAccess": {"permissionLevel": "none"},
        "scoreCalls": False,
        "callsAndSearch": True,
    }
    body.update(changes)
    return body


def test_each_workspace_has_its_profiles_in_name_order(api: httpx.Client) -> None:
    seen: set[str] = set()
    for workspace in workspaces(api):
        listed = profiles(api, workspace)
        names = [p["name"] for p in listed]
        assert names == sorted(names) == ["Administrator", "Manager", "Read Only", "Sales Rep"]
        for profile in listed:
            assert profile["id"].isdigit() and profile["id"] not in seen
            seen.add(profile["id"])
            for key in SCOPED:
                assert profile[key]["permissionLevel"] in LEVELS and profile[key]["teamLeadIds"] == []
            assert set(profile["forecastPermissions"]) == {
                "forecastAccess",
                "forecastEditSubmissions",
                "forecastEditTargets",
            }
            assert profile["libraryFolderAccess"]["permissionLevel"] in ("none", "all", "specific-folders")
            assert isinstance(profile["scoreCalls"], bool) and isinstance(profile["manageRevenueAnalytics"], bool)
            one = api.get("/v2/permission-profile", params={"profileId": profile["id"]}).json()
            assert one["profile"] == profile


def test_every_user_is_controlled_by_one_profile_per_workspace(api: httpx.Client) -> None:
    everyone = api.get("/v2/users").json()["users"]
    for workspace in workspaces(api):
        held: dict[str, str] = {}
        for profile in profiles(api, workspace):
            body = api.get("/v2/permission-profile/users", params={"profileId": profile["id"]}).json()
            for user in body["users"]:
                assert set(user) == {"id", "fullName", "emailAddress"} and user["id"] not in held
                held[user["id"]] = profile["name"]
        assert set(held) == {u["id"] for u in everyone}
        cro = next(u for u in everyone if u["managerId"] is None)
        assert held[cro["id"]] == "Administrator"
        for user in everyone:
            if not user["active"] and user["managerId"] is not None:
                assert held[user["id"]] == "Read Only"


def test_create_then_read_update_and_list(api: httpx.Client) -> None:
    workspace = workspaces(api)[1]
    created = api.post("/v2/permission-profile", params={"workspaceId": workspace}, json=new_profile(id="ignored"))
    assert created.status_code == 200, created.text
    profile = created.json()["profile"]
    assert profile["id"].isdigit() and profile["id"] != "ignored"
    assert profile["name"] == "Contractors" and profile["callsAccess"] == {"permissionLevel": "own", "teamLeadIds": []}
    assert profile["scoreCalls"] is False and profile["callsAndSearch"] is True and profile["deleteCalls"] is False
    assert api.get("/v2/permission-profile", params={"profileId": profile["id"]}).json()["profile"] == profile
    assert [p["name"] for p in profiles(api, workspace)][:2] == ["Administrator", "Contractors"]
    assert profile["id"] not in {p["id"] for p in profiles(api, workspaces(api)[0])}
    assert api.get("/v2/permission-profile/users", params={"profileId": profile["id"]}).json()["users"] == []
    lead = api.get("/v2/users").json()["users"][1]["id"]
    change = {
        "name": "Partners",
        "dealsAccess": {"permissionLevel": "managers-team", "teamLeadIds": [lead]},
        "deals": True,
    }
    updated = api.put("/v2/permission-profile", params={"profileId": profile["id"]}, json=change)
    assert updated.status_code == 200, updated.text
    after = updated.json()["profile"]
    assert after == {**profile, **change, "dealsAccess": {"permissionLevel": "managers-team", "teamLeadIds": [lead]}}
    assert api.get("/v2/permission-profile", params={"profileId": profile["id"]}).json()["profile"] == after
    seeded = profiles(api, workspace)[0]
    renamed = api.put("/v2/permission-profile", params={"profileId": seeded["id"]}, json={"description": "Owners"})
    assert renamed.json()["profile"] == {**seeded, "description": "Owners"}


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (new_profile(libraryFolderAccess=None), "libraryFolderAccess.permissionLevel"),
        (new_profile(libraryFolderAccess={"manageStreams": True}), "permissionLevel"),
        (new_profile(libraryFolderAccess={"permissionLevel": "some"}), "libraryFolderAccess"),
        (new_profile(libraryFolderAccess={"permissionLevel": "none", "libraryFolderIds": ["1"]}), "none"),
        (new_profile(libraryFolderAccess={"permissionLevel": "none", "manageStreams": True}), "none"),
        (new_profile(callsAccess={"permissionLevel": "team"}), "callsAccess.permissionLevel"),
        (new_profile(callsAccess="all"), "callsAccess"),
        (new_profile(coachingAccess={"permissionLevel": "own", "teamLeadIds": ["lead"]}), "teamLeadIds"),
        (new_profile(forecastPermissions={"forecastAccess": {"permissionLevel": "x"}}), "forecastAccess"),
        (new_profile(scoreCalls="yes"), "scoreCalls"),
        (new_profile(name=7), "name"),
    ],
)
def test_create_refuses_what_the_document_rules_out(api: httpx.Client, body: JSON, fragment: str) -> None:
    body = {k: v for k, v in body.items() if v is not None}
    workspace = workspaces(api)[0]
    assert_gong_error(api.post("/v2/permission-profile", params={"workspaceId": workspace}, json=body), 400, fragment)


def test_profile_ids_and_workspaces(gong_emulator_factory: Factory) -> None:
    with basic_client(gong_emulator_factory(**SMALL)) as api:
        for path in ("/v2/permission-profile", "/v2/permission-profile/users"):
            assert_gong_error(api.get(path), 400, "profileId")
            assert_gong_error(api.get(path, params={"profileId": "admin"}), 400, "profileId")
            assert_gong_error(api.get(path, params={"profileId": UNKNOWN}), 400, "does not exist")
        assert_gong_error(
            api.put("/v2/permission-profile", params={"profileId": UNKNOWN}, json={}), 400, "does not exist"
        )
        assert_gong_error(api.get("/v2/all-permission-profiles"), 400, "workspaceId")
        assert_gong_error(api.post("/v2/permission-profile", json=new_profile()), 400, "workspaceId")
        assert profiles(api, UNKNOWN) == []
    with basic_client(gong_emulator_factory(reference_checks=True, **SMALL)) as api:
        assert_gong_error(
            api.get("/v2/all-permission-profiles", params={"workspaceId": UNKNOWN}), 400, "does not exist"
        )
        body = new_profile(dealsAccess={"permissionLevel": "managers-team", "teamLeadIds": [UNKNOWN]})
        workspace = workspaces(api)[0]
        assert_gong_error(
            api.post("/v2/permission-profile", params={"workspaceId": workspace}, json=body), 400, "teamLeadIds"
        )
