"""Typed, lazy, tolerant views of Gong's JSON answers.

A response model wraps the JSON object Gong sent and parses a field only when it is read
(then keeps the result). Reading a page therefore costs no more than decoding its JSON,
and a field Gong sends in an unexpected shape never fails the page or the item:

- every field may be ``null`` or missing (ids included): it reads as ``None`` (lists as ``[]``);
- ids sent as numbers read as exact strings (a field named ``id`` or ``..._id``: the JSON
  Schema of what Gong sends allows either); unknown enum values are kept as strings;
- a date-time that does not parse stays the string Gong sent;
- a value of the wrong type reads as ``None`` and is listed by ``problems()``;
- fields nobody declared stay in ``raw`` (``model_extra`` lists them).

Models are declared with plain annotations (``id: str | None``), so type checkers see
ordinary attributes; the base class turns each into a lazy field.
"""

from __future__ import annotations

import inspect
import math
import re
import types
import typing
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar, Literal, Self, get_args, get_origin

__all__ = ["GongModel", "as_int", "as_text"]

_MISSING = object()
_CAMEL_RE = re.compile(r"_([a-z0-9])")


def to_camel(name: str) -> str:
    return _CAMEL_RE.sub(lambda m: m.group(1).upper(), name)


Parser = Callable[[Any], tuple[Any, str | None]]


def _ok(value: Any) -> tuple[Any, str | None]:
    return value, None


def _text(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str):
        return value, None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), None  # big ids sent as numbers: exact, never through a float
    if isinstance(value, float) and math.isfinite(value):
        return (str(int(value)) if value.is_integer() else str(value)), None
    return None, f"expected a string, got {type(value).__name__}"


def as_text(value: Any) -> str | None:
    """A scalar field read as the text Gong meant (None if it is not one), for bulk readers
    that skip the models (the sync's transcript rows)."""
    return value if isinstance(value, str) else _text(value)[0]


def as_int(value: Any) -> int | None:
    """An integer field, read as tolerantly as a model reads it."""
    return value if type(value) is int else _int(value)[0]


