"""Input kinds: one object per type of action input.

A kind checks a value (and turns it into what goes on the wire), describes itself as JSON
Schema, reads itself from command-line text and offers an example. The client's checks,
the manifest, ``gong run`` and the MCP tools all ask the same object, so what the schema
promises is exactly what the client accepts.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

import pydantic

from ..errors import ValidationError

__all__ = [
    "AGENT_PLATFORMS",
    "BOOL",
    "CLIENT_REQUEST_ID",
    "DATE",
    "DATETIME",
    "DIRECTION",
    "DIRECTIONS",
    "EMAIL",
    "FILE",
    "ID",
    "IDS",
    "INTEGER",
    "JSON_VALUE",
    "LANGUAGE",
    "LANGUAGE_CODES",
    "LOG_TYPES",
    "MAP",
    "MAX_MEDIA_BYTES",
    "NUMBER",
    "PHONE",
    "STRINGS",
    "TEXT",
    "Choice",
    "Integer",
    "Kind",
    "ListOf",
    "Model",
    "Models",
    "Number",
    "Text",
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
# fmt: off
LANGUAGE_CODES = frozenset([
    "af-ZA", "am-ET", "ar-AE", "ar-BH", "ar-DZ", "ar-EG", "ar-IL", "ar-IQ", "ar-JO", "ar-KW", "ar-LB", "ar-MA",
    "ar-MR", "ar-OM", "ar-PS", "ar-QA", "ar-SA", "ar-TN", "ar-YE", "az-AZ", "bg-BG", "bn-BD", "bn-IN", "bs-BA",
    "ca-ES", "cs-CZ", "da-DK", "de-AT", "de-CH", "de-DE", "el-GR", "en-AB", "en-AU", "en-CA", "en-GB", "en-IE",
    "en-IN", "en-NZ", "en-PH", "en-SG", "en-US", "en-WL", "en-ZA", "es-AR", "es-BO", "es-CL", "es-CO", "es-CR",
    "es-DO", "es-EC", "es-ES", "es-GT", "es-HN", "es-MX", "es-NI", "es-PA", "es-PE", "es-PR", "es-PY", "es-SV",
    "es-US", "es-UY", "et-EE", "eu-ES", "fa-IR", "fi-FI", "fil-PH", "fr-BE", "fr-CA", "fr-CH", "fr-FR", "gl-ES",
    "gu-IN", "he-IL", "hi-IN", "hr-HR", "hu-HU", "hy-AM", "id-ID", "is-IS", "it-CH", "it-IT", "ja-JP", "jv-ID",
    "ka-GE", "kk-KZ", "km-KH", "kn-IN", "ko-KR", "lo-LA", "lt-LT", "lv-LV", "mk-MK", "ml-IN", "mn-MN", "mr-IN",
    "ms-MY", "my-MM", "ne-NP", "nl-BE", "nl-NL", "no-NO", "pa-Guru-IN", "pl-PL", "pt-BR", "pt-PT", "ro-RO",
    "ru-RU", "si-LK", "sk-SK", "sl-SI", "sq-AL", "sr-RS", "su-ID", "sv-SE", "sw-KE", "sw-TZ", "ta-IN", "ta-LK",
    "ta-MY", "ta-SG", "te-IN", "th-TH", "tr-TR", "uk-UA", "ur-IN", "ur-PK", "uz-UZ", "vi-VN", "yue-Hant-HK",
    "zh-CN", "zh-TW", "zu-ZA",
])
# fmt: on

_TRUE = frozenset({"true", "yes", "1", "on"})
_FALSE = frozenset({"false", "no", "0", "off"})


@dataclass(frozen=True, kw_only=True, repr=False)
class Kind:
    """The type of an input. Subclasses override what differs from plain text."""

    #: The manifest's name for the type (``"id"``, ``"datetime"``...).
    name: ClassVar[str] = "text"
    #: Repeating it on the command line adds to a list.
    many: ClassVar[bool] = False
    #: A sentence appended to an input's help.
    hint: str = ""
    #: A value that passes ``check``, for help texts and schemas.
    example: Any = None

    def check(self, field: str, value: object) -> Any:
        """The value as sent to Gong, or ``ValidationError`` naming ``field``."""
        raise NotImplementedError

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        """JSON Schema of accepted values; shared model schemas go into ``defs``."""
        raise NotImplementedError

    def parse_text(self, field: str, text: str) -> Any:
        """A value typed on the command line, read as this kind (then ``check`` runs)."""
        return text

    def __repr__(self) -> str:
        return f"<kind {self.name}>"


@dataclass(frozen=True, repr=False)
class Text(Kind):
    max_length: int | None = None

    def __post_init__(self) -> None:
        if self.example is None:
            object.__setattr__(self, "example", "text")

    def check(self, field: str, value: object) -> str:
        if not isinstance(value, str):
            raise ValidationError(field, "string", "must be a string")
        if self.max_length is not None and len(value) > self.max_length:
            raise ValidationError(field, "max_length", f"must be at most {self.max_length} characters")
        return value

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string"}
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        return schema


@dataclass(frozen=True, kw_only=True, repr=False)
class _Pattern(Kind):
    """A string matching one regular expression, used for the check and the schema alike."""

    pattern: str = ""
    rule: str = ""
    message: str = ""
    fmt: str | None = None

    def check(self, field: str, value: object) -> str:
        if not isinstance(value, str) or not re.fullmatch(self.pattern, value):
            raise ValidationError(field, self.rule, self.message)
        return value

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "pattern": f"^(?:{self.pattern})$"}
        if self.fmt:
            schema["format"] = self.fmt
        return schema


class _Id(_Pattern):
    name = "id"


class _Email(_Pattern):
    name = "email"

    def check(self, field: str, value: object) -> str:
        if isinstance(value, str) and len(value) > 254:
            raise ValidationError(field, self.rule, self.message)
        return super().check(field, value)

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {**super().schema(defs), "maxLength": 254}


class _Phone(_Pattern):
    name = "phone"

    def check(self, field: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip().startswith("+"):
            raise ValidationError(field, self.rule, "must start with + and the country code")
        if not re.fullmatch(self.pattern, value):
            raise ValidationError(field, self.rule, self.message)
        return value.strip()


ID = _Id(
    pattern="[0-9]{1,20}",
    rule="id",
    message="must be a string of 1 to 20 digits",
    hint="1 to 20 digits, as a string.",
    example="7782342274025937895",
)
# Local part and domain kept loose on purpose: Gong, not us, decides deliverability.
EMAIL = _Email(
    pattern=r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+",
    rule="email",
    message="must be an e-mail address",
    fmt="email",
    hint="E-mail address.",
    example="jane.doe@example.com",
)
# "+" then the country code and number: 7 to 15 digits (E.164 allows 15; the shortest
# numbers in use, country code included, have 7), other characters (spaces, dashes,
# brackets) are ignored by Gong.
PHONE = _Phone(
    pattern=r"\s*\+(?:[^0-9]*[0-9]){7,15}[^0-9]*",
    rule="phone",
    message="must hold 7 to 15 digits after the +",
    hint="Phone number starting with + and the country code.",
    example="+1 425 555 2671",
)


class _RequestToken(_Pattern):
    name = "request-id"


# Gong's CRM API: an id the caller makes up for an asynchronous request, then asks about.
CLIENT_REQUEST_ID = _RequestToken(
    pattern="[A-Za-z0-9_-]{1,255}",
    rule="request_id",
    message="must be 1 to 255 letters, digits, dashes or underscores",
    hint="Letters, digits, dashes and underscores.",
    example="crm-delete-2026-001",
)


class _Ids(Kind):
    name = "ids"
    many = True

    def check(self, field: str, value: object) -> list[str]:
        if isinstance(value, str | bytes) or not isinstance(value, Iterable):
            raise ValidationError(field, "id_list", "must be a list of ID strings")
        items = list(value)
        if not items:
            raise ValidationError(field, "non_empty", "must not be empty; omit it instead")
        return [ID.check(f"{field}[{i}]", v) for i, v in enumerate(items)]

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "array", "items": ID.schema(defs), "minItems": 1}

    def parse_text(self, field: str, text: str) -> Any:
        stripped = text.strip()
        if stripped.startswith("["):
            return _json(field, stripped)
        return [part.strip() for part in stripped.split(",") if part.strip()]


IDS = _Ids(hint="Each id is 1 to 20 digits, as a string.", example=["7782342274025937895"])

_DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:?\d{2})")


_AGE_RE = re.compile(r"(\d+)\s*([smhdw])", re.IGNORECASE)
_AGE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_age(text: str) -> timedelta | None:
    """``30d``, ``36h``, ``2w``, ``90m``, ``45s`` as a duration; None if it is not one."""
    found = _AGE_RE.fullmatch(text.strip())
    return timedelta(seconds=int(found[1]) * _AGE_UNITS[found[2].lower()]) if found else None


def read_when(field: str, text: str, now: datetime) -> datetime:
    """A moment as people type it: a date-time with an offset, a date (midnight UTC), or an
    age before ``now`` (``30d``). One reader for every date on the command line."""
    stripped = text.strip()
    age = parse_age(stripped)
    if age is not None:
        return now - age
    if _DATE_RE.fullmatch(stripped):
        try:
            return datetime.fromisoformat(stripped).replace(tzinfo=UTC)
        except ValueError:
            raise ValidationError(field, "date", f"{stripped!r} is not a calendar date") from None
    return datetime.fromisoformat(DATETIME.check(field, stripped))


def canonical_datetime(moment: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS`` with ``Z`` for UTC, else ``+HH:MM``."""
    moment = moment.replace(microsecond=0)
    if moment.utcoffset() == timedelta(0):
        return moment.replace(tzinfo=None).isoformat() + "Z"
    return moment.isoformat()


