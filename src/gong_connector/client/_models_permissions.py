"""Who may see what in Gong: permission profiles, the users they govern, and the access to
single calls granted through the API.

Response models are lazy, tolerant views (see ``_record.py``); the request parts (an access
level, library access, forecast permissions, a call's users) are strict pydantic models.
"""

from __future__ import annotations

import re

from pydantic import field_validator, model_validator

from ._models import RequestModel
from ._record import GongModel

__all__ = [
    "PERMISSION_LEVELS",
    "AccessLevel",
    "AccessSetting",
    "CallAccess",
    "CallAccessUser",
    "CallUsersAccess",
    "ForecastPermissionSettings",
    "ForecastPermissions",
    "LibraryFolderAccess",
    "LibraryFolderAccessSetting",
    "PermissionProfile",
    "ProfileUser",
]

#: Whose data a profile opens: everyone's, a team lead's team, the user's reports, their own, none.
PERMISSION_LEVELS = ("all", "managers-team", "report-to-them", "own", "none")
_ID_RE = re.compile(r"[0-9]{1,20}")


def _ids(values: list[str] | None) -> list[str] | None:
    for value in values or ():
        if not _ID_RE.fullmatch(value):
            raise ValueError("each id must be a string of 1 to 20 digits")
    return values


# --------------------------------------------------------------------------- responses


class AccessLevel(GongModel):
    """How far one kind of access reaches, and the team leads whose teams it covers."""

    permission_level: str | None
    team_lead_ids: list[str]


class LibraryFolderAccess(GongModel):
    """Which library folders a profile opens and what its users may do there."""

    permission_level: str | None
    library_folder_ids: list[str]
    manage_public_folder: bool | None
    manage_streams: bool | None
    manage_folder_calls: bool | None
    share_folders_and_streams: bool | None


class ForecastPermissions(GongModel):
    """Viewing forecast submissions, editing them, and editing targets."""

    forecast_access: AccessLevel | None
    forecast_edit_submissions: AccessLevel | None
    forecast_edit_targets: AccessLevel | None


class PermissionProfile(GongModel):
    """A permission profile: its access levels and the capabilities it grants."""

    __key__ = ("id",)

    id: str | None
    name: str | None
    description: str | None
    calls_access: AccessLevel | None
    library_folder_access: LibraryFolderAccess | None
    deals_access: AccessLevel | None
    forecast_permissions: ForecastPermissions | None
    coaching_access: AccessLevel | None
    insights_access: AccessLevel | None
    usage_access: AccessLevel | None
    emails_access: AccessLevel | None
    score_calls: bool | None
    download_call_media: bool | None
    share_calls_with_customers: bool | None
    manually_schedule_and_upload_calls: bool | None
    private_calls: bool | None
    delete_calls: bool | None
    trim_calls: bool | None
    listen_in_calls: bool | None
    delete_emails: bool | None
    calls_and_search: bool | None
    library: bool | None
    deals: bool | None
    create_edit_and_delete_deals_boards: bool | None
    deals_inline_editing: bool | None
    account: bool | None
    coaching: bool | None
    usage: bool | None
    team_stats: bool | None
    initiatives: bool | None
    market: bool | None
    activity: bool | None
    forecast: bool | None
    forecast_manage: bool | None
    engage_manage_company_templates: bool | None
    engage_manage_company_sequences: bool | None
    engage_snooze_flow_to_dos_for_others: bool | None
    manage_general_business_settings: bool | None
    manage_scorecards: bool | None
    export_calls_and_coaching_data_to_csv: bool | None
    crm_data_inline_editing: bool | None
    crm_data_import: bool | None
    view_revenue_analytics: bool | None
    manage_revenue_analytics: bool | None


# Gong spells the initialism in capitals, where the generic camelCase would say ``...ToCsv``.
PermissionProfile._fields["export_calls_and_coaching_data_to_csv"].wire = "exportCallsAndCoachingDataToCSV"


class ProfileUser(GongModel):
    """A user whose access a permission profile governs."""

    __key__ = ("id",)

    id: str | None
    full_name: str | None
    email_address: str | None


class CallAccessUser(GongModel):
    """A user given access to a call through the API."""

    user_id: str | None


class CallAccess(GongModel):
    """A call and the users given individual access to it through the API."""

    __key__ = ("call_id",)

    call_id: str | None
    users: list[CallAccessUser]


# --------------------------------------------------------------------------- request parts


class AccessSetting(RequestModel):
    """How far one kind of access reaches; ``managers-team`` needs the team leads' user ids."""

    permission_level: str
    team_lead_ids: list[str] | None = None

    @field_validator("permission_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value not in PERMISSION_LEVELS:
            raise ValueError(f"must be one of {', '.join(PERMISSION_LEVELS)}")
        return value

    @field_validator("team_lead_ids")
    @classmethod
    def _team(cls, value: list[str] | None) -> list[str] | None:
        return _ids(value)


class LibraryFolderAccessSetting(RequestModel):
    """Which library folders a profile opens (``none``, ``all`` or ``specific-folders``)."""

    permission_level: str
    library_folder_ids: list[str] | None = None
    manage_public_folder: bool | None = None
    manage_streams: bool | None = None
    manage_folder_calls: bool | None = None
    share_folders_and_streams: bool | None = None

    @field_validator("permission_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value not in ("none", "all", "specific-folders"):
            raise ValueError("must be one of none, all, specific-folders")
        return value

    @field_validator("library_folder_ids")
    @classmethod
    def _folders(cls, value: list[str] | None) -> list[str] | None:
        return _ids(value)

    @model_validator(mode="after")
    def _none_grants_nothing(self) -> LibraryFolderAccessSetting:
        rights = (
            self.manage_public_folder,
            self.manage_streams,
            self.manage_folder_calls,
            self.share_folders_and_streams,
        )
        if self.permission_level == "none" and (self.library_folder_ids or any(rights)):
            raise ValueError("with permission_level none, give no library_folder_ids and set no folder right")
        return self


class ForecastPermissionSettings(RequestModel):
    """Viewing forecast submissions, editing them, and editing targets."""

    forecast_access: AccessSetting | None = None
    forecast_edit_submissions: AccessSetting | None = None
    forecast_edit_targets: AccessSetting | None = None


class CallUsersAccess(RequestModel):
    """A call and the users to give (or take back) individual access to it."""

    call_id: str
    user_ids: list[str]

    @field_validator("call_id")
    @classmethod
    def _call(cls, value: str) -> str:
        if not _ID_RE.fullmatch(value):
            raise ValueError("must be a string of 1 to 20 digits")
        return value

    @field_validator("user_ids")
    @classmethod
    def _users(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("needs at least one user id")
        _ids(value)
        return value
