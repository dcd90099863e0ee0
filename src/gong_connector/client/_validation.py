"""Client-side input checks, run before any request is built.

Each check raises our ``ValidationError`` naming the field and the rule, so a bad input
costs no request (and no share of the daily budget) and the message says what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from ..errors import ValidationError

__all__ = [
    "DIRECTIONS",
    "LANGUAGE_CODES",
    "LOG_TYPES",
    "MAX_MEDIA_BYTES",
    "check_datetime",
    "check_direction",
    "check_email",
    "check_id",
    "check_ids",
    "check_language",
    "check_phone",
    "check_text",
]

MAX_MEDIA_BYTES = 1536 * 1024 * 1024  # Gong's 1.5 GB, read as 1536 MiB
DIRECTIONS = ("Inbound", "Outbound", "Conference", "Unknown")
LOG_TYPES = (
    "AccessLog",
    "UserActivityLog",
    "UserCallPlay",
    "ExternallySharedCallAccess",
    "ExternallySharedCallPlay",
)
AGENT_PLATFORMS = ("Windows", "Linux", "MacOS", "iOS", "Android")
LANGUAGE_CODES = frozenset(
    [
        "af-ZA",
        "am-ET",
        "ar-AE",
        "ar-BH",
        "ar-DZ",
        "ar-EG",
        "ar-IL",
        "ar-IQ",
        "ar-JO",
        "ar-KW",
        "ar-LB",
        "ar-MA",
        "ar-MR",
        "ar-OM",
        "ar-PS",
        "ar-QA",
        "ar-SA",
        "ar-TN",
        "ar-YE",
        "az-AZ",
        "bg-BG",
        "bn-BD",
        "bn-IN",
        "bs-BA",
        "ca-ES",
        "cs-CZ",
        "da-DK",
        "de-AT",
        "de-CH",
        "de-DE",
        "el-GR",
        "en-AB",
        "en-AU",
        "en-CA",
        "en-GB",
        "en-IE",
        "en-IN",
        "en-NZ",
        "en-PH",
        "en-SG",
        "en-US",
        "en-WL",
        "en-ZA",
        "es-AR",
        "es-BO",
        "es-CL",
        "es-CO",
        "es-CR",
        "es-DO",
        "es-EC",
        "es-ES",
        "es-GT",
        "es-HN",
        "es-MX",
        "es-NI",
        "es-PA",
        "es-PE",
        "es-PR",
        "es-PY",
        "es-SV",
        "es-US",
        "es-UY",
        "et-EE",
        "eu-ES",
        "fa-IR",
        "fi-FI",
        "fil-PH",
        "fr-BE",
        "fr-CA",
        "fr-CH",
        "fr-FR",
        "gl-ES",
        "gu-IN",
        "he-IL",
        "hi-IN",
        "hr-HR",
        "hu-HU",
        "hy-AM",
        "id-ID",
        "is-IS",
        "it-CH",
        "it-IT",
        "ja-JP",
        "jv-ID",
        "ka-GE",
        "kk-KZ",
        "km-KH",
        "kn-IN",
        "ko-KR",
        "lo-LA",
        "lt-LT",
        "lv-LV",
        "mk-MK",
        "ml-IN",
        "mn-MN",
        "mr-IN",
        "ms-MY",
        "my-MM",
        "ne-NP",
        "nl-BE",
        "nl-NL",
        "no-NO",
        "pa-Guru-IN",
        "pl-PL",
        "pt-BR",
        "pt-PT",
        "ro-RO",
        "ru-RU",
        "si-LK",
        "sk-SK",
        "sl-SI",
        "sq-AL",
        "sr-RS",
        "su-ID",
        "sv-SE",
        "sw-KE",
        "sw-TZ",
        "ta-IN",
        "ta-LK",
        "ta-MY",
        "ta-SG",
        "te-IN",
        "th-TH",
        "tr-TR",
        "uk-UA",
        "ur-IN",
        "ur-PK",
        "uz-UZ",
        "vi-VN",
        "yue-Hant-HK",
        "zh-CN",
        "zh-TW",
        "zu-ZA",
    ]
)

_ID_RE = re.compile(r"[0-9]{1,20}")
# Local part and domain kept deliberately loose: Gong, not us, decides deliverability.
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
# ISO-8601 date-time with a mandatory offset; Gong reads a bare local time ambiguously.
_DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})", re.IGNORECASE)


def check_datetime(field: str, value: object) -> str:
    """Return the value as an ISO-8601 string with an offset."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValidationError(field, "timezone", "datetime must carry a timezone")
        return value.isoformat()
    if not isinstance(value, str) or not _DATETIME_RE.fullmatch(value.strip()):
        raise ValidationError(
            field,
            "iso8601",
            "must be an ISO-8601 date-time with an offset, e.g. 2024-02-18T08:00:00Z",
        )
    text = value.strip()
    try:
        datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise ValidationError(field, "iso8601", "is not a valid calendar date-time") from None
    return text


def check_id(field: str, value: object) -> str:
    """IDs are numeric strings of up to 20 digits; ints are refused, as they lose digits."""
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        raise ValidationError(field, "id", "must be a string of 1 to 20 digits")
    return value


def check_ids(field: str, value: object) -> list[str]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError(field, "id_list", "must be a list of ID strings")
    items = list(value)
    if not items:
        raise ValidationError(field, "non_empty", "must not be empty; omit it instead")
    return [check_id(f"{field}[{i}]", v) for i, v in enumerate(items)]


def check_email(field: str, value: object) -> str:
    if not isinstance(value, str) or len(value) > 254 or not _EMAIL_RE.fullmatch(value):
        raise ValidationError(field, "email", "must be an e-mail address")
    return value


def check_phone(field: str, value: object) -> str:
    """Gong wants ``+`` then the country code; other non-digits are ignored (kept as given)."""
    if not isinstance(value, str) or not value.strip().startswith("+"):
        raise ValidationError(field, "phone", "must start with + and the country code")
    digits = re.sub(r"\D", "", value)
    if not 4 <= len(digits) <= 15:
        raise ValidationError(field, "phone", "must hold 4 to 15 digits after the +")
    return value.strip()


def check_text(field: str, value: object, *, max_length: int | None = None) -> str:
    if not isinstance(value, str):
        raise ValidationError(field, "string", "must be a string")
    if max_length is not None and len(value) > max_length:
        raise ValidationError(field, "max_length", f"must be at most {max_length} characters")
    return value


def check_choice(field: str, value: object, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ValidationError(field, "choice", f"must be one of {', '.join(choices)}")
    return str(value)


def check_direction(field: str, value: object) -> str:
    return check_choice(field, value, DIRECTIONS)


def check_language(field: str, value: object) -> str:
    if not isinstance(value, str) or value not in LANGUAGE_CODES:
        raise ValidationError(field, "language", "must be one of Gong's language codes, e.g. en-US, fr-FR")
    return value


def check_bool(field: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field, "bool", "must be true or false")
    return value


def check_number(field: str, value: object) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValidationError(field, "number", "must be a non-negative number")
    return value
