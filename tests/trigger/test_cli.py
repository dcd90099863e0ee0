"""``gong trigger events list|show|replay`` and the errors of ``gong trigger serve``."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gong_connector.cli import app
from gong_connector.trigger import Backoff, HandlerRegistry, Inbox

from .conftest import GongSigner, payload

runner = CliRunner(env={"COLUMNS": "160"})


@pytest.fixture
def db(tmp_path: Path) -> str:
    """An inbox with one done, one dead and one pending event."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    inbox = Inbox(url)
    for call_id, rule in (("100", "Renewals"), ("200", "Churn"), ("300", "Renewals")):
        inbox.accept(rule=rule, call_id=call_id, is_test=False, body=payload(call_id))
    first, second = inbox.claim("w", limit=2)
    inbox.complete(first.id, "w")
    inbox.fail(second.id, "w", "RuntimeError: CRM is down", retry_at=None)
    inbox.close()
    return url


def test_list_shows_events_and_counts(db: str) -> None:
    result = runner.invoke(app, ["trigger", "events", "list", "--db", db, "--table"])  # piped: JSON otherwise
    assert result.exit_code == 0, result.output
    assert "Renewals" in result.output and "Churn" in result.output
    assert "pending: 1" in result.output and "done: 1" in result.output and "dead: 1" in result.output
    as_json = runner.invoke(app, ["trigger", "events", "list", "--db", db, "--status", "dead", "--json"])
    (dead,) = json.loads(as_json.output)
    assert (dead["callId"], dead["status"], dead["lastError"]) == ("200", "dead", "RuntimeError: CRM is down")


def test_list_rejects_unknown_status(db: str) -> None:
    result = runner.invoke(app, ["trigger", "events", "list", "--db", db, "--status", "lost"])
    assert result.exit_code == 2


def test_show_prints_the_payload(db: str) -> None:
    result = runner.invoke(app, ["trigger", "events", "show", "1", "--db", db])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["payload"]["callData"]["metaData"]["id"] == "100"
    assert shown["rule"] == "Renewals" and shown["status"] == "done"
    missing = runner.invoke(app, ["trigger", "events", "show", "99", "--db", db])
    assert missing.exit_code == 1 and "no event 99" in missing.output


async def test_replay_resets_dead_and_done_events_which_then_run(db: str) -> None:
    result = runner.invoke(app, ["trigger", "events", "replay", "--dead", "--db", db])
    assert result.exit_code == 0 and "replayed 1 event(s)" in result.output
    assert runner.invoke(app, ["trigger", "events", "replay", "1", "--db", db]).exit_code == 0
    again = runner.invoke(app, ["trigger", "events", "replay", "--dead", "--db", db])
    assert again.exit_code == 0 and "replayed 0 event(s)" in again.output  # none dead now: nothing to do
    inbox = Inbox(db)
    assert inbox.counts() == {"pending": 3, "running": 0, "done": 0, "dead": 0}
    ran: list[str] = []
    handlers = HandlerRegistry()
    handlers.on_call()(lambda event: ran.append(event.call_id))
    from gong_connector.trigger import Worker

    await Worker(inbox, handlers, backoff=Backoff()).run_due()
    assert sorted(ran) == ["100", "200", "300"]
    inbox.close()


def test_replay_needs_ids_and_reports_unknown(db: str) -> None:
    assert runner.invoke(app, ["trigger", "events", "replay", "--db", db]).exit_code == 2
    result = runner.invoke(app, ["trigger", "events", "replay", "1", "42", "--db", db])
    assert result.exit_code == 1 and "42" in result.output and "replayed 1" in result.output


