"""CRM: the generic CRM integration, its schema and objects, and manual call associations.

The company starts with one generic integration whose objects are the generated company's
accounts, opportunities (deals), contacts and leads, under the CRM ids extensive data shows
in calls' context; its schema can be changed through the API, and its objects show only
the fields still in it. Deleting the integration is asynchronous, as Gong's: the request is
``PENDING`` until ``processing_delay`` seconds have passed, then ``DONE``.

About 6 % of generated calls with a customer were associated by their host with the call's
account (and usually its opportunity) some hours after the call; a quarter of those were
re-associated days later. The events are found once per load (a hash per call) and kept
as a small sorted list; an erased call's events disappear with it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from . import _vocab as v
from ._calls import CallIndex
from ._checks import EMAIL_RE, one_of, required_str, time_ms
from ._dataset import Contact
from ._errors import bad_request, conflict
from ._ids import IdCodec, stable_hash
from ._paging import Page, fingerprint, keyed_page
from ._timefmt import fmt, parse_iso

JSON = dict[str, Any]

ASSOCIATED_PERCENT = 6
OBJECT_TYPES = ("ACCOUNT", "CONTACT", "DEAL", "LEAD")
FIELD_TYPES = (
    "DATE",
    "DATETIME",
    "NUMBER",
    "PERCENT",
    "CURRENCY",
    "ID",
    "URL",
    "STRING",
    "BOOLEAN",
    "PHONENUMBER",
    "EMAILADDRESS",
    "PICKLIST",
    "REFERENCE",
    "STRINGARRAY",
)
REFERENCE_TYPES = ("ACCOUNT", "CONTACT", "DEAL", "LEAD", "USER")
CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9_-]+$")
#: Gong reads at most this many object ids per ``GET /v2/crm/entities``.
MAX_OBJECTS = 100


@dataclass
class Integration:
    id: int
    name: str
    owner_email: str
    #: Object type -> uniqueName -> field as the schema lists it.
    schema: dict[str, dict[str, JSON]]
    #: Fields (type, uniqueName) whose values come with the seeded objects.
    seeded: set[tuple[str, str]] = field(default_factory=set)
    #: When a delete request takes effect, once one was made.
    deleted_at: float | None = None


@dataclass
class CrmRequest:
    integration_id: int
    created: float
    done_at: float
    objects: int


@dataclass(frozen=True, order=True)
class Association:
    at: int  # epoch seconds
    index: int  # the generated call
    seq: int  # 0 for the first association, 1 for a re-association
    user_id: str
    account: int
    with_deal: bool


class CrmData(CallIndex):
    _associations: list[Association] | None
    #: The company's generic CRM integration (at most one), and every one ever registered.
    crm_integrations: list[Integration]
    crm_requests: dict[str, CrmRequest]
    crm_registrations: int
    _integration_ids: IdCodec

    def _load(self) -> None:
        super()._load()
        self._associations = None
        self._integration_ids = IdCodec(self.config.seed, "crm-integration")
        self.crm_requests = {}
        self.crm_registrations = 0
        self.crm_integrations = [self._seeded_integration()]

    # ----- the integration --------------------------------------------------------------------

    def _seeded_integration(self) -> Integration:
        created = fmt(self.data.start_ts)
        schema: dict[str, dict[str, JSON]] = {}
        for object_type, fields in v.CRM_SCHEMA.items():
            schema[object_type] = {}
            for name, label, kind, extra in fields:
                schema[object_type][name] = _schema_field(
                    {
                        "uniqueName": name,
                        "label": label,
                        "type": kind,
                        "referenceTo": extra[0] if kind == "REFERENCE" else None,
                        "orderedValueList": list(extra) if kind == "PICKLIST" else None,
                        "lastModified": created,
                    }
                )
        return Integration(
            id=int(self._integration_ids.encode(0)),
            name=f"{v.COMPANY_NAME} CRM",
            owner_email=str(self.data.users[0]["emailAddress"]),
            schema=schema,
            seeded={(t, n) for t, fields in v.CRM_SCHEMA.items() for n, *_ in fields},
        )

    def _settle_crm(self) -> None:
        """Finish delete requests whose time has come; call with the lock held."""
        now = self.clock.now()
        self.crm_integrations = [i for i in self.crm_integrations if i.deleted_at is None or i.deleted_at > now]

    def _integration(self, integration_id: str | None) -> Integration:
        """The active integration named by ``integrationId``; call with the lock held."""
        if integration_id is None:
            raise bad_request("integrationId is required")
        if not integration_id.isdigit():
            raise bad_request("integrationId must be a number")
        self._settle_crm()
        for integration in self.crm_integrations:
            if integration.id == int(integration_id) and integration.deleted_at is None:
                return integration
        raise bad_request(f"integrationId {integration_id} is not the company's CRM integration")

    def list_crm_integrations(self) -> JSON:
        with self.lock:
            self._settle_crm()
            return {
                "integrations": [
                    {"integrationId": i.id, "ownerEmail": i.owner_email, "name": i.name} for i in self.crm_integrations
                ]
            }

    def register_crm_integration(self, body: JSON) -> JSON:
        owner = required_str(body, "ownerEmail")
        if self.config.email_checks and not EMAIL_RE.match(owner):
            raise bad_request("ownerEmail is not a valid e-mail address")
        name = required_str(body, "name")
        with self.lock:
            self._settle_crm()
            if self.crm_integrations:
                raise conflict("An active integration already exists; delete it before registering another")
            self.crm_registrations += 1
            registered = Integration(
                id=int(self._integration_ids.encode(self.crm_registrations)),
                name=name,
                owner_email=owner,
                schema={t: {} for t in OBJECT_TYPES},
            )
            self.crm_integrations.append(registered)
        return {"integrationId": registered.id}

    def delete_crm_integration(self, integration_id: str | None, client_request_id: str | None) -> JSON:
        if client_request_id is None:
            raise bad_request("clientRequestId is required")
        if not CLIENT_REQUEST_ID.match(client_request_id):
            raise bad_request("clientRequestId may contain only letters, numbers, dashes and underscores")
        with self.lock:
            if client_request_id in self.crm_requests:
                raise conflict("Client request id has already been used")
            integration = self._integration(integration_id)
            now = self.clock.now()
            integration.deleted_at = now + self.config.processing_delay
            self.crm_requests[client_request_id] = CrmRequest(
                integration.id, now, integration.deleted_at, self._object_count(integration)
            )
            self._settle_crm()
        return {"clientRequestId": client_request_id}

    def request_status(self, integration_id: str | None, client_request_id: str | None) -> JSON:
        if integration_id is None or not integration_id.isdigit():
            raise bad_request("integrationId is required and must be a number")
        if client_request_id is None:
            raise bad_request("clientRequestId is required")
        with self.lock:
            request = self.crm_requests.get(client_request_id)
            if request is None or request.integration_id != int(integration_id):
                raise bad_request(f"No request {client_request_id} was made for integration {integration_id}")
            done = self.clock.now() >= request.done_at
        return {
            "status": "DONE" if done else "PENDING",
            "errors": [],
            "totalErrorCount": 0,
            "totalSuccessCount": request.objects if done else 0,
        }

    # ----- schema -----------------------------------------------------------------------------

    def crm_schema(self, integration_id: str | None, object_type: str | None) -> JSON:
        if object_type is not None:
            one_of(object_type, "objectType", OBJECT_TYPES)
        with self.lock:
            integration = self._integration(integration_id)
            types = [object_type] if object_type is not None else list(OBJECT_TYPES)
            return {"objectTypeToSelectedFields": {t: [dict(f) for f in integration.schema[t].values()] for t in types}}

    def upload_crm_schema(self, integration_id: str | None, object_type: str | None, fields: list[Any]) -> JSON:
        if object_type is None:
            raise bad_request("objectType is required")
        one_of(object_type, "objectType", OBJECT_TYPES)
        uploaded = _check_schema_fields(fields)
        with self.lock:
            integration = self._integration(integration_id)
            current = integration.schema[object_type]
            missing = [name for name in current if name not in uploaded]
            if missing:
                raise bad_request(
                    "The schema must include every field it already has (send isDeleted to remove one); "
                    f"missing: {', '.join(missing)}"
                )
            now = fmt(self.clock.now())
            for name, given in uploaded.items():
                old = current.get(name)
                if given.get("isDeleted"):
                    current.pop(name, None)
                    integration.seeded.discard((object_type, name))
                    continue
                if old is not None and old["type"] != given["type"]:
                    integration.seeded.discard((object_type, name))  # a new field: the old data goes
                current[name] = _schema_field({**given, "lastModified": given.get("lastModified") or now})
        return {}

    # ----- objects ----------------------------------------------------------------------------

    def crm_objects(self, integration_id: str | None, object_type: str | None, ids: list[str]) -> JSON:
        if object_type is None:
            raise bad_request("objectType is required")
        one_of(object_type, "objectType", OBJECT_TYPES)
        if not ids:
            raise bad_request("objectsCrmIds is required: send the objects' CRM ids")
        with self.lock:
            integration = self._integration(integration_id)
            kept = {name for t, name in integration.seeded if t == object_type}
            out: JSON = {}
            for crm_id in list(dict.fromkeys(ids))[:MAX_OBJECTS]:
                values = self._seeded_object(integration, object_type, crm_id)
                out[crm_id] = None if values is None else {k: val for k, val in values.items() if k in kept}
        return {"crmObjectsMap": out}

    def _seeded_object(self, integration: Integration, object_type: str, crm_id: str) -> JSON | None:
        if integration.id != int(self._integration_ids.encode(0)):
            return None  # a registered integration holds nothing until objects are uploaded
        data = self.data
        if object_type in ("ACCOUNT", "DEAL"):
            make = data.account_crm_id if object_type == "ACCOUNT" else data.opportunity_crm_id
            account = next((a for a in range(data.n_accounts) if make(a) == crm_id), None)
            return None if account is None else self._account_values(object_type, account)
        contact = data.find_contact_by_crm_id(crm_id)
        if contact is None or contact.index in self.erased_contacts:
            return None
        if contact.object_type.upper() != object_type:
            return None
        return self._person_values(contact)

    def _account_values(self, object_type: str, account: int) -> JSON:
        data = self.data
        name = v.ACCOUNTS[account]
        owner = data.reps[account % len(data.reps)]["id"]
        amount = 10_000 + stable_hash(name) % 90_000
        if object_type == "ACCOUNT":
            return {
                "name": name,
                "website": f"https://{name.lower().replace(' ', '')}.example",
                "industry": "Technology",
                "annualRevenue": amount * 100,
                "ownerId": owner,
            }
        return {
            "name": f"{name} - Platform",
            "stage": "Negotiation",
            "amount": amount,
            "closeDate": fmt(data.end_ts + 30 * 86_400)[:10],
            "accountId": data.account_crm_id(account),
            "ownerId": owner,
        }

    def _person_values(self, contact: Contact) -> JSON:
        values: JSON = {
            "firstName": contact.first,
            "lastName": contact.last,
            "email": contact.email,
            "phone": contact.phone,
        }
        if contact.object_type == "Contact":
            return values | {"title": contact.title, "accountId": self.data.account_crm_id(contact.account_index)}
        status = ("Open", "Working", "Qualified", "Unqualified")[stable_hash(contact.crm_id) % 4]
        return values | {"company": v.ACCOUNTS[contact.account_index], "status": status}

    def _object_count(self, integration: Integration) -> int:
        if integration.id != int(self._integration_ids.encode(0)):
            return 0
        return 2 * self.data.n_accounts + self.data.n_contacts

    def associations(self) -> list[Association]:
        """Every manual association of a generated call, by time; found on first use."""
        if self._associations is None:
            data = self.data
            found = []
            for i in range(data.n_calls):
                h = stable_hash(data.seed, "manual-association", i)
                if h % 100 >= ASSOCIATED_PERCENT or data.is_internal_only(i):
                    continue
                host = str(data.primary_rep_of(i)["id"])
                account = data.account_of(i)
                first = int(data.key_ms(i) / 1000) + 3600 + (h >> 8) % (2 * 86_400)
                found.append(Association(first, i, 0, host, account, (h >> 20) % 3 != 0))
                if (h >> 24) % 4 == 0:
                    other = (account + 1 + (h >> 28) % (data.n_accounts - 1)) % data.n_accounts
                    later = first + 86_400 * (1 + (h >> 36) % 10)
                    found.append(Association(later, i, 1, host, other, True))
            self._associations = sorted(a for a in found if a.at <= data.end_ts)
        return self._associations

    def manual_associations(self, from_text: str | None, cursor: str | None) -> Page:
        start = None
        if from_text is not None:
            start = time_ms(from_text, "fromDateTime", offset_required=self.config.require_utc_offset) // 1000
        with self.lock:
            events = self.associations()
            if start is not None:
                events = events[bisect.bisect_left(events, Association(start, -1, 0, "", 0, False)) :]
            if self.deleted_calls:
                events = [a for a in events if self.data.call_ids.encode(a.index) not in self.deleted_calls]
        data = self.data

        def render(n: int) -> JSON:
            a = events[n]
            return {
                "callId": data.call_ids.encode(a.index),
                "userId": a.user_id,
                "created": fmt(a.at),
                "associatedCrmObjects": [
                    {
                        "accountCrmId": data.account_crm_id(a.account),
                        "dealCrmId": data.opportunity_crm_id(a.account) if a.with_deal else None,
                    }
                ],
            }

        return keyed_page(
            self.cursors,
            "manual-crm-associations",
            fingerprint("manual-crm-associations", {"f": start}),
            [[a.at, a.index, a.seq] for a in events],
            render,
            cursor,
            self.config.page_size,
            bound_to_filter=self.config.cursor_bound_to_filter,
        )


def _schema_field(given: JSON) -> JSON:
    """A schema field as Gong lists it; ``name`` repeats ``uniqueName`` (the document's example uses it)."""
    return {
        "uniqueName": given["uniqueName"],
        "name": given["uniqueName"],
        "label": given["label"],
        "type": given["type"],
        "lastModified": given.get("lastModified"),
        "isDeleted": False,
        "referenceTo": given.get("referenceTo"),
        "orderedValueList": given.get("orderedValueList"),
    }


def _check_schema_fields(fields: list[Any]) -> dict[str, JSON]:
    """The uploaded fields by ``uniqueName``, after the document's rules for each."""
    out: dict[str, JSON] = {}
    for n, item in enumerate(fields):
        if not isinstance(item, dict):
            raise bad_request(f"[{n}] must be an object")
        for name in ("uniqueName", "label"):
            if not isinstance(item.get(name), str) or not item[name].strip():
                raise bad_request(f"[{n}].{name} is required and must be a non-empty string")
        kind = one_of(item.get("type"), f"[{n}].type", FIELD_TYPES)
        if kind == "REFERENCE":
            one_of(item.get("referenceTo"), f"[{n}].referenceTo", REFERENCE_TYPES)
        if kind == "PICKLIST":
            values = item.get("orderedValueList")
            if not isinstance(values, list) or not values or not all(isinstance(x, str) for x in values):
                raise bad_request(f"[{n}].orderedValueList is required for a PICKLIST field: a list of strings")
        if item.get("isDeleted") is not None and not isinstance(item["isDeleted"], bool):
            raise bad_request(f"[{n}].isDeleted must be true or false")
        modified = item.get("lastModified")
        if modified is not None and parse_iso(modified) is None:
            raise bad_request(f"[{n}].lastModified must be an ISO-8601 date-time")
        out[item["uniqueName"]] = item
    return out
