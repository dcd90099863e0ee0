"""``reconcile``: calls Gong erased (privacy erasure) leave the database with all that is
theirs, for one listing of call ids; a default run asks nothing more than before."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from gong_connector import GongClient
from gong_connector.cli import app
from gong_connector.emulator import Emulator
from gong_connector.sync import Store

from .conftest import count_paths, run, snapshot

#: The tables that hold a call's rows, and the column naming the call.
OF_CALL = {
    "calls": "id",
    "call_parties": "call_id",
    "call_context": "call_id",
    "transcripts": "call_id",
    "transcript_sentences": "call_id",
    "library_folder_calls": "call_id",
    "answered_scorecards": "call_id",
}
STREAMS = "calls,transcripts,library,answered_scorecards"


def external_party_of_a_stored_call(db: str) -> tuple[str, str]:
    """An outside participant's e-mail address, and a call it is on."""
    store = Store(db)
    try:
        t = store.t("call_parties")
        with store.engine.connect() as conn:
            row = conn.execute(
                sa.select(t.c.email_address, t.c.call_id)
                .where(t.c.affiliation == "External", t.c.email_address.is_not(None))
                .order_by(t.c.call_id)
                .limit(1)
            ).one()
    finally:
        store.close()
    return row.email_address, row.call_id


def ids_in(db: str, table: str, column: str) -> set[str]:
    store = Store(db)
    try:
        t = store.t(table)
        with store.engine.connect() as conn:
            return set(conn.execute(sa.select(t.c[column]).distinct()).scalars())
    finally:
        store.close()


def test_reconcile_removes_erased_calls_and_all_that_is_theirs(
    emu: Emulator, client: GongClient, db_url: str, tmp_path: Path
) -> None:
    run(emu, client, db_url, streams=STREAMS)
    email, call_id = external_party_of_a_stored_call(db_url)
    before = {table: ids_in(db_url, table, column) for table, column in OF_CALL.items()}
    client.erase_email_data(email_address=email)
    emu.advance_clock(emu.config.erasure_delay)  # Gong erases in the background
    emu.clear_requests()
    result = run(emu, client, db_url, streams="calls", reconcile=True)
    gone = set(result.removed_calls)
    assert call_id in gone and gone < before["calls"]
    # One listing of ids (full pages) on top of the calls' look-back page, and one look at
    # each call missing from it: only Gong's 404 removes a call.
    left = len(before["calls"]) - len(gone)
    listing = math.ceil(left / emu.config.page_size)
    confirmed = {f"/v2/calls/{i}": 1 for i in gone}
    assert count_paths(emu.requests()) == {"/v2/calls/extensive": 1, "/v2/calls": listing, **confirmed}
    assert result.streams["reconcile"].records == len(gone)
    for table, column in OF_CALL.items():
        now = ids_in(db_url, table, column)
        assert now == before[table] - gone, table
    # What is left is what a sync of today's Gong gives.
    fresh = f"sqlite:///{tmp_path}/fresh.db"
    run(emu, client, fresh, streams=STREAMS)
    kept, new = snapshot(db_url), snapshot(fresh)
    for table in ("calls", "call_parties", "call_context", "transcripts", "transcript_sentences"):
        assert kept[f"gong_{table}"] == new[f"gong_{table}"], table
    answers = ids_in(db_url, "answered_scorecard_answers", "answered_scorecard_id")
    assert answers == ids_in(db_url, "answered_scorecards", "answered_scorecard_id")


def test_a_default_run_asks_nothing_more_and_keeps_erased_calls(
    emu: Emulator, client: GongClient, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path}/default.db"
    run(emu, client, db, streams="calls")
    email, call_id = external_party_of_a_stored_call(db)
    client.erase_email_data(email_address=email)
    emu.advance_clock(emu.config.erasure_delay)  # Gong erases in the background
    emu.clear_requests()
    result = run(emu, client, db, streams="calls")
    assert count_paths(emu.requests()) == {"/v2/calls/extensive": 1}
    assert result.removed_calls == [] and "reconcile" not in result.streams
    assert call_id in ids_in(db, "calls", "id")


def test_reconcile_of_an_empty_database_asks_nothing(emu: Emulator, client: GongClient, tmp_path: Path) -> None:
    emu.clear_requests()
    result = run(emu, client, f"sqlite:///{tmp_path}/empty.db", streams="workspaces", reconcile=True)
    assert count_paths(emu.requests()) == {"/v2/workspaces": 1}
    assert result.streams["reconcile"].requests == 0 and result.removed_calls == []


def test_the_command_reconciles_when_asked(
    emu: Emulator, client: GongClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for k, v in emu.env().items():
        monkeypatch.setenv(k, v)
    db = tmp_path / "cli.db"
    args = ["sync", "--db", str(db), "--streams", "calls", "--rate-limit", "1000", "--quiet"]
    assert CliRunner().invoke(app, args).exit_code == 0
    email, call_id = external_party_of_a_stored_call(f"sqlite:///{db}")
    client.erase_email_data(email_address=email)
    emu.advance_clock(emu.config.erasure_delay)  # Gong erases in the background
    plain = CliRunner().invoke(app, args)
    assert plain.exit_code == 0 and json.loads(plain.stdout)["removedCalls"] == 0
    done = CliRunner().invoke(app, [*args, "--reconcile"])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    assert summary["removedCalls"] >= 1 and "reconcile" in {s["stream"] for s in summary["streams"]}
    assert call_id not in ids_in(f"sqlite:///{db}", "calls", "id")


def test_a_call_missing_from_the_listing_is_removed_only_on_gongs_404(
    emu: Emulator, client: GongClient, tmp_path: Path
) -> None:
    """A stored call can be absent from the listing and still be Gong's (its time changed, a
    page came out short): only ``GET /v2/calls/{id}`` answering 404 removes it."""
    db = f"sqlite:///{tmp_path}/moved.db"
    run(emu, client, db, streams="calls")
    store = Store(db)
    try:
        calls = store.t("calls")
        with store.engine.begin() as conn:
            by_start = conn.execute(sa.select(calls.c.id, calls.c.started).order_by(calls.c.started)).all()
            moved, latest = by_start[0], by_start[-1]
            # Keep the newest half; the oldest call is stored as if it had moved to the latest time.
            keep = {r.id for r in by_start[len(by_start) // 2 :]} | {moved.id}
            conn.execute(sa.delete(calls).where(calls.c.id.not_in(keep)))
            conn.execute(sa.update(calls).where(calls.c.id == moved.id).values(started=latest.started))
    finally:
        store.close()
    emu.clear_requests()
    result = run(emu, client, db, streams="calls", reconcile=True)
    assert result.removed_calls == []
    assert moved.id in ids_in(db, "calls", "id")
    assert count_paths(emu.requests())[f"/v2/calls/{moved.id}"] == 1  # absent from the listing: asked
