"""Permission profiles (what a group of users may see and do) and the users they govern.

Gong's reference names no OAuth scope for the profile endpoints themselves (listing a
profile's users needs ``api:users:read``); their declarations say so with ``scope=None``.
"""

# Action bodies are never run: the declaration is the definition (see _define.py).
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from typing import Annotated

from ._define import Body, In, Query, action, list_action
from ._kinds import BOOL, ID, Model
from ._models import ModelInput
from ._models_permissions import (
    AccessSetting,
    ForecastPermissionSettings,
    LibraryFolderAccessSetting,
    PermissionProfile,
    ProfileUser,
)
from ._paging import Pager

__all__ = ["Permissions"]

#: The scope of an endpoint whose scope Gong's reference does not state (read as None).

WORKSPACE_ID = Query(ID, help="The workspace the profiles belong to.")
PROFILE_ID = Query(ID, help="The permission profile's id.", example="3843152912968920037")

_LEVEL = {"permissionLevel": "managers-team", "teamLeadIds": ["295738305212375930"]}
_LIBRARY = {"permissionLevel": "all", "manageStreams": True}
_FORECAST = {"forecastAccess": {"permissionLevel": "own"}}

NAME = Body(help="The profile's name.", example="Sales managers")
DESCRIPTION = Body(help="What the profile is for.", example="Managers of the sales teams")

CALLS_ACCESS = Body(Model(AccessSetting), help="Whose calls its users see.", example=_LEVEL)
LIBRARY_FOLDER_ACCESS = Body(
    Model(LibraryFolderAccessSetting),
    help="Which library folders its users see (none, all, specific-folders), and what they may do there.",
    example=_LIBRARY,
)
DEALS_ACCESS = Body(Model(AccessSetting), help="Whose deals its users see.", example=_LEVEL)
FORECAST_PERMISSIONS = Body(
    Model(ForecastPermissionSettings),
    help="Who may view forecast submissions, edit them, and edit targets.",
    example=_FORECAST,
)
COACHING_ACCESS = Body(Model(AccessSetting), help="Whose coaching data its users see.", example=_LEVEL)
INSIGHTS_ACCESS = Body(Model(AccessSetting), help="Whose insights its users see.", example=_LEVEL)
USAGE_ACCESS = Body(Model(AccessSetting), help="Whose usage data its users see.", example=_LEVEL)
EMAILS_ACCESS = Body(Model(AccessSetting), help="Whose e-mails its users see.", example=_LEVEL)

#: Each capability a profile grants, by input name (sent as Gong's camelCase).
CAPABILITIES: dict[str, In] = {
    "score_calls": Body(BOOL, help="May score calls."),
    "download_call_media": Body(BOOL, help="May download call recordings."),
    "share_calls_with_customers": Body(BOOL, help="May share calls with customers."),
    "manually_schedule_and_upload_calls": Body(BOOL, help="May schedule and upload calls by hand."),
    "private_calls": Body(BOOL, help="May make their own calls private."),
    "delete_calls": Body(BOOL, help="May delete calls."),
    "trim_calls": Body(BOOL, help="May trim calls."),
    "listen_in_calls": Body(BOOL, help="May listen in to calls."),
    "delete_emails": Body(BOOL, help="May delete e-mails."),
    "calls_and_search": Body(BOOL, help="May view and search calls."),
    "library": Body(BOOL, help="May view the library pages."),
    "deals": Body(BOOL, help="May view the deals pages."),
    "create_edit_and_delete_deals_boards": Body(BOOL, help="May create, edit and delete deals boards."),
    "deals_inline_editing": Body(BOOL, help="May edit deals inline."),
    "account": Body(BOOL, help="May view the account pages."),
    "coaching": Body(BOOL, help="May view the coaching pages."),
    "usage": Body(BOOL, help="May view the usage pages."),
    "team_stats": Body(BOOL, help="May view the team stats page."),
    "initiatives": Body(BOOL, help="May view the initiatives page."),
    "market": Body(BOOL, help="May view the market page."),
    "activity": Body(BOOL, help="May view the activity pages."),
    "forecast": Body(BOOL, help="May view the forecast pages."),
    "forecast_manage": Body(BOOL, help="May manage forecast boards and upload targets."),
    "engage_manage_company_templates": Body(BOOL, help="May manage the company's e-mail templates."),
    "engage_manage_company_sequences": Body(BOOL, help="May manage the company's sequences."),
    "engage_snooze_flow_to_dos_for_others": Body(BOOL, help="May snooze other people's flow to-dos."),
    "manage_general_business_settings": Body(BOOL, help="May manage general business settings."),
    "manage_scorecards": Body(BOOL, help="May manage scorecards."),
    "export_calls_and_coaching_data_to_csv": Body(
        BOOL, help="May export calls and coaching data to CSV.", wire="exportCallsAndCoachingDataToCSV"
    ),
    "crm_data_inline_editing": Body(BOOL, help="May edit CRM data inline."),
    "crm_data_import": Body(BOOL, help="May import CRM data."),
    "view_revenue_analytics": Body(BOOL, help="May view the revenue analytics dashboards."),
    "manage_revenue_analytics": Body(BOOL, help="May manage revenue analytics."),
}


