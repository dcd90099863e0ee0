"""One receiver, many Gong companies, over real HTTP: each tenant at ``/t/{tenant}`` verified
with its own key only, events and handlers by tenant, and tenants added or removed while
the receiver runs. Tenant reads are timed by an injected clock, not by sleeping."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import sqlalchemy.exc

from gong_connector._tls import shared_ssl_context
from gong_connector.trigger import (
    Event,
    HandlerRegistry,
    Inbox,
    Trigger,
    TriggerServer,
    WebhookVerifier,
    Worker,
    add_tenant,
)

from .conftest import FakeClock, GongSigner, payload

URL_KEY = "initech-url-key-0123456789"


@pytest.fixture
def inbox(db_url: str, clock: FakeClock) -> Iterator[Inbox]:
    box = Inbox(db_url, clock=clock)
    yield box
    box.close()


@pytest.fixture
def tenants(inbox: Inbox, gong_signer: GongSigner, other_signer: GongSigner) -> Inbox:
    add_tenant(inbox, "acme", public_key=gong_signer.public_key_base64)
    add_tenant(inbox, "globex", public_key=other_signer.public_key_pem)
    add_tenant(inbox, "initech", url_key=URL_KEY)
    return inbox


@pytest.fixture
def monotonic() -> FakeClock:
    return FakeClock(now=1000.0)


def serving(trigger: Trigger, monotonic: FakeClock) -> TriggerServer:
    trigger.tenants._monotonic = monotonic
    return TriggerServer(trigger)


def post(server: TriggerServer, path: str, body: bytes, signer: GongSigner | None = None) -> httpx.Response:
    url = f"{server.url}{path}"
    headers = {"Authorization": signer.token(url, body)} if signer else {}
    with httpx.Client(timeout=10, verify=shared_ssl_context()) as client:
        return client.post(url, content=body, headers=headers)


def test_each_tenant_is_verified_with_its_own_key_only(
    tenants: Inbox, gong_signer: GongSigner, other_signer: GongSigner, clock: FakeClock, monotonic: FakeClock
) -> None:
    trigger = Trigger(inbox=tenants, clock=clock)
    with serving(trigger, monotonic) as server:
        assert post(server, "/t/acme?rule=Renewals", payload("1"), gong_signer).status_code == 200
        assert post(server, "/t/globex?rule=Renewals", payload("1"), other_signer).status_code == 200
        assert post(server, f"/t/initech?rule=Renewals&key={URL_KEY}", payload("1")).status_code == 200
        # Another tenant's key, a valid token for the wrong tenant's URL, a URL key elsewhere: 401.
        assert post(server, "/t/acme?rule=Renewals", payload("2"), other_signer).status_code == 401
        assert post(server, "/t/globex?rule=Renewals", payload("2"), gong_signer).status_code == 401
        assert post(server, f"/t/acme?rule=Renewals&key={URL_KEY}", payload("2")).status_code == 401
        assert post(server, "/t/initech?rule=Renewals&key=wrong-key-0123456789", payload("2")).status_code == 401
        # Unknown and malformed tenants, and "/" without a key of its own: 404.
        assert post(server, "/t/hooli?rule=Renewals", payload("3"), gong_signer).status_code == 404
        assert post(server, "/t/..%2F..?rule=Renewals", payload("3"), gong_signer).status_code == 404
        assert post(server, "/?rule=Renewals", payload("3"), gong_signer).status_code == 404
    events = sorted(tenants.events(), key=lambda e: e.tenant)
    assert [(e.tenant, e.call_id, e.rule) for e in events] == [
        ("acme", "1", "Renewals"),
        ("globex", "1", "Renewals"),
        ("initech", "1", "Renewals"),
    ]
    assert [e.tenant for e in tenants.events(tenant="globex")] == ["globex"]


def test_a_token_for_one_tenant_cannot_be_replayed_to_another(
    inbox: Inbox, gong_signer: GongSigner, clock: FakeClock, monotonic: FakeClock
) -> None:
    """Two tenants sharing one Gong key still cannot take each other's webhooks: the token
    names the tenant's URL."""
    add_tenant(inbox, "one", public_key=gong_signer.public_key_base64)
    add_tenant(inbox, "two", public_key=gong_signer.public_key_base64)
    trigger = Trigger(inbox=inbox, clock=clock)
    with serving(trigger, monotonic) as server, httpx.Client(timeout=10) as client:
        body = payload("1")
        token = gong_signer.token(f"{server.url}/t/one?rule=r", body)
        assert (
            client.post(f"{server.url}/t/two?rule=r", content=body, headers={"Authorization": token}).status_code == 401
        )
        assert (
            client.post(f"{server.url}/t/one?rule=r", content=body, headers={"Authorization": token}).status_code == 200
        )


def test_single_tenant_key_and_tenants_side_by_side(
    tenants: Inbox, gong_signer: GongSigner, other_signer: GongSigner, clock: FakeClock, monotonic: FakeClock
) -> None:
    """The receiver's own key serves every other path as before; tenants keep to theirs."""
    trigger = Trigger(WebhookVerifier(public_key=other_signer.public_key_base64, clock=clock), inbox=tenants)
    with serving(trigger, monotonic) as server:
        assert post(server, "/?rule=r", payload("1"), other_signer).status_code == 200
        assert post(server, "/?rule=r", payload("1"), gong_signer).status_code == 401
        assert post(server, "/t/acme?rule=r", payload("1"), gong_signer).status_code == 200
    assert sorted(e.tenant for e in tenants.events()) == ["", "acme"]


