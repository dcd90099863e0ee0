"""Meeting integration status and digital interactions over real HTTP, sync and async."""

from __future__ import annotations

import pytest

from gong_connector import ConflictError
from gong_connector.client import (
    BaseResponse,
    InteractionContent,
    MeetingIntegrationStatus,
    NumericContentDetails,
    UserIntegrationStatus,
)
from gong_connector.emulator import Emulator

from .conftest import Facade, api_requests


def test_meeting_integration_status_per_user(ro_api: Facade, shared_emu: Emulator) -> None:
    known = ro_api.list_users().first_page().items[0].email_address
    status = ro_api.get_meeting_integration_status(emails=[known, "stranger@elsewhere.example"])
    assert isinstance(status, MeetingIntegrationStatus) and status.request_id and not status.problems()
    by_email = {u.email: u for u in status.users}
    assert all(isinstance(u, UserIntegrationStatus) for u in status.users)
    assert by_email[known].exists is True and by_email["stranger@elsewhere.example"].exists is False
    assert api_requests(shared_emu)[-1]["body"] == {"emails": [known, "stranger@elsewhere.example"]}


def test_report_a_digital_interaction_once(api: Facade, gong_emulator: Emulator) -> None:
    event = {
        "event_id": "evt-web-1",
        "timestamp": "2026-10-01T08:00:00.5+02:00",
        "event_type": "page viewed",
        "content": InteractionContent(
            content_title="Pricing",
            content_url="https://www.example.com/pricing",
            numeric_content_details=NumericContentDetails(value=80, range_from=0, range_to=100),
        ),
        "person": {"email": "pat.buyer@customer.example", "company": {"domain": "customer.example"}},
        "device": "PC",
        "custom_fields": [{"name": "campaign", "value": "spring", "data_type": "STRING"}],
    }
    accepted = api.report_digital_interaction(**event)
    assert isinstance(accepted, BaseResponse) and accepted.request_id
    (sent,) = [r for r in api_requests(gong_emulator) if r["path"] == "/v2/digital-interaction"]
    assert sent["body"] == {
        "eventId": "evt-web-1",
        "timestamp": "2026-10-01T08:00:00+02:00",
        "eventType": "page viewed",
        "content": {
            "contentTitle": "Pricing",
            "contentUrl": "https://www.example.com/pricing",
            "numericContentDetails": {"value": 80, "rangeFrom": 0, "rangeTo": 100},
        },
        "person": {"email": "pat.buyer@customer.example", "company": {"domain": "customer.example"}},
        "device": "PC",
        "customFields": [{"name": "campaign", "value": "spring", "dataType": "STRING"}],
    }
    with pytest.raises(ConflictError):  # the same event id twice
        api.report_digital_interaction(**event)
