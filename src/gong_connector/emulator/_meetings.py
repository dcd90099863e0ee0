"""Meetings (``/v2/meetings``) and customer-engagement events (``/v2/customer-engagement``).

Both are written by the API and read back only through data privacy; neither touches calls.
"""

from __future__ import annotations

from typing import Any

from . import _vocab as v
from ._checks import (
    CALL_OBJECT_TYPES,
    EMAIL_RE,
    check_crm_context,
    check_id,
    list_of_objects,
    one_of,
    optional_str,
    required_str,
    required_time,
)
from ._company import Company
from ._dataset import _rng
from ._errors import bad_request, conflict, not_found
from ._timefmt import fmt

JSON = dict[str, Any]

AGENT_PLATFORMS = ("Windows", "Linux", "MacOS", "iOS", "Android")
#: Gong checks at most this many organizers in one integration-status request.
MAX_STATUS_EMAILS = 100
HELP_URL = "https://help.gong.io/"
PROPERTY_TYPES = ("number", "string", "url", "date")


class Meetings(Company):
    meetings: dict[str, JSON]
    meeting_counter: int

    def _load(self) -> None:
        super()._load()
        self.meetings = {}
        self.meeting_counter = 0
        self._seed_meetings()

    def _seed_meetings(self) -> None:
        for k in range(min(10, max(1, self.data.n_calls // 30))):
            rng = _rng(self.config.seed, "meeting", k)
            organizer = self.data.reps[rng.randrange(len(self.data.reps))]
            contact = self.data.contact(rng.randrange(self.data.n_contacts))
            start = self.data.end_ts + (k + 1) * 86_400
            self._store_meeting(
                {
                    "startTime": fmt(start),
                    "endTime": fmt(start + 1800),
                    "title": f"{v.ACCOUNTS[contact.account_index]} | Follow-up",
                    "organizerEmail": organizer["emailAddress"],
                    "invitees": [{"email": contact.email, "displayName": contact.name}],
                    "externalId": f"cal-{k}",
                }
            )

    def _meeting_body(self, body: JSON) -> JSON:
        start = required_time(body, "startTime", offset_required=self.config.require_utc_offset)
        end = required_time(body, "endTime", offset_required=self.config.require_utc_offset)
        if end <= start and self.config.range_checks:
            raise bad_request("endTime must be later than startTime")
        organizer = required_str(body, "organizerEmail")
        if self.config.email_checks and not EMAIL_RE.match(organizer):
            raise bad_request("organizerEmail is not a valid e-mail address")
        invitees = body.get("invitees")
        if not isinstance(invitees, list):
            raise bad_request("invitees is required and must be a list of invitee objects")
        for n, inv in enumerate(invitees):
            if not isinstance(inv, dict):
                raise bad_request(f"invitees[{n}] must be an object with an email")
            email = inv.get("email")
            if not isinstance(email, str) or (self.config.email_checks and not EMAIL_RE.match(email)):
                raise bad_request(f"invitees[{n}].email is not a valid e-mail address")
        optional_str(body, "title")
        optional_str(body, "externalId")
        return body

    def _organizer(self, email: str) -> JSON:
        user = self.data.users_by_email.get(email.lower())
        if user is None or user["_role"] == "avatar":
            raise not_found("No Gong user found corresponding to the provided organizer email")
        return user

    def _store_meeting(self, body: JSON) -> JSON:
        self.meeting_counter += 1
        meeting_id = self.data.meeting_ids.encode(self.meeting_counter)
        meeting = {
            "id": meeting_id,
            "startTime": body["startTime"],
            "endTime": body["endTime"],
            "title": body.get("title"),
            "organizerEmail": body["organizerEmail"],
            "invitees": body["invitees"],
            "externalId": body.get("externalId"),
            "meetingUrl": f"https://app.gong.io/meetings/join/{meeting_id}",
        }
        self.meetings[meeting_id] = meeting
        return meeting

    def integration_status(self, body: JSON) -> JSON:
        """``POST /v2/meetings/integration/status``: can Gong record these organizers' meetings?"""
        emails = body.get("emails")
        if emails is None:
            emails = []
        if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
            raise bad_request("emails must be a list of e-mail addresses")
        if len(emails) > MAX_STATUS_EMAILS:
            raise bad_request(f"emails may hold at most {MAX_STATUS_EMAILS} addresses")
        out = []
        for email in emails:
            user = self.data.users_by_email.get(email.strip().lower())
            if user is not None and user["_role"] == "avatar":
                user = None
            status: JSON = {"email": email, "exists": user is not None, "valid": False}
            error: str | None
            fix: str | None
            if user is None:
                error, fix = "No Gong user has this e-mail address.", None
            elif not user["active"]:
                error, fix = "This Gong user is not active.", "https://app.gong.io/company/team-members"
            elif not user["settings"]["webConferencesRecorded"]:
                error, fix = (
                    "Gong does not record this user's web conferences.",
                    "https://app.gong.io/company/recording",
                )
            else:
                error = fix = None
                status["valid"] = True
            status.update({"userFacingError": error, "fixUrl": fix, "helpUrl": HELP_URL if error else None})
            out.append(status)
        return {"users": out}

    def create_meeting(self, body: JSON) -> JSON:
        self._meeting_body(body)
        with self.lock:
            self._organizer(body["organizerEmail"])
            meeting = self._store_meeting(body)
        return {
            "meetingId": meeting["id"],
            "meetingUrl": meeting["meetingUrl"],
            "additionalInvitees": [{"email": "recorder@gong.io", "displayName": "Gong Recorder"}],
        }

    def update_meeting(self, meeting_id: str, body: JSON) -> JSON:
        check_id(meeting_id, "meetingId")
        self._meeting_body(body)
        with self.lock:
            meeting = self.meetings.get(meeting_id)
            if meeting is None:
                raise not_found("No meeting found corresponding to the provided meeting ID")
            self._organizer(body["organizerEmail"])
            meeting.update(
                {k: body.get(k) for k in ("startTime", "endTime", "title", "organizerEmail", "invitees", "externalId")}
            )
        return {"meetingId": meeting_id}

    def delete_meeting(self, meeting_id: str, body: JSON | None) -> JSON:
        check_id(meeting_id, "meetingId")
        organizer = None
        if body:
            organizer = optional_str(body, "organizerEmail")
        with self.lock:
            meeting = self.meetings.get(meeting_id)
            if meeting is None:
                raise not_found("No meeting found corresponding to the provided meeting ID")
            if organizer is not None and organizer.lower() != str(meeting["organizerEmail"]).lower():
                raise not_found("No Gong meeting found corresponding to the provided organizer email")
            del self.meetings[meeting_id]
        return {}


class EngagementEvents(Company):
    events: list[JSON]
    #: ``(endpoint, reportingSystem, eventId)`` of every event reported with an id.
    event_keys: set[tuple[str, str, str]]

    def _load(self) -> None:
        super()._load()
        self.events = []
        self.event_keys = set()

    def report_event(self, kind: str, body: JSON) -> JSON:
        required_str(body, "reportingSystem")
        required_time(body, "eventTimestamp", offset_required=self.config.require_utc_offset)
        if kind in ("shared", "viewed"):
            for name in ("contentId", "contentUrl", "contentTitle"):
                required_str(body, name)
        for name in (
            "eventId",
            "contentId",
            "contentUrl",
            "contentTitle",
            "actionName",
            "shareId",
            "userAgent",
            "mobileAppId",
            "sharingMessageSubject",
            "sharingMessageBody",
            "moreInfoUrl",
            "eventInfoUrl",
            "shareInfoUrl",
            "viewInfoUrl",
            "viewActionTitle",
            "agentPlatform",
        ):
            optional_str(body, name)
        if body.get("agentPlatform") is not None and kind != "shared":  # a free string on shared events
            one_of(body["agentPlatform"], "agentPlatform", AGENT_PLATFORMS)
        for name in ("contentProperties", "eventProperties"):
            for n, prop in enumerate(list_of_objects(body, name)):
                if not isinstance(prop.get("name"), str) or "value" not in prop:
                    raise bad_request(f"{name}[{n}] needs name and value")
                one_of(prop.get("dataType"), f"{name}[{n}].dataType", PROPERTY_TYPES)
        check_crm_context(list_of_objects(body, "crmContext"), "crmContext", CALL_OBJECT_TYPES)
        form = self.config.email_checks  # the addresses' form: a guess
        for name in ("actor", "viewer", "sharer"):
            person = body.get(name)
            if person is not None:
                if not isinstance(person, dict):
                    raise bad_request(f"{name} must be an object")
                email = person.get("email")
                if email is not None and (not isinstance(email, str) or (form and not EMAIL_RE.match(email))):
                    raise bad_request(f"{name}.email is not a valid e-mail address")
        for n, person in enumerate(list_of_objects(body, "recipients")):
            email = person.get("email")
            if not isinstance(email, str) or (form and not EMAIL_RE.match(email)):
                raise bad_request(f"recipients[{n}].email is required and must be a valid e-mail address")
        list_of_objects(body, "nonCompanyParticipants")
        if body.get("workspaceId") is not None:
            self.known_workspace(body["workspaceId"])
        with self.lock:
            event_id = body.get("eventId")
            if event_id:
                key = (kind, str(body["reportingSystem"]), str(event_id))
                if key in self.event_keys:
                    raise conflict("Event was already reported in the past")
                self.event_keys.add(key)
            self.events.append({"kind": kind, "body": body, "received": self.clock.now()})
        return {}