class _DateTime(Kind):
    name = "datetime"

    def check(self, field: str, value: object) -> str:
        """The date-time in the one form sent to Gong: ``YYYY-MM-DDTHH:MM:SS`` then ``Z`` or
        ``+HH:MM`` (fractions of a second are dropped; Gong's examples carry none)."""
        if isinstance(value, datetime):
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValidationError(field, "timezone", "datetime must carry a timezone")
            return canonical_datetime(value)
        if not isinstance(value, str) or not _DATETIME_RE.fullmatch(value.strip()):
            raise ValidationError(
                field, "iso8601", "must be an ISO-8601 date-time with an offset, e.g. 2024-02-18T08:00:00Z"
            )
        try:
            parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
        except ValueError:
            raise ValidationError(field, "iso8601", "is not a valid calendar date-time") from None
        return canonical_datetime(parsed)

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        # The pattern is the check's own; the calendar (no 30 February) only the check knows.
        return {"type": "string", "format": "date-time", "pattern": f"^\\s*(?:{_DATETIME_RE.pattern})\\s*$"}

    def parse_text(self, field: str, text: str) -> Any:
        """On the command line a date (midnight UTC) and an age (``30d``) are taken too."""
        return canonical_datetime(read_when(field, text, datetime.now(UTC)))


