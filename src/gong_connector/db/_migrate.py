"""Schema migrations with Alembic, run when a database is opened.

Each part keeps its own linear history (``migrations/sync``, ``migrations/inbox``) and records
its revision in its own version table. The sync's tables exist once per table prefix, and the
inbox may share a PostgreSQL database with them: one version table per history and prefix
lets each set of tables move on its own, and an inbox-only database never gets sync tables.

Alembic is imported only when a database is opened, so commands that never touch one stay fast.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .._version import __version__
from ..errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

__all__ = [
    "INBOX_SCHEMA",
    "MIGRATIONS",
    "Schema",
    "check",
    "current_revision",
    "head_revision",
    "run_migrations",
    "sync_schema",
    "upgrade",
]

MIGRATIONS = Path(__file__).with_name("migrations")
#: Held (pg_advisory_xact_lock) while migrating, so processes starting together on one
#: PostgreSQL database migrate one after the other; the later ones find nothing to do.
_PG_LOCK_KEY = 0x676F6E675F6462  # "gong_db"

#: Alembic's ``context`` and ``op`` are module globals: one migration at a time per process.
_ALEMBIC = threading.RLock()

_Layout = dict[str, tuple[frozenset[str], frozenset[str]]]  # table -> (columns, primary key)


@dataclass(frozen=True)
class Schema:
    """One migration history applied under one table prefix; its revision lives in ``version_table``."""

    label: str
    directory: Path
    version_table: str
    prefix: str = ""


def sync_schema(prefix: str = "gong_") -> Schema:
    """The sync's tables under ``prefix``; each prefix has its own version table."""
    return Schema(f"sync tables (prefix {prefix!r})", MIGRATIONS / "sync", f"{prefix}sync_version", prefix)


#: The trigger's inbox: fixed table names, so one version table.
INBOX_SCHEMA = Schema("trigger inbox tables", MIGRATIONS / "inbox", "gong_trigger_version")


def head_revision(schema: Schema) -> str:
    """The newest revision this release knows: the one no other revision follows."""
    chain = _chain(schema.directory)
    heads = set(chain) - {down for down in chain.values() if down is not None}
    assert len(heads) == 1, f"migrations in {schema.directory} must form one line, found heads {sorted(heads)}"
    return heads.pop()


def current_revision(engine: Engine, schema: Schema) -> str | None:
    """The revision the database records, None when it records none."""
    with engine.connect() as conn:
        found = _recorded(conn, schema)
    return found[0] if found else None


def upgrade(engine: Engine, schema: Schema) -> str:
    """Bring the tables to this release's head and return it.

    A database without a version table is either empty (the first revision creates the
    tables) or made by gong-connector 0.1, which used ``create_all``: its tables are checked
    against the first revision and, when they match, stamped with it and upgraded in place.
    A revision this release does not know was written by a newer one: ``StoreError``, and
    nothing is touched. Each upgrade is one transaction holding the database's write lock.
    """
    target = head_revision(schema)
    with engine.connect() as conn:
        found = _recorded(conn, schema)
    _refuse_unknown(found, schema)
    if found == (target,):
        return target
    from alembic import command

    with _ALEMBIC, _locked(engine) as conn:
        found = _recorded(conn, schema)  # another process may have migrated meanwhile
        _refuse_unknown(found, schema)
        if found == (target,):
            return target
        config = _config(schema, conn)
        if not found and _adoptable(conn, schema):
            command.stamp(config, _base_revision(schema))
        command.upgrade(config, "head")
    return target


def refuse_newer(engine: Engine, schema: Schema) -> None:
    """Refuse tables a newer release migrated, changing nothing (``upgrade`` makes the rest)."""
    with engine.connect() as conn:
        _refuse_unknown(_recorded(conn, schema), schema)


def check(engine: Engine, schema: Schema) -> None:
    """Refuse tables that are not at this release's head, changing nothing."""
    with engine.connect() as conn:
        found = _recorded(conn, schema)
    _refuse_unknown(found, schema)
    target = head_revision(schema)
    if found != (target,):
        at = f"revision {found[0]!r}" if found else "no recorded revision"
        raise StoreError(f"the {schema.label} are at {at}; this release needs {target!r}: open them with migrations on")


def run_migrations() -> None:
    """The body of each history's env.py: migrate on the connection ``upgrade`` holds."""
    from alembic import context

    settings = context.config.attributes
    if "connection" not in settings:
        raise StoreError("gong-connector's migrations run from gong_connector.db.upgrade(), not the alembic command")
    context.configure(connection=settings["connection"], version_table=settings["version_table"])
    with context.begin_transaction():
        context.run_migrations()


# --------------------------------------------------------------------------- internals


@functools.cache
def _script(directory: Path) -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(directory))


