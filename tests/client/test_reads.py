"""Read endpoints, in sync and async form, on an API key and on OAuth."""

from __future__ import annotations

from typing import Any

import pytest

from gong_connector import NotFoundError
from gong_connector.client import (
    Call,
    CallTranscript,
    ExtensiveCall,
    LibraryCall,
    LibraryFolder,
    LogEntry,
    User,
    Workspace,
)
from gong_connector.emulator import Emulator

from .conftest import Facade, api_requests


def test_list_calls_pages_lazily_across_pages(ro_api: Facade, shared_emu: Emulator, dataset: dict[str, Any]) -> None:
    pager = ro_api.list_calls(from_date_time=dataset["from"], to_date_time=dataset["to"])
    assert api_requests(shared_emu) == []  # nothing is fetched until asked
    pages = pager.pages()
    assert len(pages) >= 2
    assert [p.records.current_page_number for p in pages if p.records] == list(range(len(pages)))
    assert pages[-1].cursor is None and all(p.cursor for p in pages[:-1])
    calls = [c for p in pages for c in p.items]
    assert len(calls) == pages[0].records.total_records
    assert len({c.id for c in calls}) == len(calls)
    assert all(isinstance(c, Call) and isinstance(c.id, str) and c.id.isdigit() for c in calls)
    assert all(r["status"] == 200 for r in api_requests(shared_emu))


def test_list_calls_first_page_and_resume_from_cursor(ro_api: Facade, dataset: dict[str, Any]) -> None:
    window = {"from_date_time": dataset["from"], "to_date_time": dataset["to"]}
    first = ro_api.list_calls(**window).first_page()
    assert len(first.items) == 100 and first.has_more and first.cursor
    assert first.request_id and first.raw["calls"][0]["id"] == first.items[0].id
    second = ro_api.list_calls(**window, cursor=first.cursor).first_page()
    everything = ro_api.list_calls(**window).to_list()
    assert [c.id for c in first.items + second.items] == [c.id for c in everything][
        : len(first.items) + len(second.items)
    ]


def test_list_calls_without_dates_lists_everything(ro_api: Facade, shared_emu: Emulator) -> None:
    # The spec's action makes both bounds optional: earliest to latest call.
    calls = ro_api.list_calls().to_list()
    assert len(calls) == shared_emu.backend.data.n_calls
    assert all("fromDateTime" not in r["query"] for r in api_requests(shared_emu))


def test_list_calls_empty_window_is_an_empty_list_not_an_error(ro_api: Facade, shared_emu: Emulator) -> None:
    pager = ro_api.list_calls(from_date_time="2001-01-01T00:00:00Z", to_date_time="2001-02-01T00:00:00Z")
    assert pager.to_list() == []
    page = pager.first_page()
    assert page.items == [] and page.cursor is None
    assert {r["status"] for r in api_requests(shared_emu)} == {404}


def test_get_call_keeps_string_ids_unknown_fields_and_raw(ro_api: Facade, dataset: dict[str, Any]) -> None:
    wanted = dataset["calls"][0].meta_data
    call = ro_api.get_call(call_id=wanted.id)
    assert isinstance(call, Call)
    assert call.id == wanted.id and call.title == wanted.title
    assert call.raw["id"] == wanted.id
    assert isinstance(call.primary_user_id, str)


def test_get_call_unknown_id_is_not_found(ro_api: Facade) -> None:
    with pytest.raises(NotFoundError) as info:
        ro_api.get_call(call_id="99999999999999999999")
    assert info.value.status == 404 and info.value.request_id


def test_list_calls_extensive_with_selector(ro_api: Facade, dataset: dict[str, Any]) -> None:
    ids = [c.meta_data.id for c in dataset["calls"][:3]]
    calls = ro_api.list_calls_extensive(
        call_ids=ids,
        content_selector={"exposed_fields": {"parties": True, "content": {"topics": True}}},
    ).to_list()
    assert sorted(c.meta_data.id for c in calls) == sorted(ids)
    assert all(isinstance(c, ExtensiveCall) for c in calls)
    assert any(c.parties for c in calls)


def test_list_calls_extensive_pages_everything(ro_api: Facade, dataset: dict[str, Any]) -> None:
    pages = ro_api.list_calls_extensive().pages()
    assert len(pages) >= 2
    assert sum(len(p.items) for p in pages) == len(dataset["calls"])


def test_get_call_transcripts(ro_api: Facade, dataset: dict[str, Any]) -> None:
    ids = [c.meta_data.id for c in dataset["calls"][:5]]
    transcripts = ro_api.get_call_transcripts(call_ids=ids).to_list()
    assert transcripts and all(isinstance(t, CallTranscript) for t in transcripts)
    assert {t.call_id for t in transcripts} <= set(ids)
    sentence = transcripts[0].transcript[0].sentences[0]
    assert sentence.start is not None and sentence.text


def test_get_call_transcripts_by_window(ro_api: Facade, dataset: dict[str, Any]) -> None:
    pages = ro_api.get_call_transcripts(from_date_time=dataset["from"], to_date_time=dataset["to"]).pages()
    assert sum(len(p.items) for p in pages) > 0


