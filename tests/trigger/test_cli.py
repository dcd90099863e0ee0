"""``gong trigger events list|show|replay`` and the errors of ``gong trigger serve``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gong_connector.cli import app
from gong_connector.trigger import Backoff, HandlerRegistry, Inbox

from .conftest import payload

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
    result = runner.invoke(app, ["trigger", "events", "list", "--db", db])
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
