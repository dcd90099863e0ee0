"""The kinds added for the actions beyond the spec (calendar days, bounded lists, client
request ids): each one's check and JSON Schema give the same verdict on every value."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from gong_connector.client import Kind, ValidationError
from gong_connector.client._kinds import CLIENT_REQUEST_ID, DATE, EMAIL, ID, TEXT, ListOf

from .test_kinds import _check_accepts, _schema_accepts

SAMPLES: list[tuple[Kind, list[Any], list[Any]]] = [
    (DATE, ["2026-10-01", "2024-02-29"], ["2026-02-30", "2026-1-1", "20261001", "2026-10-01T00:00:00Z", "", 5, None]),
    (CLIENT_REQUEST_ID, ["a", "crm-delete_2026-01", "X" * 255], ["", "has space", "semi;colon", "é", "X" * 256, 7]),
    (ListOf(EMAIL, max_items=2), [["a@b.co"], ["a@b.co", "c@d.example"]], [[], ["a@b.co"] * 3, ["nope"], "a@b.co"]),
    (ListOf(TEXT), [["x"], ["a", "b"]], [[], "x", [1], {"a": 1}]),
    (ListOf(ID, min_items=0), [[], ["1"]], [["x"], None]),
]


@pytest.mark.parametrize(("kind", "good", "bad"), SAMPLES, ids=[f"{k.name}-{i}" for i, (k, _, _) in enumerate(SAMPLES)])
def test_check_and_schema_agree(kind: Kind, good: list[Any], bad: list[Any]) -> None:
    schema = kind.schema({})
    for value in good:
        assert _check_accepts(kind, value), value
        assert _schema_accepts(schema, value), value
    for value in bad:
        assert not _check_accepts(kind, value), value
        assert not _schema_accepts(schema, value), value


def test_a_date_goes_out_as_yyyy_mm_dd_and_a_date_time_is_refused() -> None:
    assert DATE.check("from_date", date(2026, 3, 9)) == "2026-03-09"
    with pytest.raises(ValidationError) as info:
        DATE.check("from_date", datetime(2026, 3, 9, tzinfo=UTC))
    assert (info.value.field, info.value.rule) == ("from_date", "date")


def test_command_line_days_take_ages_too() -> None:
    assert DATE.parse_text("from_date", " 2026-10-01 ") == "2026-10-01"
    assert DATE.parse_text("from_date", "7d") == (datetime.now(UTC) - timedelta(days=7)).date().isoformat()


def test_a_bounded_list_names_the_bad_item_and_its_limits() -> None:
    emails = ListOf(EMAIL, max_items=2)
    with pytest.raises(ValidationError) as info:
        emails.check("emails", ["a@b.co", "nope"])
    assert (info.value.field, info.value.rule) == ("emails[1]", "email")
    with pytest.raises(ValidationError) as info:
        emails.check("emails", ["a@b.co"] * 3)
    assert info.value.rule == "max_items"
    assert emails.parse_text("emails", "a@b.co, c@d.example") == ["a@b.co", "c@d.example"]
    assert emails.parse_text("emails", '["a@b.co"]') == ["a@b.co"]
