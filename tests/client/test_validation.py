"""Every input check: a clear ValidationError naming the field, and no request sent."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from gong_connector import GongError, ValidationError
from gong_connector.emulator import Emulator

from .conftest import Facade

T0, T1 = "2026-11-01T00:00:00Z", "2026-11-02T00:00:00+01:00"
UID = "1234567890123456789"
MEETING = {
    "start_time": T0,
    "end_time": T1,
    "organizer_email": "a@b.example",
    "invitees": ["c@d.example"],
}
EVENT = {
    "reporting_system": "s",
    "event_timestamp": T0,
    "content_id": "c",
    "content_url": "https://x.example/c",
    "content_title": "t",
}
CALL = {
    "client_unique_id": "u",
    "primary_user": UID,
    "parties": [{"user_id": UID}],
    "direction": "Inbound",
    "actual_start": T0,
}
LONG = "x" * 256


@pytest.fixture(params=["api_key"])
def kind(request: pytest.FixtureRequest) -> str:
    """Checks run before any credential is used: one connection kind is enough here."""
    return str(request.param)


# (method, valid arguments, overrides making them bad, field named, rule)
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str]] = [
    (
        "list_calls",
        {"from_date_time": T0, "to_date_time": T1},
        {"from_date_time": "yesterday"},
        "from_date_time",
        "iso8601",
    ),
    (
        "list_calls",
        {"from_date_time": T0, "to_date_time": T1},
        {"to_date_time": "2026-11-01T00:00:00"},
        "to_date_time",
        "iso8601",
    ),
    (
        "list_calls",
        {"from_date_time": T0, "to_date_time": T1},
        {"from_date_time": datetime(2026, 1, 1)},
        "from_date_time",
        "timezone",
    ),
    (
        "list_calls",
        {"from_date_time": T0, "to_date_time": T1},
        {"from_date_time": "2026-02-30T00:00:00Z"},
        "from_date_time",
        "iso8601",
    ),
    ("list_calls", {"from_date_time": T0, "to_date_time": T1}, {"workspace_id": "ws-1"}, "workspace_id", "id"),
    ("list_calls", {"from_date_time": T0, "to_date_time": T1}, {"workspace_id": 123}, "workspace_id", "id"),
    ("get_call", {}, {"call_id": "1" * 21}, "call_id", "id"),
    ("get_call", {}, {"call_id": 7782342274025937895}, "call_id", "id"),
    ("get_call", {}, {"call_id": None}, "call_id", "required"),
    ("create_call", CALL, {"direction": "Sideways"}, "direction", "choice"),
    ("create_call", CALL, {"purpose": LONG}, "purpose", "max_length"),
    ("create_call", CALL, {"disposition": LONG}, "disposition", "max_length"),
    ("create_call", CALL, {"language_code": "klingon"}, "language_code", "language"),
    ("create_call", CALL, {"actual_start": "2026-11-01"}, "actual_start", "iso8601"),
    ("create_call", CALL, {"scheduled_start": "soon"}, "scheduled_start", "iso8601"),
    ("create_call", CALL, {"primary_user": "bob"}, "primary_user", "id"),
    ("create_call", CALL, {"parties": [{"email_address": "not-an-email"}]}, "parties[0].email_address", "value_error"),
    ("create_call", CALL, {"parties": [{"user_id": "u-1"}]}, "parties[0].user_id", "value_error"),
    ("create_call", CALL, {"parties": "everyone"}, "parties", "list"),
    ("create_call", CALL, {"duration": -1}, "duration", "number"),
    (
        "create_call",
        CALL,
        {
            "parties": [{"user_id": UID, "media_channel_id": 0}],
            "speakers_timeline": {"speech_segments": [{"from_time": 0, "to_time": 1, "party_ids": ["p"]}]},
        },
        "speakers_timeline",
        "exclusive",
    ),
    (
        "create_call",
        CALL,
        {"download_media_url": "https://x.example/a.mp3", "media": io.BytesIO(b"x")},
        "download_media_url",
        "exclusive",
    ),
    ("create_call", CALL, {"context": [{"system": "Excel"}]}, "context[0].system", "literal_error"),
    ("create_call", CALL, {"parties": None}, "parties", "required"),
    ("add_call_media", {"media": io.BytesIO(b"x")}, {"call_id": "abc"}, "call_id", "id"),
    ("add_call_media", {"call_id": UID}, {"media": "/does/not/exist.mp3"}, "media", "file"),
    ("add_call_media", {"call_id": UID}, {"media": 42}, "media", "file"),
    ("add_call_media", {"call_id": UID, "media": io.BytesIO(b"x")}, {"file_name": LONG}, "file_name", "max_length"),
    ("get_call_transcripts", {}, {"call_ids": []}, "call_ids", "non_empty"),
    ("get_call_transcripts", {}, {"call_ids": ["1", "x"]}, "call_ids[1]", "id"),
    ("get_call_transcripts", {}, {"call_ids": "123"}, "call_ids", "id_list"),
    ("get_call_transcripts", {}, {"workspace_id": UID, "call_ids": [UID]}, "workspace_id", "exclusive"),
    ("list_calls_extensive", {}, {"call_ids": []}, "call_ids", "non_empty"),
    ("list_calls_extensive", {}, {"primary_user_ids": ["me"]}, "primary_user_ids[0]", "id"),
    (
        "list_calls_extensive",
        {},
        {"content_selector": {"context": "Everything"}},
        "content_selector.context",
        "literal_error",
    ),
    ("list_calls_extensive", {}, {"to_date_time": "2026-13-01T00:00:00Z"}, "to_date_time", "iso8601"),
    ("create_meeting", MEETING, {"organizer_email": "nobody"}, "organizer_email", "email"),
    ("create_meeting", MEETING, {"invitees": ["ok@x.example", "bad"]}, "invitees[1].email", "value_error"),
    ("create_meeting", MEETING, {"start_time": "10am"}, "start_time", "iso8601"),
    ("create_meeting", MEETING, {"end_time": None}, "end_time", "required"),
    ("update_meeting", {**MEETING}, {"meeting_id": "m-1"}, "meeting_id", "id"),
    ("update_meeting", {"meeting_id": UID, **MEETING}, {"end_time": "later"}, "end_time", "iso8601"),
    ("delete_meeting", {}, {"meeting_id": "x"}, "meeting_id", "id"),
    ("delete_meeting", {"meeting_id": UID}, {"organizer_email": "x@"}, "organizer_email", "email"),
    ("report_custom_action", {"reporting_system": "s"}, {"event_timestamp": "now"}, "event_timestamp", "iso8601"),
    (
        "report_custom_action",
        {"reporting_system": "s", "event_timestamp": T0},
        {"actor": {"email": "x"}},
        "actor.email",
        "value_error",
    ),
    (
        "report_custom_action",
        {"reporting_system": "s", "event_timestamp": T0},
        {"agent_platform": "Amiga"},
        "agent_platform",
        "choice",
    ),
    (
        "report_custom_action",
        {"reporting_system": "s", "event_timestamp": T0},
        {"event_properties": [{"name": "n", "value": "v", "data_type": "blob"}]},
        "event_properties[0].data_type",
        "literal_error",
    ),
    (
        "report_custom_action",
        {"reporting_system": "s", "event_timestamp": T0},
        {"workspace_id": "w"},
        "workspace_id",
        "id",
    ),
    ("report_content_shared", EVENT, {"content_url": None}, "content_url", "required"),
    ("report_content_shared", EVENT, {"recipients": [{"email": "x"}]}, "recipients[0].email", "value_error"),
    ("report_content_shared", EVENT, {"sharer": "bob"}, "sharer", "object"),
    ("report_content_viewed", EVENT, {"viewer": {"email": "@"}}, "viewer.email", "value_error"),
    ("report_content_viewed", EVENT, {"content_title": None}, "content_title", "required"),
    ("list_email_references", {}, {"email_address": "nope"}, "email_address", "email"),
    ("list_email_references", {}, {"email_address": None}, "email_address", "required"),
    ("erase_email_data", {}, {"email_address": "a@b"}, "email_address", "email"),
    ("list_phone_references", {}, {"phone_number": "425 555 2671"}, "phone_number", "phone"),
    ("list_phone_references", {}, {"phone_number": "+1"}, "phone_number", "phone"),
    ("erase_phone_data", {}, {"phone_number": "14255552671"}, "phone_number", "phone"),
    ("get_logs", {"from_date_time": T0}, {"log_type": "Everything"}, "log_type", "choice"),
    ("get_logs", {"log_type": "AccessLog"}, {"from_date_time": "x"}, "from_date_time", "iso8601"),
    ("get_user", {}, {"user_id": "me"}, "user_id", "id"),
    ("list_users", {}, {"include_avatars": "yes"}, "include_avatars", "bool"),
    ("list_library_folders", {}, {"workspace_id": "w"}, "workspace_id", "id"),
    ("list_folder_calls", {}, {"folder_id": "f"}, "folder_id", "id"),
    ("list_folder_calls", {}, {"folder_id": None}, "folder_id", "required"),
    # Strict writing: refused here whatever Gong would have made of them.
    ("create_call", CALL, {"duration": float("nan")}, "duration", "number"),
    ("create_call", CALL, {"duration": float("inf")}, "duration", "number"),
    # Half a surrogate pair (a surrogateescape'd file name, an emoji cut in two) is no text:
    # named where it is, by the name it goes out under, before any request.
    ("create_call", CALL, {"title": "Kickoff \ud83d"}, "title", "unicode"),
    ("create_call", CALL, {"parties": [{"user_id": UID, "name": "A \udc80"}]}, "parties[0].name", "unicode"),
    ("list_calls", {}, {"workspace_id": None, "cursor": "abc\udc80"}, "cursor", "unicode"),
    ("list_users", {}, {"cursor": "x" * 100_000}, "cursor", "max_length"),
    ("list_phone_references", {}, {"phone_number": "+1 425 55"}, "phone_number", "phone"),
    ("erase_phone_data", {}, {"phone_number": "+1234567890123456"}, "phone_number", "phone"),
    ("create_meeting", MEETING, {"invitees": []}, "invitees", "non_empty"),
    ("update_meeting", {**MEETING, "meeting_id": UID}, {"invitees": []}, "invitees", "non_empty"),
    ("list_calls", {"from_date_time": T0, "to_date_time": T1}, {"to_date_time": T0}, "to_date_time", "window"),
    (
        "get_call_transcripts",
        {"from_date_time": T1},
        {"to_date_time": "2026-10-01T00:00:00Z"},
        "to_date_time",
        "window",
    ),
]


def _run(api: Facade, method: str, kwargs: dict[str, Any]) -> Any:
    result = getattr(api, method)(**kwargs)
    return result.first_page() if hasattr(result, "first_page") else result


@pytest.mark.parametrize(
    ("method", "valid", "bad", "field", "rule"),
    CASES,
    ids=[f"{c[0]}-{c[3]}-{c[4]}" for c in CASES],
)
def test_bad_input_raises_before_any_request(
    ro_api: Facade,
    shared_emu: Emulator,
    method: str,
    valid: dict[str, Any],
    bad: dict[str, Any],
    field: str,
    rule: str,
) -> None:
    shared_emu.clear_requests()
    with pytest.raises(ValidationError) as info:
        _run(ro_api, method, {**valid, **bad})
    assert info.value.field == field
    assert info.value.rule == rule
    assert field in str(info.value)
    assert isinstance(info.value, GongError)
    assert shared_emu.requests() == []


def test_media_over_1_5_gb_is_refused_before_sending(ro_api: Facade, shared_emu: Emulator, tmp_path: Path) -> None:
    big = tmp_path / "big.wav"
    with big.open("wb") as fh:  # sparse: no disk blocks used
        fh.truncate(1536 * 1024 * 1024 + 1)
    shared_emu.clear_requests()
    with pytest.raises(ValidationError) as info:
        ro_api.add_call_media(call_id=UID, media=big)
    assert info.value.field == "media" and info.value.rule == "max_size"
    assert shared_emu.requests() == []


def test_non_seekable_media_is_refused(ro_api: Facade, shared_emu: Emulator) -> None:
    class Pipe(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

    shared_emu.clear_requests()
    with pytest.raises(ValidationError) as info:
        ro_api.add_call_media(call_id=UID, media=Pipe())
    assert info.value.rule == "seekable"
    assert shared_emu.requests() == []


@pytest.mark.parametrize(
    ("kwargs", "field", "rule"),
    [
        ({"url": "https://evil.example/v2/calls"}, "url", "same_host"),
        ({"url": ""}, "url", "required"),
        ({"url": "/v2/users", "method": "FETCH"}, "method", "choice"),
        ({"url": "/v2/users", "response_type": "xml"}, "response_type", "choice"),
        ({"url": "/v2/users", "max_retry_count": -1}, "max_retry_count", "non_negative"),
        ({"url": "/v2/users", "retry_delay_ms": -5}, "retry_delay_ms", "non_negative"),
        ({"url": "/v2/users", "timeout": 0}, "timeout", "positive"),
        # Bounded, so no caller (an agent, a typo) spends the day's budget or waits for days.
        ({"url": "/v2/users", "max_retry_count": 1_000_000}, "max_retry_count", "maximum"),
        ({"url": "/v2/users", "retry_delay_ms": 86_400_000_000}, "retry_delay_ms", "maximum"),
        ({"url": "/v2/users", "retry_delay_ms": 1.5}, "retry_delay_ms", "integer"),
        ({"url": "/v2/users", "timeout": float("inf")}, "timeout", "number"),
        ({"url": "/v2/users", "timeout": float("nan")}, "timeout", "number"),
        ({"url": "/v2/users", "timeout": 1e9}, "timeout", "maximum"),
        ({"url": "/v2/users", "headers": {"a": 1}}, "headers.a", "string"),
        ({"url": "/v2/users", "headers": {"X": "a\r\nB: c"}}, "headers.X", "one_line"),
        ({"url": "/v2/calls/1/media", "method": "PUT", "file_data": {"media": 1}}, "file_data.media", "file"),
        (
            {"url": "/v2/x", "method": "PUT", "file_data": {"a": b"1"}, "file_data_file_names": {"a": 5}},
            "file_data_file_names.a",
            "string",
        ),
        ({"url": "/v2/" + "x" * 10_000}, "url", "url"),
        ({"url": "/v2/\r\nX: y"}, "url", "url"),
        ({"url": "/v2/users", "method": "POST", "data": {"a": 1}, "form_data": {"b": "2"}}, "data", "exclusive"),
        (
            {"url": "/v2/users", "method": "POST", "file_data": {"f": b"1"}, "file_data_file_names": {"g": "g.txt"}},
            "file_data_file_names",
            "keys",
        ),
    ],
)
def test_raw_request_input_checks(
    ro_api: Facade, shared_emu: Emulator, kwargs: dict[str, Any], field: str, rule: str
) -> None:
    shared_emu.clear_requests()
    with pytest.raises(ValidationError) as info:
        ro_api.request(**kwargs)
    assert (info.value.field, info.value.rule) == (field, rule)
    assert shared_emu.requests() == []


def test_raw_request_refuses_same_host_other_port(ro_api: Facade, shared_emu: Emulator) -> None:
    other = shared_emu.base_url.rsplit(":", 1)[0] + ":1"
    with pytest.raises(ValidationError):
        ro_api.request(f"{other}/v2/users")


def test_date_times_go_out_in_one_form(ro_api: Facade, shared_emu: Emulator) -> None:
    from datetime import UTC, timedelta, timezone

    shared_emu.clear_requests()
    given = [
        ("2026-11-01T00:00Z", "2026-11-01T00:00:00Z"),
        ("2026-11-01T02:00:00+0200", "2026-11-01T02:00:00+02:00"),
        ("2026-11-01T00:00:00.123456+00:00", "2026-11-01T00:00:00Z"),
        (datetime(2026, 11, 1, 1, 2, 3, 456789, tzinfo=UTC), "2026-11-01T01:02:03Z"),
        (datetime(2026, 11, 1, 1, 2, 3, tzinfo=timezone(timedelta(hours=-7))), "2026-11-01T01:02:03-07:00"),
    ]
    for value, _ in given:
        ro_api.list_calls(from_date_time=value, to_date_time="2026-11-05T00:00:00Z").first_page()
    sent = [r["query"]["fromDateTime"] for r in shared_emu.requests() if r["path"] == "/v2/calls"]
    assert sent == [expected for _, expected in given]


def test_delete_meeting_always_sends_the_body_gong_documents(api: Facade, gong_emulator: Emulator) -> None:
    organizer = api.list_users().first_page().items[0].email_address
    created = api.create_meeting(**{**MEETING, "organizer_email": organizer})
    gong_emulator.clear_requests()
    api.delete_meeting(meeting_id=created.meeting_id)
    (request,) = gong_emulator.requests()
    assert request["method"] == "DELETE" and request["body"] == {}
