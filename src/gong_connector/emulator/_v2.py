"""Gong's ``/v2`` routes: each handler parses its request, calls the state, shapes the answer.

The route table is also the scope table: each route names the OAuth scope Gong requires for
it, and the gateway checks it before the handler runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from ._errors import bad_request
from ._gateway import Answer, BodyKind, Gateway, Handler, Principal, json_body, json_list
from ._paging import Page
from ._state import EmulatorState
from ._upload import receive_media

JSON = dict[str, Any]


def _page(page: Page, key: str) -> JSON:
    return {"records": page.records(), key: page.items}


def _bool_param(request: Request, name: str) -> bool:
    value = request.query_params.get(name)
    if value is None:
        return False
    if value.lower() not in ("true", "false"):
        raise bad_request(f"{name} must be true or false")
    return value.lower() == "true"


class V2Endpoints:
    def __init__(self, state: EmulatorState, gateway: Gateway) -> None:
        self.state = state
        self.gateway = gateway

    # ----- calls ------------------------------------------------------------------------------

    def list_calls(self, request: Request, _: Principal) -> JSON:
        q = request.query_params
        flt = self.state.call_filter_from_query(
            q.get("fromDateTime"), q.get("toDateTime"), q.get("workspaceId"), window_limit=True
        )
        return _page(self.state.list_calls(flt, q.get("cursor")), "calls")

    def get_call(self, request: Request, _: Principal) -> JSON:
        return {"call": self.state.get_call(request.path_params["id"])}

    def create_call(self, request: Request, _: Principal) -> JSON:
        return self.state.create_call(json_body(request))

    async def add_media(self, request: Request, _: Principal) -> JSON:
        call_id = request.path_params["id"]
        length = request.headers.get("content-length")
        self.state.media_precheck(call_id, int(length) if length and length.isdigit() else None)
        config = self.state.config
        target = self.state.media_path(call_id)
        allow_empty = not config.media_upload_checks
        info = await receive_media(request, call_id, target, config.max_media_bytes, allow_empty=allow_empty)
        return self.state.media_done(info)

    def extensive(self, request: Request, principal: Principal) -> JSON:
        can_media = "api:calls:read:media-url" in principal.scopes
        return _page(self.state.extensive(json_body(request), can_media), "calls")

    def transcripts(self, request: Request, _: Principal) -> JSON:
        return _page(self.state.transcripts(json_body(request)), "callTranscripts")

    def manual_associations(self, request: Request, _: Principal) -> JSON:
        q = request.query_params
        return _page(self.state.manual_associations(q.get("fromDateTime"), q.get("cursor")), "associations")

    def users_access(self, request: Request, _: Principal) -> JSON:
        return self.state.users_access(json_body(request))

    def add_users_access(self, request: Request, _: Principal) -> JSON:
        return self.state.add_users_access(json_body(request))

    def delete_users_access(self, request: Request, _: Principal) -> JSON:
        return self.state.delete_users_access(json_body(request))

    # ----- directory --------------------------------------------------------------------------

    def list_users(self, request: Request, _: Principal) -> JSON:
        include = _bool_param(request, "includeAvatars")
        return _page(self.state.list_users(include, request.query_params.get("cursor")), "users")

    def get_user(self, request: Request, _: Principal) -> JSON:
        return {"user": self.state.get_user(request.path_params["id"])}

    def users_extensive(self, request: Request, _: Principal) -> JSON:
        return _page(self.state.users_extensive(json_body(request)), "users")

    def settings_history(self, request: Request, _: Principal) -> JSON:
        return self.state.settings_history(request.path_params["id"])

    def workspaces(self, request: Request, _: Principal) -> JSON:
        return {"workspaces": self.state.list_workspaces()}

    def folders(self, request: Request, _: Principal) -> JSON:
        return {"folders": self.state.list_folders(request.query_params.get("workspaceId"))}

    def folder_content(self, request: Request, _: Principal) -> JSON:
        folder_id = request.query_params.get("folderId")
        if folder_id is None:
            raise bad_request("folderId is required")
        return self.state.folder_content(folder_id)

    def logs(self, request: Request, _: Principal) -> JSON:
        q = request.query_params
        page = self.state.logs(q.get("logType"), q.get("fromDateTime"), q.get("toDateTime"), q.get("cursor"))
        return _page(page, "logEntries")

    # ----- settings, stats and coaching -------------------------------------------------------

    def scorecards(self, request: Request, _: Principal) -> JSON:
        return self.state.list_scorecards()

    def trackers(self, request: Request, _: Principal) -> JSON:
        return self.state.list_trackers(request.query_params.get("workspaceId"))

    def answered_scorecards(self, request: Request, _: Principal) -> JSON:
        return _page(self.state.answered_scorecards(json_body(request)), "answeredScorecards")

    def day_by_day(self, request: Request, _: Principal) -> JSON:
        return _page(self.state.day_by_day(json_body(request)), "usersDetailedActivities")

    def aggregate(self, request: Request, _: Principal) -> JSON:
        page, window = self.state.aggregate(json_body(request))
        return _page(page, "usersAggregateActivityStats") | window

    def aggregate_by_period(self, request: Request, _: Principal) -> JSON:
        return _page(self.state.aggregate_by_period(json_body(request)), "usersAggregateActivity")

    def interaction(self, request: Request, _: Principal) -> JSON:
        page, window = self.state.interaction(json_body(request))
        return _page(page, "peopleInteractionStats") | window

    def coaching(self, request: Request, _: Principal) -> JSON:
        q = request.query_params
        return self.state.coaching(q.get("workspace-id"), q.get("manager-id"), q.get("from"), q.get("to"))

    # ----- CRM (generic integration) ----------------------------------------------------------

    def crm_integrations(self, request: Request, _: Principal) -> JSON:
        return self.state.list_crm_integrations()

    def register_crm_integration(self, request: Request, _: Principal) -> JSON:
        return self.state.register_crm_integration(json_body(request))

    def delete_crm_integration(self, request: Request, _: Principal) -> Answer:
        q = request.query_params
        return Answer(self.state.delete_crm_integration(q.get("integrationId"), q.get("clientRequestId")), 201)

    def crm_request_status(self, request: Request, _: Principal) -> JSON:
        q = request.query_params
        return self.state.request_status(q.get("integrationId"), q.get("clientRequestId"))

    def crm_schema(self, request: Request, _: Principal) -> JSON:
        q = request.query_params
        return self.state.crm_schema(q.get("integrationId"), q.get("objectType"))

    def upload_crm_schema(self, request: Request, _: Principal) -> Answer:
        q = request.query_params
        return Answer(
            self.state.upload_crm_schema(q.get("integrationId"), q.get("objectType"), json_list(request)), 201
        )

    def crm_objects(self, request: Request, _: Principal) -> JSON:
        # The document names objectsCrmIds a query parameter and says to send the ids in the
        # body: both are read (repeated or comma-separated in the query, a JSON array in the body).
        q = request.query_params
        ids = [i.strip() for raw in q.getlist("objectsCrmIds") for i in raw.split(",") if i.strip()]
        for item in json_list(request):
            if not isinstance(item, str):
                raise bad_request("The request body must be a JSON array of CRM ids (strings)")
            ids.append(item)
        return self.state.crm_objects(q.get("integrationId"), q.get("objectType"), ids)

    # ----- Engage flows -----------------------------------------------------------------------

    def flows(self, request: Request, _: Principal) -> JSON:
        q = request.query_params
        return _page(self.state.list_flows(q.get("flowOwnerEmail"), q.get("workspaceId"), q.get("cursor")), "flows")

    def prospects_flows(self, request: Request, _: Principal) -> JSON:
        return self.state.prospects_flows(json_body(request))

    def assign_prospects(self, request: Request, _: Principal) -> JSON:
        return self.state.assign_prospects(json_body(request))

    # ----- permission profiles ----------------------------------------------------------------

    def permission_profiles(self, request: Request, _: Principal) -> JSON:
        return self.state.list_permission_profiles(request.query_params.get("workspaceId"))

    def permission_profile(self, request: Request, _: Principal) -> JSON:
        return self.state.get_permission_profile(request.query_params.get("profileId"))

    def create_permission_profile(self, request: Request, _: Principal) -> JSON:
        return self.state.create_permission_profile(request.query_params.get("workspaceId"), json_body(request))

    def update_permission_profile(self, request: Request, _: Principal) -> JSON:
        return self.state.update_permission_profile(request.query_params.get("profileId"), json_body(request))

    def permission_profile_users(self, request: Request, _: Principal) -> JSON:
        return self.state.permission_profile_users(request.query_params.get("profileId"))

    # ----- meetings and engagement ------------------------------------------------------------

    def create_meeting(self, request: Request, _: Principal) -> JSON:
        return self.state.create_meeting(json_body(request))

    def update_meeting(self, request: Request, _: Principal) -> JSON:
        return self.state.update_meeting(request.path_params["meetingId"], json_body(request))

    def delete_meeting(self, request: Request, _: Principal) -> JSON:
        return self.state.delete_meeting(request.path_params["meetingId"], json_body(request))

    def integration_status(self, request: Request, _: Principal) -> JSON:
        return self.state.integration_status(json_body(request))

    def digital_interaction(self, request: Request, _: Principal) -> JSON:
        return self.state.add_digital_interaction(json_body(request))

    def integration_settings(self, request: Request, _: Principal) -> JSON:
        return self.state.set_integration_settings(json_body(request))

    def engagement(self, kind: str) -> Callable[[Request, Principal], JSON]:
        def handler(request: Request, _: Principal) -> JSON:
            return self.state.report_event(kind, json_body(request))

        return handler

    # ----- data privacy -----------------------------------------------------------------------

    def email_refs(self, request: Request, _: Principal) -> JSON:
        return self.state.email_references(request.query_params.get("emailAddress"))

    def phone_refs(self, request: Request, _: Principal) -> JSON:
        return self.state.phone_references(request.query_params.get("phoneNumber"))

    def erase_email(self, request: Request, _: Principal) -> JSON:
        return self.state.erase_email(request.query_params.get("emailAddress"))

    def erase_phone(self, request: Request, _: Principal) -> JSON:
        return self.state.erase_phone(request.query_params.get("phoneNumber"))

    # ----- the table --------------------------------------------------------------------------

    def routes(self) -> list[Route]:
        def route(
            method: str, path: str, scope: str, handler: Handler, body: BodyKind = "none", *, guessed: bool = False
        ) -> Route:
            endpoint = self.gateway.endpoint(scope, handler, body=body, scope_guessed=guessed)
            return Route(path, endpoint, methods=[method])

        engagement = "api:engagement-data:write"
        detailed = "api:stats:user-actions:detailed"
        associations = "api:crm-calls:manual-association:read"
        profile_read, profile_write = "api:permission-profile:read", "api:permission-profile:write"
        return [
            route("GET", "/v2/calls", "api:calls:read:basic", self.list_calls),
            route("POST", "/v2/calls", "api:calls:create", self.create_call, "json"),
            route("POST", "/v2/calls/extensive", "api:calls:read:extensive", self.extensive, "json"),
            route("POST", "/v2/calls/transcript", "api:calls:read:transcript", self.transcripts, "json"),
            route("PUT", "/v2/calls/{id}/media", "api:calls:create", self.add_media),
            # Before /v2/calls/{id}, which would take the name for an id.
            route("GET", "/v2/calls/manual-crm-associations", associations, self.manual_associations),
            route("POST", "/v2/calls/users-access", "api:call-user-access:read", self.users_access, "json"),
            route("PUT", "/v2/calls/users-access", "api:call-user-access:write", self.add_users_access, "json"),
            route("DELETE", "/v2/calls/users-access", "api:call-user-access:write", self.delete_users_access, "json"),
            route("GET", "/v2/calls/{id}", "api:calls:read:basic", self.get_call),
            route("GET", "/v2/users", "api:users:read", self.list_users),
            route("POST", "/v2/users/extensive", "api:users:read", self.users_extensive, "json"),
            route("GET", "/v2/users/{id}", "api:users:read", self.get_user),
            route("GET", "/v2/users/{id}/settings-history", "api:users:read", self.settings_history),
            route("GET", "/v2/workspaces", "api:workspaces:read", self.workspaces),
            route("GET", "/v2/library/folders", "api:library:read", self.folders),
            route("GET", "/v2/library/folder-content", "api:library:read", self.folder_content),
            route("GET", "/v2/logs", "api:logs:read", self.logs),
            route("GET", "/v2/settings/scorecards", "api:settings:scorecards:read", self.scorecards),
            route("GET", "/v2/settings/trackers", "api:settings:trackers:read", self.trackers),
            route("POST", "/v2/stats/activity/scorecards", "api:stats:scorecards", self.answered_scorecards, "json"),
            route("POST", "/v2/stats/activity/day-by-day", detailed, self.day_by_day, "json"),
            route("POST", "/v2/stats/activity/aggregate", "api:stats:user-actions", self.aggregate, "json"),
            route(
                "POST",
                "/v2/stats/activity/aggregate-by-period",
                "api:stats:user-actions",
                self.aggregate_by_period,
                "json",
            ),
            route("POST", "/v2/stats/interaction", "api:stats:interaction", self.interaction, "json"),
            route("GET", "/v2/coaching", "api:coaching:read", self.coaching),
            route("GET", "/v2/crm/integrations", "api:crm:integrations:read", self.crm_integrations),
            route("PUT", "/v2/crm/integrations", "api:crm:integration:register", self.register_crm_integration, "json"),
            route("DELETE", "/v2/crm/integrations", "api:crm:integration:delete", self.delete_crm_integration),
            route("GET", "/v2/crm/request-status", "api:crm:upload", self.crm_request_status),
            route("GET", "/v2/crm/entity-schema", "api:crm:schema", self.crm_schema),
            route("POST", "/v2/crm/entity-schema", "api:crm:schema", self.upload_crm_schema, "list"),
            route("GET", "/v2/crm/entities", "api:crm:get-objects", self.crm_objects, "optional_list"),
            route("GET", "/v2/flows", "api:flows:read", self.flows),
            route("POST", "/v2/flows/prospects", "api:flows:read", self.prospects_flows, "json"),
            route("POST", "/v2/flows/prospects/assign", "api:flows:write", self.assign_prospects, "json"),
            # Gong's document states no scope for these four: enforced only with guessed_scopes.
            route("GET", "/v2/all-permission-profiles", profile_read, self.permission_profiles, guessed=True),
            route("GET", "/v2/permission-profile", profile_read, self.permission_profile, guessed=True),
            route(
                "POST", "/v2/permission-profile", profile_write, self.create_permission_profile, "json", guessed=True
            ),
            route("PUT", "/v2/permission-profile", profile_write, self.update_permission_profile, "json", guessed=True),
            route("GET", "/v2/permission-profile/users", "api:users:read", self.permission_profile_users),
            route("POST", "/v2/meetings", "api:meetings:user:create", self.create_meeting, "json"),
            route("PUT", "/v2/meetings/{meetingId}", "api:meetings:user:update", self.update_meeting, "json"),
            route("DELETE", "/v2/meetings/{meetingId}", "api:meetings:user:delete", self.delete_meeting, "optional"),
            route(
                "POST",
                "/v2/meetings/integration/status",
                "api:meetings:integration:status",
                self.integration_status,
                "json",
            ),
            route(
                "POST", "/v2/digital-interaction", "api:digital-interactions:write", self.digital_interaction, "json"
            ),
            route(
                "POST", "/v2/integration-settings", "api:integration-settings:write", self.integration_settings, "json"
            ),
            route("PUT", "/v2/customer-engagement/action", engagement, self.engagement("action"), "json"),
            route("PUT", "/v2/customer-engagement/content/shared", engagement, self.engagement("shared"), "json"),
            route("PUT", "/v2/customer-engagement/content/viewed", engagement, self.engagement("viewed"), "json"),
            route("GET", "/v2/data-privacy/data-for-email-address", "api:data-privacy:read", self.email_refs),
            route("GET", "/v2/data-privacy/data-for-phone-number", "api:data-privacy:read", self.phone_refs),
            route("POST", "/v2/data-privacy/erase-data-for-email-address", "api:data-privacy:delete", self.erase_email),
            route("POST", "/v2/data-privacy/erase-data-for-phone-number", "api:data-privacy:delete", self.erase_phone),
        ]