def test_public_url_gives_each_tenant_its_path(
    tenants: Inbox, gong_signer: GongSigner, clock: FakeClock, monotonic: FakeClock
) -> None:
    trigger = Trigger(inbox=tenants, public_url="https://hooks.example.com/gong", clock=clock)
    with serving(trigger, monotonic) as server, httpx.Client(timeout=10) as client:
        body = payload("1")
        token = gong_signer.token("https://hooks.example.com/gong/t/acme?rule=r", body)
        response = client.post(f"{server.url}/t/acme?rule=r", content=body, headers={"Authorization": token})
    assert response.status_code == 200


def test_tenants_added_and_removed_reach_a_running_receiver(
    inbox: Inbox, gong_signer: GongSigner, other_signer: GongSigner, clock: FakeClock, monotonic: FakeClock
) -> None:
    add_tenant(inbox, "acme", public_key=gong_signer.public_key_base64)
    trigger = Trigger(inbox=inbox, clock=clock)
    with serving(trigger, monotonic) as server:
        assert post(server, "/t/acme?rule=r", payload("1"), gong_signer).status_code == 200
        assert post(server, "/t/globex?rule=r", payload("1"), other_signer).status_code == 404

        other = Inbox(inbox.engine.url.render_as_string(hide_password=False))  # as the CLI would
        add_tenant(other, "globex", public_key=other_signer.public_key_base64)
        # A name not known is read again at most once a second.
        assert post(server, "/t/globex?rule=r", payload("2"), other_signer).status_code == 404
        monotonic.advance(1)
        assert post(server, "/t/globex?rule=r", payload("2"), other_signer).status_code == 200

        assert other.remove_tenant("acme")
        other.close()
        # Known tenants are read again every refresh_seconds.
        assert post(server, "/t/acme?rule=r", payload("3"), gong_signer).status_code == 200
        monotonic.advance(trigger.tenants.refresh_seconds)
        assert post(server, "/t/acme?rule=r", payload("4"), gong_signer).status_code == 404
    assert sorted((e.tenant, e.call_id) for e in inbox.events()) == [("acme", "1"), ("acme", "3"), ("globex", "2")]


def test_unknown_tenant_with_the_database_down_is_503_not_404(
    tenants: Inbox, gong_signer: GongSigner, clock: FakeClock, monotonic: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Known tenants keep their keys while the tenants table cannot be read; a name that
    is not known may be a new tenant, so Gong is told to retry."""
    trigger = Trigger(inbox=tenants, clock=clock)
    with serving(trigger, monotonic) as server:
        assert post(server, "/t/acme?rule=r", payload("1"), gong_signer).status_code == 200

        def down() -> Any:
            raise sqlalchemy.exc.OperationalError("SELECT", {}, Exception("connection refused"))

        monkeypatch.setattr(tenants, "tenants", down)
        monotonic.advance(trigger.tenants.refresh_seconds)
        assert post(server, "/t/acme?rule=r", payload("2"), gong_signer).status_code == 200
        assert post(server, "/t/newco?rule=r", payload("3"), gong_signer).status_code == 503
        monotonic.advance(0.5)
        assert post(server, "/t/newco?rule=r", payload("3"), gong_signer).status_code == 503


async def test_handlers_by_tenant(tenants: Inbox) -> None:
    for tenant in ("acme", "globex"):
        tenants.accept(rule="Renewals", call_id="1", is_test=False, body=payload("1"), tenant=tenant)
    tenants.accept(rule="Churn", call_id="2", is_test=False, body=payload("2"), tenant="acme")
    seen: list[tuple[str, str, str]] = []
    handlers = HandlerRegistry()

    @handlers.on_call(tenant="acme")
    def acme_only(event: Event) -> None:
        seen.append(("acme_only", event.tenant, event.rule))

    @handlers.on_call("Renewals", tenant=["acme", "globex"])
    def renewals(event: Event) -> None:
        seen.append(("renewals", event.tenant, event.rule))

    @handlers.on_call()
    def every(event: Event) -> None:
        seen.append(("every", event.tenant, event.rule))

    assert await Worker(tenants, handlers).run_due() == 3
    assert sorted(seen) == [
        ("acme_only", "acme", "Churn"),
        ("acme_only", "acme", "Renewals"),
        ("every", "acme", "Churn"),
        ("every", "acme", "Renewals"),
        ("every", "globex", "Renewals"),
        ("renewals", "acme", "Renewals"),
        ("renewals", "globex", "Renewals"),
    ]


def test_url_keys_are_stored_as_salted_digests(tenants: Inbox, tmp_path: Path) -> None:
    with tenants.engine.connect() as conn:
        rows = conn.execute(sa.text("select * from gong_trigger_tenants")).all()
    dumped = repr(rows) + repr(tenants.tenants())
    assert URL_KEY not in dumped
    (initech,) = [r for r in tenants.tenants() if r.name == "initech"]
    assert initech.url_key_sha256 and initech.url_key_salt and initech.public_key is None


@pytest.mark.parametrize(
    "name,kwargs,message",
    [
        ("bad name", {"url_key": URL_KEY}, "not a tenant name"),
        ("-lead", {"url_key": URL_KEY}, "not a tenant name"),
        ("x" * 65, {"url_key": URL_KEY}, "not a tenant name"),
        ("ok", {}, "exactly one key"),
        ("ok", {"url_key": URL_KEY, "public_key": "x"}, "exactly one key"),
        ("ok", {"url_key": "short"}, "shorter than 16"),
        ("ok", {"public_key": "bm90LWEta2V5"}, "not an RSA public key"),
        ("acme", {"url_key": URL_KEY}, "exists"),
    ],
)
def test_bad_tenants_are_refused(tenants: Inbox, name: str, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        add_tenant(tenants, name, **kwargs)
    assert len(tenants.tenants()) == 3
