"""What partners' integrations send Gong: digital interactions and integration settings.

Neither has a read operation in Gong's API: what was accepted is kept for the admin API's
state summary, for tests, until the next reset. A repeated digital interaction (same source
system and ``eventId``) is refused with 409, as Gong documents.
"""

from __future__ import annotations

import re
from typing import Any

from ._checks import list_of_objects, one_of, required_str, required_time, string_list
from ._company import Company
from ._errors import bad_request, conflict
from ._ids import stable_hash

JSON = dict[str, Any]

DEVICES = ("MOBILE", "PC")
NUMERIC_TYPES = ("PERCENTAGE", "NPS", "RATING", "OTHER")
SEARCH_OBJECT_TYPES = ("VENDOR", "PRODUCT", "CATEGORY")
PERSON_OBJECT_TYPES = ("CONTACT", "LEAD")
COMPANY_OBJECT_TYPES = ("ACCOUNT", "OPPORTUNITY")
FIELD_TYPES = ("STRING", "NUMBER", "DATE", "URL", "BOOLEAN", "DURATION")
INTEGRATION_TYPES = ("EMAIL_COMPOSER", "ACCOUNT_PAGES", "DIALER")
ORIGIN_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")


def _object(body: JSON, name: str, prefix: str, *, required: bool = False) -> JSON | None:
    value = body.get(name)
    if value is None:
        if required:
            raise bad_request(f"{prefix}{name} is required")
        return None
    if not isinstance(value, dict):
        raise bad_request(f"{prefix}{name} must be an object")
    return value


def _strings(body: JSON, names: tuple[str, ...], prefix: str) -> None:
    for name in names:
        _prefixed_str(body, name, prefix)


def _prefixed_str(body: JSON, name: str, prefix: str) -> None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise bad_request(f"{prefix}{name} must be a string")


def _required(body: JSON, name: str, prefix: str) -> None:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise bad_request(f"{prefix}{name} is required and must be a non-empty string")


def _integer(body: JSON, name: str, prefix: str, *, required: bool) -> None:
    value = body.get(name)
    if value is None and not required:
        return
    if not isinstance(value, int) or isinstance(value, bool):
        raise bad_request(f"{prefix}{name} {'is required and ' if required else ''}must be an integer")


def _custom_fields(body: JSON, name: str, prefix: str) -> None:
    for n, item in enumerate(list_of_objects(body, name)):
        where = f"{prefix}{name}[{n}]."
        _required(item, "name", where)
        if not isinstance(item.get("value"), str):
            raise bad_request(f"{where}value is required and must be a string")
        if item.get("dataType") is not None:
            one_of(item["dataType"], f"{where}dataType", FIELD_TYPES)


def _business_context(value: JSON, where: str, object_types: tuple[str, ...]) -> None:
    one_of(value.get("objectType"), f"{where}objectType", object_types)
    _required(value, "objectId", where)
    _prefixed_str(value, "systemName", where)


