"""``gong trigger`` with the CLI's shared output modes and errors: JSON when piped,
--json/--jsonl/--table, whole call ids on a terminal, the missing driver named (brackets
intact), and a missing inbox file reported rather than created."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from gong_connector.emulator import Emulator
from gong_connector.trigger import Inbox

from ._terminal import in_terminal
from .conftest import CLEARED, Cli

CALL = "7782342274025937895"
PG = "postgresql://gong@127.0.0.1:1/inbox"


def _body(call_id: str) -> bytes:
    data = {"callData": {"metaData": {"id": call_id, "title": "Acme [Renewal]"}}, "isTest": False}
    return json.dumps(data).encode()


@pytest.fixture
def inbox_path(tmp_path: Path) -> Path:
    path = tmp_path / "inbox.db"
    inbox = Inbox(str(path))
    for n, rule in enumerate(("Renewals [EU]", "Churn")):
        inbox.accept(rule=rule, call_id=f"{CALL[:-1]}{n}", is_test=False, body=_body(CALL))
    inbox.close()
    return path


@pytest.fixture
def bare(config_dir: Path) -> Cli:
    return Cli(None, config_dir)


def test_events_list_follows_the_output_modes(bare: Cli, inbox_path: Path) -> None:
    db = str(inbox_path)
    piped = bare("trigger", "events", "list", "--db", db)
    assert piped.exit_code == 0, piped.stderr
    assert {e["rule"] for e in json.loads(piped.stdout)} == {"Renewals [EU]", "Churn"}
    assert json.loads(bare("--json", "trigger", "events", "list", "--db", db).stdout)
    lines = bare("trigger", "events", "list", "--db", db, "--jsonl").stdout.splitlines()
    assert len(lines) == 2 and all(json.loads(line)["callId"].startswith(CALL[:-1]) for line in lines)
    table = bare("trigger", "events", "list", "--db", db, "--table", COLUMNS="160").stdout
    assert "Renewals [EU]" in table and "pending: 2" in table
    tenants = bare("trigger", "tenants", "list", "--db", db)
    assert tenants.exit_code == 0 and json.loads(tenants.stdout) == []


def test_events_list_on_a_terminal_keeps_call_ids_whole(inbox_path: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONG_") and k not in CLEARED}
    env["GONG_CONFIG_DIR"] = str(tmp_path / "config")
    code, shown, stderr = in_terminal(["trigger", "events", "list", "--db", str(inbox_path)], env, columns=80)
    assert code == 0, stderr
    assert f"{CALL[:-1]}0" in shown and f"{CALL[:-1]}1" in shown


def test_a_missing_inbox_is_reported_not_created(bare: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    for args in (("events", "list"), ("events", "show", "1"), ("events", "replay", "--dead"), ("tenants", "list")):
        stderr = bare.fails(1, "trigger", *args, "--db", str(missing))
        assert f"no database at {missing}" in stderr, args
    assert not missing.exists()


def test_a_postgresql_inbox_without_the_driver_names_the_extra(
    bare: Cli, monkeypatch: pytest.MonkeyPatch, emu: Emulator, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the postgres extra were not installed
    wanted = "pip install 'gong-connector[postgres]'"
    assert wanted in bare.fails(1, "trigger", "events", "list", "--db", PG)
    served = bare("trigger", "serve", "--port", "0", "--db", PG, GONG_WEBHOOK_PUBLIC_KEY=emu.webhook_public_key)
    assert served.exit_code == 1 and wanted in served.stderr and "Traceback" not in served.stderr
    synced = Cli(emu, bare.config_dir)("sync", "--db", PG, "--quiet")
    assert synced.exit_code == 1 and wanted in synced.stderr and "Traceback" not in synced.stderr


def test_an_inbox_the_product_creates_is_private(bare: Cli, tmp_path: Path) -> None:
    path = tmp_path / "new-inbox.db"
    added = bare("trigger", "tenants", "add", "acme", "--db", str(path), "--url-key-env", "ACME_KEY", ACME_KEY="k" * 32)
    assert added.exit_code == 0, added.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
