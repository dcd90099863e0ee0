"""Permission profiles (``/v2/permission-profile``, ``/v2/all-permission-profiles``) and their users.

Each workspace has four profiles; in each, the CRO's access is set by the Administrator
profile, managers' by Manager, active reps' by Sales Rep and inactive users' by Read Only.
Profiles created or updated through the API are kept until the next reset; created ones
control nobody (no operation assigns users to a profile).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from ._checks import check_id, optional_str
from ._company import Company
from ._errors import bad_request
from ._ids import IdCodec

JSON = dict[str, Any]

LEVELS = ("all", "managers-team", "report-to-them", "own", "none", "all / managers-team / report-to-them / own / none")
FOLDER_LEVELS = ("none", "all", "specific-folders", "none, all, specific-folders")
SCOPED_ACCESS = ("callsAccess", "dealsAccess", "coachingAccess", "insightsAccess", "usageAccess", "emailsAccess")
FORECAST_ACCESS = ("forecastAccess", "forecastEditSubmissions", "forecastEditTargets")
FOLDER_FLAGS = ("managePublicFolder", "manageStreams", "manageFolderCalls", "shareFoldersAndStreams")
CAPABILITIES = (
    "scoreCalls",
    "downloadCallMedia",
    "shareCallsWithCustomers",
    "manuallyScheduleAndUploadCalls",
    "privateCalls",
    "deleteCalls",
    "trimCalls",
    "listenInCalls",
    "deleteEmails",
    "callsAndSearch",
    "library",
    "deals",
    "createEditAndDeleteDealsBoards",
    "dealsInlineEditing",
    "account",
    "coaching",
    "usage",
    "teamStats",
    "initiatives",
    "market",
    "activity",
    "forecast",
    "forecastManage",
    "engageManageCompanyTemplates",
    "engageManageCompanySequences",
    "engageSnoozeFlowToDosForOthers",
    "manageGeneralBusinessSettings",
    "manageScorecards",
    "exportCallsAndCoachingDataToCSV",
    "crmDataInlineEditing",
    "crmDataImport",
    "viewRevenueAnalytics",
    "manageRevenueAnalytics",
)
#: (name, description, whose access it sets, access level, library level, capabilities it lacks)
TEMPLATES: tuple[tuple[str, str, str, str, str, frozenset[str]], ...] = (
    ("Administrator", "Full access to everything", "head", "all", "all", frozenset()),
    (
        "Manager",
        "Team leads: their reports' calls, deals and coaching",
        "manager",
        "report-to-them",
        "all",
        frozenset({"manageGeneralBusinessSettings", "manageRevenueAnalytics", "crmDataImport", "deleteCalls"}),
    ),
    (
        "Sales Rep",
        "Reps: every call, their own deals and coaching",
        "rep",
        "own",
        "all",
        frozenset(CAPABILITIES)
        - {"callsAndSearch", "library", "deals", "account", "activity", "scoreCalls", "privateCalls"},
    ),
    (
        "Read Only",
        "Users who left: their own calls only",
        "inactive",
        "own",
        "none",
        frozenset(CAPABILITIES) - {"callsAndSearch"},
    ),
)


@dataclass
class Profile:
    workspace_id: str
    dto: JSON
    #: Whose access it sets among the generated users (``None`` for profiles made through the API).
    holders: str | None


def _template_dto(profile_id: str, template: tuple[str, str, str, str, str, frozenset[str]]) -> JSON:
    name, description, holders, level, folder_level, lacks = template
    scoped = {"permissionLevel": level, "teamLeadIds": []}
    dto: JSON = {"id": profile_id, "name": name, "description": description}
    for key in SCOPED_ACCESS:
        dto[key] = dict(scoped)
    # Reps see every call; what they own is their deals and coaching.
    if holders == "rep":
        dto["callsAccess"] = {"permissionLevel": "all", "teamLeadIds": []}
    managing = folder_level != "none" and holders in ("head", "manager")
    dto["libraryFolderAccess"] = {
        "permissionLevel": folder_level,
        "libraryFolderIds": [],
        **{flag: managing for flag in FOLDER_FLAGS},
    }
    dto["forecastPermissions"] = {key: dict(scoped) for key in FORECAST_ACCESS}
    dto.update({capability: capability not in lacks for capability in CAPABILITIES})
    return dto


class PermissionProfiles(Company):
    permission_profiles: dict[str, Profile]
    profiles_created: int
    _profile_ids: IdCodec

    def _load(self) -> None:
        super()._load()
        self._profile_ids = IdCodec(self.config.seed, "permission-profile")
        self.permission_profiles = {}
        self.profiles_created = 0
        for w, workspace in enumerate(self.data.workspaces):
            for t, template in enumerate(TEMPLATES):
                profile_id = self._profile_ids.encode(w * 16 + t)
                self.permission_profiles[profile_id] = Profile(
                    str(workspace["id"]), _template_dto(profile_id, template), template[2]
                )

    def _profile(self, profile_id: str | None) -> Profile:
        if profile_id is None:
            raise bad_request("profileId is required")
        check_id(profile_id, "profileId")
        profile = self.permission_profiles.get(profile_id)
        if profile is None:
            raise bad_request(f"profileId {profile_id} does not exist")
        return profile

    # ----- reads ------------------------------------------------------------------------------

    def list_permission_profiles(self, workspace_id: str | None) -> JSON:
        if workspace_id is None:
            raise bad_request("workspaceId is required")
        check_id(workspace_id, "workspaceId")
        if self.config.reference_checks:
            self.known_workspace(workspace_id)
        with self.lock:
            shown = [p.dto for p in self.permission_profiles.values() if p.workspace_id == workspace_id]
            return {"profiles": copy.deepcopy(sorted(shown, key=lambda d: (str(d.get("name") or "").lower(), d["id"])))}

    def get_permission_profile(self, profile_id: str | None) -> JSON:
        with self.lock:
            return {"profile": copy.deepcopy(self._profile(profile_id).dto)}

    def permission_profile_users(self, profile_id: str | None) -> JSON:
        with self.lock:
            holders = self._profile(profile_id).holders
        users = [u for u in self.data.users if _holder_kind(u) == holders] if holders else []
        return {
            "users": [
                {"id": u["id"], "fullName": f"{u['firstName']} {u['lastName']}", "emailAddress": u["emailAddress"]}
                for u in users
            ]
        }

    # ----- writes -----------------------------------------------------------------------------

    def create_permission_profile(self, workspace_id: str | None, body: JSON) -> JSON:
        if workspace_id is None:
            raise bad_request("workspaceId is required")
        check_id(workspace_id, "workspaceId")
        fields = self._check_profile(body, creating=True)
        with self.lock:
            if self.config.reference_checks:
                self.known_workspace(workspace_id)
            self.profiles_created += 1
            profile_id = self._profile_ids.encode(100_000 + self.profiles_created)
            self.permission_profiles[profile_id] = Profile(workspace_id, {"id": profile_id, **fields}, None)
            return {"profile": copy.deepcopy(self.permission_profiles[profile_id].dto)}

    def update_permission_profile(self, profile_id: str | None, body: JSON) -> JSON:
        fields = self._check_profile(body, creating=False)
        with self.lock:
            profile = self._profile(profile_id)
            profile.dto.update(fields)
            return {"profile": copy.deepcopy(profile.dto)}

    def _check_profile(self, body: JSON, *, creating: bool) -> JSON:
        """The profile fields of ``body`` after the document's rules (unknown fields dropped)."""
        fields: JSON = {}
        for name in ("name", "description"):
            if name in body:
                fields[name] = optional_str(body, name)
        for key in SCOPED_ACCESS:
            if body.get(key) is not None:
                fields[key] = self._scoped(body[key], key)
        forecast = body.get("forecastPermissions")
        if forecast is not None:
            if not isinstance(forecast, dict):
                raise bad_request("forecastPermissions must be an object")
            fields["forecastPermissions"] = {
                key: self._scoped(forecast[key], f"forecastPermissions.{key}")
                for key in FORECAST_ACCESS
                if forecast.get(key) is not None
            }
        folders = body.get("libraryFolderAccess")
        if folders is None and creating:
            raise bad_request("libraryFolderAccess.permissionLevel is required")
        if folders is not None:
            fields["libraryFolderAccess"] = self._folder_access(folders)
        for capability in CAPABILITIES:
            value = body.get(capability)
            if value is not None and not isinstance(value, bool):
                raise bad_request(f"{capability} must be true or false")
            if value is not None or creating:
                fields[capability] = bool(value)
        return fields

    def _scoped(self, value: object, name: str) -> JSON:
        if not isinstance(value, dict):
            raise bad_request(f"{name} must be an object")
        level = value.get("permissionLevel")
        if level not in LEVELS:
            raise bad_request(f"{name}.permissionLevel must be one of {', '.join(LEVELS[:5])}")
        leads = self._ids(value, "teamLeadIds", name)
        if self.config.reference_checks:
            for lead in leads:
                if lead not in self.data.users_by_id:
                    raise bad_request(f"{name}.teamLeadIds: user {lead} does not exist")
        return {"permissionLevel": level, "teamLeadIds": leads}

    def _folder_access(self, value: object) -> JSON:
        name = "libraryFolderAccess"
        if not isinstance(value, dict):
            raise bad_request(f"{name} must be an object")
        level = value.get("permissionLevel")
        if level is None:
            raise bad_request(f"{name}.permissionLevel is required")
        if level not in FOLDER_LEVELS:
            raise bad_request(f"{name}.permissionLevel must be one of {', '.join(FOLDER_LEVELS[:3])}")
        folders = self._ids(value, "libraryFolderIds", name)
        flags = {}
        for flag in FOLDER_FLAGS:
            given = value.get(flag)
            if given is not None and not isinstance(given, bool):
                raise bad_request(f"{name}.{flag} must be true or false")
            flags[flag] = bool(given)
        if level == "none" and (folders or any(flags.values())):
            raise bad_request(f'{name}: with permissionLevel "none", set no folders and no folder rights')
        if self.config.reference_checks:
            known = {f.id for f in self.data.folders}
            for folder in folders:
                if folder not in known:
                    raise bad_request(f"{name}.libraryFolderIds: folder {folder} does not exist")
        return {"permissionLevel": level, "libraryFolderIds": folders, **flags}

    @staticmethod
    def _ids(value: JSON, key: str, name: str) -> list[str]:
        ids = value.get(key)
        if ids is None:
            return []
        if not isinstance(ids, list):
            raise bad_request(f"{name}.{key} must be a list of IDs")
        return [check_id(x, f"{name}.{key}") for x in ids]


def _holder_kind(user: JSON) -> str:
    """Which seeded profile sets a generated user's access."""
    if not user["active"] and user["_role"] != "head":
        return "inactive"
    return str(user["_role"])
