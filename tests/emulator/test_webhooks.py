"""Process Automation webhooks: automation rules, Gong's signed JWT header, retries, the log.

A real HTTP receiver on loopback records what the emulator sends; calls are created over
``/v2`` and processed by moving the emulator clock, never by sleeping.
"""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import textwrap
import threading
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest

from gong_connector._tls import shared_ssl_context
from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit

from .conftest import Receiver

DELAY = 60


@pytest.fixture
def emu(gong_emulator_factory: Callable[..., Emulator]) -> Emulator:
    return gong_emulator_factory(processing_delay=DELAY, calls=30, users=10)


def pem_from_bare(key: str) -> str:
    """Gong's rule page shows the key as bare base64 DER: wrap it as PEM for PyJWT."""
    body = "\n".join(textwrap.wrap(key, 64))
    return f"-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----\n"


def new_call(
    api: httpx.Client,
    *,
    title: str = "Globex | Discovery",
    media_url: bool = True,
    unique: str = "crm-1",
    workspace_id: str | None = None,
) -> str:
    user = api.get("/v2/users").json()["users"][0]
    body: dict[str, Any] = {
        "clientUniqueId": unique,
        "actualStart": "2026-11-20T10:00:00Z",
        "title": title,
        "direction": "Outbound",
        "primaryUser": user["id"],
        "duration": 600,
        "parties": [
            {"userId": user["id"], "emailAddress": user["emailAddress"]},
            {"emailAddress": "buyer@globex.example", "name": "Bo Buyer"},
        ],
    }
    if media_url:
        body["downloadMediaUrl"] = "https://media.example/recordings/1.mp3"
    if workspace_id:
        body["workspaceId"] = workspace_id
    response = api.post("/v2/calls", json=body)
    assert response.status_code in (200, 201), response.text
    return str(response.json()["callId"])


