"""Customer engagement events: what prospects and users did with content, on Gong's timeline;
and digital interactions, the newer way to report such events."""

# Action bodies are never run: the declaration is the definition (see _define.py).
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from ._define import Body, action
from ._kinds import AGENT_PLATFORMS, DATETIME, ID, Choice, Model, Models
from ._models import Actor, BaseResponse, CallContext, DateTimeLike, GenericProperty, ModelInput, Sharer
from ._models_digital import CustomField, InteractionContent, InteractionPerson

__all__ = ["Engagement"]

_PERSON = {"email": "pat.buyer@example.com", "name": "Pat Buyer"}
_PROPERTY = [{"name": "pages", "value": 12, "dataType": "number"}]
_CRM = [{"system": "Salesforce", "objects": [{"objectType": "Opportunity", "objectId": "0061"}]}]

REPORTING_SYSTEM = Body(
    help="Name of the system reporting the event; the same for all its events.", example="docs-portal"
)
EVENT_TIMESTAMP = Body(DATETIME, help="When the event happened.")
EVENT_ID = Body(help="The event's id in the reporting system.", example="evt-1001")
CONTENT_ID = Body(help="The content's id in the reporting system.", example="doc-42")
CONTENT_URL = Body(help="Where the content lives.", example="https://docs.example.com/doc-42")
CONTENT_TITLE = Body(help="Readable title of the content.", example="Proposal v2")
ACTION_NAME = Body(help="What happened, e.g. 'Contract Signed'.", example="Contract Signed")
CRM_CONTEXT = Body(Models(CallContext), help="CRM records the event belongs to.", example=_CRM)
CONTENT_PROPERTIES = Body(Models(GenericProperty), help="Extra typed properties of the content.", example=_PROPERTY)
EVENT_PROPERTIES = Body(Models(GenericProperty), help="Extra typed properties of the event.", example=_PROPERTY)
USER_AGENT = Body(help="Browser User-Agent, for web interactions.", example="Mozilla/5.0")
MOBILE_APP_ID = Body(help="App bundle or package id, for mobile interactions.", example="com.example.app")
AGENT_PLATFORM = Body(Choice(AGENT_PLATFORMS), help="Operating system the interaction happened on.")
#: Gong's document types it as free text on shared events (an enum on the other two).
SHARED_AGENT_PLATFORM = Body(help="Platform the content was shared from, e.g. Windows or iOS.", example="Windows")
WORKSPACE_ID = Body(ID, help="Restrict to one workspace.")
NON_COMPANY = Body(Models(Actor), help="External people involved.", example=[_PERSON])
MORE_INFO_URL = Body(help="Link to further detail.", example="https://docs.example.com/doc-42/activity")
SHARE_ID = Body(help="Id of the share this event belongs to.", example="share-7")
SHARER = Body(Model(Sharer), help="The user who shared the content.", example={"email": "rep@example.com"})
SUBJECT = Body(help="Subject of the share message.", example="Our proposal")
MESSAGE = Body(help="Body of the share message (HTML is cleaned by Gong).", example="Here is the proposal.")
TRACKING_ID = Body(help="Your id for tracking this event.", example="trk-1")

Props = Sequence[ModelInput[GenericProperty]]
Contexts = Sequence[ModelInput[CallContext]]
People = Sequence[ModelInput[Actor]]

SCOPE = "api:engagement-data:write"


