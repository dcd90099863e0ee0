"""Rules Gong does not document: off by default, each on with its own option, all on with ``strict``.

docs/emulator-fidelity.md lists them. Each is tested both ways here; the tests of what they
refuse (in test_calls, test_media, test_privacy, test_auth_limits) ask for them explicitly.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from gong_connector.emulator import Emulator, EmulatorConfig
from gong_connector.emulator._config import STRICT_RULES

from .conftest import assert_gong_error, basic_client

SMALL = {"calls": 150, "users": 6, "workspaces": 2}
CENTURY = {"fromDateTime": "2000-01-01T00:00:00Z", "toDateTime": "2100-01-01T00:00:00Z"}
WINDOW_TEXT = "The date range between fromDateTime and toDateTime must not exceed {} days"

Factory = Callable[..., Emulator]


def walk(api: httpx.Client, params: dict[str, str]) -> list[str]:
    ids: list[str] = []
    cursor: str | None = None
    while True:
        response = api.get("/v2/calls", params={**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        ids += [c["id"] for c in response.json()["calls"]]
        cursor = response.json()["records"].get("cursor")
        if not cursor:
            return ids


def days(start: datetime, count: int) -> dict[str, str]:
    return {"fromDateTime": start.isoformat(), "toDateTime": (start + timedelta(days=count)).isoformat()}


# ----- the settings ------------------------------------------------------------------------------


def test_every_guessed_rule_is_off_by_default_and_strict_turns_all_on() -> None:
    default, strict = EmulatorConfig(), EmulatorConfig(strict=True)
    assert {name: getattr(default, name) for name in STRICT_RULES} == {
        "max_call_window_days": None,
        "require_utc_offset": False,
        "phone_digit_limits": False,
        "max_json_bytes": None,
        "cursor_bound_to_filter": False,
        "media_upload_checks": False,
        "guessed_scopes": False,
        "empty_results_404": False,
        "stats_date_checks": False,
        "reference_checks": False,
        "range_checks": False,
        "unknown_filter_fields": False,
        "email_checks": False,
    }
    assert {name: getattr(strict, name) for name in STRICT_RULES} == STRICT_RULES
    assert STRICT_RULES["max_call_window_days"] == 90


def test_strict_keeps_a_rule_set_explicitly() -> None:
    config = EmulatorConfig(strict=True, max_call_window_days=30)
    assert config.max_call_window_days == 30 and config.require_utc_offset


# ----- the GET /v2/calls window ------------------------------------------------------------------


def test_default_accepts_a_century_window_and_returns_every_call(gong_emulator_factory: Factory) -> None:
    emu = gong_emulator_factory(**SMALL)
    with basic_client(emu) as api:
        ids = walk(api, CENTURY)
        assert len(ids) == SMALL["calls"] > emu.config.page_size  # more than one page
        assert ids == walk(api, {})


def test_strict_refuses_a_century_window_with_the_90_day_text(gong_emulator_factory: Factory) -> None:
    with basic_client(gong_emulator_factory(strict=True, **SMALL)) as api:
        body = assert_gong_error(api.get("/v2/calls", params=CENTURY), 400)
    assert body["errors"] == [WINDOW_TEXT.format(90)]


def test_window_option_alone_refuses_31_days_of_30(gong_emulator_factory: Factory) -> None:
    emu = gong_emulator_factory(max_call_window_days=30, **SMALL)
    start = emu.config.anchor - timedelta(days=60)
    with basic_client(emu) as api:
        body = assert_gong_error(api.get("/v2/calls", params=days(start, 31)), 400)
        assert body["errors"] == [WINDOW_TEXT.format(30)]
        assert api.get("/v2/calls", params=days(start, 30)).status_code in (200, 404)  # 404: no call in it
        # Only the window: the other guessed rules stay off.
        assert api.get("/v2/calls", params={"fromDateTime": "2000-01-01T00:00:00"}).status_code == 200


def test_the_window_applies_to_list_calls_only(gong_emulator_factory: Factory) -> None:
    """The doc applies the 90-day rule to GET /v2/calls alone; extensive and transcripts take any window."""
    with basic_client(gong_emulator_factory(strict=True, **SMALL)) as api:
        for path in ("/v2/calls/extensive", "/v2/calls/transcript"):
            assert api.post(path, json={"filter": CENTURY}).status_code == 200, path


# ----- date-times without an offset --------------------------------------------------------------


def test_a_date_time_without_offset_is_read_as_utc_by_default(gong_emulator_factory: Factory) -> None:
    with basic_client(gong_emulator_factory(**SMALL)) as api:
        naive = api.get("/v2/calls", params={"fromDateTime": "2026-01-01T00:00:00"})
        utc = api.get("/v2/calls", params={"fromDateTime": "2026-01-01T00:00:00Z"})
        assert naive.status_code == utc.status_code
        assert naive.json().get("calls") == utc.json().get("calls")
        assert_gong_error(api.get("/v2/calls", params={"fromDateTime": "2026-01-01"}), 400)  # a date is no date-time


def test_require_utc_offset_refuses_it(gong_emulator_factory: Factory) -> None:
    with basic_client(gong_emulator_factory(require_utc_offset=True)) as api:
        assert_gong_error(api.get("/v2/calls", params={"fromDateTime": "2026-01-01T00:00:00"}), 400, "offset")
        logs = {"logType": "AccessLog", "fromDateTime": "2026-01-01T00:00:00"}
        assert_gong_error(api.get("/v2/logs", params=logs), 400, "offset")


def test_created_call_start_without_offset(gong_emulator_factory: Factory) -> None:
    lenient, strict = gong_emulator_factory(), gong_emulator_factory(require_utc_offset=True)
    for emu, status in ((lenient, 200), (strict, 400)):
        body = call_body("naive", emu.backend.data.users[2]["id"], actualStart="2026-01-05T10:00:00")
        with basic_client(emu) as api:
            assert api.post("/v2/calls", json=body).status_code == status


# ----- phone number length -----------------------------------------------------------------------

PHONE = "/v2/data-privacy/data-for-phone-number"


@pytest.mark.parametrize("number", ["+12", "+" + "1" * 50])
def test_any_number_of_digits_by_default(gong_emulator_factory: Factory, number: str) -> None:
    with basic_client(gong_emulator_factory()) as api:
        response = api.get(PHONE, params={"phoneNumber": number})
        assert response.status_code == 200, response.text
        assert response.json()["suppliedPhoneNumber"] == number
        # What Gong documents still holds: a leading + and digits.
        for bad in ("425 555 2671", "+", "+ - ()"):
            assert_gong_error(api.get(PHONE, params={"phoneNumber": bad}), 400, "phoneNumber")


@pytest.mark.parametrize("number", ["+12", "+" + "1" * 16])
def test_phone_digit_limits_refuse_too_few_or_too_many(gong_emulator_factory: Factory, number: str) -> None:
    with basic_client(gong_emulator_factory(phone_digit_limits=True)) as api:
        assert_gong_error(api.get(PHONE, params={"phoneNumber": number}), 400, "phoneNumber")
        assert api.get(PHONE, params={"phoneNumber": "+14255552671"}).status_code == 200


# ----- JSON body size ----------------------------------------------------------------------------


def padded_extensive(size: int) -> bytes:
    """An extensive request of ``size`` bytes or more (unknown top-level fields are ignored)."""
    return json.dumps({"filter": {}, "padding": "x" * size}).encode()


def test_a_large_json_body_is_read_by_default(gong_emulator_factory: Factory) -> None:
    limit = 10 * 1024 * 1024
    assert STRICT_RULES["max_json_bytes"] == limit
    big = padded_extensive(limit + 1)
    headers = {"Content-Type": "application/json"}
    with basic_client(gong_emulator_factory(**SMALL)) as api:
        assert api.post("/v2/calls/extensive", content=big, headers=headers).status_code == 200
    with basic_client(gong_emulator_factory(strict=True, **SMALL)) as api:
        assert_gong_error(api.post("/v2/calls/extensive", content=big, headers=headers), 413, "too large")


def test_max_json_bytes_alone(gong_emulator_factory: Factory) -> None:
    headers = {"Content-Type": "application/json"}
    with basic_client(gong_emulator_factory(max_json_bytes=1000)) as api:
        assert_gong_error(api.post("/v2/calls/extensive", content=padded_extensive(2000), headers=headers), 413)
        assert api.post("/v2/calls/extensive", content=padded_extensive(10), headers=headers).status_code == 200


# ----- cursors and filters -----------------------------------------------------------------------


def test_a_cursor_continues_under_another_filter_by_default(gong_emulator_factory: Factory) -> None:
    emu = gong_emulator_factory(**SMALL)
    workspace = emu.backend.data.workspaces[0]["id"]
    with basic_client(emu) as api:
        everything = walk(api, {})
        first = api.get("/v2/calls").json()
        last_seen = everything.index(first["calls"][-1]["id"])
        page = api.get("/v2/calls", params={"cursor": first["records"]["cursor"], "workspaceId": workspace})
        assert page.status_code == 200, page.text
        in_workspace = walk(api, {"workspaceId": workspace})
        later = [i for i in in_workspace if everything.index(i) > last_seen]
        assert [c["id"] for c in page.json()["calls"]] == later[: emu.config.page_size]
        # A cursor of another listing has no position here: refused whatever the setting.
        extensive = api.post("/v2/calls/extensive", json={"filter": {}}).json()["records"]["cursor"]
        assert_gong_error(api.get("/v2/calls", params={"cursor": extensive}), 400, "cursor")


def test_cursor_bound_to_filter_refuses_another_filter(gong_emulator_factory: Factory) -> None:
    emu = gong_emulator_factory(cursor_bound_to_filter=True, **SMALL)
    workspace = emu.backend.data.workspaces[0]["id"]
    with basic_client(emu) as api:
        cursor = api.get("/v2/calls").json()["records"]["cursor"]
        response = api.get("/v2/calls", params={"cursor": cursor, "workspaceId": workspace})
        assert_gong_error(response, 400, "does not belong")
        assert api.get("/v2/calls", params={"cursor": cursor}).status_code == 200


# ----- media uploads -----------------------------------------------------------------------------


def call_body(unique: str, user: str, **extra: Any) -> dict[str, Any]:
    """A call to create, hosted by ``user``."""
    return {
        "clientUniqueId": unique,
        "actualStart": "2026-01-05T10:00:00Z",
        "direction": "Inbound",
        "primaryUser": user,
        "parties": [{"userId": user}],
        **extra,
    }


def create_call(api: httpx.Client, unique: str, **extra: Any) -> str:
    user = api.get("/v2/users").json()["users"][0]["id"]
    return str(api.post("/v2/calls", json=call_body(unique, user, **extra)).json()["callId"])


def upload(api: httpx.Client, call_id: str, data: bytes) -> httpx.Response:
    return api.put(f"/v2/calls/{call_id}/media", files={"mediaFile": ("c.mp3", data, "audio/mpeg")})


def test_media_uploads_by_default(gong_emulator_factory: Factory) -> None:
    """An empty file, a second upload (which replaces the first) and an upload to a call Gong
    recorded are accepted; a call created with downloadMediaUrl still takes no upload."""
    emu = gong_emulator_factory(processing_delay=0)
    with basic_client(emu) as api, httpx.Client(base_url=f"{emu.base_url}/_emulator") as admin:
        empty = create_call(api, "empty")
        assert upload(api, empty, b"").status_code == 200
        assert api.get(f"/v2/calls/{empty}").status_code == 200  # processed
        twice = create_call(api, "twice")
        assert upload(api, twice, b"first").status_code == 200
        assert upload(api, twice, b"second").status_code == 200
        assert admin.get(f"/media/{twice}").content == b"second"
        seeded = api.get("/v2/calls").json()["calls"][0]["id"]
        assert upload(api, seeded, b"recorded").json()["callId"] == seeded
        assert admin.get(f"/media/{seeded}").content == b"recorded"
        fetched = create_call(api, "fetched", downloadMediaUrl="https://media.example/f.mp3")
        assert_gong_error(upload(api, fetched, b"x"), 400, "already provided")


def test_media_upload_checks_refuse_them(gong_emulator_factory: Factory) -> None:
    with basic_client(gong_emulator_factory(media_upload_checks=True)) as api:
        assert_gong_error(upload(api, create_call(api, "empty"), b""), 400, "empty")
        twice = create_call(api, "twice")
        assert upload(api, twice, b"first").status_code == 200
        assert_gong_error(upload(api, twice, b"second"), 400, "already provided")
        seeded = api.get("/v2/calls").json()["calls"][0]["id"]
        assert_gong_error(upload(api, seeded, b"recorded"), 400, "already has media")


# ----- windows that end before they start, negative durations -------------------------------------

REVERSED = {"fromDateTime": "2026-02-01T00:00:00Z", "toDateTime": "2026-01-01T00:00:00Z"}
MEETING = {
    "startTime": "2026-12-01T10:00:00Z",
    "endTime": "2026-12-01T09:00:00Z",  # before it starts
    "title": "Backwards",
    "invitees": [{"email": "guest@customer.example"}],
}


def test_reversed_windows_and_negative_durations_are_taken_by_default(gong_emulator_factory: Factory) -> None:
    """Gong documents no rule for them: a reversed window is empty (404, as any empty list), and
    a logs query without toDateTime ends with the latest log, wherever fromDateTime is."""
    emu = gong_emulator_factory(processing_delay=0, **SMALL)
    organizer = emu.backend.data.users[0]["emailAddress"]
    with basic_client(emu) as api:
        assert_gong_error(api.get("/v2/calls", params=REVERSED), 404, "No calls found")
        for path in ("/v2/calls/extensive", "/v2/calls/transcript"):
            assert_gong_error(api.post(path, json={"filter": REVERSED}), 404, "No calls found")
        assert_gong_error(api.get("/v2/logs", params={"logType": "AccessLog", **REVERSED}), 404)
        future = datetime.fromtimestamp(emu.backend.clock.now() + 86_400, UTC).isoformat()
        for params in ({"fromDateTime": future}, {"fromDateTime": future, "toDateTime": future}):
            assert_gong_error(api.get("/v2/logs", params={"logType": "AccessLog", **params}), 404)
        assert api.post("/v2/meetings", json={**MEETING, "organizerEmail": organizer}).status_code == 200
        call_id = create_call(api, "negative", duration=-30, downloadMediaUrl="https://media.example/n.mp3")
        listed = api.get(f"/v2/calls/{call_id}").json()["call"]
        assert listed["duration"] == -30
        topics = {"exposedFields": {"content": {"topics": True}}}
        extensive = api.post("/v2/calls/extensive", json={"filter": {"callIds": [call_id]}, "contentSelector": topics})
        assert extensive.status_code == 200 and all(
            t["duration"] >= 0 for t in extensive.json()["calls"][0]["content"]["topics"]
        )
        assert api.post("/v2/calls/transcript", json={"filter": {"callIds": [call_id]}}).status_code == 200


def test_range_checks_refuse_them(gong_emulator_factory: Factory) -> None:
    emu = gong_emulator_factory(range_checks=True, **SMALL)
    organizer = emu.backend.data.users[0]["emailAddress"]
    meetings = dict(emu.backend.meetings)
    with basic_client(emu) as api:
        assert_gong_error(api.get("/v2/calls", params=REVERSED), 400, "toDateTime must be later than fromDateTime")
        for path in ("/v2/calls/extensive", "/v2/calls/transcript"):
            assert_gong_error(api.post(path, json={"filter": REVERSED}), 400, "later")
        assert_gong_error(api.get("/v2/logs", params={"logType": "AccessLog", **REVERSED}), 400, "later")
        # Without toDateTime there is nothing to compare: the logs simply end with the latest.
        future = datetime.fromtimestamp(emu.backend.clock.now() + 86_400, UTC).isoformat()
        assert_gong_error(api.get("/v2/logs", params={"logType": "AccessLog", "fromDateTime": future}), 404)
        response = api.post("/v2/meetings", json={**MEETING, "organizerEmail": organizer})
        assert_gong_error(response, 400, "endTime must be later than startTime")
        body = call_body("negative", emu.backend.data.users[0]["id"], duration=-30)
        assert_gong_error(api.post("/v2/calls", json=body), 400, "duration must be a non-negative number")
        assert emu.backend.created == {} and emu.backend.meetings == meetings


# ----- ids that name nothing ------------------------------------------------------------------------

UNKNOWN_WORKSPACE = "1234567890123456789"


def test_unknown_workspaces_and_hosts_match_nothing_by_default(gong_emulator_factory: Factory) -> None:
    emu = gong_emulator_factory(processing_delay=0, **SMALL)
    stranger = "1234567890123456789"
    with basic_client(emu) as api:
        assert_gong_error(api.get("/v2/calls", params={"workspaceId": UNKNOWN_WORKSPACE}), 404, "No calls found")
        filtered = {"filter": {"workspaceId": UNKNOWN_WORKSPACE}}
        assert_gong_error(api.post("/v2/calls/extensive", json=filtered), 404, "No calls found")
        assert_gong_error(api.get("/v2/library/folders", params={"workspaceId": UNKNOWN_WORKSPACE}), 404)
        body = call_body(
            "stranger",
            stranger,
            parties=[{"userId": stranger, "emailAddress": "host@elsewhere.example"}],
            workspaceId=UNKNOWN_WORKSPACE,
            downloadMediaUrl="https://media.example/stranger.mp3",
        )
        created = api.post("/v2/calls", json=body)
        assert created.status_code == 200, created.text
        call = api.get(f"/v2/calls/{created.json()['callId']}").json()["call"]
        assert (call["primaryUserId"], call["workspaceId"]) == (stranger, UNKNOWN_WORKSPACE)
        stats = api.post("/v2/stats/interaction", json={"filter": {"fromDate": "2026-01-01", "toDate": "2026-02-01"}})
        assert stats.status_code == 200  # a host who is no Gong user is simply not a user with stats


def test_reference_checks_refuse_them(gong_emulator_factory: Factory) -> None:
    emu = gong_emulator_factory(reference_checks=True, **SMALL)
    with basic_client(emu) as api:
        response = api.get("/v2/calls", params={"workspaceId": UNKNOWN_WORKSPACE})
        assert_gong_error(response, 400, f"workspaceId {UNKNOWN_WORKSPACE} does not exist")
        assert_gong_error(api.get("/v2/library/folders", params={"workspaceId": UNKNOWN_WORKSPACE}), 400)
        stranger = "1234567890123456789"
        response = api.post("/v2/calls", json=call_body("stranger", stranger))
        assert_gong_error(response, 400, f"primaryUser {stranger} is not a Gong user")
        assert emu.backend.created == {}


# ----- filter fields Gong does not document --------------------------------------------------------


def test_unknown_filter_fields_are_ignored_by_default(gong_emulator_factory: Factory) -> None:
    emu = gong_emulator_factory(**SMALL)
    host = emu.backend.data.users[1]["id"]
    with basic_client(emu) as api:
        plain = api.post("/v2/calls/transcript", json={"filter": CENTURY}).json()["callTranscripts"]
        owned = api.post("/v2/calls/transcript", json={"filter": {**CENTURY, "primaryUserIds": [host]}})
        assert owned.status_code == 200 and owned.json()["callTranscripts"] == plain  # not a transcript filter
        assert api.post("/v2/calls/extensive", json={"filter": {"bogus": 1}}).status_code == 200


def test_unknown_filter_fields_refuses_them(gong_emulator_factory: Factory) -> None:
    with basic_client(gong_emulator_factory(unknown_filter_fields=True, **SMALL)) as api:
        response = api.post("/v2/calls/transcript", json={"filter": {"primaryUserIds": ["1"]}})
        assert_gong_error(response, 400, "filter has unknown fields: primaryUserIds")
        assert_gong_error(api.post("/v2/calls/extensive", json={"filter": {"bogus": 1}}), 400, "bogus")


# ----- the form of e-mail addresses --------------------------------------------------------------

MALFORMED = "not-an-address"


def _send_malformed_addresses(emu: Emulator) -> dict[str, httpx.Response]:
    """One request per field holding an address, each with a malformed one, by field."""
    user = emu.backend.data.users[0]
    meeting = {"startTime": "2026-12-01T10:00:00Z", "endTime": "2026-12-01T10:30:00Z", "title": "t"}
    event = {"reportingSystem": "portal", "eventTimestamp": "2026-05-01T10:00:00Z"}
    organizer = user["emailAddress"]
    with basic_client(emu) as api:
        return {
            "emailAddress": api.get("/v2/data-privacy/data-for-email-address", params={"emailAddress": MALFORMED}),
            "organizerEmail": api.post(
                "/v2/meetings", json={**meeting, "organizerEmail": MALFORMED, "invitees": [{"email": "a@b.example"}]}
            ),
            "invitees[0].email": api.post(
                "/v2/meetings", json={**meeting, "organizerEmail": organizer, "invitees": [{"email": MALFORMED}]}
            ),
            "actor.email": api.put("/v2/customer-engagement/action", json={**event, "actor": {"email": MALFORMED}}),
            "parties[1].emailAddress": api.post(
                "/v2/calls",
                json=call_body("malformed", user["id"], parties=[{"userId": user["id"]}, {"emailAddress": MALFORMED}]),
            ),
            "ownerEmail": api.put("/v2/crm/integrations", json={"ownerEmail": MALFORMED, "name": "Sandbox"}),
            "flowOwnerEmail": api.get("/v2/flows", params={"flowOwnerEmail": MALFORMED}),
            "flowInstanceOwnerEmail": api.post(
                "/v2/flows/prospects/assign",
                json={"crmProspectsIds": ["x"], "flowId": "1", "flowInstanceOwnerEmail": MALFORMED},
            ),
        }


def test_addresses_are_taken_as_sent_by_default(gong_emulator_factory: Factory) -> None:
    """Gong's document types them as strings: a malformed one names no one (the organizer's
    documented 404), and nothing is refused for its form."""
    answers = _send_malformed_addresses(gong_emulator_factory(**SMALL))
    assert {field: r.status_code for field, r in answers.items() if r.status_code == 400} == {}
    assert answers["organizerEmail"].status_code == 404


def test_email_checks_refuse_them(gong_emulator_factory: Factory) -> None:
    emu = gong_emulator_factory(email_checks=True, **SMALL)
    for field, response in _send_malformed_addresses(emu).items():
        assert_gong_error(response, 400, field)
    assert emu.backend.created == {} and emu.backend.events == []