def test_serve_needs_a_verification_mode_and_hides_secrets(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    nothing = runner.invoke(app, ["trigger", "serve", "--db", db])
    assert nothing.exit_code == 2 and "no key and no tenants" in nothing.output
    assert not (tmp_path / "s.db").exists()  # refused before any file is made
    bad_key = runner.invoke(
        app,
        ["trigger", "serve", "--db", db, "--public-key", "bm90LWEta2V5"],
        env={"GONG_WEBHOOK_URL_KEY": "very-secret-key"},
    )
    assert bad_key.exit_code == 2 and "not an RSA public key" in bad_key.output
    assert "very-secret-key" not in bad_key.output
    help_text = runner.invoke(app, ["trigger", "serve", "--help"], env={"GONG_WEBHOOK_URL_KEY": "very-secret-key"})
    assert "very-secret-key" not in help_text.output


@pytest.mark.parametrize("command", [["list"], ["show", "1"], ["replay", "1"]])
def test_commands_that_look_never_create_a_database(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "typo.db"
    result = runner.invoke(app, ["trigger", "events", *command, "--db", str(path)])
    assert result.exit_code == 1
    assert result.output.strip() == f"error: cannot open the inbox database: no database at {path}"
    assert not path.exists()


def test_an_inbox_from_a_newer_release_is_one_line(db: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(db)
    with engine.begin() as conn:
        conn.execute(sa.text("update gong_trigger_version set version_num = 'inbox_9999'"))
    engine.dispose()
    result = runner.invoke(app, ["trigger", "events", "list", "--db", db])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "'inbox_9999'" in lines[0] and "upgrade gong-connector" in lines[0]


# ----- tenants ---------------------------------------------------------------------------------


@pytest.fixture
def key_file(tmp_path: Path, gong_signer: GongSigner) -> Path:
    path = tmp_path / "acme.pub"
    path.write_text(gong_signer.public_key_base64)
    return path


def test_tenants_add_list_remove(tmp_path: Path, key_file: Path) -> None:
    db = f"sqlite:///{tmp_path / 't.db'}"
    secret = "globex-url-key-0123456789"
    added = runner.invoke(app, ["trigger", "tenants", "add", "acme", "--public-key-file", str(key_file), "--db", db])
    assert added.exit_code == 0, added.output
    assert added.output.strip() == "added tenant acme (public key); webhooks go to /t/acme"
    by_env = runner.invoke(
        app,
        ["trigger", "tenants", "add", "globex", "--url-key-env", "GLOBEX_KEY", "--db", db],
        env={"GLOBEX_KEY": secret},
    )
    assert by_env.exit_code == 0, by_env.output
    listed = runner.invoke(app, ["trigger", "tenants", "list", "--db", db, "--json"])
    assert [(t["name"], t["key"]) for t in json.loads(listed.output)] == [("acme", "public key"), ("globex", "URL key")]
    shown = runner.invoke(app, ["trigger", "tenants", "list", "--db", db])
    assert "globex" in shown.output and secret not in shown.output + listed.output + by_env.output
    removed = runner.invoke(app, ["trigger", "tenants", "remove", "acme", "--db", db])
    assert removed.exit_code == 0 and removed.output.strip() == "removed tenant acme"
    assert [t.name for t in Inbox(db).tenants()] == ["globex"]


@pytest.mark.parametrize(
    "args,env,message",
    [
        (["bad name", "--url-key-env", "K"], {"K": "k" * 20}, "'bad name' is not a tenant name"),
        (["acme"], {}, "give exactly one of --public-key-file or --url-key-env"),
        (["acme", "--url-key-env", "K", "--public-key-file", "{key}"], {"K": "k" * 20}, "exactly one of"),
        (["acme", "--url-key-env", "NOT_SET_ANYWHERE"], {}, "--url-key-env: the environment variable NOT_SET_ANYWHERE"),
        (["acme", "--url-key-env", "1-bad"], {}, "--url-key-env: '1-bad' is not an environment variable name"),
        (["acme", "--url-key-env", "K"], {"K": "short"}, "shorter than 16 characters"),
        (["acme", "--public-key-file", "{missing}"], {}, "--public-key-file: cannot read"),
        (["acme", "--public-key-file", "{garbage}"], {}, "is not an RSA public key"),
        (["dup", "--url-key-env", "K"], {"K": "k" * 20}, "a tenant named 'dup' exists"),
    ],
)
def test_tenants_add_refuses_bad_input_in_one_line(
    tmp_path: Path, key_file: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    db = f"sqlite:///{tmp_path / 't.db'}"
    Inbox(db).add_tenant("dup", url_key_sha256="0" * 64, salt="s")
    garbage = tmp_path / "garbage.pub"
    garbage.write_text("not a key")
    paths = {"key": str(key_file), "missing": str(tmp_path / "nope.pub"), "garbage": str(garbage)}
    args = [a.format(**paths) for a in args]
    result = runner.invoke(app, ["trigger", "tenants", "add", *args, "--db", db], env=env)
    assert result.exit_code in (1, 2), result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], result.output
    assert "k" * 20 not in result.output


def test_tenants_remove_unknown_and_list_missing_database(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 't.db'}"
    Inbox(db).close()
    unknown = runner.invoke(app, ["trigger", "tenants", "remove", "hooli", "--db", db])
    assert unknown.exit_code == 1 and unknown.output.strip() == "error: no tenant 'hooli'"
    missing = runner.invoke(app, ["trigger", "tenants", "list", "--db", str(tmp_path / "typo.db")])
    assert missing.exit_code == 1 and "no database at" in missing.output


# ----- serve and worker: bad input -------------------------------------------------------------


@pytest.mark.parametrize(
    "args,env,message",
    [
        (["--log-level", "loud", "--public-key-file", "{key}"], {}, "--log-level: 'loud' is not one of"),
        (["--url-key-env", "MISSING_VAR"], {}, "--url-key-env: the environment variable MISSING_VAR is not set"),
        (["--public-key-file", "{missing}"], {}, "--public-key-file: cannot read"),
        (["--public-key-file", "{key}", "--public-url", "ftp://x/y"], {}, "public_url"),
        (["--public-key-file", "{key}", "--handlers", "nocolon"], {}, "module:attribute"),
    ],
)
def test_serve_refuses_bad_input(
    tmp_path: Path, key_file: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    paths = {"key": str(key_file), "missing": str(tmp_path / "nope.pub")}
    args = [a.format(**paths) for a in args]
    result = runner.invoke(app, ["trigger", "serve", "--db", f"sqlite:///{tmp_path / 's.db'}", *args], env=env)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_serve_with_tenants_needs_no_key_of_its_own(tmp_path: Path, key_file: Path) -> None:
    """Refused without tenants; with one, it gets as far as binding (a busy port here)."""
    import socket

    db = f"sqlite:///{tmp_path / 's.db'}"
    runner.invoke(app, ["trigger", "tenants", "add", "acme", "--public-key-file", str(key_file), "--db", db])
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["trigger", "serve", "--db", db, "--port", str(port)])
    assert result.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in result.output


@pytest.mark.parametrize(
    "args,message",
    [
        ([], "--handlers is required"),
        (["--handlers", "no_such_module_xyz:handlers"], "cannot load no_such_module_xyz:handlers"),
        (["--handlers", "json:dumps", "--log-level", "loud"], "--log-level: 'loud'"),
    ],
)
def test_worker_refuses_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["trigger", "worker", "--db", f"sqlite:///{tmp_path / 'w.db'}", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output


@pytest.mark.parametrize(("level", "plugin_lines_at"), [("info", logging.WARNING), ("debug", logging.NOTSET)])
def test_receivers_and_workers_leave_out_alembics_plugin_loading(
    monkeypatch: pytest.MonkeyPatch, level: str, plugin_lines_at: int
) -> None:
    """On a new inbox, Alembic logs a line at info for each of its own plugins it loads."""
    from gong_connector.cli._trigger import _log_to_stderr

    configured: list[dict[str, object]] = []
    monkeypatch.setattr(logging, "basicConfig", lambda **kwargs: configured.append(kwargs))
    plugins = logging.getLogger("alembic.runtime.plugins")
    monkeypatch.setattr(plugins, "level", plugins.level)  # put back after the test
    _log_to_stderr(level)
    assert configured[0]["level"] == level.upper()
    assert plugins.level == plugin_lines_at