DATETIME = _DateTime(
    hint="ISO-8601 date-time with an offset, e.g. 2024-02-18T08:00:00Z.",
    example="2026-10-01T00:00:00Z",
)


class _Date(Kind):
    """A calendar day, for Gong's filters that take ``YYYY-MM-DD`` in the company's time zone
    (the stats). A date-time is refused rather than cut: which day it falls on depends on a
    time zone only Gong knows."""

    name = "date"

    def check(self, field: str, value: object) -> str:
        if isinstance(value, datetime):
            raise ValidationError(field, "date", "must be a calendar date (YYYY-MM-DD), not a date-time")
        if isinstance(value, date):
            return value.isoformat()
        if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
            raise ValidationError(field, "date", "must be a date as YYYY-MM-DD, e.g. 2026-10-01")
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValidationError(field, "date", f"{value!r} is not a calendar date") from None

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": f"^{_DATE_RE.pattern}$"}

    def parse_text(self, field: str, text: str) -> Any:
        """On the command line an age (``30d``) is taken too: that many days before today (UTC)."""
        age = parse_age(text)
        return (datetime.now(UTC) - age).date().isoformat() if age is not None else text.strip()


DATE = _Date(hint="Calendar date as YYYY-MM-DD, e.g. 2026-10-01.", example="2026-10-01")


@dataclass(frozen=True, repr=False)
class Choice(Kind):
    """One of a fixed set of strings."""

    values: tuple[str, ...] = ()
    rule: str = "choice"

    name: ClassVar[str] = "choice"

    def __post_init__(self) -> None:
        if self.example is None and self.values:
            object.__setattr__(self, "example", self.values[0])

    def check(self, field: str, value: object) -> str:
        if value not in self.values:
            raise ValidationError(field, self.rule, f"must be one of {', '.join(self.values)}")
        return str(value)

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.values)}