class Permissions:
    """The permission-profile actions, shared by both clients."""

    @list_action("GET", "/v2/all-permission-profiles", scope=None, items="profiles", in_spec=False)
    def list_permission_profiles(self, *, workspace_id: Annotated[str, WORKSPACE_ID]) -> Pager[PermissionProfile]:
        """A workspace's permission profiles, by name (one page). Gong's reference states no
        OAuth scope for it."""

    @action("GET", "/v2/permission-profile", scope=None, result="profile", in_spec=False)
    def get_permission_profile(self, *, profile_id: Annotated[str, PROFILE_ID]) -> PermissionProfile:
        """One permission profile by id. Gong's reference states no OAuth scope for it."""

    @action("POST", "/v2/permission-profile", scope=None, result="profile", in_spec=False)
    def create_permission_profile(
        self,
        *,
        workspace_id: Annotated[str, Query(ID, help="The workspace to create the profile in.")],
        name: Annotated[str, NAME],
        library_folder_access: Annotated[ModelInput[LibraryFolderAccessSetting], LIBRARY_FOLDER_ACCESS],
        description: Annotated[str | None, DESCRIPTION] = None,
        calls_access: Annotated[ModelInput[AccessSetting] | None, CALLS_ACCESS] = None,
        deals_access: Annotated[ModelInput[AccessSetting] | None, DEALS_ACCESS] = None,
        forecast_permissions: Annotated[ModelInput[ForecastPermissionSettings] | None, FORECAST_PERMISSIONS] = None,
        coaching_access: Annotated[ModelInput[AccessSetting] | None, COACHING_ACCESS] = None,
        insights_access: Annotated[ModelInput[AccessSetting] | None, INSIGHTS_ACCESS] = None,
        usage_access: Annotated[ModelInput[AccessSetting] | None, USAGE_ACCESS] = None,
        emails_access: Annotated[ModelInput[AccessSetting] | None, EMAILS_ACCESS] = None,
        score_calls: Annotated[bool | None, CAPABILITIES["score_calls"]] = None,
        download_call_media: Annotated[bool | None, CAPABILITIES["download_call_media"]] = None,
        share_calls_with_customers: Annotated[bool | None, CAPABILITIES["share_calls_with_customers"]] = None,
        manually_schedule_and_upload_calls: Annotated[
            bool | None, CAPABILITIES["manually_schedule_and_upload_calls"]
        ] = None,
        private_calls: Annotated[bool | None, CAPABILITIES["private_calls"]] = None,
        delete_calls: Annotated[bool | None, CAPABILITIES["delete_calls"]] = None,
        trim_calls: Annotated[bool | None, CAPABILITIES["trim_calls"]] = None,
        listen_in_calls: Annotated[bool | None, CAPABILITIES["listen_in_calls"]] = None,
        delete_emails: Annotated[bool | None, CAPABILITIES["delete_emails"]] = None,
        calls_and_search: Annotated[bool | None, CAPABILITIES["calls_and_search"]] = None,
        library: Annotated[bool | None, CAPABILITIES["library"]] = None,
        deals: Annotated[bool | None, CAPABILITIES["deals"]] = None,
        create_edit_and_delete_deals_boards: Annotated[
            bool | None, CAPABILITIES["create_edit_and_delete_deals_boards"]
        ] = None,
        deals_inline_editing: Annotated[bool | None, CAPABILITIES["deals_inline_editing"]] = None,
        account: Annotated[bool | None, CAPABILITIES["account"]] = None,
        coaching: Annotated[bool | None, CAPABILITIES["coaching"]] = None,
        usage: Annotated[bool | None, CAPABILITIES["usage"]] = None,
        team_stats: Annotated[bool | None, CAPABILITIES["team_stats"]] = None,
        initiatives: Annotated[bool | None, CAPABILITIES["initiatives"]] = None,
        market: Annotated[bool | None, CAPABILITIES["market"]] = None,
        activity: Annotated[bool | None, CAPABILITIES["activity"]] = None,
        forecast: Annotated[bool | None, CAPABILITIES["forecast"]] = None,
        forecast_manage: Annotated[bool | None, CAPABILITIES["forecast_manage"]] = None,
        engage_manage_company_templates: Annotated[bool | None, CAPABILITIES["engage_manage_company_templates"]] = None,
        engage_manage_company_sequences: Annotated[bool | None, CAPABILITIES["engage_manage_company_sequences"]] = None,
        engage_snooze_flow_to_dos_for_others: Annotated[
            bool | None, CAPABILITIES["engage_snooze_flow_to_dos_for_others"]
        ] = None,
        manage_general_business_settings: Annotated[
            bool | None, CAPABILITIES["manage_general_business_settings"]
        ] = None,
        manage_scorecards: Annotated[bool | None, CAPABILITIES["manage_scorecards"]] = None,
        export_calls_and_coaching_data_to_csv: Annotated[
            bool | None, CAPABILITIES["export_calls_and_coaching_data_to_csv"]
        ] = None,
        crm_data_inline_editing: Annotated[bool | None, CAPABILITIES["crm_data_inline_editing"]] = None,
        crm_data_import: Annotated[bool | None, CAPABILITIES["crm_data_import"]] = None,
        view_revenue_analytics: Annotated[bool | None, CAPABILITIES["view_revenue_analytics"]] = None,
        manage_revenue_analytics: Annotated[bool | None, CAPABILITIES["manage_revenue_analytics"]] = None,
    ) -> PermissionProfile:
        """Create a permission profile in a workspace; returns it as Gong stored it.

        Gong's reference makes the library folder access mandatory; capabilities left out
        are Gong's to default. It states no OAuth scope for it.
        """

    @action(
        "PUT",
        "/v2/permission-profile",
        scope=None,
        result="profile",
        retry_safe=True,  # the same update twice leaves the same profile
        in_spec=False,
    )
    def update_permission_profile(
        self,
        *,
        profile_id: Annotated[str, PROFILE_ID],
        name: Annotated[str | None, NAME] = None,
        description: Annotated[str | None, DESCRIPTION] = None,
        calls_access: Annotated[ModelInput[AccessSetting] | None, CALLS_ACCESS] = None,
        library_folder_access: Annotated[ModelInput[LibraryFolderAccessSetting] | None, LIBRARY_FOLDER_ACCESS] = None,
        deals_access: Annotated[ModelInput[AccessSetting] | None, DEALS_ACCESS] = None,
        forecast_permissions: Annotated[ModelInput[ForecastPermissionSettings] | None, FORECAST_PERMISSIONS] = None,
        coaching_access: Annotated[ModelInput[AccessSetting] | None, COACHING_ACCESS] = None,
        insights_access: Annotated[ModelInput[AccessSetting] | None, INSIGHTS_ACCESS] = None,
        usage_access: Annotated[ModelInput[AccessSetting] | None, USAGE_ACCESS] = None,
        emails_access: Annotated[ModelInput[AccessSetting] | None, EMAILS_ACCESS] = None,
        score_calls: Annotated[bool | None, CAPABILITIES["score_calls"]] = None,
        download_call_media: Annotated[bool | None, CAPABILITIES["download_call_media"]] = None,
        share_calls_with_customers: Annotated[bool | None, CAPABILITIES["share_calls_with_customers"]] = None,
        manually_schedule_and_upload_calls: Annotated[
            bool | None, CAPABILITIES["manually_schedule_and_upload_calls"]
        ] = None,
        private_calls: Annotated[bool | None, CAPABILITIES["private_calls"]] = None,
        delete_calls: Annotated[bool | None, CAPABILITIES["delete_calls"]] = None,
        trim_calls: Annotated[bool | None, CAPABILITIES["trim_calls"]] = None,
        listen_in_calls: Annotated[bool | None, CAPABILITIES["listen_in_calls"]] = None,
        delete_emails: Annotated[bool | None, CAPABILITIES["delete_emails"]] = None,
        calls_and_search: Annotated[bool | None, CAPABILITIES["calls_and_search"]] = None,
        library: Annotated[bool | None, CAPABILITIES["library"]] = None,
        deals: Annotated[bool | None, CAPABILITIES["deals"]] = None,
        create_edit_and_delete_deals_boards: Annotated[
            bool | None, CAPABILITIES["create_edit_and_delete_deals_boards"]
        ] = None,
        deals_inline_editing: Annotated[bool | None, CAPABILITIES["deals_inline_editing"]] = None,
        account: Annotated[bool | None, CAPABILITIES["account"]] = None,
        coaching: Annotated[bool | None, CAPABILITIES["coaching"]] = None,
        usage: Annotated[bool | None, CAPABILITIES["usage"]] = None,
        team_stats: Annotated[bool | None, CAPABILITIES["team_stats"]] = None,
        initiatives: Annotated[bool | None, CAPABILITIES["initiatives"]] = None,
        market: Annotated[bool | None, CAPABILITIES["market"]] = None,
        activity: Annotated[bool | None, CAPABILITIES["activity"]] = None,
        forecast: Annotated[bool | None, CAPABILITIES["forecast"]] = None,
        forecast_manage: Annotated[bool | None, CAPABILITIES["forecast_manage"]] = None,
        engage_manage_company_templates: Annotated[bool | None, CAPABILITIES["engage_manage_company_templates"]] = None,
        engage_manage_company_sequences: Annotated[bool | None, CAPABILITIES["engage_manage_company_sequences"]] = None,
        engage_snooze_flow_to_dos_for_others: Annotated[
            bool | None, CAPABILITIES["engage_snooze_flow_to_dos_for_others"]
        ] = None,
        manage_general_business_settings: Annotated[
            bool | None, CAPABILITIES["manage_general_business_settings"]
        ] = None,
        manage_scorecards: Annotated[bool | None, CAPABILITIES["manage_scorecards"]] = None,
        export_calls_and_coaching_data_to_csv: Annotated[
            bool | None, CAPABILITIES["export_calls_and_coaching_data_to_csv"]
        ] = None,
        crm_data_inline_editing: Annotated[bool | None, CAPABILITIES["crm_data_inline_editing"]] = None,
        crm_data_import: Annotated[bool | None, CAPABILITIES["crm_data_import"]] = None,
        view_revenue_analytics: Annotated[bool | None, CAPABILITIES["view_revenue_analytics"]] = None,
        manage_revenue_analytics: Annotated[bool | None, CAPABILITIES["manage_revenue_analytics"]] = None,
    ) -> PermissionProfile:
        """Change a permission profile; returns it as Gong stored it.

        Gong's reference states no OAuth scope for it.
        """

    @list_action("GET", "/v2/permission-profile/users", scope="api:users:read", items="users", in_spec=False)
    def list_permission_profile_users(self, *, profile_id: Annotated[str, PROFILE_ID]) -> Pager[ProfileUser]:
        """The users whose access a permission profile governs (one page)."""
