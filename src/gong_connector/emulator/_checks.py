"""The field checks Gong's endpoints share, each raising the 400 the emulator answers.

Resource modules run them before taking the state lock, so a refused request changes
nothing and never waits for another request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from ._errors import bad_request
from ._timefmt import parse_iso

JSON = dict[str, Any]

CRM_SYSTEMS = ("Salesforce", "HubSpot", "MicrosoftDynamic", "Generic")
CALL_OBJECT_TYPES = ("Opportunity", "Account", "Lead", "Contact", "User", "Opportunity,Account")
PARTY_OBJECT_TYPES = ("Lead", "Contact", "Account", "Opportunity", "User", "Lead,Contact")

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ID_RE = re.compile(r"^[0-9]{1,20}\Z")  # ASCII digits only, and no trailing newline
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_id(value: object, name: str) -> str:
    if not isinstance(value, str) or not ID_RE.match(value):
        raise bad_request(f"{name} must be a numeric string of up to 20 digits")
    return value


def required_str(body: JSON, name: str, *, max_len: int | None = None) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise bad_request(f"{name} is required and must be a non-empty string")
    if max_len is not None and len(value) > max_len:
        raise bad_request(f"{name} must be at most {max_len} characters")
    return value


def optional_str(body: JSON, name: str, *, max_len: int | None = None) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string")
    if max_len is not None and len(value) > max_len:
        raise bad_request(f"{name} must be at most {max_len} characters")
    return value


def time_ms(text: object, name: str, *, offset_required: bool) -> int:
    """Epoch milliseconds of an ISO-8601 date-time."""
    parsed = parse_iso(text, offset_required=offset_required)
    if parsed is None:
        raise bad_request(f"{name} must be an ISO-8601 date-time with a time zone offset")
    return int(parsed.timestamp() * 1000)


def required_time(body: JSON, name: str, *, offset_required: bool) -> float:
    parsed = parse_iso(body.get(name), offset_required=offset_required)
    if parsed is None:
        raise bad_request(f"{name} must be an ISO-8601 date-time with a time zone offset")
    return parsed.timestamp()


def optional_time(body: JSON, name: str, *, offset_required: bool) -> float | None:
    if body.get(name) is None:
        return None
    return required_time(body, name, offset_required=offset_required)


def one_of(value: object, name: str, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise bad_request(f"{name} must be one of {', '.join(allowed)}")
    return str(value)


def list_of_objects(body: JSON, name: str, *, required: bool = False) -> list[JSON]:
    value = body.get(name)
    if value is None:
        if required:
            raise bad_request(f"{name} is required")
        return []
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        raise bad_request(f"{name} must be a list of objects")
    return value


def check_crm_context(items: list[JSON], name: str, object_types: tuple[str, ...]) -> None:
    for n, ctx in enumerate(items):
        one_of(ctx.get("system"), f"{name}[{n}].system", CRM_SYSTEMS)
        for m, obj in enumerate(list_of_objects(ctx, "objects")):
            one_of(obj.get("objectType"), f"{name}[{n}].objects[{m}].objectType", object_types)
            if not isinstance(obj.get("objectId"), str) or not obj["objectId"]:
                raise bad_request(f"{name}[{n}].objects[{m}].objectId is required")


def normalize_phone(value: str) -> str:
    return "+" + "".join(ch for ch in value if ch.isdigit())


def check_email_address(email: str | None, *, form: bool) -> str:
    """The ``emailAddress`` query parameter of the data-privacy endpoints, lower-cased;
    ``form``: refuse one that does not look like an address (a guess: ``email_checks``)."""
    if email is None or not email.strip():
        raise bad_request("emailAddress is required")
    if form and not EMAIL_RE.match(email.strip()):
        raise bad_request("emailAddress is not a valid e-mail address")
    return email.strip().lower()


def check_phone_number(phone: str | None, *, digit_limits: bool) -> tuple[str, str]:
    """``(as supplied, + and digits only)`` for the ``phoneNumber`` query parameter.

    Gong documents the leading ``+`` and country code; ``digit_limits`` adds E.164's length
    (7 to 15 digits), which it does not.
    """
    if phone is None or not phone.strip():
        raise bad_request("phoneNumber is required")
    supplied = phone.strip()
    digits = normalize_phone(supplied)
    count = len(digits) - 1
    if not supplied.startswith("+") or count < 1 or (digit_limits and not 7 <= count <= 15):
        raise bad_request("phoneNumber must start with + followed by the country code and number")
    return supplied, digits


def filter_object(body: JSON, *, required: bool = True) -> JSON:
    """The ``filter`` object of a POST listing."""
    raw = body.get("filter")
    if raw is None and not required:
        return {}
    if not isinstance(raw, dict):
        raise bad_request("filter is required and must be an object")
    return raw


def optional_date(body: JSON, name: str, *, prefix: str = "filter.") -> date | None:
    """A ``YYYY-MM-DD`` date (Gong's stats filters: a day in the company's time zone)."""
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, str) and DATE_RE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise bad_request(f"{prefix}{name} must be a date in the form YYYY-MM-DD")


def required_date(body: JSON, name: str, *, prefix: str = "filter.") -> date:
    found = optional_date(body, name, prefix=prefix)
    if found is None:
        raise bad_request(f"{prefix}{name} is required")
    return found


def id_list(body: JSON, name: str, *, prefix: str = "filter.", required: bool = False) -> tuple[str, ...] | None:
    """A list of numeric id strings; ``None`` when absent (and not ``required``)."""
    value = body.get(name)
    if value is None:
        if required:
            raise bad_request(f"{prefix}{name} is required")
        return None
    if not isinstance(value, list):
        raise bad_request(f"{prefix}{name} must be a list of IDs")
    return tuple(check_id(x, f"{prefix}{name}") for x in value)


def string_list(body: JSON, name: str, *, prefix: str = "", required: bool = False) -> list[str] | None:
    value = body.get(name)
    if value is None:
        if required:
            raise bad_request(f"{prefix}{name} is required")
        return None
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise bad_request(f"{prefix}{name} must be a list of strings")
    return value


def optional_bool(body: JSON, name: str, *, prefix: str = "") -> bool | None:
    value = body.get(name)
    if value is not None and not isinstance(value, bool):
        raise bad_request(f"{prefix}{name} must be true or false")
    return value
