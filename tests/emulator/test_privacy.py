"""Data privacy: look-ups find what references an address or number; erasure removes it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from gong_connector.emulator import Emulator

from .conftest import assert_gong_error, basic_client

EMAIL_REFS = "/v2/data-privacy/data-for-email-address"
PHONE_REFS = "/v2/data-privacy/data-for-phone-number"
ERASE_EMAIL = "/v2/data-privacy/erase-data-for-email-address"
ERASE_PHONE = "/v2/data-privacy/erase-data-for-phone-number"


def external_party(api: httpx.Client) -> dict[str, str]:
    call = api.post(
        "/v2/calls/extensive", json={"filter": {}, "contentSelector": {"exposedFields": {"parties": True}}}
    ).json()["calls"]
    for c in call:
        for party in c["parties"]:
            if party["affiliation"] == "External":
                return party
    raise AssertionError("no external party")


def test_email_references_then_erase(api: httpx.Client, emu: Emulator) -> None:
    party = external_party(api)
    email = party["emailAddress"]
    refs = api.get(EMAIL_REFS, params={"emailAddress": email}).json()
    assert set(refs) >= {"requestId", "emails", "calls", "meetings", "customerData", "customerEngagement"}
    assert refs["calls"] and refs["emails"] and refs["customerData"]
    call_ids = [c["id"] for c in refs["calls"]]
    assert (
        api.put(
            "/v2/customer-engagement/action",
            json={
                "reportingSystem": "portal",
                "eventTimestamp": "2026-05-01T10:00:00Z",
                "eventId": "e1",
                "actor": {"email": email},
            },
        ).status_code
        == 200
    )
    assert len(api.get(EMAIL_REFS, params={"emailAddress": email}).json()["customerEngagement"]) == 1

    erased = api.post(ERASE_EMAIL, params={"emailAddress": email})
    assert erased.status_code == 200 and set(erased.json()) == {"requestId"}
    # Gong: "The deletion is not immediate". Until the delay has passed, nothing is gone.
    assert api.get(EMAIL_REFS, params={"emailAddress": email}).json()["calls"] == refs["calls"]
    assert api.get(f"/v2/calls/{call_ids[0]}").status_code == 200
    emu.advance_clock(emu.config.erasure_delay)

    after = api.get(EMAIL_REFS, params={"emailAddress": email}).json()
    assert after["calls"] == after["emails"] == after["customerData"] == after["customerEngagement"] == []
    for call_id in call_ids:
        assert_gong_error(api.get(f"/v2/calls/{call_id}"), 404)
    listed: set[str] = set()
    params: dict[str, str] = {}
    while True:
        body = api.get("/v2/calls", params=params).json()
        listed |= {c["id"] for c in body["calls"]}
        if "cursor" not in body["records"]:
            break
        params["cursor"] = body["records"]["cursor"]
    assert not listed & set(call_ids)
    assert len(listed) == 300 - len(call_ids)
    assert body["records"]["totalRecords"] == 300 - len(call_ids)


def test_phone_references_then_erase(api: httpx.Client, gong_emulator: Emulator) -> None:
    contact = gong_emulator.backend.data.contact(3)
    # The same number written differently: only + and digits count.
    spaced = contact.phone
    refs = api.get(PHONE_REFS, params={"phoneNumber": spaced}).json()
    assert refs["suppliedPhoneNumber"] == spaced
    assert contact.phone in refs["matchingPhoneNumbers"]
    assert contact.email in refs["emailAddresses"]
    assert refs["customerData"] and refs["emails"]
    digits = "+" + "".join(ch for ch in spaced if ch.isdigit())
    assert api.get(PHONE_REFS, params={"phoneNumber": digits}).json()["emailAddresses"] == refs["emailAddresses"]
    assert api.post(ERASE_PHONE, params={"phoneNumber": digits}).status_code == 200
    assert api.get(PHONE_REFS, params={"phoneNumber": digits}).json()["customerData"] == refs["customerData"]
    gong_emulator.advance_clock(gong_emulator.config.erasure_delay)
    after = api.get(PHONE_REFS, params={"phoneNumber": spaced}).json()
    assert after["matchingPhoneNumbers"] == after["customerData"] == after["emails"] == after["calls"] == []
    assert api.get(EMAIL_REFS, params={"emailAddress": contact.email}).json()["customerData"] == []


def test_unknown_address_has_no_references(api: httpx.Client) -> None:
    refs = api.get(EMAIL_REFS, params={"emailAddress": "nobody@nowhere.example"}).json()
    assert refs["calls"] == refs["emails"] == refs["customerData"] == []


@pytest.mark.parametrize(
    ("path", "params", "fragment"),
    [
        (EMAIL_REFS, {}, "emailAddress"),
        (EMAIL_REFS, {"emailAddress": "not-an-email"}, "emailAddress"),
        (PHONE_REFS, {}, "phoneNumber"),
        (PHONE_REFS, {"phoneNumber": "425 555 2671"}, "phoneNumber"),
        (PHONE_REFS, {"phoneNumber": "+12"}, "phoneNumber"),  # too few digits: a rule Gong does not document
    ],
)
def test_bad_lookups(
    gong_emulator_factory: Callable[..., Emulator], path: str, params: dict[str, str], fragment: str
) -> None:
    with basic_client(gong_emulator_factory(phone_digit_limits=True, email_checks=True)) as api:
        assert_gong_error(api.get(path, params=params), 400, fragment)


@pytest.mark.parametrize(
    ("path", "params", "fragment"),
    [
        (ERASE_EMAIL, {}, "emailAddress"),
        (ERASE_EMAIL, {"emailAddress": " "}, "emailAddress"),
        (ERASE_PHONE, {"phoneNumber": "4255552671"}, "phoneNumber"),
    ],
)
def test_bad_erasures_erase_nothing(
    api: httpx.Client, gong_emulator: Emulator, path: str, params: dict[str, str], fragment: str
) -> None:
    assert_gong_error(api.post(path, params=params), 400, fragment)
    assert gong_emulator.backend.deleted_calls == set()
    assert gong_emulator.backend.erased_contacts == set()


def test_erasure_delay_zero_erases_at_once(gong_emulator_factory: Callable[..., Emulator]) -> None:
    emu = gong_emulator_factory(erasure_delay=0)
    with basic_client(emu) as api:
        party = external_party(api)
        call_ids = [
            c["id"] for c in api.get(EMAIL_REFS, params={"emailAddress": party["emailAddress"]}).json()["calls"]
        ]
        assert call_ids
        assert api.post(ERASE_EMAIL, params={"emailAddress": party["emailAddress"]}).status_code == 200
        assert_gong_error(api.get(f"/v2/calls/{call_ids[0]}"), 404)
    assert emu.backend.pending_erasures == []
