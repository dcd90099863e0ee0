"""The receiver over HTTP (ASGI in process): what it accepts, and every rejection, each of
which must leave the inbox empty."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import jwt
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount, Route

from gong_connector.trigger import Trigger

from .conftest import FakeClock, GongSigner, payload

BASE = "http://testserver"
URL = f"{BASE}/gong?rule=Renewals"


@pytest.fixture
def trigger(make_trigger: Callable[..., Trigger]) -> Trigger:
    return make_trigger()


@pytest.fixture
async def client(trigger: Trigger) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=trigger), base_url=BASE) as c:
        yield c


def stored(trigger: Trigger) -> int:
    return sum(trigger.inbox.counts().values())


async def post(
    client: httpx.AsyncClient, url: str, body: bytes, token: str | None = None, **headers: str
) -> httpx.Response:
    if token is not None:
        headers["Authorization"] = token
    return await client.post(url, content=body, headers={"Content-Type": "application/json", **headers})


# ----- accepted ------------------------------------------------------------------------------


async def test_signed_delivery_is_committed_before_the_200(
    trigger: Trigger, client: httpx.AsyncClient, gong_signer: GongSigner
) -> None:
    """A valid delivery is stored, with its rule from the URL, before the response returns."""
    body = payload("111")
    response = await post(client, URL, body, gong_signer.token(URL, body))
    assert response.status_code == 200, response.text
    assert response.json() == {"eventId": 1, "duplicate": False}
    (event,) = trigger.inbox.events()
    assert (event.rule, event.call_id, event.is_test, event.status) == ("Renewals", "111", False, "pending")
    assert event.body.encode() == body
    assert event.call_data["metaData"]["id"] == "111"


async def test_bearer_prefix_and_pem_key_are_accepted(
    make_trigger: Callable[..., Trigger], gong_signer: GongSigner
) -> None:
    """Gong sends the bare JWT; a ``Bearer`` prefix (proxies, other tools) is accepted too,
    and the key may be configured as PEM as well as bare base64."""
    trigger = make_trigger(public_key=gong_signer.public_key_pem)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=trigger), base_url=BASE) as client:
        body = payload("222")
        response = await post(client, URL, body, "Bearer " + gong_signer.token(URL, body))
    assert response.status_code == 200
    assert stored(trigger) == 1


async def test_repeated_delivery_is_stored_once_and_counted(
    trigger: Trigger, client: httpx.AsyncClient, gong_signer: GongSigner
) -> None:
    """Gong retries: the same call for the same rule is one event that arrived twice."""
    body = payload("333")
    first = await post(client, URL, body, gong_signer.token(URL, body))
    again = await post(client, URL, body, gong_signer.token(URL, body))
    assert first.json() == {"eventId": 1, "duplicate": False}
    assert again.json() == {"eventId": 1, "duplicate": True}
    (event,) = trigger.inbox.events()
    assert event.deliveries == 2


async def test_same_call_for_another_rule_or_as_a_test_is_another_event(
    trigger: Trigger, client: httpx.AsyncClient, gong_signer: GongSigner
) -> None:
    """De-duplication is by call id + rule (+ the test flag), not by call id alone."""
    other_url = f"{BASE}/gong?rule=Churn%20risk"
    for url, body in ((URL, payload("444")), (other_url, payload("444")), (URL, payload("444", is_test=True))):
        assert (await post(client, url, body, gong_signer.token(url, body))).status_code == 200
    events = trigger.inbox.events()
    assert sorted((e.rule, e.is_test) for e in events) == [
        ("Churn risk", False),
        ("Renewals", False),
        ("Renewals", True),
    ]


async def test_public_url_is_what_the_token_must_name(
    make_trigger: Callable[..., Trigger], gong_signer: GongSigner
) -> None:
    """Behind a proxy the receiver sees another host; public_url is the URL Gong signed."""
    trigger = make_trigger(public_url="https://hooks.example.com/gong")
    public = "https://hooks.example.com/gong?rule=Renewals"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=trigger), base_url=BASE) as client:
        body = payload("555")
        internal = await post(client, URL, body, gong_signer.token(URL, body))
        assert internal.status_code == 401
        ok = await post(client, URL, body, gong_signer.token(public, body))
    assert ok.status_code == 200
    assert [e.rule for e in trigger.inbox.events()] == ["Renewals"]


async def test_mounted_in_a_starlette_app(make_trigger: Callable[..., Trigger], gong_signer: GongSigner) -> None:
    """Mounted (or routed) at a sub-path, the URL the token names includes that path."""
    trigger = make_trigger()
    app = Starlette(
        routes=[Route("/hooks/gong", trigger, methods=["POST"]), Mount("/mounted", trigger)], lifespan=trigger.lifespan
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
        for n, url in enumerate((f"{BASE}/hooks/gong?rule=a", f"{BASE}/mounted/x?rule=b")):
            body = payload(f"66{n}")
            response = await post(client, url, body, gong_signer.token(url, body))
            assert response.status_code == 200, url
    assert sorted(e.rule for e in trigger.inbox.events()) == ["a", "b"]


async def test_url_key_mode(make_trigger: Callable[..., Trigger]) -> None:
    """ "URL includes key": the secret is the ``key`` query parameter; no Authorization header."""
    trigger = make_trigger(public_key=None, url_key="s3cr3t-Key")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=trigger), base_url=BASE) as client:
        response = await post(client, f"{URL}&key=s3cr3t-Key", payload("777"))
    assert response.status_code == 200
    assert [(e.rule, e.call_id) for e in trigger.inbox.events()] == [("Renewals", "777")]


# ----- rejected, nothing stored --------------------------------------------------------------


def forged(token: str) -> str:
    """The same claims with a changed webhook_url but the original signature."""
    header, claims, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    data["webhook_url"] = "http://testserver/gong?rule=Renewals"
    data["body_sha256"] = "0" * 64
    encoded = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


REJECTIONS: dict[str, Callable[[GongSigner, GongSigner, FakeClock], tuple[str, bytes, dict[str, str]]]] = {
    "forged signature": lambda g, o, c: (URL, payload(), {"Authorization": forged(g.token(URL, payload()))}),
    "signed with another key": lambda g, o, c: (URL, payload(), {"Authorization": o.token(URL, payload())}),
    "expired": lambda g, o, c: (URL, payload(), {"Authorization": g.token(URL, payload(), now=c.now - 1000)}),
    "issued in the future": lambda g, o, c: (
        URL,
        payload(),
        {"Authorization": g.token(URL, payload(), now=c.now + 1000)},
    ),
    "no exp claim": lambda g, o, c: (URL, payload(), {"Authorization": g.token(URL, payload(), exp=None)}),
    "wrong URL claim": lambda g, o, c: (URL, payload(), {"Authorization": g.token(f"{BASE}/other", payload())}),
    "other rule in URL claim": lambda g, o, c: (
        URL,
        payload(),
        {"Authorization": g.token(f"{BASE}/gong?rule=Churn", payload())},
    ),
    "altered body": lambda g, o, c: (URL, payload("999"), {"Authorization": g.token(URL, payload("111"))}),
    "missing header": lambda g, o, c: (URL, payload(), {}),
    "empty header": lambda g, o, c: (URL, payload(), {"Authorization": ""}),
    "not a JWT": lambda g, o, c: (URL, payload(), {"Authorization": "not-a-token"}),
    "unsigned alg none": lambda g, o, c: (
        URL,
        payload(),
        {
            "Authorization": jwt.encode(
                {"webhook_url": URL, "body_sha256": _sha256(payload()), "exp": c.now + 100}, "", algorithm="none"
            )
        },
    ),
    "HS256 with the public key as secret": lambda g, o, c: (URL, payload(), {"Authorization": _hs256(g, c)}),
}


def _sha256(body: bytes) -> str:
    import hashlib

    return hashlib.sha256(body).hexdigest()


def _hs256(signer: GongSigner, clock: FakeClock) -> str:
    """A token whose only flaw is its algorithm: HS256 keyed with the public key's PEM."""
    import hashlib
    import hmac

    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=")
    claims = base64.urlsafe_b64encode(
        json.dumps(
            {"webhook_url": URL, "body_sha256": hashlib.sha256(payload()).hexdigest(), "exp": clock.now + 100}
        ).encode()
    ).rstrip(b"=")
    signing_input = header + b"." + claims
    mac = hmac.new(signer.public_key_pem.encode(), signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + base64.urlsafe_b64encode(mac).rstrip(b"=")).decode()