_REVISION = re.compile(r'^(revision|down_revision)\s*(?::[^=]*)?=\s*(None|"([^"]+)"|\'([^\']+)\')\s*$', re.M)


@functools.cache
def _chain(directory: Path) -> dict[str, str | None]:
    """Each revision and the one before it, read from the files' text: checking a database's
    version on every start must not cost Alembic's import (it runs when there is work)."""
    chain: dict[str, str | None] = {}
    for path in sorted((directory / "versions").glob("*.py")):
        found = {m[1]: m[3] or m[4] for m in _REVISION.finditer(path.read_text(encoding="utf-8"))}
        if "revision" in found and found["revision"] is not None:
            chain[found["revision"]] = found.get("down_revision")
    return chain


def _known(directory: Path) -> frozenset[str]:
    return frozenset(_chain(directory))


def _base_revision(schema: Schema) -> str:
    base = _script(schema.directory).get_base()
    assert base is not None
    return base


def _config(schema: Schema, conn: Connection) -> Config:
    """Alembic's configuration in code: users need no alembic.ini."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(schema.directory).replace("%", "%%"))
    config.attributes.update(connection=conn, version_table=schema.version_table, table_prefix=schema.prefix)
    return config


def _recorded(conn: Connection, schema: Schema) -> tuple[str, ...]:
    if not sa.inspect(conn).has_table(schema.version_table):
        return ()
    table = sa.table(schema.version_table, sa.column("version_num", sa.String))
    return tuple(conn.execute(sa.select(table.c.version_num)).scalars())


def _refuse_unknown(found: tuple[str, ...], schema: Schema) -> None:
    unknown = [r for r in found if r not in _known(schema.directory)]
    if unknown:
        raise StoreError(
            f"the {schema.label} are at revision {unknown[0]!r}, made by a newer gong-connector than "
            f"{__version__}: upgrade gong-connector (nothing was changed)"
        )
    if len(found) > 1:
        raise StoreError(f"{schema.version_table} records several revisions ({', '.join(found)}); expected one")


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that holds the database's write lock, committed on exit."""
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
                yield conn
            return
        # Python's sqlite3 would run each CREATE TABLE in a transaction of its own; take the
        # transaction into our hands so the whole upgrade and its version row commit together.
        raw: Any = conn.connection.dbapi_connection
        saved = raw.isolation_level
        raw.isolation_level = None
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield conn
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            raw.isolation_level = saved


def _adoptable(conn: Connection, schema: Schema) -> bool:
    """Whether an unversioned database holds the first revision's tables (gong-connector 0.1).

    False when it holds none of them; ``StoreError`` when it holds some, or different ones:
    those tables were not made by us, or were changed by hand, and are left alone.
    """
    inspector = sa.inspect(conn)
    tables = set(inspector.get_table_names())
    if not tables:  # a new database: no need to build the first revision's tables to compare
        return False
    expected = _first_layout(schema)
    present = expected.keys() & tables
    if not present:
        return False
    missing = sorted(expected.keys() - present)
    if missing:
        raise StoreError(
            f"the database holds some of the {schema.label} but not {', '.join(missing)}, and no "
            f"{schema.version_table}: not a database gong-connector made; nothing was changed"
        )
    for name in sorted(expected):
        columns, key = _layout_of(inspector, name)
        want_columns, want_key = expected[name]
        if (columns, key) != (want_columns, want_key):
            extra, lacking = sorted(columns - want_columns), sorted(want_columns - columns)
            detail = "; ".join(
                part
                for part in (
                    f"unexpected columns {', '.join(extra)}" if extra else "",
                    f"missing columns {', '.join(lacking)}" if lacking else "",
                    "a different primary key" if key != want_key and not (extra or lacking) else "",
                )
                if part
            )
            raise StoreError(
                f"table {name} is not as gong-connector made it ({detail}), and there is no "
                f"{schema.version_table}: nothing was changed"
            )
    return True


@functools.cache
def _first_layout(schema: Schema) -> _Layout:
    """The tables the first revision makes, read from a scratch in-memory database: the
    first revision is the one description of what gong-connector 0.1 made."""
    from alembic import command

    scratch = sa.create_engine("sqlite://")
    try:
        with _ALEMBIC, scratch.begin() as conn:
            command.upgrade(_config(schema, conn), _base_revision(schema))
            inspector = sa.inspect(conn)
            names = [n for n in inspector.get_table_names() if n != schema.version_table]
            return {name: _layout_of(inspector, name) for name in names}
    finally:
        scratch.dispose()


def _layout_of(inspector: sa.Inspector, table: str) -> tuple[frozenset[str], frozenset[str]]:
    columns = frozenset(c["name"] for c in inspector.get_columns(table))
    key = frozenset(inspector.get_pk_constraint(table).get("constrained_columns") or ())
    return columns, key
