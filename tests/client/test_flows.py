"""Engage flows over real HTTP, sync and async: listing (paged), a prospect's flows, and
assigning prospects."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from gong_connector.client import AssignedFlow, Flow, FlowAssignment, FlowAssignmentFailure, ProspectFlows
from gong_connector.emulator import Emulator, EmulatorConfig, RateLimit

from .conftest import Facade, api_requests


@pytest.fixture(scope="module")
def small_pages() -> Iterator[Emulator]:
    cfg = EmulatorConfig(seed=6, calls=60, users=12, page_size=2, rate_limit=RateLimit.off(), frozen_clock=True)
    with Emulator(cfg) as emu:
        yield emu


def _owner(api: Facade) -> str:
    email: str = api.list_users().first_page().items[0].email_address
    return email


def test_flows_of_a_user(ro_api: Facade, shared_emu: Emulator) -> None:
    owner = _owner(ro_api)
    flows = ro_api.list_flows(flow_owner_email=owner).to_list()
    assert flows and all(isinstance(f, Flow) and not f.problems() for f in flows)
    assert {f.visibility for f in flows} <= {"Company", "Personal", "Shared"}
    assert api_requests(shared_emu)[-1]["query"] == {"flowOwnerEmail": owner}


def test_flows_page_with_the_cursor_in_the_query(make_api: Callable[..., Facade], small_pages: Emulator) -> None:
    api = make_api(small_pages)
    small_pages.clear_requests()
    pages = api.list_flows(flow_owner_email=_owner(api)).pages()
    assert len(pages) >= 2 and pages[-1].cursor is None
    ids = [f.id for p in pages for f in p.items]
    assert len(ids) == len(set(ids)) == pages[0].records.total_records
    queries = [r["query"] for r in api_requests(small_pages) if r["path"] == "/v2/flows"]
    assert "cursor" not in queries[0] and all(q["cursor"] for q in queries[1:])


def _prospects(api: Facade) -> list[str]:
    """CRM ids of contacts and leads, as calls' parties carry them."""
    calls = api.list_calls_extensive(content_selector={"context": "Extended", "exposedFields": {"parties": True}})
    return sorted(
        {
            o["objectId"]
            for call in calls.first_page().items
            for party in call.parties
            for ctx in party.context or []
            for o in ctx.get("objects", [])
            if o.get("objectType") in ("Contact", "Lead")
        }
    )


def test_prospects_flows(ro_api: Facade, shared_emu: Emulator) -> None:
    prospects = _prospects(ro_api)
    found = ro_api.list_prospect_flows(crm_prospects_ids=prospects)
    assert isinstance(found, ProspectFlows) and found.request_id and not found.problems()
    assert found.prospects_assigned and all(isinstance(a, AssignedFlow) for a in found.prospects_assigned)
    assert {a.crm_prospect_id for a in found.prospects_assigned} <= set(prospects)
    assert {a.flow_instance_status for a in found.prospects_assigned} <= {"Running", "Pending", "Paused"}
    assert api_requests(shared_emu)[-1]["body"] == {"crmProspectsIds": prospects}
    assert ro_api.list_prospect_flows(crm_prospects_ids=["0030000000NOBODY"]).prospects_assigned == []


def test_assign_prospects_then_find_their_flows(api: Facade, gong_emulator: Emulator) -> None:
    owner = _owner(api)
    flow = next(
        f for f in api.list_flows(flow_owner_email=owner).to_list() if f.visibility == "Company" and not f.exclusive
    )
    prospects = _prospects(api)
    busy = {a.crm_prospect_id for a in api.list_prospect_flows(crm_prospects_ids=prospects).prospects_assigned}
    free = next(p for p in prospects if p not in busy)
    result = api.assign_prospects(flow_id=flow.id, flow_instance_owner_email=owner, crm_prospects_ids=[free, "nope"])
    assert isinstance(result, FlowAssignment) and not result.problems()
    assert [(a.crm_prospect_id, a.flow_id) for a in result.prospects_assigned] == [(free, flow.id)]
    assert isinstance(result.prospects_assigned[0], AssignedFlow)
    assert result.prospects_assigned[0].flow_instance_owner_email == owner
    (failed,) = result.prospects_not_assigned
    assert isinstance(failed, FlowAssignmentFailure)
    assert (failed.crm_prospect_id, failed.error_code) == ("nope", "InvalidArgument") and failed.error_message
    sent = [r for r in api_requests(gong_emulator) if r["path"] == "/v2/flows/prospects/assign"][-1]["body"]
    assert sent == {"flowId": flow.id, "flowInstanceOwnerEmail": owner, "crmProspectsIds": [free, "nope"]}
    found = api.list_prospect_flows(crm_prospects_ids=[free])
    assert [(a.crm_prospect_id, a.flow_id) for a in found.prospects_assigned] == [(free, flow.id)]