class _Direction(Choice):
    name = "direction"


DIRECTION = _Direction(DIRECTIONS)


class _Language(Kind):
    name = "language"

    def check(self, field: str, value: object) -> str:
        if not isinstance(value, str) or value not in LANGUAGE_CODES:
            raise ValidationError(field, "language", "must be one of Gong's language codes, e.g. en-US, fr-FR")
        return value

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "string", "enum": sorted(LANGUAGE_CODES)}


LANGUAGE = _Language(hint="One of Gong's language codes, e.g. en-US.", example="en-US")


class _Bool(Kind):
    name = "bool"

    def check(self, field: str, value: object) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(field, "bool", "must be true or false")
        return value

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "boolean"}

    def parse_text(self, field: str, text: str) -> Any:
        word = text.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise ValidationError(field, "bool", "must be true or false")


BOOL = _Bool(example=True)


@dataclass(frozen=True, kw_only=True, repr=False)
class Number(Kind):
    name = "number"
    #: The largest value accepted, if any.
    maximum: float | None = None

    def check(self, field: str, value: object) -> float | int:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValidationError(field, "number", "must be a non-negative number")
        if isinstance(value, float) and not math.isfinite(value):
            raise ValidationError(field, "number", "must be a finite number")
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(field, "maximum", f"must be at most {self.maximum:g}")
        return value

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "number", "minimum": 0}
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema

    def parse_text(self, field: str, text: str) -> Any:
        try:
            return float(text.strip())
        except ValueError:
            raise ValidationError(field, "number", "must be a number") from None


NUMBER = Number(example=60)


@dataclass(frozen=True, kw_only=True, repr=False)
class Integer(Kind):
    name = "integer"
    #: The largest value accepted, if any.
    maximum: int | None = None

    def check(self, field: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(field, "integer", "must be a whole number")
        if value < 0:
            raise ValidationError(field, "non_negative", "must be an integer >= 0")
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(field, "maximum", f"must be at most {self.maximum}")
        return value

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer", "minimum": 0}
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema

    def parse_text(self, field: str, text: str) -> Any:
        try:
            return int(text.strip())
        except ValueError:
            raise ValidationError(field, "integer", "must be an integer") from None


INTEGER = Integer(example=3)


@functools.cache
def _model_schema(model: type[pydantic.BaseModel]) -> dict[str, Any]:
    """Pydantic builds a schema anew on every call (milliseconds); the manifest, each MCP
    server and each tool listing ask for the same few again and again."""
    return model.model_json_schema(by_alias=True, mode="validation")


def _model_ref(model: type[pydantic.BaseModel], defs: dict[str, Any]) -> dict[str, Any]:
    schema = copy.deepcopy(_model_schema(model))
    defs.update(schema.pop("$defs", {}))
    defs[model.__name__] = schema
    return {"$ref": f"#/$defs/{model.__name__}"}


def _pydantic_error(where: str, exc: pydantic.ValidationError) -> ValidationError:
    err = exc.errors()[0]
    loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])
    msg = str(err["msg"]).removeprefix("Value error, ")
    return ValidationError(f"{where}{loc}", str(err["type"]), msg)


def _to_wire(model: pydantic.BaseModel) -> dict[str, Any]:
    return model.model_dump(by_alias=True, exclude_none=True, mode="json")


@dataclass(frozen=True, repr=False)
class Model(Kind):
    """One object, validated by a pydantic model; a mapping or a model instance is accepted."""

    model: type[pydantic.BaseModel] = pydantic.BaseModel

    name: ClassVar[str] = "model"

    def check(self, field: str, value: object) -> dict[str, Any]:
        if isinstance(value, self.model):
            return _to_wire(value)
        if not isinstance(value, Mapping):
            raise ValidationError(field, "object", f"must be a {self.model.__name__} or a mapping")
        try:
            return _to_wire(self.model.model_validate(dict(value)))
        except pydantic.ValidationError as exc:
            raise _pydantic_error(field, exc) from None

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return _model_ref(self.model, defs)

    def parse_text(self, field: str, text: str) -> Any:
        return _json(field, text.strip())


