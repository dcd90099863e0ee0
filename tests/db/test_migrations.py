"""Every table is made by a migration; 0.1 databases are adopted in place; newer ones are refused."""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import gong_connector
from gong_connector.db import (
    INBOX_SCHEMA,
    Schema,
    check,
    current_revision,
    head_revision,
    open_engine,
    sync_schema,
    upgrade,
)
from gong_connector.db._migrate import _chain, _config, _first_layout
from gong_connector.errors import StoreError
from gong_connector.sync import Batch, Store, build_tables
from gong_connector.trigger import Inbox
from gong_connector.trigger._inbox import metadata as inbox_metadata

from .._postgres import BACKENDS, schema_url
from . import frozen_sync_0002
from . import legacy_0_1 as legacy

HISTORY = Path(__file__).with_name("history")


@pytest.fixture(params=BACKENDS)
def two_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases on one backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    else:
        first, second = schema_url("gdb"), schema_url("gdb")
        yield next(first), next(second)
        for gen in (first, second):
            gen.close()


def engine_for(url: str) -> sa.Engine:
    return open_engine(url)


def describe(url: str) -> dict[str, Any]:
    """Tables, columns (type, nullability, default), keys, indexes and unique constraints."""
    engine = sa.create_engine(url)
    try:
        inspector = sa.inspect(engine)
        return {
            name: {
                "columns": [
                    (c["name"], str(c["type"]), c["nullable"], c.get("default")) for c in inspector.get_columns(name)
                ],
                "key": inspector.get_pk_constraint(name)["constrained_columns"],
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(name)
                ),
                "unique": sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(name)),
            }
            for name in sorted(inspector.get_table_names())
        }
    finally:
        engine.dispose()


def only_tables_of(md: sa.MetaData) -> Any:
    """For alembic's comparison: the database's other tables belong to other schemas."""

    def include_name(name: str | None, kind: str, _parents: Any) -> bool:
        return kind != "table" or name in md.tables

    return include_name


# --------------------------------------------------------------------------- new databases


def test_a_new_database_is_made_by_the_migrations(db_url: str) -> None:
    Store(db_url).close()
    Store(db_url, table_prefix="b_").close()
    Inbox(db_url).close()
    engine = engine_for(db_url)
    try:
        assert current_revision(engine, sync_schema("gong_")) == head_revision(sync_schema("gong_"))
        assert current_revision(engine, sync_schema("b_")) == head_revision(sync_schema("b_"))
        assert current_revision(engine, INBOX_SCHEMA) == head_revision(INBOX_SCHEMA)
        tables = set(sa.inspect(engine).get_table_names())
        assert {"gong_sync_version", "b_sync_version", "gong_trigger_version"} <= tables
        # The models the code queries with agree with what the migrations made.
        with engine.connect() as conn:
            for md in (build_tables("gong_").metadata, build_tables("b_").metadata, inbox_metadata):
                context = MigrationContext.configure(conn, opts={"include_name": only_tables_of(md)})
                assert compare_metadata(context, md) == []
    finally:
        engine.dispose()


def test_no_table_is_made_by_create_all() -> None:
    package = Path(gong_connector.__file__).parent
    offenders = [str(p.relative_to(package)) for p in package.rglob("*.py") if "create_all(" in p.read_text()]
    assert offenders == []


def test_openers_racing_on_a_new_database_migrate_once(db_url: str) -> None:
    """Receivers and workers starting together: one migrates, the others find it done."""
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def open_one(i: int) -> None:
        start.wait()
        try:
            (Store(db_url) if i % 2 else Inbox(db_url)).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_one, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    engine = engine_for(db_url)
    with engine.connect() as conn:
        for name in ("gong_sync_version", "gong_trigger_version"):
            table = sa.table(name, sa.column("version_num"))
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 1
    engine.dispose()