class Engagement:
    """The engagement-event actions, shared by both clients."""

    @action("PUT", "/v2/customer-engagement/action", scope=SCOPE, title="Custom Action Event")
    def report_custom_action(
        self,
        *,
        reporting_system: Annotated[str, REPORTING_SYSTEM],
        event_timestamp: Annotated[DateTimeLike, EVENT_TIMESTAMP],
        event_id: Annotated[str | None, EVENT_ID] = None,
        content_id: Annotated[str | None, CONTENT_ID] = None,
        content_url: Annotated[str | None, CONTENT_URL] = None,
        content_title: Annotated[str | None, CONTENT_TITLE] = None,
        action_name: Annotated[str | None, ACTION_NAME] = None,
        event_info_url: Annotated[
            str | None, Body(help="Page with more about this event.", example="https://docs.example.com/e/1")
        ] = None,
        actor: Annotated[
            ModelInput[Actor] | None, Body(Model(Actor), help="The external person who acted.", example=_PERSON)
        ] = None,
        crm_context: Annotated[Contexts | None, CRM_CONTEXT] = None,
        content_properties: Annotated[Props | None, CONTENT_PROPERTIES] = None,
        event_properties: Annotated[Props | None, EVENT_PROPERTIES] = None,
        user_agent: Annotated[str | None, USER_AGENT] = None,
        mobile_app_id: Annotated[str | None, MOBILE_APP_ID] = None,
        agent_platform: Annotated[str | None, AGENT_PLATFORM] = None,
        workspace_id: Annotated[str | None, WORKSPACE_ID] = None,
        non_company_participants: Annotated[People | None, NON_COMPANY] = None,
        more_info_url: Annotated[str | None, MORE_INFO_URL] = None,
        share_id: Annotated[str | None, SHARE_ID] = None,
        sharer: Annotated[ModelInput[Sharer] | None, SHARER] = None,
        sharing_message_subject: Annotated[str | None, SUBJECT] = None,
        sharing_message_body: Annotated[str | None, MESSAGE] = None,
        tracking_id: Annotated[str | None, TRACKING_ID] = None,
    ) -> BaseResponse:
        """Report an action a prospect took on content.

        Puts it (e.g. "contract signed") on Gong's activity timeline.
        """

    @action("PUT", "/v2/customer-engagement/content/shared", scope=SCOPE, title="Custom Shared Event")
    def report_content_shared(
        self,
        *,
        reporting_system: Annotated[str, REPORTING_SYSTEM],
        event_timestamp: Annotated[DateTimeLike, EVENT_TIMESTAMP],
        content_id: Annotated[str, CONTENT_ID],
        content_url: Annotated[str, CONTENT_URL],
        content_title: Annotated[str, CONTENT_TITLE],
        event_id: Annotated[str | None, EVENT_ID] = None,
        share_id: Annotated[str | None, SHARE_ID] = None,
        share_info_url: Annotated[
            str | None, Body(help="Page with more about this share.", example="https://docs.example.com/s/7")
        ] = None,
        sharing_message_subject: Annotated[str | None, SUBJECT] = None,
        sharing_message_body: Annotated[str | None, MESSAGE] = None,
        sharer: Annotated[ModelInput[Sharer] | None, SHARER] = None,
        recipients: Annotated[
            People | None,
            Body(Models(Actor), help="External people the content was shared with.", example=[_PERSON]),
        ] = None,
        crm_context: Annotated[Contexts | None, CRM_CONTEXT] = None,
        content_properties: Annotated[Props | None, CONTENT_PROPERTIES] = None,
        event_properties: Annotated[Props | None, EVENT_PROPERTIES] = None,
        workspace_id: Annotated[str | None, WORKSPACE_ID] = None,
        action_name: Annotated[str | None, ACTION_NAME] = None,
        non_company_participants: Annotated[People | None, NON_COMPANY] = None,
        more_info_url: Annotated[str | None, MORE_INFO_URL] = None,
        mobile_app_id: Annotated[str | None, MOBILE_APP_ID] = None,
        agent_platform: Annotated[str | None, SHARED_AGENT_PLATFORM] = None,
        user_agent: Annotated[str | None, USER_AGENT] = None,
        tracking_id: Annotated[str | None, TRACKING_ID] = None,
    ) -> BaseResponse:
        """Report that a user shared content with external people."""

    @action("PUT", "/v2/customer-engagement/content/viewed", scope=SCOPE, title="Custom Viewed Event")
    def report_content_viewed(
        self,
        *,
        reporting_system: Annotated[str, REPORTING_SYSTEM],
        event_timestamp: Annotated[DateTimeLike, EVENT_TIMESTAMP],
        content_id: Annotated[str, CONTENT_ID],
        content_url: Annotated[str, CONTENT_URL],
        content_title: Annotated[str, CONTENT_TITLE],
        event_id: Annotated[str | None, EVENT_ID] = None,
        view_action_title: Annotated[
            str | None, Body(help="What the viewer did, e.g. 'Presentation Opened'.", example="Presentation Opened")
        ] = None,
        share_id: Annotated[str | None, SHARE_ID] = None,
        view_info_url: Annotated[
            str | None,
            Body(label="View Info URL", help="Page with more about this view.", example="https://docs.example.com/v/9"),
        ] = None,
        viewer: Annotated[
            ModelInput[Actor] | None,
            Body(Model(Actor), help="The external person who viewed the content.", example=_PERSON),
        ] = None,
        crm_context: Annotated[Contexts | None, CRM_CONTEXT] = None,
        content_properties: Annotated[Props | None, CONTENT_PROPERTIES] = None,
        event_properties: Annotated[Props | None, EVENT_PROPERTIES] = None,
        user_agent: Annotated[str | None, USER_AGENT] = None,
        mobile_app_id: Annotated[str | None, MOBILE_APP_ID] = None,
        agent_platform: Annotated[str | None, AGENT_PLATFORM] = None,
        workspace_id: Annotated[str | None, WORKSPACE_ID] = None,
        non_company_participants: Annotated[People | None, NON_COMPANY] = None,
        more_info_url: Annotated[str | None, MORE_INFO_URL] = None,
        action_name: Annotated[str | None, ACTION_NAME] = None,
        sharer: Annotated[ModelInput[Sharer] | None, SHARER] = None,
        sharing_message_subject: Annotated[str | None, SUBJECT] = None,
        sharing_message_body: Annotated[str | None, MESSAGE] = None,
        tracking_id: Annotated[str | None, TRACKING_ID] = None,
    ) -> BaseResponse:
        """Report that an external person viewed content."""

    @action(
        "POST",
        "/v2/digital-interaction",
        scope="api:digital-interactions:write",
        retry_safe=True,  # Gong refuses an event id it has seen (409)
        in_spec=False,
    )
    def report_digital_interaction(
        self,
        *,
        event_id: Annotated[
            str, Body(help="The event's unique id in your system; Gong refuses a repeat.", example="evt-2026-0001")
        ],
        timestamp: Annotated[DateTimeLike, Body(DATETIME, help="When the event happened.")],
        event_type: Annotated[
            str, Body(help="What the person did with the content, e.g. 'page viewed'.", example="page viewed")
        ],
        content: Annotated[
            ModelInput[InteractionContent],
            Body(
                Model(InteractionContent),
                help="The content the person interacted with (a title at least).",
                example={"contentTitle": "Pricing page", "contentUrl": "https://www.example.com/pricing"},
            ),
        ],
        person: Annotated[
            ModelInput[InteractionPerson],
            Body(
                Model(InteractionPerson),
                help="Who did it: a name, e-mail, phone or CRM record; else a person id and company domain.",
                example={"email": "pat.buyer@example.com", "name": "Pat Buyer"},
            ),
        ],
        source_system_name: Annotated[
            str | None,
            Body(help="The system reporting the event (the partner's, through an iPaaS).", example="docs-portal"),
        ] = None,
        session_id: Annotated[
            str | None, Body(help="Ties events of one session together.", example="session-42")
        ] = None,
        device: Annotated[str | None, Body(Choice(("MOBILE", "PC")), help="MOBILE or PC.")] = None,
        custom_fields: Annotated[
            Sequence[ModelInput[CustomField]] | None,
            Body(
                Models(CustomField),
                help="Extra data about the event.",
                example=[{"name": "campaign", "value": "spring-launch"}],
            ),
        ] = None,
    ) -> BaseResponse:
        """Report a digital interaction (a page viewed, a link clicked, a survey answered)
        for Gong to show with the person's account."""
