"""Calls: listing, paging, filters, get, create, extensive and transcripts, as Gong answers them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from gong_connector._tls import shared_ssl_context
from gong_connector.emulator import Emulator

from .conftest import assert_gong_error, basic_client

ANCHOR = datetime(2026, 6, 1, tzinfo=UTC)


def iso(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")


def walk(api: httpx.Client, path: str, key: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Follow cursors to the end, checking the records object on the way."""
    params = dict(params or {})
    items: list[dict[str, Any]] = []
    page = 0
    while True:
        response = api.get(path, params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        records = body["records"]
        assert records["currentPageNumber"] == page
        assert records["currentPageSize"] == len(body[key])
        items.extend(body[key])
        if "cursor" not in records:
            assert len(items) == records["totalRecords"]
            return items
        assert len(body[key]) == 100
        params["cursor"] = records["cursor"]
        page += 1


def new_call_body(emu: Emulator, **changes: Any) -> dict[str, Any]:
    user = emu.backend.data.users[5]
    body: dict[str, Any] = {
        "clientUniqueId": "pbx-0001",
        "actualStart": "2026-05-20T10:00:00-07:00",
        "direction": "Outbound",
        "primaryUser": user["id"],
        "title": "Globex | Renewal",
        "duration": 600,
        "parties": [
            {"userId": user["id"], "emailAddress": user["emailAddress"], "partyId": "p1"},
            {
                "emailAddress": "buyer@globex.example",
                "name": "Bo Buyer",
                "phoneNumber": "+1 425 555 2671",
                "partyId": "p2",
            },
        ],
    }
    body.update(changes)
    return body


class TestListCalls:
    def test_all_pages_in_time_order(self, api: httpx.Client) -> None:
        calls = walk(api, "/v2/calls", "calls")
        assert len(calls) == 300
        assert len({c["id"] for c in calls}) == 300
        assert all(isinstance(c["id"], str) and c["id"].isdigit() and int(c["id"]) > 2**53 for c in calls)
        started = [
            datetime.fromisoformat(c["scheduled"] if c["direction"] == "Conference" else c["started"]) for c in calls
        ]
        assert started == sorted(started)

    def test_call_fields_and_enums(self, api: httpx.Client) -> None:
        call = api.get("/v2/calls").json()["calls"][0]
        for field in (
            "id",
            "url",
            "title",
            "scheduled",
            "started",
            "duration",
            "primaryUserId",
            "direction",
            "system",
            "scope",
            "media",
            "language",
            "workspaceId",
            "sdrDisposition",
            "clientUniqueId",
            "customData",
            "purpose",
            "meetingUrl",
            "isPrivate",
            "calendarEventId",
        ):
            assert field in call
        calls = walk(api, "/v2/calls", "calls")
        assert {c["direction"] for c in calls} <= {"Inbound", "Outbound", "Conference", "Unknown"}
        assert {c["scope"] for c in calls} <= {"Internal", "External", "Unknown"}
        assert {c["media"] for c in calls} <= {"Video", "Audio"}

    def test_from_inclusive_to_exclusive(self, api: httpx.Client, gong_emulator: Emulator) -> None:
        calls = walk(api, "/v2/calls", "calls")
        data = gong_emulator.backend.data
        key = data.key_ms(10)
        exact = datetime.fromtimestamp(key / 1000, tz=UTC).isoformat()
        later = datetime.fromtimestamp(data.key_ms(20) / 1000, tz=UTC).isoformat()
        page = api.get("/v2/calls", params={"fromDateTime": exact, "toDateTime": later}).json()
        ids = [c["id"] for c in page["calls"]]
        assert ids == [c["id"] for c in calls[10:20]]

    def test_workspace_filter(self, api: httpx.Client, gong_emulator: Emulator) -> None:
        workspace = gong_emulator.backend.data.workspaces[1]["id"]
        calls = walk(api, "/v2/calls", "calls", {"workspaceId": workspace})
        assert calls and all(c["workspaceId"] == workspace for c in calls)
        assert len(calls) < 300

    def test_empty_range_is_404(self, api: httpx.Client) -> None:
        response = api.get(
            "/v2/calls", params={"fromDateTime": "2001-01-01T00:00:00Z", "toDateTime": "2001-02-01T00:00:00Z"}
        )
        assert_gong_error(response, 404, "No calls found corresponding to the provided filters")

    @pytest.mark.parametrize(
        ("params", "fragment"),
        [
            ({"fromDateTime": "yesterday"}, "fromDateTime"),
            ({"fromDateTime": "2026-01-01T00:00:00"}, "fromDateTime"),  # no offset (strict)
            ({"toDateTime": "2026-13-01T00:00:00Z"}, "toDateTime"),
            ({"fromDateTime": "2026-02-01T00:00:00Z", "toDateTime": "2026-01-01T00:00:00Z"}, "later"),
            ({"fromDateTime": "2025-01-01T00:00:00Z", "toDateTime": "2026-01-01T00:00:00Z"}, "90 days"),  # strict
            ({"workspaceId": "abc"}, "workspaceId"),
            ({"workspaceId": "123"}, "workspaceId"),
            ({"cursor": "nonsense"}, "cursor"),
        ],
    )
    def test_bad_parameters_are_400(self, gong_emulator_factory: Any, params: dict[str, str], fragment: str) -> None:
        with basic_client(gong_emulator_factory(strict=True)) as api:
            assert_gong_error(api.get("/v2/calls", params=params), 400, fragment)


class TestCursors:
    def test_cursor_expires(self, api: httpx.Client, gong_emulator: Emulator) -> None:
        cursor = api.get("/v2/calls").json()["records"]["cursor"]
        gong_emulator.advance_clock(gong_emulator.config.cursor_ttl + 1)
        assert_gong_error(api.get("/v2/calls", params={"cursor": cursor}), 400, "cursor has expired")

    def test_cursor_is_tamper_proof(self, api: httpx.Client) -> None:
        cursor = api.get("/v2/calls").json()["records"]["cursor"]
        forged = cursor[:-3] + ("AAA" if not cursor.endswith("AAA") else "BBB")
        assert_gong_error(api.get("/v2/calls", params={"cursor": forged}), 400, "cursor")

    def test_cursor_belongs_to_its_filter(self, gong_emulator_factory: Any) -> None:
        strict = gong_emulator_factory(cursor_bound_to_filter=True)
        with basic_client(strict) as api:
            cursor = api.get("/v2/calls").json()["records"]["cursor"]
            workspace = strict.backend.data.workspaces[0]["id"]
            response = api.get("/v2/calls", params={"cursor": cursor, "workspaceId": workspace})
            assert_gong_error(response, 400, "cursor")

    def test_cursor_from_another_emulator_is_rejected(self, api: httpx.Client, gong_emulator_factory: Any) -> None:
        other = gong_emulator_factory()
        with httpx.Client(base_url=other.base_url, auth=(other.access_key, other.access_key_secret)) as c2:
            cursor = c2.get("/v2/calls").json()["records"]["cursor"]
        assert_gong_error(api.get("/v2/calls", params={"cursor": cursor}), 400, "cursor")


class TestGetCall:
    def test_get(self, api: httpx.Client) -> None:
        first = api.get("/v2/calls").json()["calls"][0]
        body = api.get(f"/v2/calls/{first['id']}").json()
        assert body["call"] == first
        assert body["requestId"]

    def test_unknown_id_is_404(self, api: httpx.Client) -> None:
        assert_gong_error(api.get("/v2/calls/1234567890123456789"), 404, "not found")

    def test_non_numeric_id_is_400(self, api: httpx.Client) -> None:
        assert_gong_error(api.get("/v2/calls/abc"), 400, "id")
        assert_gong_error(api.get("/v2/calls/" + "1" * 21), 400, "20 digits")


class TestCreateCall:
    def test_create_then_media_then_processed(self, api: httpx.Client, gong_emulator: Emulator) -> None:
        response = api.post("/v2/calls", json=new_call_body(gong_emulator))
        assert response.status_code == 200, response.text
        body = response.json()
        call_id = body["callId"]
        assert call_id.isdigit() and body["url"].endswith(call_id) and body["requestId"]
        # Not visible (by id, in lists or transcripts) before Gong has processed it.
        assert_gong_error(api.get(f"/v2/calls/{call_id}"), 404)
        transcript = api.post("/v2/calls/transcript", json={"filter": {"callIds": [call_id]}})
        assert_gong_error(transcript, 404)
        files = {"mediaFile": ("call.mp3", b"ID3" + b"\0" * 2048, "audio/mpeg")}
        media = api.put(f"/v2/calls/{call_id}/media", files=files)
        assert media.status_code == 200, media.text
        assert media.json()["callId"] == call_id
        assert_gong_error(api.post("/v2/calls/transcript", json={"filter": {"callIds": [call_id]}}), 404)
        gong_emulator.advance_clock(gong_emulator.config.processing_delay)
        transcript = api.post("/v2/calls/transcript", json={"filter": {"callIds": [call_id]}})
        assert transcript.status_code == 200
        monologues = transcript.json()["callTranscripts"][0]["transcript"]
        assert monologues and monologues[0]["sentences"]
        listed = api.get(
            "/v2/calls", params={"fromDateTime": "2026-05-20T17:00:00Z", "toDateTime": "2026-05-20T17:00:01Z"}
        ).json()
        assert [c["id"] for c in listed["calls"]] == [call_id]
        assert api.get(f"/v2/calls/{call_id}").json()["call"]["clientUniqueId"] == "pbx-0001"

    def test_download_url_call_is_processed_without_upload(self, api: httpx.Client, gong_emulator: Emulator) -> None:
        body = new_call_body(gong_emulator, downloadMediaUrl="https://media.example/a.mp3")
        call_id = api.post("/v2/calls", json=body).json()["callId"]
        gong_emulator.advance_clock(gong_emulator.config.processing_delay)
        extensive = api.post(
            "/v2/calls/extensive",
            json={"filter": {"callIds": [call_id]}, "contentSelector": {"exposedFields": {"parties": True}}},
        )
        assert extensive.status_code == 200
        parties = extensive.json()["calls"][0]["parties"]
        assert {p["affiliation"] for p in parties} == {"Internal", "External"}

    def test_repeated_client_unique_id_is_409(self, api: httpx.Client, gong_emulator: Emulator) -> None:
        assert api.post("/v2/calls", json=new_call_body(gong_emulator)).status_code == 200
        assert_gong_error(api.post("/v2/calls", json=new_call_body(gong_emulator)), 409, "pbx-0001")

    @pytest.mark.parametrize(
        ("change", "fragment"),
        [
            ({"clientUniqueId": None}, "clientUniqueId"),
            ({"actualStart": None}, "actualStart"),
            ({"actualStart": "2026-05-20 10:00"}, "actualStart"),
            ({"scheduledStart": "tomorrow"}, "scheduledStart"),
            ({"direction": "Sideways"}, "direction"),
            ({"direction": None}, "direction"),
            ({"primaryUser": None}, "primaryUser"),
            ({"primaryUser": "12ab"}, "primaryUser"),
            ({"primaryUser": "1234567890123456789"}, "primaryUser"),
            ({"parties": None}, "parties"),
            ({"parties": []}, "parties"),
            ({"parties": [{"emailAddress": "x@y.example"}]}, "primaryUser"),
            ({"purpose": "p" * 256}, "purpose"),
            ({"disposition": "d" * 256}, "disposition"),
            ({"languageCode": "xx-XX"}, "languageCode"),
            ({"duration": "long"}, "duration"),
            ({"workspaceId": "x99"}, "workspaceId"),
            ({"context": [{"system": "Excel"}]}, "context[0].system"),
            (
                {"speakersTimeline": {"speechSegments": [{"fromTime": 0, "toTime": 5, "partyIds": ["nobody"]}]}},
                "partyIds",
            ),
        ],
    )
    def test_bad_body_is_400(
        self, api: httpx.Client, gong_emulator: Emulator, change: dict[str, Any], fragment: str
    ) -> None:
        body = new_call_body(gong_emulator, **change)
        for key, value in change.items():
            if value is None:
                body.pop(key)
        assert_gong_error(api.post("/v2/calls", json=body), 400, fragment)
        assert gong_emulator.backend.created == {}

    @pytest.mark.parametrize(("field", "value"), [("phoneNumber", 12345), ("name", 1e308), ("title", ["x"])])
    def test_party_text_must_be_text(
        self, api: httpx.Client, gong_emulator: Emulator, field: str, value: object
    ) -> None:
        """Stored as sent, a number where text goes broke later answers for everyone (every
        phone-number look-up, the extensive data of the call)."""
        body = new_call_body(gong_emulator)
        body["parties"][1][field] = value
        assert_gong_error(api.post("/v2/calls", json=body), 400, f"parties[1].{field}")
        assert gong_emulator.backend.created == {}

    @pytest.mark.parametrize("start", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
    def test_a_start_at_the_ends_of_the_calendar_is_400(
        self, api: httpx.Client, gong_emulator: Emulator, start: str
    ) -> None:
        """Written back in the company's time zone it would fall off the calendar."""
        body = new_call_body(gong_emulator, actualStart=start)
        assert_gong_error(api.post("/v2/calls", json=body), 400, "actualStart")
        assert gong_emulator.backend.created == {}

    def test_ids_are_ascii_digits(self, api: httpx.Client) -> None:
        assert_gong_error(api.get("/v2/calls/\u00b2"), 400, "id")
        assert_gong_error(api.get("/v2/calls/123%0A"), 400, "id")

    def test_malformed_json_is_400(self, api: httpx.Client) -> None:
        response = api.post("/v2/calls", content=b"{not json", headers={"Content-Type": "application/json"})
        assert_gong_error(response, 400, "json")
        assert_gong_error(api.post("/v2/calls", json=[1, 2]), 400, "object")
        assert_gong_error(api.post("/v2/calls"), 400, "body")


class TestExtensive:
    def test_pages_and_selected_fields(self, api: httpx.Client) -> None:
        body: dict[str, Any] = {
            "filter": {},
            "contentSelector": {
                "context": "Extended",
                "contextTiming": ["Now", "TimeOfCall"],
                "exposedFields": {
                    "parties": True,
                    "media": True,
                    "content": {
                        "topics": True,
                        "trackers": True,
                        "trackerOccurrences": True,
                        "brief": True,
                        "keyPoints": True,
                    },
                    "interaction": {"speakers": True, "questions": True},
                    "collaboration": {"publicComments": True},
                },
            },
        }
        seen = 0
        while True:
            response = api.post("/v2/calls/extensive", json=body)
            assert response.status_code == 200, response.text
            data = response.json()
            for call in data["calls"]:
                assert set(call) >= {"metaData", "parties", "content", "interaction", "collaboration", "media"}
                assert "topics" in call["content"] and "structure" not in call["content"]
                speaker_ids = {p["speakerId"] for p in call["parties"] if p["speakerId"]}
                assert {s["id"] for s in call["interaction"]["speakers"]} <= {p["id"] for p in call["parties"]}
                assert speaker_ids
            seen += len(data["calls"])
            if "cursor" not in data["records"]:
                break
            body["cursor"] = data["records"]["cursor"]
        assert seen == 300

    def test_only_metadata_by_default(self, api: httpx.Client) -> None:
        call = api.post("/v2/calls/extensive", json={"filter": {}}).json()["calls"][0]
        assert set(call) == {"metaData"}

    def test_call_ids_and_primary_users(self, api: httpx.Client) -> None:
        calls = api.get("/v2/calls").json()["calls"]
        ids = [calls[3]["id"], calls[1]["id"]]
        data = api.post("/v2/calls/extensive", json={"filter": {"callIds": ids}}).json()
        assert [c["metaData"]["id"] for c in data["calls"]] == [calls[1]["id"], calls[3]["id"]]
        owner = calls[0]["primaryUserId"]
        data = api.post("/v2/calls/extensive", json={"filter": {"primaryUserIds": [owner]}}).json()
        assert data["calls"] and all(c["metaData"]["primaryUserId"] == owner for c in data["calls"])

    def test_transcript_speakers_match_parties(self, api: httpx.Client) -> None:
        call_id = api.get("/v2/calls").json()["calls"][0]["id"]
        ext = api.post(
            "/v2/calls/extensive",
            json={"filter": {"callIds": [call_id]}, "contentSelector": {"exposedFields": {"parties": True}}},
        ).json()
        speakers = {p["speakerId"] for p in ext["calls"][0]["parties"]}
        transcript = api.post("/v2/calls/transcript", json={"filter": {"callIds": [call_id]}}).json()
        assert {m["speakerId"] for m in transcript["callTranscripts"][0]["transcript"]} <= speakers

    @pytest.mark.parametrize(
        ("body", "fragment"),
        [
            ({}, "filter"),
            ({"filter": {"callIds": []}}, "callIds"),
            ({"filter": {"callIds": ["x1"]}}, "callIds"),
            ({"filter": {"fromDateTime": "soon"}}, "fromDateTime"),
            ({"filter": {}, "contentSelector": {"context": "Everything"}}, "context"),
            ({"filter": {}, "contentSelector": {"contextTiming": ["Later"]}}, "contextTiming"),
            ({"filter": {}, "cursor": "abc.def"}, "cursor"),
        ],
    )
    def test_bad_body_is_400(self, api: httpx.Client, body: dict[str, Any], fragment: str) -> None:
        assert_gong_error(api.post("/v2/calls/extensive", json=body), 400, fragment)

    def test_empty_is_404(self, api: httpx.Client) -> None:
        response = api.post("/v2/calls/extensive", json={"filter": {"callIds": ["1234567890123456789"]}})
        assert_gong_error(response, 404, "No calls found")


class TestTranscripts:
    def test_sentences_are_timed_within_the_call(self, api: httpx.Client) -> None:
        calls = api.get("/v2/calls").json()["calls"][:5]
        data = api.post("/v2/calls/transcript", json={"filter": {"callIds": [c["id"] for c in calls]}}).json()
        assert data["records"]["totalRecords"] == 5
        durations = {c["id"]: c["duration"] for c in calls}
        for item in data["callTranscripts"]:
            last_end = 0
            for monologue in item["transcript"]:
                assert monologue["topic"]
                for sentence in monologue["sentences"]:
                    assert sentence["start"] < sentence["end"]
                    assert sentence["start"] >= last_end
                    last_end = sentence["end"]
                    assert sentence["text"]
            assert last_end <= max(60, durations[item["callId"]]) * 1000

    def test_pages_by_date(self, api: httpx.Client) -> None:
        body: dict[str, Any] = {"filter": {}}
        total = 0
        while True:
            data = api.post("/v2/calls/transcript", json=body).json()
            total += len(data["callTranscripts"])
            if "cursor" not in data["records"]:
                break
            body["cursor"] = data["records"]["cursor"]
        assert total == 300

    def test_workspace_and_call_ids_cannot_combine(self, api: httpx.Client, gong_emulator: Emulator) -> None:
        workspace = gong_emulator.backend.data.workspaces[0]["id"]
        call_id = api.get("/v2/calls").json()["calls"][0]["id"]
        response = api.post("/v2/calls/transcript", json={"filter": {"workspaceId": workspace, "callIds": [call_id]}})
        assert_gong_error(response, 400, "cannot be combined")


def test_same_seed_same_data(gong_emulator_factory: Any) -> None:
    first = gong_emulator_factory(seed=7, anchor=ANCHOR)
    second = gong_emulator_factory(seed=7, anchor=ANCHOR)
    third = gong_emulator_factory(seed=8, anchor=ANCHOR)

    def fetch(emu: Emulator) -> Any:
        with httpx.Client(
            base_url=emu.base_url, auth=(emu.access_key, emu.access_key_secret), verify=shared_ssl_context()
        ) as c:
            return (
                c.get("/v2/calls").json()["calls"],
                c.get("/v2/users").json()["users"],
                c.post("/v2/calls/transcript", json={"filter": {}}).json()["callTranscripts"][:3],
            )

    assert fetch(first) == fetch(second)
    assert fetch(first) != fetch(third)


def test_anchor_sets_history_end(gong_emulator_factory: Any) -> None:
    emu = gong_emulator_factory(anchor=ANCHOR, calls=50)
    with httpx.Client(base_url=emu.base_url, auth=(emu.access_key, emu.access_key_secret)) as c:
        calls = c.get("/v2/calls").json()["calls"]
    last = datetime.fromisoformat(calls[-1]["started"])
    assert ANCHOR - timedelta(days=181) < last < ANCHOR + timedelta(hours=1)
