"""Data privacy: what the company holds about an e-mail address or a phone number, and erasure.

Erasure is immediate and leaves tombstones (erased contacts, e-mail messages, deleted calls)
over the generated data, which is never rewritten.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from ._calls import CallIndex
from ._checks import check_email_address, check_phone_number, normalize_phone
from ._dataset import CallRecord, Contact
from ._ids import stable_hash
from ._meetings import EngagementEvents, Meetings

JSON = dict[str, Any]

EVENT_TYPES = {"action": "customEvent", "shared": "contentShared", "viewed": "contentViewed"}


def _mirror_id(crm_id: str) -> str:
    return hashlib.sha1(crm_id.encode(), usedforsecurity=False).hexdigest()[:24]


def _people_in(event: JSON) -> list[object]:
    body = event["body"]
    return [
        body.get("actor"),
        body.get("viewer"),
        body.get("sharer"),
        *(body.get("recipients") or []),
        *(body.get("nonCompanyParticipants") or []),
    ]


def _mentions(event: JSON, address: str) -> bool:
    return any(isinstance(p, dict) and str(p.get("email", "")).lower() == address for p in _people_in(event))


class PrivacyRequests(CallIndex, Meetings, EngagementEvents):
    erased_emails: set[str]  # e-mail message ids
    #: Erasures asked for and not yet done: (when they take effect, erase, what).
    pending_erasures: list[tuple[float, Callable[[str], None], str]]

    def _load(self) -> None:
        super()._load()
        self.erased_emails = set()
        self.pending_erasures = []

    def tick(self) -> list[CallRecord]:
        """Carry out the erasures whose time has come, then finish processing calls."""
        if self.pending_erasures:
            now = self.clock.now()
            with self.lock:
                due = [p for p in self.pending_erasures if p[0] <= now]
                self.pending_erasures = [p for p in self.pending_erasures if p[0] > now]
                for _at, erase, what in due:
                    erase(what)
        return super().tick()

    def _erase_later(self, erase: Callable[[str], None], what: str) -> JSON:
        """Gong erases in the background: the answer comes first, the data goes later."""
        with self.lock:
            if self.config.erasure_delay > 0:
                self.pending_erasures.append((self.clock.now() + self.config.erasure_delay, erase, what))
            else:
                erase(what)
        return {}

    def _calls_referencing(self, emails: set[str], phones: set[str], contacts: set[int]) -> list[CallRecord]:
        """Visible calls where one of these addresses, numbers or contacts is a party."""
        found = []
        # Generated calls reach outsiders only through contacts, and a call's contacts all
        # belong to its account: unless a user is named, only those accounts need reading.
        named_users = [self.data.users_by_email[e] for e in emails if e in self.data.users_by_email]
        accounts = {self.data.contact(j).account_index for j in contacts}
        for i in range(self.data.n_calls):
            with_contact = self.data.account_of(i) in accounts and not self.data.is_internal_only(i)
            if not with_contact and not any(u in self.data.internal_users_of(i) for u in named_users):
                continue
            call_id = self.data.call_ids.encode(i)
            if call_id in self.deleted_calls:
                continue
            rec = self.data.call(i)
            if self._references(rec, emails, phones, contacts):
                found.append(rec)
        for created in self.created.values():
            rec = created.record
            if rec.id not in self.deleted_calls and self._references(rec, emails, phones, contacts):
                found.append(rec)
        return found

    @staticmethod
    def _references(rec: CallRecord, emails: set[str], phones: set[str], contacts: set[int]) -> bool:
        for p in rec.parties:
            if p.email and p.email.lower() in emails:
                return True
            if p.phone and normalize_phone(p.phone) in phones:
                return True
            if p.contact_index is not None and p.contact_index in contacts:
                return True
        return False

    def _live_contacts(self, found: list[Contact]) -> list[Contact]:
        return [c for c in found if c.index not in self.erased_contacts]

    def _call_refs(self, calls: list[CallRecord]) -> list[JSON]:
        return [
            {
                "id": r.id,
                "status": "COMPLETED",
                "externalSystems": [
                    {
                        "system": "Salesforce",
                        "objects": [{"objectType": "Conversation", "externalId": "00U" + r.id[-15:]}],
                    }
                ],
            }
            for r in calls
        ]

    def _emails_of(self, contacts: list[Contact]) -> list[JSON]:
        out: list[JSON] = []
        for c in contacts:
            out.extend(m for m in self.data.emails_of_contact(c) if m["id"] not in self.erased_emails)
        return out

    def _customer_data(self, contacts: list[Contact]) -> list[JSON]:
        if not contacts:
            return []
        return [
            {
                "system": "Salesforce",
                "objects": [
                    {
                        "id": str(stable_hash(self.config.seed, "crmobj", c.index) % 10**18 + 10**18),
                        "objectType": c.object_type,
                        "externalId": c.crm_id,
                        "mirrorId": _mirror_id(c.crm_id),
                        "fields": [
                            {"name": "Email", "value": c.email},
                            {"name": "Phone", "value": c.phone},
                            {"name": "Name", "value": c.name},
                        ],
                    }
                    for c in contacts
                ],
            }
        ]

    def _meetings_of(self, email: str) -> list[JSON]:
        email = email.lower()
        return [
            {"id": m["id"]}
            for m in self.meetings.values()
            if str(m["organizerEmail"]).lower() == email
            or any(str(i.get("email", "")).lower() == email for i in m["invitees"])
        ]

    def _events_of(self, email: str) -> list[JSON]:
        email = email.lower()
        return [
            {
                "eventType": EVENT_TYPES[e["kind"]],
                "timestamp": e["body"].get("eventTimestamp"),
                "contentId": e["body"].get("contentId"),
                "contentUrl": e["body"].get("contentUrl"),
                "reportingSystem": e["body"].get("reportingSystem"),
                "eventName": e["body"].get("actionName") or e["body"].get("viewActionTitle"),
                "sourceEventId": e["body"].get("eventId"),
            }
            for e in self.events
            if _mentions(e, email)
        ]

    def email_references(self, email: str | None) -> JSON:
        address = check_email_address(email, form=self.config.email_checks)
        with self.lock:
            contacts = self._live_contacts(self.data.find_contacts_by_email(address))
            calls = self._calls_referencing({address}, set(), {c.index for c in contacts})
            user = self.data.users_by_email.get(address)
            emails = self._emails_of(contacts)
            if user is not None:
                emails += [
                    m
                    for c in self._contacts_emailed_by(address)
                    for m in self.data.emails_of_contact(c)
                    if m["id"] not in self.erased_emails and (m["from"] == address or m["mailbox"] == address)
                ]
            return {
                "emails": emails,
                "calls": self._call_refs(calls),
                "meetings": self._meetings_of(address),
                "customerData": self._customer_data(contacts),
                "customerEngagement": self._events_of(address),
            }

    def _contacts_emailed_by(self, rep_email: str) -> list[Contact]:
        reps = [r["emailAddress"] for r in self.data.reps]
        if rep_email not in reps:
            return []
        k = reps.index(rep_email)
        return [
            self.data.contact(j) for j in range(k, self.data.n_contacts, len(reps)) if j not in self.erased_contacts
        ][:50]

    def erase_email(self, email: str | None) -> JSON:
        return self._erase_later(self._erase_email_now, check_email_address(email, form=self.config.email_checks))

    def _erase_email_now(self, address: str) -> None:
        with self.lock:
            contacts = self._live_contacts(self.data.find_contacts_by_email(address))
            calls = self._calls_referencing({address}, set(), {c.index for c in contacts})
            self._erase(calls, contacts)
            for c in self._contacts_emailed_by(address):
                for m in self.data.emails_of_contact(c):
                    if m["from"] == address or m["mailbox"] == address:
                        self.erased_emails.add(m["id"])
            self.events = [e for e in self.events if not _mentions(e, address)]
            self.calls_changed()

    def _erase(self, calls: list[CallRecord], contacts: list[Contact]) -> None:
        for rec in calls:
            self.deleted_calls.add(rec.id)
            if rec.id in self.created:
                key = rec.sort_key
                if key in self.processed_keys:
                    self.processed_keys.remove(key)
            info = self.media.pop(rec.id, None)
            if info is not None:
                info.path.unlink(missing_ok=True)
        for c in contacts:
            self.erased_contacts.add(c.index)
            for m in self.data.emails_of_contact(c):
                self.erased_emails.add(m["id"])

    def _contacts_by_phone(self, phone: str) -> list[Contact]:
        return [c for c in self.data.find_contacts_by_phone(phone) if c.index not in self.erased_contacts]

    def phone_references(self, phone: str | None) -> JSON:
        supplied, number = check_phone_number(phone, digit_limits=self.config.phone_digit_limits)
        with self.lock:
            contacts = self._contacts_by_phone(number)
            calls = self._calls_referencing(set(), {number}, {c.index for c in contacts})
            return {
                "suppliedPhoneNumber": supplied,
                "matchingPhoneNumbers": sorted({c.phone for c in contacts}),
                "emailAddresses": sorted({c.email for c in contacts}),
                "emails": self._emails_of(contacts),
                "calls": self._call_refs(calls),
                "meetings": [m for c in contacts for m in self._meetings_of(c.email)],
                "customerData": self._customer_data(contacts),
            }

    def erase_phone(self, phone: str | None) -> JSON:
        _supplied, number = check_phone_number(phone, digit_limits=self.config.phone_digit_limits)
        return self._erase_later(self._erase_phone_now, number)

    def _erase_phone_now(self, number: str) -> None:
        with self.lock:
            contacts = self._contacts_by_phone(number)
            calls = self._calls_referencing(set(), {number}, {c.index for c in contacts})
            self._erase(calls, contacts)
            self.calls_changed()
