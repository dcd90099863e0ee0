"""The public surface: one endpoint table, two clients offering the same methods."""

from __future__ import annotations

import inspect

import gong_connector
from gong_connector import (
    ApiKeyConnection,
    AsyncGongClient,
    GongClient,
    ValidationError,
)
from gong_connector.client import ENDPOINTS

SPEC_ACTIONS = {
    "list_calls",
    "get_call",
    "create_call",
    "add_call_media",
    "get_call_transcripts",
    "create_meeting",
    "update_meeting",
    "delete_meeting",
    "report_custom_action",
    "report_content_shared",
    "report_content_viewed",
    "list_email_references",
    "erase_email_data",
    "list_phone_references",
    "erase_phone_data",
    "get_logs",
    "get_user",
    "list_users",
    "list_workspaces",
    "list_library_folders",
    "list_folder_calls",
}


def test_every_spec_action_is_in_the_table_and_on_both_clients() -> None:
    beyond = {name for name, action in ENDPOINTS.items() if not action.in_spec}
    assert set(ENDPOINTS) == SPEC_ACTIONS | beyond and not SPEC_ACTIONS & beyond
    assert len(beyond) == 33 and "list_calls_extensive" in beyond
    for name in [*ENDPOINTS, "request"]:
        sync = inspect.signature(getattr(GongClient, name))
        asyn = inspect.signature(getattr(AsyncGongClient, name))
        assert list(sync.parameters) == list(asyn.parameters), name
        assert getattr(GongClient, name).__doc__, name
    client = GongClient(ApiKeyConnection("k", "s"))
    bound = inspect.signature(client.list_calls)  # a CLI/MCP layer introspects like this
    assert list(bound.parameters)[:2] == ["from_date_time", "to_date_time"]
    assert bound.return_annotation == "Pager[Call]"
    assert inspect.signature(client.get_user).return_annotation == "User"
    assert inspect.iscoroutinefunction(AsyncGongClient.get_user)
    client.close()


def test_table_is_declarative_and_complete() -> None:
    for endpoint in ENDPOINTS.values():
        assert endpoint.path.startswith("/v2/")
        # Gong's reference names no scope for the permission-profile endpoints.
        assert endpoint.scope is None or endpoint.scope.startswith("api:")
        assert endpoint.scope is not None or endpoint.path in ("/v2/permission-profile", "/v2/all-permission-profiles")
        assert endpoint.http_method in {"GET", "POST", "PUT", "DELETE"}
        for param in endpoint.inputs:
            assert param.location in {"path", "query", "body", "filter", "multipart"}
            if param.location == "path":
                assert "{" + (param.wire or "") + "}" in endpoint.path
        if endpoint.paging:
            assert endpoint.paging.empty_on_404
    assert ENDPOINTS["list_calls"].paging.items_field == "calls"  # type: ignore[union-attr]
    assert ENDPOINTS["get_call_transcripts"].paging.cursor_location == "body"  # type: ignore[union-attr]
    assert ENDPOINTS["erase_email_data"].input("email_address").location == "query"
    assert not ENDPOINTS["erase_phone_data"].retry_safe
    assert ENDPOINTS["create_call"].retry_safe


def test_package_exports() -> None:
    for name in (
        "GongClient",
        "AsyncGongClient",
        "ApiKeyConnection",
        "OAuthConnection",
        "GongError",
        "APIError",
        "RateLimitError",
        "TokenStore",
        "FileTokenStore",
    ):
        assert hasattr(gong_connector, name)


def test_from_env(monkeypatch: object) -> None:
    import pytest

    mp = pytest.MonkeyPatch()
    try:
        mp.setenv("GONG_BASE_URL", "https://us-12345.api.gong.io/v2/")
        mp.setenv("GONG_ACCESS_KEY", "AKEY1234")
        mp.setenv("GONG_ACCESS_KEY_SECRET", "very-secret-value")
        with GongClient.from_env() as client:
            assert client.base_url == "https://us-12345.api.gong.io"
            assert "very-secret-value" not in repr(client)
            assert "very-secret-value" not in repr(client.connection)
        mp.delenv("GONG_ACCESS_KEY_SECRET")
        with pytest.raises(ValidationError) as info:
            ApiKeyConnection.from_env()
        assert info.value.field == "access_key_secret"
        mp.delenv("GONG_BASE_URL")
        conn = ApiKeyConnection("k", "s")
        assert conn.base_url == "https://api.gong.io"
        with pytest.raises(ValidationError):
            ApiKeyConnection("k", "s", "not a url")
    finally:
        mp.undo()


def test_api_key_auth_signs_only_its_own_host() -> None:
    import httpx

    auth = ApiKeyConnection("key", "secret-value", "https://us-1.api.gong.io").auth()
    own = next(auth.sync_auth_flow(httpx.Request("GET", "https://us-1.api.gong.io/v2/calls")))
    assert own.headers["Authorization"].startswith("Basic ")
    other = next(auth.sync_auth_flow(httpx.Request("GET", "https://evil.example/v2/calls")))
    assert "Authorization" not in other.headers
    plain = next(auth.sync_auth_flow(httpx.Request("GET", "http://us-1.api.gong.io/v2/calls")))
    assert "Authorization" not in plain.headers


async def test_async_client_from_env_is_an_async_context_manager() -> None:
    import pytest

    mp = pytest.MonkeyPatch()
    try:
        mp.setenv("GONG_ACCESS_KEY", "AKEY1234")
        mp.setenv("GONG_ACCESS_KEY_SECRET", "very-secret-value")
        mp.delenv("GONG_BASE_URL", raising=False)
        async with AsyncGongClient.from_env() as client:
            assert client.base_url == "https://api.gong.io"
    finally:
        mp.undo()


def test_models_keep_unknown_fields_raw_json_and_string_ids() -> None:
    from gong_connector.client import Call, ExtensiveCall

    raw = {"id": 7782342274025937895, "title": "t", "brandNewField": {"x": 1}, "primaryUserId": 1234567890123456789012}
    call = Call.model_validate(raw)
    assert call.id == "7782342274025937895"  # never rounded through a float
    assert call.primary_user_id == "1234567890123456789012"
    assert call.model_extra == {"brandNewField": {"x": 1}}
    assert call.raw is raw
    nested = ExtensiveCall.model_validate({"metaData": {"id": "1", "extra": True}, "new": []})
    assert nested.meta_data.raw == {"id": "1", "extra": True}
    assert nested.model_extra == {"new": []}
    assert Call(id="5", title="built in code").to_wire() == {"id": "5", "title": "built in code"}