def _int(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    if isinstance(value, float) and value.is_integer():
        return int(value), None
    if isinstance(value, str):
        try:
            return int(value.strip()), None
        except ValueError:
            pass
    return None, f"expected an integer, got {type(value).__name__}"


def _number(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value, None
    if isinstance(value, str):
        try:
            return float(value.strip()), None
        except ValueError:
            pass
    return None, f"expected a number, got {type(value).__name__}"


def _bool(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, None
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true", None
    return None, f"expected true or false, got {type(value).__name__}"


def _datetime(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()), None
        except ValueError:
            return value, f"not an ISO-8601 date-time: {value[:40]!r} (kept as text)"
    return None, f"expected a date-time string, got {type(value).__name__}"


def _dict(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, dict):
        return value, None
    return None, f"expected an object, got {type(value).__name__}"


def _model(cls: type[GongModel]) -> Parser:
    def parse(value: Any) -> tuple[Any, str | None]:
        if isinstance(value, dict):
            return cls(value), None
        return None, f"expected an object, got {type(value).__name__}"

    return parse


def _list(item: Parser) -> Parser:
    def parse(value: Any) -> tuple[Any, str | None]:
        if not isinstance(value, list):
            return None, f"expected a list, got {type(value).__name__}"
        out: list[Any] = []
        problem: str | None = None
        for i, element in enumerate(value):
            parsed, error = item(element)
            if error is None:
                out.append(parsed)
            elif problem is None:
                problem = f"item {i}: {error} (left out)"
        return out, problem

    return parse


def _parser_for(hint: Any) -> tuple[Parser, bool]:
    """The parser for an annotation, and whether a missing value reads as ``[]``."""
    origin = get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        members = [a for a in get_args(hint) if a is not type(None)]
        if datetime in members:
            return _datetime, False
        if len(members) == 1:
            return _parser_for(members[0])[0], False
        return _ok, False
    if origin is list:
        (item,) = get_args(hint) or (Any,)
        return _list(_parser_for(item)[0]), True
    if origin is dict or hint is dict:
        return _dict, False
    if origin is Literal:
        return _text, False
    if isinstance(hint, type) and issubclass(hint, GongModel):
        return _model(hint), False
    return {str: _text, int: _int, float: _number, bool: _bool, datetime: _datetime}.get(hint, _ok), False


class _Field:
    """A lazy field: parses its value on first read and keeps it in the instance."""

    __slots__ = ("empty_list", "name", "owner", "parse", "wire")

    def __init__(self, owner: type[GongModel], name: str, wire: str) -> None:
        self.owner = owner
        self.name = name
        self.wire = wire
        self.parse: Parser | None = None
        self.empty_list = False

    def resolve(self) -> Parser:
        if self.parse is None:
            hint = self.owner._hints()[self.name]
            self.parse, self.empty_list = _parser_for(hint)
        return self.parse

    def read(self, raw: Any) -> tuple[Any, str | None]:
        parse = self.parse or self.resolve()
        value = raw.get(self.wire) if type(raw) is dict else None
        if value is None:
            return ([] if self.empty_list else None), None
        if parse is _text and type(value) is str:
            return value, None
        return parse(value)

    def __get__(self, obj: GongModel | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = self.read(obj._raw)[0]
        obj.__dict__[self.name] = value  # later reads skip this descriptor
        return value


class GongModel:
    """Base of every response model: Gong's JSON object, read lazily and tolerantly."""

    #: Python name -> field (own and inherited), filled in when a subclass is made.
    _fields: ClassVar[dict[str, _Field]] = {}
    #: Fields an item cannot be identified without: a wrong type there makes the item
    #: malformed (yielded with ``error`` set) rather than quietly read as None.
    __key__: ClassVar[tuple[str, ...]] = ()
    _key_wires: ClassVar[tuple[tuple[str, str], ...]] = ()
    _resolved: ClassVar[dict[str, Any] | None] = None

    error: str | None
    """Why this item was found malformed in its page (None for a sound item)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = dict(cls._fields)
        for name in inspect.get_annotations(cls):
            if name.startswith("_") or name in ("error",):
                continue
            field = _Field(cls, name, to_camel(name))
            fields[name] = field
            setattr(cls, name, field)
        cls._fields = fields
        cls._resolved = None
        cls._key_wires = tuple((name, fields[name].wire) for name in cls.__key__)

    @classmethod
    def _hints(cls) -> dict[str, Any]:
        if cls.__dict__.get("_resolved") is None:
            cls._resolved = typing.get_type_hints(cls)
        resolved = cls._resolved
        assert resolved is not None
        return resolved

    def __init__(self, data: Any = _MISSING, /, **fields: Any) -> None:
        """Wrap Gong's JSON (``Model(raw_dict)``), or build one in code with field values."""
        if data is _MISSING:
            data = {self._wire_name(k): _to_json(v) for k, v in fields.items()}
        elif fields:
            raise TypeError("give either the JSON object or field values, not both")
        self._raw = data
        self.error = None if isinstance(data, dict) else f"expected a JSON object, got {type(data).__name__}"

    @classmethod
    def _wire_name(cls, name: str) -> str:
        field = cls._fields.get(name)
        return field.wire if field is not None else name

    # ------------------------------------------------------------------ reading

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """The model over Gong's JSON (named as pydantic names it; nothing is validated yet)."""
        return cls(data)

    @classmethod
    def from_item(cls, data: Any) -> Self:
        """One item of a page: never raises; a malformed item comes back with ``error`` set.
        Called for every item of every page, so it skips ``__init__`` and reads only the key."""
        item = cls.__new__(cls)
        slots = item.__dict__
        slots["_raw"] = data
        if type(data) is not dict:
            slots["error"] = f"expected a JSON object, got {type(data).__name__}"
            return item
        slots["error"] = None
        for name, wire in cls._key_wires:
            value = data.get(wire)
            if value is None or type(value) is str:
                slots[name] = value  # the common case, read once: the caller reads the key next
                continue
            value, problem = cls._fields[name].read(data)
            if problem is not None:
                slots["error"] = f"{name}: {problem}"
                break
            slots[name] = value
        return item

    @property
    def raw(self) -> Any:
        """The JSON this model was read from, exactly as Gong sent it (or as built in code)."""
        return self._raw

    @property
    def model_extra(self) -> dict[str, Any]:
        """Fields Gong sent that this model does not declare."""
        if not isinstance(self._raw, dict):
            return {}
        known = {f.wire for f in self._fields.values()}
        return {k: v for k, v in self._raw.items() if k not in known}

    def problems(self) -> list[str]:
        """Every declared field whose value did not have the expected shape (read as None,
        or kept as text for a date-time), nested models included."""
        found = [self.error] if self.error else []
        for name, field in self._fields.items():
            value, problem = field.read(self._raw)
            if problem is not None:
                found.append(f"{name}: {problem}")
            nested = value if isinstance(value, list) else [value]
            for i, element in enumerate(nested):
                if isinstance(element, GongModel):
                    where = f"{name}[{i}]" if isinstance(value, list) else name
                    found.extend(f"{where}.{p}" for p in element.problems())
        return found

    def to_wire(self) -> dict[str, Any]:
        """The JSON object, with fields that are null left out."""
        if not isinstance(self._raw, dict):
            return {}
        return {k: v for k, v in self._raw.items() if v is not None}

    # ------------------------------------------------------------------ schema

    @classmethod
    def model_json_schema(cls, by_alias: bool = True, mode: str = "serialization") -> dict[str, Any]:
        """JSON Schema of what Gong sends: every declared field nullable, extra fields allowed."""
        defs: dict[str, Any] = {}
        schema = _object_schema(cls, defs)
        if defs:
            schema["$defs"] = defs
        return schema

    # ------------------------------------------------------------------ identity

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._raw == self._raw

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        if not isinstance(self._raw, dict):
            return f"{type(self).__name__}(error={self.error!r})"
        shown = []
        for name, field in self._fields.items():
            value = self._raw.get(field.wire)
            if value is not None and not isinstance(value, dict | list):
                shown.append(f"{name}={value!r}")
            if len(shown) == 4:
                break
        return f"{type(self).__name__}({', '.join(shown)})"


def _to_json(value: Any) -> Any:
    if isinstance(value, GongModel):
        return value.raw
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_to_json(v) for v in value]
    return value


_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    datetime: {"type": "string", "format": "date-time"},
}


def _schema_for(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        members = [a for a in get_args(hint) if a is not type(None)]
        if datetime in members:
            return {"type": "string", "description": "ISO-8601 date-time (kept as text if it does not parse)."}
        options = [_schema_for(m, defs) for m in members]
        return options[0] if len(options) == 1 else {"anyOf": options}
    if origin is list:
        (item,) = get_args(hint) or (Any,)
        return {"type": "array", "items": _schema_for(item, defs)}
    if origin is dict or hint is dict:
        return {"type": "object"}
    if origin is Literal:
        return {"type": "string", "examples": list(get_args(hint))}
    if isinstance(hint, type) and issubclass(hint, GongModel):
        if hint.__name__ not in defs:
            defs[hint.__name__] = {}  # placeholder against recursion
            defs[hint.__name__] = _object_schema(hint, defs)
        return {"$ref": f"#/$defs/{hint.__name__}"}
    return dict(_SCALARS.get(hint, {}))


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema or "anyOf" in schema or "type" not in schema:
        return {"anyOf": [schema, {"type": "null"}]} if schema else {}
    return {**schema, "type": [schema["type"], "null"]}


def _is_id(name: str, hint: Any) -> bool:
    """Ids (``id``, ``..._id``) read as text; Gong's document types some as integers."""
    return (name == "id" or name.endswith("_id")) and str in (hint, *get_args(hint))


def _object_schema(cls: type[GongModel], defs: dict[str, Any]) -> dict[str, Any]:
    hints = cls._hints()
    props = {
        field.wire: {"type": ["string", "integer", "null"]}
        if _is_id(name, hints[name])
        else _nullable(_schema_for(hints[name], defs))
        for name, field in cls._fields.items()
    }
    schema: dict[str, Any] = {"title": cls.__name__, "type": "object", "properties": props}
    schema["additionalProperties"] = True
    if cls.__doc__ and cls.__doc__ is not GongModel.__doc__:
        schema["description"] = " ".join(cls.__doc__.split())
    return schema
