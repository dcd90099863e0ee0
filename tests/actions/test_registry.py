"""The registry against the spec, and the manifest's JSON Schemas against the metaschema."""

from __future__ import annotations

import inspect
import json

import jsonschema
import pytest

from gong_connector.actions import (
    ACTIONS,
    CONNECTIONS,
    TRIGGERS,
    build_manifest,
    get_action,
    input_schema,
)
from gong_connector.client import ENDPOINTS, GongClient, ValidationError

from .cases import BEYOND_SPEC, SPEC_ACTIONS

#: The spec's inputs of each action, by label, in the spec's order: the facts the registry
#: is checked against, kept here so the check runs in any checkout.
SPEC_INPUTS: dict[str, tuple[str, ...]] = {
    "Add Call Media": ("Call Id", "File", "File Name"),
    "Create New Call": (
        "Client Unique Id", "Primary User", "Parties", "Direction", "Actual Start", "Scheduled Start",
        "Scheduled End", "Title", "Purpose", "Duration", "Disposition", "Context", "Custom Data",
        "Speakers Timeline", "Meeting URL", "Call Provider Code", "Download Media URL", "Workspace Id",
        "Language Code",
    ),
    "Create New Gong Meeting": ("Start Time", "End Time", "Organizer Email", "Invitees", "External ID", "Title"),
    "Custom Action Event": (
        "Reporting System", "Event Timestamp", "Event Id", "Content Id", "Content Url", "Content Title",
        "Action Name", "Event Info Url", "Actor", "CRM Context", "Content Properties", "Event Properties",
        "User Agent", "Mobile App Id", "Agent Platform", "Workspace Id", "Non Company Participants",
        "More Info Url", "Share Id", "Sharer", "Sharing Message Subject", "Sharing Message Body",
    ),
    "Custom Shared Event": (
        "Reporting System", "Event Timestamp", "Event Id", "Content Id", "Content Url", "Content Title",
        "Share Id", "Share Info Url", "Sharing Message Subject", "Sharing Message Body", "Sharer", "Recipients",
        "CRM Context", "Content Properties", "Event Properties", "Workspace Id", "Action Name",
        "Non Company Participants", "More Info Url", "Mobile App Id", "Agent Platform", "User Agent",
    ),
    "Custom Viewed Event": (
        "Reporting System", "Event Timestamp", "Event Id", "Content Id", "Content Url", "Content Title",
        "View Action Title", "Share Id", "View Info URL", "Viewer", "CRM Context", "Content Properties",
        "Event Properties", "User Agent", "Mobile App Id", "Agent Platform", "Workspace Id",
        "Non Company Participants", "More Info Url", "Action Name", "Sharer", "Sharing Message Subject",
        "Sharing Message Body",
    ),
    "Delete Email Address and Associated Elements": ("Email Address",),
    "Delete Gong Meeting": ("Meeting ID",),
    "Delete Phone Number and Associated Elements": ("Phone Number",),
    "Get Call": ("Call Id",),
    "Get Call Transcript": ("Cursor", "From Date Time", "To Date Time", "Workspace Id", "Call Ids"),
    "Get Logs Data by Type and Time Range": ("Cursor", "Log Type", "From Date Time", "To Date Time"),
    "Get User": ("User Id",),
    "List Calls": ("Cursor", "From Date Time", "To Date Time", "Workspace Id"),
    "List Calls in Folder": ("Folder Id",),
    "List Library Folders": ("Workspace Id",),
    "List References to a Phone Number": ("Phone Number",),
    "List References to an Email Address": ("Email Address",),
    "List Users": ("Cursor", "Include Avatars"),
    "List Workspaces": (),
    "Raw Request": (
        "URL", "Method", "Data", "Form Data", "File Data", "File Data File Names", "Query Parameter", "Header",
        "Response Type", "Timeout", "Retry Delay (ms)", "Retry On All Errors", "Max Retry Count",
        "Use Exponential Backoff",
    ),
    "Update Gong Meeting": (
        "Meeting ID", "Start Time", "End Time", "Organizer Email", "Invitees", "External ID", "Title",
    ),
}  # fmt: skip
#: The defaults the spec states, as it writes them (every other spec input states none).
SPEC_DEFAULTS: dict[tuple[str, str], str] = {
    ("List Users", "Include Avatars"): "false",
    ("Raw Request", "Response Type"): "json",
    ("Raw Request", "Retry Delay (ms)"): "0",
    ("Raw Request", "Retry On All Errors"): "false",
    ("Raw Request", "Max Retry Count"): "0",
    ("Raw Request", "Use Exponential Backoff"): "false",
}
#: Defaults we add where the spec shows none (the client method's own default).
OUR_DEFAULTS = {("Raw Request", "Method")}
#: The spec's connections and trigger: names and input labels.
SPEC_CONNECTIONS = {
    "API Key": ("Base URL", "Access Key", "Access Key Secret"),
    "OAuth 2.0": ("Scopes", "API Key", "API Secret"),
}
SPEC_TRIGGERS = {"Process Automation Trigger": ("Automation Rules",)}