def test_a_new_database_runs_each_revision_once(db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """Only a database that already holds tables is compared with the first revision's (which
    takes running that revision on a scratch database): a new one is simply migrated."""
    _first_layout.cache_clear()
    with caplog.at_level(logging.INFO, logger="alembic"):
        Inbox(db_url).close()
    ran = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Running upgrade")]
    assert len(ran) == len(_chain(INBOX_SCHEMA.directory)), ran
    assert len(set(ran)) == len(ran), ran


# --------------------------------------------------------------------------- 0.1 databases


def test_a_0_1_database_is_adopted_in_place_with_every_row(db_url: str) -> None:
    """Sync tables under two prefixes and the inbox in one database, made and filled by 0.1."""
    frozen = [legacy.sync_metadata("gong_"), legacy.sync_metadata("a_"), legacy.inbox_metadata()]
    legacy.create(db_url, *frozen)
    for md in frozen:
        legacy.fill(db_url, md)
    before = [legacy.snapshot(db_url, md) for md in frozen]
    assert all(len(rows) == 3 for snap in before for rows in snap.values())

    store, other, inbox = Store(db_url), Store(db_url, table_prefix="a_"), Inbox(db_url)
    try:
        for schema in (store.schema, other.schema, INBOX_SCHEMA):
            assert current_revision(store.engine, schema) == head_revision(schema)
        assert [legacy.snapshot(db_url, md) for md in frozen] == before
        # The new code reads and writes the old rows; later revisions' tables start empty.
        counts = store.counts()
        old_tables = {name[len("gong_") :] for name in frozen[0].tables}
        assert {counts[name] for name in old_tables} == {3}
        assert {n: c for n, c in counts.items() if n not in old_tables} == dict.fromkeys(
            {t[len("gong_") :] for t in frozen_sync_0002.metadata().tables}, 0
        )
        assert store.watermark("stream-0", "partition-0") is not None
        store.write(Batch(rows={"workspaces": [{"id": "id-0", "name": "renamed"}]}, watermarks=[]))
        assert store.counts()["workspaces"] == 3
        old = inbox.events(limit=None)
        assert len(old) == 3
        again = inbox.accept(rule=old[0].rule, call_id=old[0].call_id, is_test=old[0].is_test, body=b"{}")
        assert again.event_id == old[0].id and again.deliveries == old[0].deliveries + 1
        new = inbox.accept(rule="r", call_id="new", is_test=False, body=b"{}")
        assert new.event_id > max(e.id for e in old) and not new.duplicate
    finally:
        store.close()
        other.close()
        inbox.close()


def test_an_adopted_database_is_the_same_as_a_new_one(two_urls: tuple[str, str]) -> None:
    old, new = two_urls
    legacy.create(old, legacy.sync_metadata("gong_"), legacy.inbox_metadata())
    for url in (old, new):
        Store(url).close()
        Inbox(url).close()
    assert describe(old) == describe(new)


def test_tables_that_are_not_as_0_1_made_them_are_refused_and_left_alone(db_url: str) -> None:
    md = legacy.sync_metadata("gong_")
    legacy.create(db_url, md)
    legacy.fill(db_url, md)
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("alter table gong_users add column nickname text"))
    before = describe(db_url)
    with pytest.raises(StoreError, match="table gong_users is not as gong-connector made it") as caught:
        Store(db_url)
    assert "unexpected columns nickname" in str(caught.value)
    with engine.begin() as conn:
        conn.execute(sa.text("drop table gong_logs"))
    with pytest.raises(StoreError, match="but not gong_logs"):
        Store(db_url)
    engine.dispose()
    after = describe(db_url)
    assert "gong_sync_version" not in after
    assert {k: v for k, v in after.items()} == {k: v for k, v in before.items() if k != "gong_logs"}


def test_an_unrelated_table_with_our_name_is_not_adopted(db_url: str) -> None:
    """With no prefix the sync's names are common ones: someone else's ``users`` is refused."""
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("create table users (id integer primary key, login text)"))
    engine.dispose()
    with pytest.raises(StoreError, match="some of the sync tables"):
        Store(db_url, table_prefix="")


# --------------------------------------------------------------------------- sync_0001 databases


def sync_history_before(tmp_path: Path, revision: str) -> Path:
    """The sync's history as a release that ended at ``revision`` shipped it."""
    old = tmp_path / f"sync-until-{revision}"
    shutil.copytree(sync_schema().directory, old, ignore=shutil.ignore_patterns("__pycache__"))
    number = int(revision.rsplit("_", 1)[1])
    for path in (old / "versions").glob("sync_*.py"):
        if int(path.name.split("_")[1]) > number:
            path.unlink()
    return old


