"""The everyday commands: each one working, each one refusing bad input, and the output
modes (table, JSON, JSON Lines) and exit codes they share."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from gong_connector.emulator import Emulator, Faults

from ..actions.cases import World
from .conftest import Cli


def _window(world: World) -> list[str]:
    return ["--from", world.window["from_date_time"], "--to", world.window["to_date_time"]]


# --------------------------------------------------------------------------- calls and media


def test_calls_list_get_transcript(cli: Cli, world: World) -> None:
    calls = cli.ok("calls", "list", *_window(world))
    assert len(calls) > 100  # across pages
    assert len({c["id"] for c in calls}) == len(calls)
    assert [r["path"] for r in cli.api_requests()].count("/v2/calls") >= 2
    call = cli.ok("calls", "get", calls[0]["id"])
    assert call["id"] == calls[0]["id"] and call["title"] == calls[0]["title"]
    transcripts = cli.ok("calls", "transcript", calls[0]["id"], calls[1]["id"])
    assert {t["callId"] for t in transcripts} == {calls[0]["id"], calls[1]["id"]}
    assert transcripts[0]["transcript"][0]["sentences"]
    by_window = cli.ok("calls", "transcript", *_window(world), "--limit", "2")
    assert len(by_window) == 2


def test_calls_bad_input(cli: Cli, world: World) -> None:
    assert "error: --from: 'yesterday' is not a date-time" in cli.fails(
        2, "calls", "list", "--from", "yesterday", "--to", "2026-01-01T00:00:00Z"
    )
    assert "error: --workspace" in cli.fails(2, "calls", "list", *_window(world), "--workspace", "sales")
    assert "error: CALL_ID" in cli.fails(2, "calls", "get", "12ab")
    assert "error: CALL_IDS[0]" in cli.fails(2, "calls", "transcript", "12ab")
    assert "not found" in cli.fails(4, "calls", "get", "12345678901234567890")
    assert cli.api_requests()[-1]["status"] == 404


def test_calls_create_with_media_and_upload(cli: Cli, world: World) -> None:
    created = cli.ok(
        "calls",
        "create",
        "--client-unique-id",
        "cli-1",
        "--primary-user",
        world.user_id,
        "--party",
        world.user_id,
        "--party",
        '{"name": "Prospect", "phoneNumber": "+14255552671"}',
        "--direction",
        "Outbound",
        "--actual-start",
        "2026-11-01T15:00:00Z",
        "--title",
        "From the CLI",
        "-i",
        "purpose=Demo",
        "-i",
        "duration=120",
        "--media",
        str(world.media),
    )
    call_id = created["callId"]
    sent = [(r["method"], r["path"]) for r in cli.api_requests()]
    assert sent == [("POST", "/v2/calls"), ("PUT", f"/v2/calls/{call_id}/media")]
    uploaded = cli.ok("media", "upload", world.new_call(), str(world.media), "--file-name", "rec.mp3")
    assert uploaded["callId"]
    # Repeating the client unique id is Gong's conflict: a failure, exit 1.
    assert "409" in cli.fails(
        1,
        "calls",
        "create",
        "--client-unique-id",
        "cli-1",
        "--primary-user",
        world.user_id,
        "--party",
        world.user_id,
        "--direction",
        "Outbound",
        "--actual-start",
        "2026-11-01T15:00:00Z",
    )


def test_calls_create_and_upload_bad_input(cli: Cli, world: World, tmp_path: Path) -> None:
    base = [
        "calls",
        "create",
        "--client-unique-id",
        "cli-bad",
        "--primary-user",
        world.user_id,
        "--party",
        world.user_id,
        "--actual-start",
        "2026-11-01T15:00:00Z",
    ]
    assert "error: --direction" in cli.fails(2, *base, "--direction", "Sideways")
    assert "error: --direction: is required" in cli.fails(2, *base)
    assert "error: --party" in cli.fails(2, *base, "--direction", "Inbound", "--party", "{x")
    assert "error: --actual-start" in cli.fails(2, *base, "--direction", "Inbound", "--actual-start", "noon")
    assert "error: FILE" in cli.fails(2, "media", "upload", world.call_id, str(tmp_path / "missing.mp3"))
    assert "error: CALL_ID" in cli.fails(2, "media", "upload", "x1", str(world.media))
    assert cli.api_requests() == []
    cli.fails(4, "media", "upload", "12345678901234567890", str(world.media))


# --------------------------------------------------------------------------- meetings and events


def test_meetings_create_update_delete(cli: Cli, world: World) -> None:
    args = [
        "--start",
        "2026-12-01T10:00:00Z",
        "--end",
        "2026-12-01T10:30:00Z",
        "--organizer",
        world.user_email,
        "--invitee",
        "a@customer.example",
        "--invitee",
        "b@customer.example",
    ]
    created = cli.ok("meetings", "create", *args, "--title", "Kick-off")
    meeting_id = created["meetingId"]
    updated = cli.ok("meetings", "update", meeting_id, *args, "--title", "Moved")
    assert updated["meetingId"] == meeting_id
    assert cli.ok("meetings", "delete", meeting_id)["requestId"]
    assert [r["method"] for r in cli.api_requests()] == ["DELETE"]
    cli.fails(4, "meetings", "delete", meeting_id)


def test_meetings_bad_input(cli: Cli, world: World) -> None:
    args = ["--start", "2026-12-01T10:00:00Z", "--end", "2026-12-01T10:30:00Z", "--invitee", "a@customer.example"]
    assert "error: --organizer" in cli.fails(2, "meetings", "create", *args, "--organizer", "not-an-email")
    assert "error: --invitee[0]" in cli.fails(
        2, "meetings", "create", *args[:4], "--organizer", world.user_email, "--invitee", "nope"
    )
    assert "error: MEETING_ID" in cli.fails(2, "meetings", "update", "m-1", *args, "--organizer", world.user_email)
    assert "error: MEETING_ID" in cli.fails(2, "meetings", "delete", "m-1")
    reversed_ = ["--start", "2026-12-01T10:30:00Z", "--end", "2026-12-01T10:00:00Z", "--organizer", world.user_email]
    assert "error: --end: must be later than --start" in cli.fails(2, "meetings", "create", *reversed_)
    assert cli.api_requests() == []


@pytest.mark.parametrize("kind", ["action", "shared", "viewed"])
def test_events(kind: str, cli: Cli, world: World) -> None:
    common = [
        "--reporting-system",
        "docs",
        "--timestamp",
        "2026-11-20T08:00:00Z",
        "--content-id",
        "doc-1",
        "--content-url",
        "https://docs.example/1",
        "--content-title",
        "Proposal",
        "--event-id",
        f"cli-{kind}",
    ]
    extra = {
        "action": ["--action-name", "Signed", "-i", 'actor={"email": "x@customer.example"}'],
        "shared": [
            "-i",
            f'sharer={{"email": "{world.user_email}"}}',
            "-i",
            'recipients={"email": "x@customer.example"}',
        ],
        "viewed": ["-i", "view_action_title=Opened", "-i", "agent_platform=MacOS"],
    }[kind]
    assert cli.ok("events", kind, *common, *extra)["requestId"]
    assert cli.api_requests()[-1]["method"] == "PUT"
    assert "409" in cli.fails(1, "events", kind, *common, *extra)  # same event id again
    assert "error: --timestamp" in cli.fails(2, "events", kind, *common, "--timestamp", "now")
    if kind == "shared":  # free text on shared events in Gong's document; one of five on the others
        assert cli.ok("events", kind, *common[:-1], "cli-shared-2", "-i", "agent_platform=ChromeOS")["requestId"]
    else:
        assert "error: agent_platform" in cli.fails(2, "events", kind, *common, "-i", "agent_platform=Amiga")
    assert "error: --reporting-system: is required" in cli.fails(2, "events", kind, *common[2:])


# --------------------------------------------------------------------------- privacy


def test_privacy_references(cli: Cli, world: World) -> None:
    by_email = cli.ok("privacy", "references", "--email", world.user_email)
    assert by_email["requestId"] and "calls" in by_email
    by_phone = cli.ok("privacy", "references", "--phone", "+1 425 555 0000")
    assert by_phone["suppliedPhoneNumber"] == "+1 425 555 0000"
    assert "exactly_one" in cli.fails(2, "privacy", "references")
    assert "exactly_one" in cli.fails(
        2, "privacy", "references", "--email", "a@b.example", "--phone", "+1 425 555 0000"
    )
    assert "error: --email" in cli.fails(2, "privacy", "references", "--email", "nope")
    assert "error: --phone" in cli.fails(2, "privacy", "references", "--phone", "425")


def test_privacy_erase_asks_first(cli: Cli) -> None:
    stderr = cli.fails(2, "privacy", "erase", "--email", "gone@nowhere.example", input="n\n")
    assert "nothing was erased" in stderr and cli.api_requests() == []
    cli.fails(2, "privacy", "erase", "--email", "gone@nowhere.example")  # no answer at all
    assert cli.api_requests() == []
    confirmed = cli("privacy", "erase", "--email", "gone@nowhere.example", input="y\n")
    assert confirmed.exit_code == 0
    # CliRunner echoes the typed answer to stdout; the JSON follows it.
    assert json.loads(confirmed.stdout[confirmed.stdout.index("{") :])["requestId"]
    assert cli.api_requests()[-1]["path"] == "/v2/data-privacy/erase-data-for-email-address"
    assert cli.ok("privacy", "erase", "--phone", "+1 425 555 0000", "--yes")["requestId"]
    assert cli.api_requests()[-1]["query"] == {"phoneNumber": "+1 425 555 0000"}
    assert "error: --phone" in cli.fails(2, "privacy", "erase", "--phone", "42", "--yes")


# --------------------------------------------------------------------------- directory


def test_users_workspaces_library_logs(cli: Cli, world: World) -> None:
    users = cli.ok("users", "list")
    assert len(users) == 12 and world.user_id in {u["id"] for u in users}
    assert cli.api_requests()[-1]["query"] == {"includeAvatars": "false"}
    cli.ok("users", "list", "--include-avatars")
    assert cli.api_requests()[-1]["query"] == {"includeAvatars": "true"}
    assert cli.ok("users", "get", world.user_id)["emailAddress"] == world.user_email
    workspaces = cli.ok("workspaces", "list")
    assert workspaces and all(w["name"] for w in workspaces)
    folders = cli.ok("library", "folders")
    assert world.folder_id in {f["id"] for f in folders}
    cli.ok("library", "folders", "--workspace", workspaces[0]["id"])
    assert isinstance(cli.ok("library", "calls", world.folder_id), list)
    logs = cli.ok("logs", "--type", "AccessLog", "--from", world.window["from_date_time"], "--limit", "5")
    assert 0 < len(logs) <= 5 and all("eventTime" in e for e in logs)


def test_directory_bad_input(cli: Cli) -> None:
    assert "error: USER_ID" in cli.fails(2, "users", "get", "me")
    cli.fails(4, "users", "get", "12345678901234567890")
    assert "error: --workspace" in cli.fails(2, "library", "folders", "--workspace", "w")
    assert "error: FOLDER_ID" in cli.fails(2, "library", "calls", "f-1")
    assert "error: --type" in cli.fails(2, "logs", "--type", "Nope", "--from", "2026-01-01T00:00:00Z")
    cli.fails(2, "logs", "--from", "2026-01-01T00:00:00Z")  # --type is required by typer
    assert "error: --from: is required" in cli.fails(2, "logs", "--type", "AccessLog")
    cli.fails(2, "users", "list", "--limit", "0")
    cli.fails(2, "workspaces", "list", "--workspace", "1")  # it takes no input
    assert cli.api_requests() == []


# --------------------------------------------------------------------------- raw request


def test_request(cli: Cli, world: World, tmp_path: Path) -> None:
    answer = cli.ok("request", "GET", "/v2/users", "-q", "includeAvatars=false")
    assert answer["statusCode"] == 200 and answer["data"]["users"]
    assert cli.api_requests()[-1]["query"] == {"includeAvatars": "false"}
    body = {"filter": {"callIds": [world.call_id]}}
    answer = cli.ok("request", "post", "/v2/calls/transcript", "-d", json.dumps(body), "-H", "X-Trace=1")
    assert answer["data"]["callTranscripts"][0]["callId"] == world.call_id
    text = cli.ok("request", "GET", "/v2/workspaces", "--response-type", "text")
    assert isinstance(text["data"], str) and "workspaces" in text["data"]
    upload = tmp_path / "rec.wav"
    upload.write_bytes(b"RIFF" + b"\x00" * 100)
    call_id = world.new_call()
    answer = cli.ok("request", "PUT", f"/v2/calls/{call_id}/media", "--file", f"mediaFile={upload}")
    assert answer["data"]["callId"] == call_id


def test_request_bad_input(cli: Cli) -> None:
    # Named as the command line names them (METHOD, PATH, --response-type), not as the action's inputs.
    assert "error: METHOD" in cli.fails(2, "request", "FETCH", "/v2/users")
    assert "error: --response-type" in cli.fails(2, "request", "GET", "/v2/users", "--response-type", "xml")
    assert "error: PATH" in cli.fails(2, "request", "GET", "https://elsewhere.example/v2/users")
    assert "error: --timeout" in cli.fails(2, "request", "GET", "/v2/users", "--timeout", "-1")
    assert "error: --query" in cli.fails(2, "request", "GET", "/v2/users", "-q", "novalue")
    assert "error: --file" in cli.fails(2, "request", "PUT", "/v2/x", "--file", "a=/nonexistent")
    assert cli.api_requests() == []
    cli.fails(4, "request", "GET", "/v2/calls/12345678901234567890")


# --------------------------------------------------------------------------- output modes


def test_output_modes(cli: Cli, world: World) -> None:
    lines = cli("users", "list", "--jsonl").stdout.splitlines()
    assert len(lines) == 12 and all(json.loads(line)["id"] for line in lines)
    calls = cli("calls", "list", *_window(world), "--jsonl").stdout.splitlines()
    pages = [r for r in cli.api_requests() if r["path"] == "/v2/calls"]
    assert len(pages) >= 2 and len(calls) == len({json.loads(c)["id"] for c in calls})
    limited = cli("calls", "list", *_window(world), "--jsonl", "--limit", "3")
    assert len(limited.stdout.splitlines()) == 3
    assert len([r for r in cli.api_requests() if r["path"] == "/v2/calls"]) == 1  # stops early
    table = cli("users", "list", "--table", "--limit", "2")
    assert table.exit_code == 0 and "emailAddress" in table.stdout and "┃" in table.stdout
    assert "2 item(s)" in table.stderr
    one = cli("users", "get", world.user_id, "--table")
    assert world.user_email in one.stdout and "{" not in one.stdout.splitlines()[1]
    # Root options work before the command too.
    assert len(cli("--jsonl", "users", "list").stdout.splitlines()) == 12
    assert json.loads(cli("--json", "workspaces", "list").stdout)
    empty = cli.ok("calls", "list", "--from", "2001-01-01T00:00:00Z", "--to", "2001-02-01T00:00:00Z")
    assert empty == []


# --------------------------------------------------------------------------- exit codes


def test_exit_codes_for_auth_rate_limit_and_failure(
    make_cli: Callable[[Emulator | None], Cli], emu: Emulator, world: World
) -> None:
    cli = make_cli(emu)
    stderr = cli.fails(3, "users", "list", GONG_ACCESS_KEY_SECRET="wrong-secret")
    assert "401" in stderr and "wrong-secret" not in stderr
    assert "no Gong credentials" in make_cli(None).fails(3, "users", "list")
    half = make_cli(None).fails(3, "users", "list", GONG_ACCESS_KEY="k-1")
    assert "without its secret: set --access-key-secret or GONG_ACCESS_KEY_SECRET too" in half
    other_half = make_cli(None).fails(3, "users", "list", GONG_ACCESS_KEY_SECRET="s3cret-value")
    assert "without its key: set --access-key or GONG_ACCESS_KEY too" in other_half and "s3cret" not in other_half
    emu.set_faults(Faults(fail_next=["429"], retry_after=900))
    try:
        assert "retry after 900s" in cli.fails(5, "users", "get", world.user_id)
    finally:
        emu.clear_faults()
    emu.set_faults(Faults(fail_next=["500"]))
    try:
        assert "HTTP 500" in cli.fails(1, "request", "GET", "/v2/users")
    finally:
        emu.clear_faults()
    dead = cli.fails(1, "request", "GET", "/v2/users", GONG_BASE_URL="http://127.0.0.1:9")
    assert "could not reach Gong at 127.0.0.1:9: connection refused" in dead and "base URL" in dead


def test_debug_shows_the_traceback_and_keeps_the_exit_code(cli: Cli) -> None:
    result = cli("--debug", "calls", "get", "12ab")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "ValidationError" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("error: CALL_ID")
    # A wrong secret is 3 with --debug as without (it used to be 1 with --debug).
    denied = cli("--debug", "users", "list", GONG_ACCESS_KEY_SECRET="wrong-secret")
    assert denied.exit_code == 3 and "wrong-secret" not in denied.stderr + denied.stdout


def test_secret_never_printed(cli: Cli, world: World, emu: Emulator) -> None:
    secret = emu.access_key_secret
    for args in (
        ("auth", "status"),
        ("users", "get", world.user_id),
        ("calls", "get", "1x"),
        ("users", "list", "--table", "--limit", "1"),
        ("calls", "list", "--help"),
    ):
        result = cli(*args)
        assert secret not in result.stdout + result.stderr, args


def test_upload_shows_a_progress_bar_on_a_terminal(cli: Cli, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    from gong_connector.cli import _calls

    screen = io.StringIO()
    monkeypatch.setattr(_calls, "err", Console(file=screen, force_terminal=True, width=100))
    assert cli.ok("media", "upload", world.new_call(), str(world.media))["callId"]
    assert "uploading" in screen.getvalue()