def test_every_spec_action_is_in_the_registry_once() -> None:
    names = [a.name for a in ACTIONS.values() if a.in_spec]
    assert sorted(names) == sorted(SPEC_ACTIONS)
    assert len(set(names)) == len(names) == 22
    assert sorted(a.key for a in ACTIONS.values() if not a.in_spec) == sorted(BEYOND_SPEC)


def test_every_operation_of_gongs_reference_is_an_action() -> None:
    """Gong's 53 operations, the media upload and the raw request: 55 actions, one each."""
    assert len(ACTIONS) == 55
    endpoints = [(a.http_method, a.path) for a in ACTIONS.values() if a.builder is None]
    assert len(endpoints) == len(set(endpoints)) == 54
    assert {(a.http_method, a.path) for a in ACTIONS.values() if not a.in_spec} == set(BEYOND_SPEC.values())
    assert {a.name for a in ACTIONS.values()} and len({a.name for a in ACTIONS.values()}) == 55


def test_spec_actions_and_inputs_round_trip() -> None:
    assert sorted(SPEC_INPUTS) == sorted(SPEC_ACTIONS)
    by_name = {a.name: a for a in ACTIONS.values()}
    for title, labels in SPEC_INPUTS.items():
        inputs = {i.label: i for i in by_name[title].inputs}
        for label in labels:
            assert label in inputs, f"{title}: spec input {label!r} has no registry input ({list(inputs)})"
            default = inputs[label].default
            stated = SPEC_DEFAULTS.get((title, label))
            if stated is not None:
                assert (str(default).lower() if isinstance(default, bool) else str(default)) == stated, (title, label)
            elif (title, label) not in OUR_DEFAULTS:
                assert default is None, (title, label, default)


def test_spec_connection_and_trigger_inputs() -> None:
    by_name = {c.name: c for c in CONNECTIONS.values()}
    for name, labels in SPEC_CONNECTIONS.items():
        ours = [i.label for i in by_name[name].inputs]
        assert set(labels) <= set(ours), (name, ours)
        assert set(ours) - set(labels) <= {"OAuth Base URL"}  # ours: where the OAuth pages live
    for name, labels in SPEC_TRIGGERS.items():
        trigger = next(t for t in TRIGGERS.values() if t.name == name)
        assert [i.label for i in trigger.inputs] == list(labels)


def test_spec_defaults() -> None:
    oauth = {i.key: i for i in CONNECTIONS["oauth2"].inputs}
    assert oauth["scopes"].default == "api:calls:create api:calls:read:basic"
    assert get_action("list-users").input("include_avatars").default is False
    raw = get_action("raw-request")
    assert {
        k: raw.input(k).default
        for k in (
            "response_type",
            "retry_delay_ms",
            "retry_on_all_errors",
            "max_retry_count",
            "use_exponential_backoff",
        )
    } == {
        "response_type": "json",
        "retry_delay_ms": 0,
        "retry_on_all_errors": False,
        "max_retry_count": 0,
        "use_exponential_backoff": False,
    }
    # Raw-request defaults are read from the client method, not written twice.
    sig = inspect.signature(GongClient.request)
    assert all(sig.parameters[i.key].default == i.default for i in raw.inputs if i.key != "url")


def test_inputs_come_from_the_endpoint_table() -> None:
    for action in ACTIONS.values():
        if action.builder is not None:  # the raw request has no endpoint
            continue
        assert action is ENDPOINTS[action.method]
        method = inspect.signature(getattr(GongClient, action.method))
        params = [p for p in method.parameters.values() if p.name not in ("self", "progress")]
        assert [(i.key, i.required) for i in action.inputs] == [
            (p.name, p.default is inspect.Parameter.empty) for p in params
        ]
        assert action.description.startswith(action.summary)
        assert all(i.label and i.help for i in action.inputs), action.key


