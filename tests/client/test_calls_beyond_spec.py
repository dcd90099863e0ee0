"""Calls tied to CRM records by hand, over real HTTP, sync and async."""

from __future__ import annotations

from gong_connector.client import AssociatedCrmObject, ManualCrmAssociation
from gong_connector.emulator import Emulator

from .conftest import Facade, api_requests


def test_manual_crm_associations(ro_api: Facade, shared_emu: Emulator) -> None:
    found = ro_api.list_manual_crm_associations().to_list()
    assert found and all(isinstance(a, ManualCrmAssociation) and not a.problems() for a in found)
    objects = [o for a in found for o in a.associated_crm_objects]
    assert objects and all(isinstance(o, AssociatedCrmObject) and o.account_crm_id for o in objects)
    created = [a.created for a in found]
    assert created == sorted(created)  # type: ignore[type-var]  # oldest first, as Gong lists them
    assert ro_api.list_manual_crm_associations(from_date_time="2100-01-01T00:00:00Z").to_list() == []
    assert api_requests(shared_emu)[-1]["query"] == {"fromDateTime": "2100-01-01T00:00:00Z"}