def test_get_logs_first_page(ro_api: Facade, dataset: dict[str, Any]) -> None:
    page = ro_api.get_logs(log_type="AccessLog", from_date_time=dataset["from"]).first_page()
    assert page.items and all(isinstance(e, LogEntry) for e in page.items)
    assert page.items[0].event_time is not None


def test_get_logs_pages_across_pages(ro_api: Facade, dataset: dict[str, Any]) -> None:
    pages = ro_api.get_logs(log_type="AccessLog", from_date_time=dataset["from"]).pages()
    assert len(pages) >= 2


def test_users(ro_api: Facade, dataset: dict[str, Any]) -> None:
    users = ro_api.list_users().to_list()
    assert users and all(isinstance(u, User) and u.id.isdigit() for u in users)
    with_avatars = ro_api.list_users(include_avatars=True).to_list()
    assert len(with_avatars) >= len(users)
    one = ro_api.get_user(user_id=users[0].id)
    assert one.id == users[0].id and one.email_address == users[0].email_address
    with pytest.raises(NotFoundError):
        ro_api.get_user(user_id="12345678901234567890")


def test_workspaces_and_library(ro_api: Facade, dataset: dict[str, Any]) -> None:
    workspaces = ro_api.list_workspaces().to_list()
    assert workspaces and all(isinstance(w, Workspace) for w in workspaces)
    folders = ro_api.list_library_folders().to_list()
    assert folders and all(isinstance(f, LibraryFolder) for f in folders)
    in_ws = ro_api.list_library_folders(workspace_id=workspaces[0].id).to_list()
    assert {f.id for f in in_ws} <= {f.id for f in folders}
    found = []
    for folder in folders:
        page = ro_api.list_folder_calls(folder_id=folder.id).first_page()
        found.extend(page.items)
    assert found and all(isinstance(c, LibraryCall) for c in found)


def test_list_calls_by_workspace(ro_api: Facade, dataset: dict[str, Any]) -> None:
    ws = dataset["workspaces"][0].id
    calls = ro_api.list_calls(from_date_time=dataset["from"], to_date_time=dataset["to"], workspace_id=ws).to_list()
    assert calls and {c.workspace_id for c in calls} == {ws}


def test_data_privacy_references(ro_api: Facade, dataset: dict[str, Any]) -> None:
    user = dataset["users"][0]
    refs = ro_api.list_email_references(email_address=user.email_address)
    assert refs.request_id
    phone = ro_api.list_phone_references(phone_number="+1 (425) 555-2671")
    assert phone.request_id


def test_list_users_pages_across_pages(make_api: Any, gong_emulator_factory: Any) -> None:
    emu = gong_emulator_factory(users=150)
    api = make_api(emu)
    pages = api.list_users().pages()
    assert len(pages) == 2
    assert sum(len(p.items) for p in pages) == pages[0].records.total_records


def test_raw_request_json_text_binary_and_query(ro_api: Facade, shared_emu: Emulator, dataset: dict[str, Any]) -> None:
    call_id = dataset["calls"][0].meta_data.id
    as_json = ro_api.request(f"/v2/calls/{call_id}")
    assert as_json.status_code == 200 and as_json.data["call"]["id"] == call_id
    as_text = ro_api.request(f"v2/calls/{call_id}", response_type="text", timeout=10)
    assert isinstance(as_text.data, str) and call_id in as_text.data
    as_bytes = ro_api.request(
        f"{shared_emu.base_url}/v2/calls/{call_id}", response_type="binary", headers={"X-Trace": "1"}
    )
    assert isinstance(as_bytes.data, bytes) and call_id.encode() in as_bytes.data
    listed = ro_api.request(
        "/v2/calls",
        query_params={"fromDateTime": dataset["from"], "toDateTime": dataset["to"]},
    )
    assert listed.data["records"]["totalRecords"] > 0
    assert api_requests(shared_emu)[-1]["query"]["fromDateTime"] == dataset["from"]
    posted = ro_api.request("/v2/calls/extensive", method="post", data={"filter": {"callIds": [call_id]}})
    assert posted.data["calls"][0]["metaData"]["id"] == call_id
    with pytest.raises(NotFoundError):
        ro_api.request("/v2/calls/1")


def test_raw_request_multipart_form_and_file_data(make_api: Any, gong_emulator: Emulator) -> None:
    api = make_api(gong_emulator)
    user = api.list_users().first_page().items[0]
    created = api.create_call(
        client_unique_id="raw-1",
        primary_user=user.id,
        parties=[{"user_id": user.id}],
        direction="Inbound",
        actual_start="2026-11-01T10:00:00Z",
    )
    response = api.request(
        f"/v2/calls/{created.call_id}/media",
        method="PUT",
        form_data={"note": "from the raw action"},
        file_data={"mediaFile": b"RIFF" + b"\x00" * 100},
        file_data_file_names={"mediaFile": "raw.wav"},
    )
    assert response.status_code == 200 and response.data["callId"] == created.call_id