def test_hints_for_an_mcp_server() -> None:
    destructive = {a.key for a in ACTIONS.values() if a.destructive}
    assert destructive == {
        "erase-email-data",
        "erase-phone-data",
        "delete-meeting",
        "raw-request",
        "remove-call-access",
        "delete-crm-integration",
        "upload-crm-schema",  # a field sent as deleted (or retyped) loses its values
    }
    read_only = {a.key for a in ACTIONS.values() if a.read_only}
    assert "get-call-transcripts" in read_only and "create-call" not in read_only
    assert not read_only & destructive
    writes = {
        "add-call-access",
        "assign-prospects",
        "create-permission-profile",
        "register-crm-integration",
        "report-digital-interaction",
        "set-integration-settings",
        "update-permission-profile",
    }
    beyond = set(BEYOND_SPEC)
    assert beyond - read_only - destructive == writes
    # Reads sent as POST are read-only too; every read is safe to retry.
    assert {"list-prospect-flows", "get-meeting-integration-status", "list-call-access"} <= read_only
    assert all(ACTIONS[k].idempotent for k in read_only)
    paged = {a.key for a in ACTIONS.values() if a.paged}
    no_inputs = {"list-workspaces", "list-library-folders", "list-scorecards", "list-crm-integrations"}
    assert all(get_action(k).input_keys for k in paged - no_inputs)


def test_lookup_by_key_method_or_name() -> None:
    assert get_action("list_calls") is get_action("List Calls") is ACTIONS["list-calls"]
    with pytest.raises(ValidationError) as info:
        get_action("no-such-action")
    assert info.value.rule == "unknown"


def _schemas(manifest: dict) -> list[tuple[str, dict]]:
    found = []
    for group in ("connections", "triggers", "actions"):
        for entry in manifest[group]:
            found.append((f"{entry['key']} input", entry["inputSchema"]))
            if "outputSchema" in entry:
                found.append((f"{entry['key']} output", entry["outputSchema"]))
    return found


def test_every_schema_is_valid_draft_2020_12() -> None:
    manifest = build_manifest()
    schemas = _schemas(manifest)
    assert len(schemas) == 2 * len(ACTIONS) + len(CONNECTIONS) + len(TRIGGERS)
    for where, schema in schemas:
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", where
        jsonschema.Draft202012Validator.check_schema(schema)
    json.dumps(manifest)  # plain JSON all the way down


def test_manifest_round_trips_every_action_and_input() -> None:
    manifest = json.loads(json.dumps(build_manifest()))
    assert [a["key"] for a in manifest["actions"]] == list(ACTIONS)
    for entry in manifest["actions"]:
        action = ACTIONS[entry["key"]]
        assert entry["name"] == action.name
        assert [i["key"] for i in entry["inputs"]] == list(action.input_keys)
        assert list(entry["inputSchema"]["properties"]) == list(action.input_keys)
        assert entry["inputSchema"]["required"] == [i.key for i in action.inputs if i.required]
        for spec_input, listed in zip(action.inputs, entry["inputs"], strict=True):
            assert listed["label"] == spec_input.label
            assert listed["default"] == spec_input.default


def test_input_schemas_accept_good_and_refuse_bad_values() -> None:
    validator = jsonschema.Draft202012Validator(
        input_schema(get_action("create-meeting")),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    good = {
        "start_time": "2026-12-01T10:00:00Z",
        "end_time": "2026-12-01T10:30:00Z",
        "organizer_email": "a@b.example",
        "invitees": ["c@d.example", {"email": "e@f.example", "displayName": "E"}],
    }
    assert not list(validator.iter_errors(good))
    assert list(validator.iter_errors({**good, "unknown": 1}))
    assert list(validator.iter_errors({k: v for k, v in good.items() if k != "end_time"}))
    call = jsonschema.Draft202012Validator(input_schema(get_action("create-call")))
    bad_party = {
        "client_unique_id": "x",
        "primary_user": "1",
        "direction": "Sideways",
        "actual_start": "2026-01-01T00:00:00Z",
        "parties": [{"userId": "1"}],
    }
    assert [e.validator for e in call.iter_errors(bad_party)] == ["enum"]
    users = input_schema(get_action("list-users"))
    assert users["properties"]["include_avatars"]["default"] is False