#: The reason logged for each case: each fails on the check it is meant to exercise.
REASONS = {
    "forged signature": "signature does not verify",
    "signed with another key": "signature does not verify",
    "expired": "expired",
    "issued in the future": "not valid yet",
    "no exp claim": "lacks the 'exp' claim",
    "wrong URL claim": "webhook_url",
    "other rule in URL claim": "webhook_url",
    "altered body": "body_sha256",
    "missing header": "missing Authorization",
    "empty header": "missing Authorization",
    "not a JWT": "not a valid JWT",
    "unsigned alg none": "not signed with RS256",
    "HS256 with the public key as secret": "not signed with RS256",
}


@pytest.mark.parametrize("case", list(REJECTIONS))
async def test_unverified_requests_get_401_and_nothing_is_stored(
    case: str,
    trigger: Trigger,
    client: httpx.AsyncClient,
    gong_signer: GongSigner,
    other_signer: GongSigner,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, body, headers = REJECTIONS[case](gong_signer, other_signer, clock)
    caplog.set_level(logging.WARNING, logger="gong_connector")
    response = await client.post(url, content=body, headers=headers)
    assert response.status_code == 401, case
    assert response.json() == {"error": "unauthorized"}  # the reason is logged, not told
    assert REASONS[case] in caplog.text
    assert stored(trigger) == 0


async def test_expiry_allows_a_small_clock_skew(
    trigger: Trigger, client: httpx.AsyncClient, gong_signer: GongSigner, clock: FakeClock
) -> None:
    """A token expired by less than the leeway still passes; one second more does not."""
    body = payload("123")
    token = gong_signer.token(URL, body, now=clock.now - 300)  # exp == now
    clock.advance(trigger.verifier.leeway)
    assert (await post(client, URL, body, token)).status_code == 200
    clock.advance(1)
    assert (
        await post(client, URL, payload("124"), gong_signer.token(URL, payload("124"), now=clock.now - 362))
    ).status_code == 401
    assert [e.call_id for e in trigger.inbox.events()] == ["123"]


@pytest.mark.parametrize(
    "url",
    [f"{URL}&key=wrong", URL, f"{URL}&key=s3cr3t-Key&key=s3cr3t-Key", f"{URL}&key=s3cr3t-Ke", f"{URL}&key=s3cr3t-Key-"],
)
async def test_wrong_or_missing_url_key_gets_401(make_trigger: Callable[..., Trigger], url: str) -> None:
    trigger = make_trigger(public_key=None, url_key="s3cr3t-Key")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=trigger), base_url=BASE) as client:
        response = await post(client, url, payload())
    assert response.status_code == 401
    assert stored(trigger) == 0


