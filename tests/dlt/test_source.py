"""The dlt source loads the emulator's data into DuckDB with the same rows and keys as
``gong sync`` writes to SQLite; loads are incremental; a failed load leaves nothing half."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from gong_connector import GongClient
from gong_connector.cli import app
from gong_connector.emulator import Emulator
from gong_connector.sync import STREAMS, SyncInputError, build_tables, sync

from ..sync.conftest import count_paths
from ..test_packaging import run_without

if TYPE_CHECKING:
    import dlt

TABLES = [t for s in STREAMS.values() for t in s.tables]

# dlt (and gong_connector.dlt, which imports it) is imported by the tests that use it, not
# when the module is collected: 0.6 s in every worker, most of which run none of these.


def gong_source(*args: Any, **kwargs: Any) -> Any:
    from gong_connector.dlt import gong_source as source

    return source(*args, **kwargs)


def table_hints() -> Mapping[str, Any]:
    from gong_connector.dlt import TABLE_HINTS

    return TABLE_HINTS


def pipeline(tmp_path: Path, name: str = "gong_test") -> dlt.Pipeline:
    import dlt

    return dlt.pipeline(
        pipeline_name=name,
        destination=dlt.destinations.duckdb(str(tmp_path / f"{name}.duckdb")),
        dataset_name="main",
        pipelines_dir=str(tmp_path / "dlt"),
    )


def duck_keys(path: Path, *tables: str) -> dict[str, list[tuple[str, ...]]]:
    """Each table's primary keys, sorted, read over one connection (opening one costs ~20 ms)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    hints = table_hints()
    with duckdb.connect(str(path), read_only=True) as con:
        for table in tables:
            key = hints[table]["primary_key"]
            found = con.execute(f'select {", ".join(key)} from main."gong_{table}"').fetchall()  # noqa: S608
            out[table] = sorted(tuple(str(v) for v in row) for row in found)
    return out


def sqlite_keys(db: str, *tables: str) -> dict[str, list[tuple[str, ...]]]:
    schema = build_tables()
    engine = sa.create_engine(db)
    out: dict[str, list[tuple[str, ...]]] = {}
    try:
        with engine.connect() as conn:
            for table in tables:
                found = conn.execute(sa.select(*schema.table(table).primary_key.columns)).all()
                out[table] = sorted(tuple(str(v) for v in row) for row in found)
    finally:
        engine.dispose()
    return out


def test_a_dlt_load_has_the_rows_and_keys_gong_sync_writes(emu: Emulator, client: GongClient, tmp_path: Path) -> None:
    now = emu.backend.clock.now_dt().astimezone(UTC).replace(microsecond=0)
    db = f"sqlite:///{tmp_path}/sync.db"
    sync(db, client=client, clock=lambda: now)
    p = pipeline(tmp_path)
    info = p.run(gong_source(client, clock=lambda: now), loader_file_format="jsonl")
    assert not info.has_failed_jobs
    path = tmp_path / "gong_test.duckdb"
    loaded = duck_keys(path, *TABLES)
    with duckdb.connect(str(path), read_only=True) as con:
        described = {table: con.execute(f'describe main."gong_{table}"').fetchall() for table in TABLES}
    synced = sqlite_keys(db, *TABLES)
    schema = build_tables()
    for table in TABLES:
        keys = loaded[table]
        assert keys == synced[table], table
        assert keys and len(set(keys)) == len(keys), table
        # The sync's columns, with their NOT NULLs, and dlt's own two.
        found = {r[0]: r[2] == "YES" for r in described[table]}
        declared = schema.table(table).columns
        assert found == {c.name: bool(c.nullable) and not c.primary_key for c in declared} | {
            "_dlt_load_id": False,
            "_dlt_id": False,
        }, table
    # Keys, dispositions and types as declared: merge for incremental tables, replace for
    # full listings, JSON kept whole (no child tables).
    schema = p.default_schema.tables
    assert schema["gong_calls"]["write_disposition"] == "merge"
    assert [c for c, v in schema["gong_calls"]["columns"].items() if v.get("primary_key")] == ["id"]
    assert schema["gong_call_parties"]["columns"]["call_id"].get("merge_key")
    assert schema["gong_users"]["write_disposition"] == "replace"
    assert schema["gong_calls"]["columns"]["content"]["data_type"] == "json"
    assert schema["gong_user_daily_activity"]["columns"]["day"]["data_type"] == "date"
    assert not [t for t in schema if t.startswith("gong_") and "__" in t], "no nested tables"


