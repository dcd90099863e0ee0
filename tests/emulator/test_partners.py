"""Digital interactions and integration settings: what partners' integrations send Gong."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gong_connector.emulator import Emulator

from .conftest import assert_gong_error

JSON = dict[str, Any]


def interaction(**changes: Any) -> JSON:
    body: JSON = {
        "eventId": "evt-1",
        "timestamp": "2026-02-01T10:00:00Z",
        "eventType": "page viewed",
        "sourceSystemName": "Acme Web",
        "sessionId": "s-1",
        "device": "PC",
        "content": {
            "contentTitle": "Pricing page",
            "contentUrl": "https://acme.example/pricing",
            "contentLabel": ["pricing"],
            "numericContentDetails": {"value": 80, "rangeFrom": 0, "rangeTo": 100, "numericType": "PERCENTAGE"},
            "stepContentDetails": {"value": "Plans", "availableSteps": ["Intro", "Plans", "Checkout"]},
            "searchObjectDetails": {"name": "Contoso", "objectType": "VENDOR", "domain": "contoso.example"},
            "contentCustomFields": [{"name": "section", "value": "enterprise", "dataType": "STRING"}],
        },
        "person": {
            "name": "Pat Prospect",
            "email": "pat@globex.example",
            "personBusinessContext": {"objectType": "CONTACT", "objectId": "003ABC"},
            "location": {"country": "US", "city": "Springfield"},
            "company": {
                "name": "Globex",
                "domain": "globex.example",
                "companyBusinessContexts": [{"objectType": "ACCOUNT", "objectId": "001X"}],
            },
        },
        "customFields": [{"name": "campaign", "value": "spring", "dataType": "STRING"}],
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def test_a_digital_interaction_is_accepted_once(api: httpx.Client, gong_emulator: Emulator) -> None:
    first = api.post("/v2/digital-interaction", json=interaction())
    assert first.status_code == 200 and set(first.json()) == {"requestId"}
    assert_gong_error(api.post("/v2/digital-interaction", json=interaction()), 409, "already reported")
    other_source = api.post("/v2/digital-interaction", json=interaction(sourceSystemName="Other"))
    assert other_source.status_code == 200
    assert gong_emulator.backend.state_summary()["digitalInteractions"] == 2


def test_an_anonymous_person_needs_an_id_and_a_domain(api: httpx.Client) -> None:
    anonymous = {"personId": "visitor-9", "company": {"domain": "globex.example"}}
    assert api.post("/v2/digital-interaction", json=interaction(eventId="a", person=anonymous)).status_code == 200
    no_id = {"company": {"domain": "globex.example"}}
    assert_gong_error(api.post("/v2/digital-interaction", json=interaction(eventId="b", person=no_id)), 400, "personId")
    no_domain = {"personId": "visitor-9"}
    assert_gong_error(
        api.post("/v2/digital-interaction", json=interaction(eventId="c", person=no_domain)), 400, "domain"
    )


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"eventId": None}, "eventId"),
        ({"timestamp": "yesterday"}, "timestamp"),
        ({"eventType": None}, "eventType"),
        ({"device": "TABLET"}, "device"),
        ({"content": None}, "content"),
        ({"content": {"contentUrl": "https://x.example"}}, "content.contentTitle"),
        ({"content": {"contentTitle": "t", "numericContentDetails": {"rangeFrom": 0}}}, "rangeTo"),
        (
            {
                "content": {
                    "contentTitle": "t",
                    "numericContentDetails": {"rangeFrom": 0, "rangeTo": 5, "numericType": "SCORE"},
                }
            },
            "numericType",
        ),
        ({"content": {"contentTitle": "t", "stepContentDetails": {"value": "a"}}}, "availableSteps"),
        (
            {
                "content": {
                    "contentTitle": "t",
                    "searchObjectDetails": {"name": "n", "objectType": "SHOP", "domain": "d"},
                }
            },
            "objectType",
        ),
        ({"person": None}, "person"),
        ({"person": {"name": "P", "personBusinessContext": {"objectType": "USER", "objectId": "1"}}}, "objectType"),
        ({"person": {"name": "P", "company": {"companyBusinessContexts": [{"objectType": "ACCOUNT"}]}}}, "objectId"),
        ({"customFields": [{"name": "n"}]}, "value"),
        ({"customFields": [{"name": "n", "value": "v", "dataType": "TEXT"}]}, "dataType"),
    ],
)
def test_digital_interaction_rules(api: httpx.Client, changes: JSON, fragment: str) -> None:
    body = interaction(**changes)
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
    assert_gong_error(api.post("/v2/digital-interaction", json=body), 400, fragment)


def test_integration_settings_are_kept(api: httpx.Client, gong_emulator: Emulator) -> None:
    body = {
        "integrationTypeSettings": [
            {"integrationType": "DIALER", "allowedOrigin": "https://acme.partner.example"},
            {"integrationType": "DIALER", "allowedOrigin": "https://beta.partner.example:8443"},
            {"integrationType": "EMAIL_COMPOSER", "allowedOrigin": "http://localhost:3000"},
        ]
    }
    response = api.post("/v2/integration-settings", json=body)
    assert response.status_code == 200, response.text
    assert isinstance(response.json()["integrationId"], int)
    kept = gong_emulator.backend.state_summary()["integrationSettings"]
    assert kept == {
        "DIALER": ["https://acme.partner.example", "https://beta.partner.example:8443"],
        "EMAIL_COMPOSER": ["http://localhost:3000"],
    }
    # A type's origins are set, not added to: the latest list is the one kept.
    again = {"integrationTypeSettings": [{"integrationType": "DIALER", "allowedOrigin": "https://c.example"}]}
    assert api.post("/v2/integration-settings", json=again).json()["integrationId"] == response.json()["integrationId"]
    assert gong_emulator.backend.state_summary()["integrationSettings"]["DIALER"] == ["https://c.example"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({}, "integrationTypeSettings"),
        ({"integrationTypeSettings": "DIALER"}, "integrationTypeSettings"),
        (
            {"integrationTypeSettings": [{"integrationType": "CRM", "allowedOrigin": "https://a.example"}]},
            "integrationType",
        ),
        ({"integrationTypeSettings": [{"integrationType": "DIALER"}]}, "allowedOrigin"),
        (
            {"integrationTypeSettings": [{"integrationType": "DIALER", "allowedOrigin": "https://a.example/path"}]},
            "allowedOrigin",
        ),
        (
            {"integrationTypeSettings": [{"integrationType": "DIALER", "allowedOrigin": "acme.example"}]},
            "allowedOrigin",
        ),
    ],
)
def test_integration_settings_rules(api: httpx.Client, body: JSON, fragment: str) -> None:
    assert_gong_error(api.post("/v2/integration-settings", json=body), 400, fragment)