async def test_oversized_body_gets_413(trigger: Trigger, client: httpx.AsyncClient, gong_signer: GongSigner) -> None:
    """Over the limit: refused before parsing or verifying, whether declared or streamed."""
    body = payload("1", padding="x" * (trigger.verifier.max_body_bytes + 1))
    declared = await post(client, URL, body, gong_signer.token(URL, body))
    assert declared.status_code == 413

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted while read
        for start in range(0, len(body), 8192):
            yield body[start : start + 8192]

    streamed = await client.post(URL, content=chunks(), headers={"Authorization": gong_signer.token(URL, body)})
    assert streamed.status_code == 413
    assert stored(trigger) == 0


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'"text"',
        b"{}",
        b'{"callData": {"metaData": {}}}',
        b'{"callData": []}',
        b'{"callData": {"metaData": {"id": true}}}',
    ],
)
async def test_authentic_but_malformed_body_gets_400(
    body: bytes, trigger: Trigger, client: httpx.AsyncClient, gong_signer: GongSigner
) -> None:
    response = await post(client, URL, body, gong_signer.token(URL, body))
    assert response.status_code == 400
    assert stored(trigger) == 0


async def test_malformed_and_unsigned_gets_401_not_400(trigger: Trigger, client: httpx.AsyncClient) -> None:
    """Nothing unauthenticated is parsed: a bad body without a valid token is a 401."""
    assert (await post(client, URL, b"{not json")).status_code == 401


async def test_only_post(trigger: Trigger, client: httpx.AsyncClient) -> None:
    response = await client.get(URL)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


async def test_inbox_down_answers_503_not_200(
    trigger: Trigger, client: httpx.AsyncClient, gong_signer: GongSigner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No 200 without a commit: a failing database makes Gong retry."""
    import sqlalchemy.exc

    def broken(_: Any) -> None:
        raise sqlalchemy.exc.OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(trigger.inbox, "accept_many", broken)
    body = payload()
    response = await post(client, URL, body, gong_signer.token(URL, body))
    assert response.status_code == 503


# ----- secrets --------------------------------------------------------------------------------


async def test_url_key_never_in_logs_errors_or_reprs(
    make_trigger: Callable[..., Trigger], caplog: pytest.LogCaptureFixture
) -> None:
    secret = "sup3r-s3cret-url-key"
    trigger = make_trigger(public_key=None, url_key=secret)
    caplog.set_level(logging.DEBUG, logger="gong_connector")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=trigger), base_url=BASE) as client:
        ok = await post(client, f"{URL}&key={secret}", payload("1"))
        bad = await post(client, f"{URL}&key={secret}x", payload("2"))
        malformed = await post(client, f"{URL}&key={secret}", b"{")
    assert (ok.status_code, bad.status_code, malformed.status_code) == (200, 401, 400)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("gong_connector"))
    shown = " ".join(
        [
            ours,
            repr(trigger),
            repr(trigger.verifier),
            repr(trigger.inbox),
            ok.text,
            bad.text,
            malformed.text,
            *(e.body + str(e) for e in trigger.inbox.events()),
        ]
    )
    assert secret not in shown
    assert "rejected (401) on /gong: URL key does not match" in ours  # the reason, not the key
