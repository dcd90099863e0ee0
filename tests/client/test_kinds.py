"""One kind object per input type: the client's check, the manifest's schema and the CLI's
reading can never disagree, because they are one object."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from gong_connector.actions import ACTIONS, schema_for_input
from gong_connector.client import Kind, ValidationError
from gong_connector.client._kinds import (
    BOOL,
    DATETIME,
    DIRECTION,
    EMAIL,
    ID,
    IDS,
    INTEGER,
    LANGUAGE,
    NUMBER,
    PHONE,
    Text,
)

#: Values each kind must accept and refuse; the client's check and the JSON Schema must
#: give the same verdict on every one of them.
SAMPLES: list[tuple[Kind, list[Any], list[Any]]] = [
    (ID, ["1", "7782342274025937895", "0" * 20], ["", "12ab", "1" * 21, 12, None]),
    (IDS, [["1"], ["1", "2"]], [[], ["x"], "1", [1]]),
    (EMAIL, ["a@b.co", "jane.doe+x@example.com"], ["no-at", "a@b", "a b@c.de", "@b.co", 5, "x" * 250 + "@b.co"]),
    (
        PHONE,
        ["+1 425 555 2671", "+14255552671", "+1(425) 555-2671", "+1234567", "+123456789012345"],
        ["14255552671", "+123456", "+1 23", "+1234567890123456", "", "++", 5],
    ),
    (DIRECTION, ["Inbound", "Outbound", "Conference", "Unknown"], ["inbound", "Sideways", 1]),
    (LANGUAGE, ["en-US", "pa-Guru-IN"], ["xx-XX", "en", 1]),
    (BOOL, [True, False], ["true", 1, None]),
    (NUMBER, [0, 1, 2.5], [-1, "1", True]),
    (INTEGER, [0, 3], [-1, 1.5, "3", True]),
    (Text(max_length=3), ["", "abc"], ["abcd", 5]),
]


def _check_accepts(kind: Kind, value: Any) -> bool:
    try:
        kind.check("field", value)
    except ValidationError as exc:
        assert exc.field.startswith("field")
        return False
    return True


def _schema_accepts(schema: dict[str, Any], value: Any) -> bool:
    checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return checker.is_valid(value)


@pytest.mark.parametrize(("kind", "good", "bad"), SAMPLES, ids=[f"{k.name}-{i}" for i, (k, _, _) in enumerate(SAMPLES)])
def test_check_and_schema_agree(kind: Kind, good: list[Any], bad: list[Any]) -> None:
    schema = kind.schema({})
    for value in good:
        assert _check_accepts(kind, value), value
        assert _schema_accepts(schema, value), value
    for value in bad:
        assert not _check_accepts(kind, value), value
        assert not _schema_accepts(schema, value), value


def test_datetime_check_and_schema_agree() -> None:
    schema = DATETIME.schema({})
    for value in ("2024-02-18T08:00:00Z", "2018-02-18T02:30:00-07:00"):
        assert _check_accepts(DATETIME, value) and _schema_accepts(schema, value)
    for value in ("yesterday", "2024-02-18T08:00:00", "2024-02-18", 5):
        assert not _check_accepts(DATETIME, value) and not _schema_accepts(schema, value)
    # The calendar is the check's alone: a schema pattern cannot know February has no 30th.
    assert not _check_accepts(DATETIME, "2024-02-30T08:00:00Z")


def test_every_declared_example_passes_its_own_check_and_schema() -> None:
    for action in ACTIONS.values():
        for spec in action.inputs:
            assert spec.example is not None, (action.key, spec.key)
            if spec.type == "file":
                continue
            spec.kind.check(spec.key, spec.example)
            defs: dict[str, Any] = {}
            schema = schema_for_input(spec, defs)
            assert _schema_accepts({**schema, "$defs": defs}, spec.example), (action.key, spec.key)


def test_command_line_dates_take_dates_and_ages_too() -> None:
    from datetime import UTC, datetime, timedelta

    assert DATETIME.parse_text("from", "2026-10-01") == "2026-10-01T00:00:00Z"
    assert DATETIME.parse_text("from", "2026-10-01T02:00:00+0200") == "2026-10-01T02:00:00+02:00"
    ago = datetime.fromisoformat(DATETIME.parse_text("from", "30d"))
    assert abs(datetime.now(UTC) - timedelta(days=30) - ago) < timedelta(minutes=1)
    for bad in ("2026-02-30", "yesterday", "2026-10-01T00:00:00"):
        with pytest.raises(ValidationError) as info:
            DATETIME.parse_text("from", bad)
        assert info.value.field == "from"


def test_command_line_text_is_read_by_the_same_kind() -> None:
    assert IDS.parse_text("call_ids", "1, 2,3") == ["1", "2", "3"]
    assert IDS.parse_text("call_ids", '["1"]') == ["1"]
    assert BOOL.parse_text("x", "yes") is True and BOOL.parse_text("x", "off") is False
    with pytest.raises(ValidationError) as info:
        INTEGER.parse_text("max_retry_count", "three")
    assert info.value.field == "max_retry_count"