@dataclass(frozen=True, repr=False)
class Models(Kind):
    """A list of objects. ``shorthand`` names the field a bare string stands for
    (an invitee may be given as just an e-mail address)."""

    model: type[pydantic.BaseModel] = pydantic.BaseModel
    shorthand: str | None = None
    shorthand_kind: Kind | None = None
    min_items: int = 0

    name: ClassVar[str] = "models"
    many: ClassVar[bool] = True

    def check(self, field: str, value: object) -> list[dict[str, Any]]:
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
            raise ValidationError(field, "list", "must be a list")
        if len(value) < self.min_items:
            raise ValidationError(field, "non_empty", f"needs at least {self.min_items} item(s)")
        one = Model(self.model)
        items = [{self.shorthand: v} if self.shorthand and isinstance(v, str) else v for v in value]
        return [one.check(f"{field}[{i}]", v) for i, v in enumerate(items)]

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        item = _model_ref(self.model, defs)
        if self.shorthand_kind is not None:
            item = {"anyOf": [self.shorthand_kind.schema(defs), item]}
        schema: dict[str, Any] = {"type": "array", "items": item}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema

    def parse_text(self, field: str, text: str) -> Any:
        stripped = text.strip()
        if stripped.startswith("["):
            return _json(field, stripped)
        # One object (or a shorthand string) per repeated --input.
        return [_json(field, stripped) if stripped.startswith("{") else stripped]


class _File(Kind):
    name = "file"

    def check(self, field: str, value: object) -> Any:
        return value  # opened (and checked) by the upload itself

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "string",
            "contentMediaType": "application/octet-stream",
            "description": "Path of a local file.",
        }


FILE = _File(hint="Path of a local file.", example="recording.mp3")


class _Map(Kind):
    name = "map"

    def check(self, field: str, value: object) -> Any:
        if not isinstance(value, Mapping):
            raise ValidationError(field, "object", "must be an object of names to values")
        return value

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": {"type": "string"}}

    def parse_text(self, field: str, text: str) -> Any:
        return _json(field, text.strip())


MAP = _Map(example={"name": "value"})


class _Strings(Kind):
    name = "list"
    many = True

    def check(self, field: str, value: object) -> Any:
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            raise ValidationError(field, "list", "must be a list of strings")
        return [TEXT.check(f"{field}[{i}]", v) for i, v in enumerate(value)]

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "string"}}

    def parse_text(self, field: str, text: str) -> Any:
        stripped = text.strip()
        if stripped.startswith("["):
            return _json(field, stripped)
        return [part.strip() for part in stripped.split(",") if part.strip()]


STRINGS = _Strings(example=["value"])


@dataclass(frozen=True, repr=False)
class ListOf(Kind):
    """A list of values of one kind (e-mail addresses, CRM ids...), each checked by that
    kind, with Gong's bounds on how many it takes."""

    item: Kind = Text()
    min_items: int = 1
    max_items: int | None = None

    name: ClassVar[str] = "list"
    many: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if self.example is None:
            object.__setattr__(self, "example", [self.item.example])

    def check(self, field: str, value: object) -> list[Any]:
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
            raise ValidationError(field, "list", "must be a list")
        if len(value) < self.min_items:
            raise ValidationError(field, "non_empty", f"needs at least {self.min_items} item(s)")
        if self.max_items is not None and len(value) > self.max_items:
            raise ValidationError(field, "max_items", f"takes at most {self.max_items} items")
        return [self.item.check(f"{field}[{i}]", v) for i, v in enumerate(value)]

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.schema(defs)}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        return schema

    def parse_text(self, field: str, text: str) -> Any:
        stripped = text.strip()
        if stripped.startswith("["):
            return _json(field, stripped)
        return [part.strip() for part in stripped.split(",") if part.strip()]


class _JsonValue(Kind):
    name = "json"

    def check(self, field: str, value: object) -> Any:
        return value

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {}

    def parse_text(self, field: str, text: str) -> Any:
        try:
            return json.loads(text.strip())
        except json.JSONDecodeError:
            return text


JSON_VALUE = _JsonValue(example={"filter": {}})
TEXT = Text(example="text")


def _json(field: str, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(field, "json", f"must be JSON ({exc.msg})") from None