def verify(token: str, public_key_pem: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(
        token, public_key_pem, algorithms=["RS256"], options={"require": ["exp", "iat"]}
    )
    return claims


# ----- delivery after processing ---------------------------------------------------------------


def test_processed_call_is_posted_with_call_data(
    emu: Emulator, api: httpx.Client, webhook_receiver: Callable[[str], Receiver]
) -> None:
    """A matching call, once processed, is POSTed as {callData: {metaData, parties, ...}, isTest}."""
    receiver = webhook_receiver("/gong")
    emu.add_automation_rule("all calls", receiver.url)
    call_id = new_call(api)

    assert emu.webhook_deliveries(wait=5) == []  # not processed yet: nothing sent
    assert receiver.requests == []
    emu.advance_clock(DELAY)

    (hit,) = receiver.wait_for(1)
    assert hit.method == "POST" and hit.path == "/gong"
    assert hit.headers["Content-Type"].startswith("application/json")
    payload = json.loads(hit.body)
    assert set(payload) == {"callData", "isTest"}
    assert payload["isTest"] is False
    data = payload["callData"]
    assert data["metaData"]["id"] == call_id
    assert data["metaData"]["title"] == "Globex | Discovery"
    assert {"parties", "content", "interaction", "collaboration", "media"} <= set(data)
    assert {p.get("emailAddress") for p in data["parties"]} >= {"buyer@globex.example"}
    assert all("speakerId" in p and "affiliation" in p for p in data["parties"])


def test_call_with_uploaded_media_triggers_the_rule(
    emu: Emulator, api: httpx.Client, webhook_receiver: Callable[[str], Receiver]
) -> None:
    """A call whose media is uploaded with PUT /v2/calls/{id}/media is processed, then sent."""
    receiver = webhook_receiver("/gong")
    emu.add_automation_rule("all calls", receiver.url)
    call_id = new_call(api, media_url=False)
    emu.advance_clock(DELAY)  # no media yet: never processed
    assert emu.webhook_deliveries(wait=5) == []
    upload = api.put(
        f"/v2/calls/{call_id}/media", files={"mediaFile": ("call.mp3", b"ID3" + b"\0" * 500, "audio/mpeg")}
    )
    assert upload.status_code == 200, upload.text
    emu.advance_clock(DELAY)
    (hit,) = receiver.wait_for(1)
    assert json.loads(hit.body)["callData"]["metaData"]["id"] == call_id


def test_jwt_header_is_bare_rs256_and_binds_url_and_body(
    emu: Emulator, api: httpx.Client, webhook_receiver: Callable[[str], Receiver]
) -> None:
    """Authorization is the bare JWT (no Bearer), RS256, claims webhook_url, body_sha256, exp, iat.

    It verifies against the receiver's real clock although the emulator clock moved ahead.
    """
    receiver = webhook_receiver("/hooks/gong?tenant=7")
    emu.add_automation_rule("signed", receiver.url, auth="jwt")
    new_call(api)
    emu.advance_clock(DELAY)
    (hit,) = receiver.wait_for(1)

    token = hit.headers["Authorization"]
    assert not token.lower().startswith("bearer")
    assert token.count(".") == 2
    assert jwt.get_unverified_header(token)["alg"] == "RS256"

    from_property = verify(token, pem_from_bare(emu.webhook_public_key))
    with httpx.Client(base_url=emu.base_url) as admin:
        published = admin.get("/_emulator/webhooks/public-key").json()
    assert published["publicKey"] == emu.webhook_public_key
    assert published["algorithm"] == "RS256"
    assert verify(token, pem_from_bare(published["publicKey"])) == from_property
    assert verify(token, published["publicKeyPem"]) == from_property

    claims = from_property
    assert claims["webhook_url"] == receiver.url
    assert claims["body_sha256"] == hashlib.sha256(hit.body).hexdigest()
    assert isinstance(claims["iat"], int) and isinstance(claims["exp"], int)
    assert claims["exp"] > claims["iat"]


def test_jwt_does_not_verify_with_another_key_or_a_changed_body(
    emu: Emulator,
    api: httpx.Client,
    webhook_receiver: Callable[[str], Receiver],
    gong_emulator_factory: Callable[..., Emulator],
) -> None:
    """Signed with Gong's own key: another emulator's key rejects it; the body hash binds it."""
    receiver = webhook_receiver("/gong")
    emu.add_automation_rule("signed", receiver.url)
    new_call(api)
    emu.advance_clock(DELAY)
    (hit,) = receiver.wait_for(1)
    other = gong_emulator_factory(calls=5, users=3)
    with pytest.raises(jwt.InvalidSignatureError):
        verify(hit.headers["Authorization"], pem_from_bare(other.webhook_public_key))
    claims = verify(hit.headers["Authorization"], pem_from_bare(emu.webhook_public_key))
    assert claims["body_sha256"] != hashlib.sha256(hit.body + b" ").hexdigest()


def test_url_key_mode_sends_no_authorization_header(
    emu: Emulator, api: httpx.Client, webhook_receiver: Callable[[str], Receiver], caplog: pytest.LogCaptureFixture
) -> None:
    """With "URL includes key", the secret is in the URL and no Authorization header is sent;
    the request line httpx logs leaves the query (and the key) out."""
    caplog.set_level(logging.INFO, logger="httpx")
    receiver = webhook_receiver("/gong?key=s3cr3t-key")
    emu.add_automation_rule("keyed", receiver.url, auth="url_key")
    new_call(api)
    emu.advance_clock(DELAY)
    (hit,) = receiver.wait_for(1)
    assert "Authorization" not in hit.headers
    assert hit.path == "/gong?key=s3cr3t-key"
    assert json.loads(hit.body)["isTest"] is False
    emu.webhook_deliveries(wait=5)
    logged = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert any("POST http://127.0.0.1" in line and "/gong " in line for line in logged), logged
    assert not any("s3cr3t" in line for line in logged)


def test_rule_whose_filters_do_not_match_sends_nothing(
    emu: Emulator, api: httpx.Client, webhook_receiver: Callable[[str], Receiver]
) -> None:
    """Only rules whose filters all match the processed call are sent; the others get nothing."""
    matching, other = webhook_receiver("/match"), webhook_receiver("/nomatch")
    workspaces = [w["id"] for w in api.get("/v2/workspaces").json()["workspaces"]]
    users = [u["id"] for u in api.get("/v2/users").json()["users"]]
    Filters = dict[str, dict[str, Any]]
    hits: Filters = {
        "title": {"titleContains": "renewal"},
        "owner": {"primaryUserIds": [users[0]]},
        "external": {"scope": "External"},
        "outbound": {"direction": "Outbound"},
        "workspace": {"workspaceId": workspaces[0]},
        "all": {"titleContains": "Acme", "direction": "Outbound", "scope": "External"},
    }
    misses: Filters = {
        "title": {"titleContains": "Kickoff"},
        "owner": {"primaryUserIds": [users[1]]},
        "internal": {"scope": "Internal"},
        "inbound": {"direction": "Inbound"},
        "workspace": {"workspaceId": workspaces[1]},
        "one off": {"titleContains": "Acme", "direction": "Inbound"},
    }
    for name, filters in hits.items():
        emu.add_automation_rule(f"hit {name}", matching.url, filters=filters)
    for name, filters in misses.items():
        emu.add_automation_rule(f"miss {name}", other.url, filters=filters)
    call_id = new_call(api, title="Acme | Renewal", workspace_id=workspaces[0])
    emu.advance_clock(DELAY)

    deliveries = emu.webhook_deliveries(wait=10)
    assert sorted(d["ruleName"] for d in deliveries) == sorted(f"hit {n}" for n in hits)
    assert all(d["callId"] == call_id and d["status"] == 200 for d in deliveries)
    assert len(matching.wait_for(len(hits))) == len(hits)
    assert other.requests == []


def test_disabled_or_deleted_rule_sends_nothing(
    emu: Emulator, api: httpx.Client, webhook_receiver: Callable[[str], Receiver]
) -> None:
    """Disabled rules and deleted rules do not fire."""
    receiver = webhook_receiver("/gong")
    with httpx.Client(base_url=emu.base_url) as admin:
        off = admin.post("/_emulator/automation-rules", json={"name": "off", "url": receiver.url, "enabled": False})
        gone = admin.post("/_emulator/automation-rules", json={"name": "gone", "url": receiver.url})
        assert admin.delete(f"/_emulator/automation-rules/{gone.json()['id']}").status_code == 200
        rules = admin.get("/_emulator/automation-rules").json()["rules"]
        assert [r["name"] for r in rules] == ["off"]
    assert off.json()["enabled"] is False
    new_call(api)
    emu.advance_clock(DELAY)
    assert emu.webhook_deliveries(wait=10) == []
    assert receiver.requests == []


# ----- the admin API for rules ------------------------------------------------------------------


def test_admin_api_creates_rule_and_its_test_sends_is_test_true(
    emu: Emulator, webhook_receiver: Callable[[str], Receiver]
) -> None:
    """The rule's test button sends a sample call with isTest: true."""
    receiver = webhook_receiver("/gong")
    with httpx.Client(base_url=emu.base_url) as admin:
        created = admin.post(
            "/_emulator/automation-rules",
            json={"name": "from admin", "url": receiver.url, "auth": "jwt", "filters": {"direction": "Inbound"}},
        )
        assert created.status_code == 201, created.text
        rule = created.json()
        assert rule["name"] == "from admin" and rule["url"] == receiver.url
        assert rule["auth"] == "jwt" and rule["filters"] == {"direction": "Inbound"}
        assert admin.get(f"/_emulator/automation-rules/{rule['id']}").json() == rule
        assert admin.post(f"/_emulator/automation-rules/{rule['id']}/test").status_code == 200
        (hit,) = receiver.wait_for(1)
        deliveries = admin.get("/_emulator/webhooks/deliveries", params={"wait": "true"}).json()
    payload = json.loads(hit.body)
    assert payload["isTest"] is True
    assert payload["callData"]["metaData"]["id"]
    claims = verify(hit.headers["Authorization"], pem_from_bare(emu.webhook_public_key))
    assert claims["webhook_url"] == receiver.url
    assert claims["body_sha256"] == hashlib.sha256(hit.body).hexdigest()
    assert deliveries["deliveries"][0]["isTest"] is True
    assert deliveries["deliveries"][0]["status"] == 200


@pytest.mark.parametrize(
    "body",
    [
        {"url": "http://127.0.0.1:9/x"},
        {"name": "no url"},
        {"name": "ftp", "url": "ftp://127.0.0.1/x"},
        {"name": "bad auth", "url": "http://127.0.0.1:9/x", "auth": "hmac"},
        {"name": "bad filters", "url": "http://127.0.0.1:9/x", "filters": ["x"]},
        {"name": "misspelt filter", "url": "http://127.0.0.1:9/x", "filters": {"titleContain": "x"}},
        {"name": "ids not a list", "url": "http://127.0.0.1:9/x", "filters": {"primaryUserIds": "1234567890"}},
    ],
)
def test_admin_api_rejects_bad_rules(emu: Emulator, body: dict[str, Any]) -> None:
    """A rule needs a name, an http(s) URL, a known auth mode and known filters.

    An unknown (misspelt) filter is refused rather than ignored, which would match every call.
    """
    with httpx.Client(base_url=emu.base_url, verify=shared_ssl_context()) as admin:
        response = admin.post("/_emulator/automation-rules", json=body)
        assert response.status_code == 400
        assert response.json()["error"]
        assert admin.get("/_emulator/automation-rules").json()["rules"] == []


def test_test_of_unknown_rule_is_404(emu: Emulator) -> None:
    """Testing a rule that does not exist is an error, not a silent no-op."""
    with httpx.Client(base_url=emu.base_url) as admin:
        assert admin.post("/_emulator/automation-rules/999/test").status_code == 404


# ----- retries and the delivery log ---------------------------------------------------------------


def test_failed_delivery_is_retried_and_logged(
    emu: Emulator, api: httpx.Client, webhook_receiver: Callable[[str], Receiver]
) -> None:
    """A receiver answering 500 gets the same body again; every attempt is in the log."""
    receiver = webhook_receiver("/gong")
    receiver.statuses = [500]
    rule_id = emu.add_automation_rule("flaky", receiver.url)
    call_id = new_call(api)
    emu.advance_clock(DELAY)

    first, second = receiver.wait_for(2)
    assert first.body == second.body  # same payload: receivers de-duplicate on it
    for hit in (first, second):
        claims = verify(hit.headers["Authorization"], pem_from_bare(emu.webhook_public_key))
        assert claims["body_sha256"] == hashlib.sha256(hit.body).hexdigest()

    logged = emu.webhook_deliveries(wait=10)
    assert [(d["attempt"], d["status"]) for d in logged] == [(1, 500), (2, 200)]
    assert all(d["ruleId"] == rule_id and d["callId"] == call_id and d["isTest"] is False for d in logged)
    with httpx.Client(base_url=emu.base_url) as admin:
        over_http = admin.get("/_emulator/webhooks/deliveries", params={"wait": "true"}).json()
    assert over_http["deliveries"] == logged


def test_delivery_gives_up_after_the_retries(
    emu: Emulator, api: httpx.Client, webhook_receiver: Callable[[str], Receiver]
) -> None:
    """A receiver that keeps failing gets a bounded number of attempts, all logged."""
    receiver = webhook_receiver("/gong")
    receiver.statuses = [500] * 10
    emu.add_automation_rule("down", receiver.url)
    new_call(api)
    emu.advance_clock(DELAY)
    logged = emu.webhook_deliveries(wait=10)
    attempts = 1 + len(emu.http.webhooks.retry_delays)
    assert [d["status"] for d in logged] == [500] * attempts
    assert len(receiver.requests) == attempts


def test_unreachable_receiver_is_logged_as_transport_error(emu: Emulator, api: httpx.Client) -> None:
    """A refused connection counts as a failed attempt: retried, logged with no status."""
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    emu.add_automation_rule("dead", f"http://127.0.0.1:{port}/gong")
    new_call(api)
    emu.advance_clock(DELAY)
    logged = emu.webhook_deliveries(wait=10)
    assert len(logged) == 1 + len(emu.http.webhooks.retry_delays)
    assert all(d["status"] is None and d["error"] for d in logged)


def test_each_matching_rule_gets_its_own_delivery(
    emu: Emulator, api: httpx.Client, webhook_receiver: Callable[[str], Receiver]
) -> None:
    """Two rules matching one call: two deliveries, each token bound to its own URL."""
    a, b = webhook_receiver("/a"), webhook_receiver("/b")
    emu.add_automation_rule("a", a.url)
    emu.add_automation_rule("b", b.url)
    new_call(api)
    emu.advance_clock(DELAY)
    (hit_a,), (hit_b,) = a.wait_for(1), b.wait_for(1)
    key = pem_from_bare(emu.webhook_public_key)
    assert verify(hit_a.headers["Authorization"], key)["webhook_url"] == a.url
    assert verify(hit_b.headers["Authorization"], key)["webhook_url"] == b.url
    assert hit_a.body == hit_b.body


def test_jwt_stays_valid_for_a_real_clock_after_a_day_of_emulator_time(
    emu: Emulator, api: httpx.Client, webhook_receiver: Callable[[str], Receiver]
) -> None:
    """Receivers check iat/exp with their real clock: moving the emulator clock must not break it."""
    receiver = webhook_receiver("/gong")
    emu.add_automation_rule("signed", receiver.url)
    emu.advance_clock(86_400)
    new_call(api)
    emu.advance_clock(DELAY)
    (hit,) = receiver.wait_for(1)
    verify(hit.headers["Authorization"], pem_from_bare(emu.webhook_public_key))


def test_calls_added_through_the_admin_api_fire_rules(
    emu: Emulator, webhook_receiver: Callable[[str], Receiver]
) -> None:
    """Calls added as "just recorded" (admin API) are processed like uploads and sent to rules."""
    receiver = webhook_receiver("/gong")
    emu.add_automation_rule("all", receiver.url)
    with httpx.Client(base_url=emu.base_url) as admin:
        ids = admin.post("/_emulator/calls", json={"count": 2, "processingDelay": DELAY}).json()["callIds"]
        assert emu.webhook_deliveries(wait=5) == []
        admin.post("/_emulator/clock", json={"advance": DELAY})
    hits = receiver.wait_for(2)
    assert sorted(json.loads(h.body)["callData"]["metaData"]["id"] for h in hits) == sorted(ids)


# ----- the delivery thread ------------------------------------------------------------------------


def _delivery_threads() -> int:
    return sum(thread.name == "gong-emulator-webhooks" for thread in threading.enumerate())


def test_the_delivery_thread_starts_with_the_first_webhook(webhook_receiver: Callable[[str], Receiver]) -> None:
    """Most emulators never send a webhook: the thread that delivers them, and its HTTP
    client, start with the first one and stop with the emulator."""
    receiver = webhook_receiver("/gong?key=k")
    before = _delivery_threads()
    config = EmulatorConfig(calls=5, users=3, rate_limit=RateLimit.off())
    with Emulator(config) as fresh, httpx.Client(base_url=fresh.base_url, verify=shared_ssl_context()) as admin:
        users = admin.get("/v2/users", auth=(fresh.access_key, fresh.access_key_secret))
        assert users.status_code == 200
        assert _delivery_threads() == before
        rule = admin.post("/_emulator/automation-rules", json={"name": "r", "url": receiver.url, "auth": "url_key"})
        assert admin.post(f"/_emulator/automation-rules/{rule.json()['id']}/test").status_code == 200
        receiver.wait_for(1)
        assert _delivery_threads() == before + 1
    assert _delivery_threads() == before