def check_digital_interaction(body: JSON, *, offset_required: bool) -> None:
    """Gong's ``DigitalInteractionRequest`` rules: required fields, enums, anonymous people."""
    required_str(body, "eventId")
    required_time(body, "timestamp", offset_required=offset_required)
    required_str(body, "eventType")
    _strings(body, ("sourceSystemName", "sessionId"), "")
    if body.get("device") is not None:
        one_of(body["device"], "device", DEVICES)
    content = _object(body, "content", "", required=True)
    assert content is not None
    _required(content, "contentTitle", "content.")
    _strings(content, ("contentId", "contentUrl", "contentAdditionalInfoUrl"), "content.")
    string_list(content, "contentLabel", prefix="content.")
    numeric = _object(content, "numericContentDetails", "content.")
    if numeric is not None:
        where = "content.numericContentDetails."
        _integer(numeric, "value", where, required=False)
        _integer(numeric, "rangeFrom", where, required=True)
        _integer(numeric, "rangeTo", where, required=True)
        if numeric.get("numericType") is not None:
            one_of(numeric["numericType"], f"{where}numericType", NUMERIC_TYPES)
    steps = _object(content, "stepContentDetails", "content.")
    if steps is not None:
        _required(steps, "value", "content.stepContentDetails.")
        string_list(steps, "availableSteps", prefix="content.stepContentDetails.", required=True)
    search = _object(content, "searchObjectDetails", "content.")
    if search is not None:
        where = "content.searchObjectDetails."
        _required(search, "name", where)
        one_of(search.get("objectType"), f"{where}objectType", SEARCH_OBJECT_TYPES)
        _required(search, "domain", where)
        _strings(search, ("objectId", "url"), where)
    _custom_fields(content, "contentCustomFields", "content.")
    person = _object(body, "person", "", required=True)
    assert person is not None
    _strings(person, ("name", "email", "phoneNumber", "personId"), "person.")
    context = _object(person, "personBusinessContext", "person.")
    if context is not None:
        _business_context(context, "person.personBusinessContext.", PERSON_OBJECT_TYPES)
    location = _object(person, "location", "person.")
    if location is not None:
        _strings(location, ("country", "state", "region", "city"), "person.location.")
    company = _object(person, "company", "person.")
    if company is not None:
        _strings(company, ("companyId", "name", "domain"), "person.company.")
        for n, item in enumerate(list_of_objects(company, "companyBusinessContexts")):
            _business_context(item, f"person.company.companyBusinessContexts[{n}].", COMPANY_OBJECT_TYPES)
    _custom_fields(person, "personCustomFields", "person.")
    if not any(person.get(k) for k in ("name", "email", "phoneNumber", "personBusinessContext")):
        # Gong documents both as mandatory for an anonymous person.
        if not person.get("personId"):
            raise bad_request(
                "person.personId is required for an anonymous person (no name, email, phone or CRM context)"
            )
        if not (company or {}).get("domain"):
            raise bad_request(
                "person.company.domain is required for an anonymous person (no name, email, phone or CRM context)"
            )
    _custom_fields(body, "customFields", "")


class Partners(Company):
    digital_interactions: list[JSON]
    #: ``(sourceSystemName, eventId)`` of every digital interaction accepted.
    digital_interaction_keys: set[tuple[str, str]]
    #: Integration type -> the origins allowed to frame it.
    integration_origins: dict[str, list[str]]

    def _load(self) -> None:
        super()._load()
        self.digital_interactions = []
        self.digital_interaction_keys = set()
        self.integration_origins = {}

    def add_digital_interaction(self, body: JSON) -> JSON:
        check_digital_interaction(body, offset_required=self.config.require_utc_offset)
        key = (str(body.get("sourceSystemName") or ""), str(body["eventId"]))
        with self.lock:
            if key in self.digital_interaction_keys:
                raise conflict("Event was already reported in the past")
            self.digital_interaction_keys.add(key)
            self.digital_interactions.append({"body": body, "received": self.clock.now()})
        return {}

    def set_integration_settings(self, body: JSON) -> JSON:
        items = list_of_objects(body, "integrationTypeSettings", required=True)
        settings: dict[str, list[str]] = {}
        for n, item in enumerate(items):
            kind = one_of(
                item.get("integrationType"), f"integrationTypeSettings[{n}].integrationType", INTEGRATION_TYPES
            )
            origin = item.get("allowedOrigin")
            if not isinstance(origin, str) or not ORIGIN_RE.match(origin):
                raise bad_request(
                    f"integrationTypeSettings[{n}].allowedOrigin is required and must be an origin "
                    "(scheme and host, e.g. https://acme.partner.com)"
                )
            settings.setdefault(kind, []).append(origin)
        with self.lock:
            for kind, origins in settings.items():
                self.integration_origins[kind] = list(dict.fromkeys(origins))
        return {"integrationId": int(stable_hash(self.config.seed, "integration-settings") % 10**18 + 10**18)}