def test_a_sync_0001_database_gets_the_new_tables_and_keeps_its_rows(db_url: str, tmp_path: Path) -> None:
    previous = Schema("sync tables", sync_history_before(tmp_path, "sync_0001"), "gong_sync_version", "gong_")
    engine = engine_for(db_url)
    try:
        assert upgrade(engine, previous) == "sync_0001"
        md = legacy.sync_metadata("gong_")  # sync_0001 is 0.1's tables
        legacy.fill(db_url, md)
        before = legacy.snapshot(db_url, md)
        Store(db_url).close()
        assert current_revision(engine, sync_schema()) == head_revision(sync_schema()) == "sync_0003"
        assert legacy.snapshot(db_url, md) == before
    finally:
        engine.dispose()
    # The tables sync_0002 added are exactly those it was released with.
    added = frozen_sync_0002.metadata("gong_")
    gen = iter([f"sqlite:///{tmp_path / 'frozen.db'}"]) if db_url.startswith("sqlite") else schema_url("gdb")
    frozen_url = next(gen)
    try:
        legacy.create(frozen_url, added)
        assert {k: v for k, v in describe(db_url).items() if k in added.tables} == describe(frozen_url)
    finally:
        if hasattr(gen, "close"):
            gen.close()


def test_a_sync_0002_database_keeps_its_folder_calls_numbered(db_url: str, tmp_path: Path) -> None:
    """sync_0003 keys a folder's calls by their place in it (a folder may hold several clips of
    one call); the rows a sync_0002 database holds are kept, numbered in call-id order."""
    previous = Schema("sync tables", sync_history_before(tmp_path, "sync_0002"), "gong_sync_version", "gong_")
    engine = engine_for(db_url)
    try:
        assert upgrade(engine, previous) == "sync_0002"
        with engine.begin() as conn:
            conn.execute(
                sa.text("insert into gong_library_folder_calls (folder_id, call_id, title) values (:f, :c, :t)"),
                [
                    {"f": "A", "c": "30", "t": "c"},
                    {"f": "A", "c": "10", "t": "a"},
                    {"f": "A", "c": "20", "t": "b"},
                    {"f": "B", "c": "10", "t": "a"},
                ],
            )
        Store(db_url).close()
        assert current_revision(engine, sync_schema()) == "sync_0003"
        query = "select folder_id, position, call_id, title from gong_library_folder_calls order by folder_id, position"
        with engine.begin() as conn:
            assert [tuple(r) for r in conn.execute(sa.text(query))] == [
                ("A", 0, "10", "a"),
                ("A", 1, "20", "b"),
                ("A", 2, "30", "c"),
                ("B", 0, "10", "a"),
            ]
            # A second clip of call 10; back at sync_0002, each call keeps its first clip.
            conn.execute(
                sa.text(
                    "insert into gong_library_folder_calls (folder_id, position, call_id, title)"
                    " values ('A', 3, '10', 'z')"
                )
            )
        with engine.begin() as conn:
            command.downgrade(_config(sync_schema(), conn), "sync_0002")
            rows = conn.execute(
                sa.text("select folder_id, call_id, title from gong_library_folder_calls order by 1, 2")
            ).all()
        assert [tuple(r) for r in rows] == [("A", "10", "a"), ("A", "20", "b"), ("A", "30", "c"), ("B", "10", "a")]
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- newer databases


def test_a_database_from_a_newer_release_is_refused_not_downgraded(db_url: str) -> None:
    Store(db_url).close()
    Inbox(db_url).close()
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("update gong_sync_version set version_num = 'sync_9999'"))
        conn.execute(sa.text("update gong_trigger_version set version_num = 'inbox_9999'"))
    with pytest.raises(StoreError, match="revision 'sync_9999', made by a newer gong-connector than"):
        Store(db_url)
    with pytest.raises(StoreError, match=r"revision 'inbox_9999'.*upgrade gong-connector"):
        Inbox(db_url)
    with pytest.raises(StoreError, match="made by a newer gong-connector"):
        Inbox(db_url, create_tables=False)
    with engine.connect() as conn:
        assert conn.execute(sa.text("select version_num from gong_sync_version")).scalar_one() == "sync_9999"
        assert conn.execute(sa.text("select version_num from gong_trigger_version")).scalar_one() == "inbox_9999"
    engine.dispose()


# --------------------------------------------------------------------------- the machinery, on a test history


def previous_release(tmp_path: Path) -> Path:
    """The test history as the release before saw it: without its last revision."""
    old = tmp_path / "previous"
    shutil.copytree(HISTORY, old, ignore=shutil.ignore_patterns("__pycache__"))
    (old / "versions" / "demo_0002_colours.py").unlink()
    return old


