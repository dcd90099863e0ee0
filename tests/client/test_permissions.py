"""Permission profiles over real HTTP, sync and async."""

from __future__ import annotations

from gong_connector.client import (
    AccessLevel,
    AccessSetting,
    ForecastPermissions,
    LibraryFolderAccess,
    PermissionProfile,
    ProfileUser,
)
from gong_connector.emulator import Emulator

from .conftest import Facade, api_requests


def _workspace(api: Facade) -> str:
    workspace: str = api.list_workspaces().to_list()[0].id
    return workspace


def test_profiles_of_a_workspace_and_one_by_id(ro_api: Facade, shared_emu: Emulator) -> None:
    workspace = _workspace(ro_api)
    profiles = ro_api.list_permission_profiles(workspace_id=workspace).to_list()
    assert profiles and all(isinstance(p, PermissionProfile) and not p.problems() for p in profiles)
    names = [p.name or "" for p in profiles]
    assert names == sorted(names, key=str.lower) or names == sorted(names)  # Gong lists them by name
    assert api_requests(shared_emu)[-1]["query"] == {"workspaceId": workspace}
    one = ro_api.get_permission_profile(profile_id=profiles[0].id)
    assert isinstance(one, PermissionProfile) and one.raw == profiles[0].raw
    assert one.calls_access is None or isinstance(one.calls_access, AccessLevel)
    assert one.library_folder_access is None or isinstance(one.library_folder_access, LibraryFolderAccess)
    assert one.forecast_permissions is None or isinstance(one.forecast_permissions, ForecastPermissions)


def test_users_a_profile_governs(ro_api: Facade) -> None:
    workspace = _workspace(ro_api)
    profiles = ro_api.list_permission_profiles(workspace_id=workspace).to_list()
    governed = [u for p in profiles for u in ro_api.list_permission_profile_users(profile_id=p.id).to_list()]
    assert governed and all(isinstance(u, ProfileUser) and not u.problems() for u in governed)
    known = {u.id for u in ro_api.list_users().to_list()}
    assert {u.id for u in governed} <= known


def test_create_then_update_a_profile(api: Facade, gong_emulator: Emulator) -> None:
    workspace = _workspace(api)
    lead = api.list_users().first_page().items[0].id
    created = api.create_permission_profile(
        workspace_id=workspace,
        name="Sales managers",
        description="Managers of the sales teams",
        calls_access=AccessSetting(permission_level="managers-team", team_lead_ids=[lead]),
        library_folder_access={"permissionLevel": "all", "manageStreams": True},
        forecast_permissions={"forecast_access": {"permission_level": "own"}},
        score_calls=True,
        export_calls_and_coaching_data_to_csv=False,
    )
    assert isinstance(created, PermissionProfile) and created.id and created.name == "Sales managers"
    assert created.calls_access is not None and created.calls_access.permission_level == "managers-team"
    assert created.score_calls is True and created.export_calls_and_coaching_data_to_csv is False
    (post,) = [r for r in api_requests(gong_emulator) if r["method"] == "POST"]
    assert post["query"] == {"workspaceId": workspace}
    assert post["body"] == {
        "name": "Sales managers",
        "description": "Managers of the sales teams",
        "callsAccess": {"permissionLevel": "managers-team", "teamLeadIds": [lead]},
        "libraryFolderAccess": {"permissionLevel": "all", "manageStreams": True},
        "forecastPermissions": {"forecastAccess": {"permissionLevel": "own"}},
        "scoreCalls": True,
        "exportCallsAndCoachingDataToCSV": False,
    }
    updated = api.update_permission_profile(profile_id=created.id, name="Sales leads", score_calls=False)
    assert isinstance(updated, PermissionProfile) and updated.id == created.id
    assert updated.name == "Sales leads" and updated.score_calls is False
    assert api.get_permission_profile(profile_id=created.id).name == "Sales leads"
    listed = api.list_permission_profiles(workspace_id=workspace).to_list()
    assert created.id in {p.id for p in listed}