def test_a_second_load_reads_the_recent_past_only(emu: Emulator, client: GongClient, tmp_path: Path) -> None:
    now = emu.backend.clock.now_dt().astimezone(UTC).replace(microsecond=0)
    streams = "users,calls,transcripts,library,scorecards,answered_scorecards,interaction_stats"
    tables = [t for name in streams.split(",") for t in STREAMS[name].tables]
    p = pipeline(tmp_path)
    p.run(gong_source(client, streams=streams, clock=lambda: now), loader_file_format="jsonl")
    path = tmp_path / "gong_test.duckdb"
    first = duck_keys(path, *tables)
    emu.clear_requests()
    results: dict[str, Any] = {}
    p.run(gong_source(client, streams=streams, clock=lambda: now, results=results), loader_file_format="jsonl")
    assert duck_keys(path, *tables) == first
    paths = count_paths(emu.requests())
    # As a sync's second run (tests/sync/test_sync.py), plus one look-back page of
    # transcripts: without a database to ask, transcripts follow their own watermark.
    assert paths["/v2/calls/extensive"] == 1 and paths["/v2/calls/transcript"] == 1
    assert "/v2/library/folder-content" not in paths
    assert sum(r.requests for r in results.values()) == sum(paths.values())


class Boom(Exception):
    pass


@pytest.mark.long
def test_a_load_that_dies_loads_nothing_and_the_next_one_is_whole(
    emu: Emulator, client: GongClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = emu.backend.clock.now_dt().astimezone(UTC).replace(microsecond=0)
    clean = pipeline(tmp_path, "clean")
    clean.run(gong_source(client, streams="calls,answered_scorecards,daily_activity", clock=lambda: now))
    stream = STREAMS["daily_activity"]
    read = stream.read

    def dying(ctx: Any) -> Any:
        for n, batch in enumerate(read(ctx)):
            if n == 2:  # two of its three pages are out: the load dies in the middle
                raise Boom("killed mid-load")
            yield batch

    monkeypatch.setitem(STREAMS, "daily_activity", dataclasses.replace(stream, read=dying))
    p = pipeline(tmp_path, "killed")
    with pytest.raises(Exception, match="killed mid-load"):
        p.run(gong_source(client, streams="calls,answered_scorecards,daily_activity", clock=lambda: now))
    monkeypatch.undo()
    with duckdb.connect(str(tmp_path / "killed.duckdb"), read_only=True) as con:
        loaded = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    assert not loaded & {"gong_calls", "gong_user_daily_activity"}, "nothing of the dead load"
    p.run(gong_source(client, streams="calls,answered_scorecards,daily_activity", clock=lambda: now))
    tables = ("calls", "call_parties", "answered_scorecards", "user_daily_activity")
    assert duck_keys(tmp_path / "killed.duckdb", *tables) == duck_keys(tmp_path / "clean.duckdb", *tables)


def test_gong_sync_into_duckdb(emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for k, v in emu.env().items():
        monkeypatch.setenv(k, v)
    path = tmp_path / "gong.duckdb"
    args = ["sync", "--db", f"duckdb:///{path}", "--streams", "users,calls,scorecards", "--rate-limit", "1000", "-q"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert {s["stream"]: s["rows"] for s in summary["streams"]}["users"] == len(emu.backend.data.users)
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("select count(*) from gong_calls").fetchone() == (emu.backend.data.n_calls,)
        assert con.execute("select count(*) from gong_scorecards").fetchone() == (9,)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--db", "duckdb:////nonexistent-dir/x.duckdb"], "--db: directory '/nonexistent-dir' does not exist"),
        (["--db", "duckdb:///:memory:"], "--db: DuckDB needs a file"),
        (["--reconcile"], "--reconcile: is not available for duckdb:// yet"),
    ],
)
def test_bad_duckdb_input_is_one_line(
    emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    for k, v in emu.env().items():
        monkeypatch.setenv(k, v)
    emu.clear_requests()
    db = [] if "--db" in args else ["--db", f"duckdb:///{tmp_path}/x.duckdb"]
    result = CliRunner().invoke(app, ["sync", *db, *args])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: " + message), result.output
    assert emu.requests() == [] and list(tmp_path.iterdir()) == []


def test_the_sync_function_names_the_way_to_duckdb(client: GongClient, tmp_path: Path) -> None:
    with pytest.raises(SyncInputError, match="DuckDB is loaded through dlt"):
        sync(f"duckdb:///{tmp_path}/x.duckdb", client=client)
    assert list(tmp_path.iterdir()) == []


def test_every_batch_table_has_hints() -> None:
    hints = table_hints()
    assert set(hints) == set(TABLES)
    assert all(isinstance(h["primary_key"], list) and h["primary_key"] for h in hints.values())


def test_duckdb_without_the_dlt_extra_names_it(tmp_path: Path) -> None:
    code = f"""
        import sys
        from gong_connector.cli import main
        sys.argv = ["gong", "sync", "--db", "duckdb:///{tmp_path}/x.duckdb"]
        main()
        """
    result = run_without(("dlt",), code)
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode != 0 and len(lines) == 1, (result.stdout, result.stderr)
    assert "--db duckdb:// needs the 'dlt' extra" in lines[0] and "pip install 'gong-connector[dlt]'" in lines[0]
    imported = run_without(("dlt",), "import gong_connector.dlt")
    assert "pip install 'gong-connector[dlt]'" in imported.stderr
    assert list(tmp_path.iterdir()) == []