def demo(directory: Path, prefix: str) -> Schema:
    return Schema("demo tables", directory, f"{prefix}demo_version", prefix)


def test_an_older_revision_is_upgraded_in_place(db_url: str, tmp_path: Path) -> None:
    engine = engine_for(db_url)
    try:
        assert upgrade(engine, demo(previous_release(tmp_path), "x_")) == "demo_0001"
        with engine.begin() as conn:
            conn.execute(sa.text("insert into x_things (id, name) values (1, 'kettle'), (2, 'lamp')"))
        with pytest.raises(StoreError, match="at revision 'demo_0001'; this release needs 'demo_0002'"):
            check(engine, demo(HISTORY, "x_"))
        assert upgrade(engine, demo(HISTORY, "x_")) == "demo_0002"
        check(engine, demo(HISTORY, "x_"))
        with engine.connect() as conn:
            rows = conn.execute(sa.text("select id, name, colour from x_things order by id")).all()
        assert [tuple(r) for r in rows] == [(1, "kettle", "blue"), (2, "lamp", "blue")]
    finally:
        engine.dispose()


def test_a_failing_migration_changes_nothing(db_url: str, tmp_path: Path) -> None:
    """The whole upgrade and its version row are one transaction, on SQLite too."""
    engine = engine_for(db_url)
    try:
        upgrade(engine, demo(previous_release(tmp_path), "broken_"))
        with engine.begin() as conn:
            conn.execute(sa.text("insert into broken_things (id, name) values (1, 'kettle')"))
        before = describe(db_url)
        with pytest.raises(RuntimeError, match="fails after changing the tables"):
            upgrade(engine, demo(HISTORY, "broken_"))
        assert current_revision(engine, demo(HISTORY, "broken_")) == "demo_0001"
        assert describe(db_url) == before
        with engine.connect() as conn:
            assert conn.execute(sa.text("select name from broken_things")).scalar_one() == "kettle"
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- inbox_0002


def test_an_inbox_of_0_1_gets_tenants_in_place(db_url: str, tmp_path: Path) -> None:
    """inbox_0001 -> inbox_0002 on a database with events: they keep their ids and become
    the single tenant's (''); the same call may now arrive once per tenant."""
    old = tmp_path / "inbox_0_1"
    shutil.copytree(INBOX_SCHEMA.directory, old, ignore=shutil.ignore_patterns("__pycache__"))
    (old / "versions" / "inbox_0002_tenants.py").unlink()
    engine = engine_for(db_url)
    try:
        assert upgrade(engine, Schema("inbox", old, INBOX_SCHEMA.version_table)) == "inbox_0001"
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "insert into gong_trigger_events (rule, call_id, is_test, body, status, deliveries, attempts,"
                    " first_received_at, last_received_at, next_attempt_at)"
                    " values ('r', '1', false, '{}', 'done', 2, 1, 1.0, 2.0, 1.0)"
                )
            )
    finally:
        engine.dispose()
    inbox = Inbox(db_url)
    try:
        assert current_revision(inbox.engine, INBOX_SCHEMA) == "inbox_0002"
        (event,) = inbox.events()
        assert (event.id, event.tenant, event.deliveries, event.status) == (1, "", 2, "done")
        again = inbox.accept(rule="r", call_id="1", is_test=False, body=b"{}")
        other = inbox.accept(rule="r", call_id="1", is_test=False, body=b"{}", tenant="acme")
        assert (again.event_id, again.deliveries) == (1, 3) and other.event_id != 1 and not other.duplicate
        assert inbox.add_tenant("acme", public_key="k") and [t.name for t in inbox.tenants()] == ["acme"]
    finally:
        inbox.close()


# --------------------------------------------------------------------------- reading revisions


@pytest.mark.parametrize("schema", [sync_schema(), INBOX_SCHEMA], ids=["sync", "inbox"])
def test_revisions_read_from_the_files_are_alembics(schema: Schema) -> None:
    """The start-up check reads revision ids from the files' text; Alembic must agree."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(schema.directory))
    assert _chain(schema.directory) == {r.revision: r.down_revision for r in script.walk_revisions()}
    assert head_revision(schema) == script.get_current_head()


def test_an_up_to_date_database_opens_without_importing_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = f"sqlite:///{tmp_path / 'gong.db'}"
    Store(db).close()
    code = (
        "import sys; from gong_connector.sync import Store; "
        f"Store({db!r}).close(); print(sorted(m for m in sys.modules if m.startswith('alembic')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
