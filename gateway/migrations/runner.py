"""Bring a database to the head of its migration tree, and tell whether it is there.

:func:`upgrade` runs at every start (``serve``, each worker, every CLI command) and from ``xero-gateway db
upgrade``. It holds the database's write lock for the whole run (SQLite ``BEGIN IMMEDIATE``; a PostgreSQL
transaction-scoped advisory lock), so processes starting together migrate once, one after the other:

- a database without the tree's version table and without any of its tables (a fresh one): the tables are created
  from the metadata and the version table stamped with the head (Alembic's recipe for a new database,
  https://alembic.sqlalchemy.org/en/latest/cookbook.html#building-an-up-to-date-database-from-scratch; the tests
  prove that the head's schema equals the metadata);
- a database created by a release before migrations (tables, no version table): every revision runs from the
  baseline, which creates only the tables it lacks and keeps the existing ones and their rows;
- a database with a version table: the revisions after its current one run (none when current).

On SQLite, foreign keys are off while migrating (SQLite's procedure for altering tables,
https://www.sqlite.org/lang_altertable.html#otheralter: a batch operation copies and drops a table, and a drop with
foreign keys on would run ``ON DELETE`` actions on the rows that refer to it); ``PRAGMA foreign_key_check`` must
find no violation before the commit.
"""

from __future__ import annotations

import zlib
from functools import cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.store.db import BEGIN_IMMEDIATE

from .trees import Tree

__all__ = ["MigrationError", "config", "revisions", "script", "upgrade"]


class MigrationError(RuntimeError):
    """A migration left the database inconsistent (foreign-key violations); nothing was committed."""


def config(tree: Tree, connection: Connection | None = None) -> Config:
    """An Alembic configuration for ``tree``, joined to ``connection`` when given (see :mod:`.environment`)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(tree.script_location))
    cfg.attributes["tree"] = tree
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def script(tree: Tree) -> ScriptDirectory:
    """The tree's revisions (read once per process)."""
    return ScriptDirectory.from_config(config(tree))


def _current(connection: Connection, tree: Tree) -> tuple[str, ...]:
    context = MigrationContext.configure(connection, opts={"version_table": tree.version_table})
    return tuple(sorted(context.get_current_heads()))


def _heads(tree: Tree) -> tuple[str, ...]:
    return tuple(sorted(script(tree).get_heads()))


def _migrate(connection: Connection, tree: Tree) -> str:
    present = set(inspect(connection).get_table_names())
    if tree.version_table in present:
        if _current(connection, tree) == _heads(tree):
            return "current"
        command.upgrade(config(tree, connection), "head")
        return "upgraded"
    if not present & tree.table_names():
        for metadata in tree.load_metadata():
            metadata.create_all(connection)
        MigrationContext.configure(connection, opts={"version_table": tree.version_table}).stamp(script(tree), "head")
        return "created"
    command.upgrade(config(tree, connection), "head")  # a database of a release before migrations
    return "adopted"


async def upgrade(engine: AsyncEngine, tree: Tree) -> str:
    """Migrate the database of ``engine`` to the head of ``tree`` under the database's write lock.

    Returns:
        What was done: ``"created"`` (fresh database), ``"adopted"`` (a database of the release before migrations,
        upgraded from the baseline), ``"upgraded"`` or ``"current"`` (nothing to do).

    Raises:
        MigrationError: SQLite found foreign-key violations after migrating (rolled back).
        sqlalchemy.exc.SQLAlchemyError: the database refused a statement (rolled back).
    """
    sqlite = engine.dialect.name == "sqlite"
    async with engine.connect() as conn:
        if sqlite:
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # only outside a transaction
            await conn.commit()
        try:
            await conn.execution_options(**{BEGIN_IMMEDIATE: True})
            async with conn.begin():
                if engine.dialect.name == "postgresql":
                    lock = zlib.crc32(f"xero-gateway:{tree.version_table}".encode())
                    await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock})
                done = await conn.run_sync(_migrate, tree)
                if sqlite and (await conn.exec_driver_sql("PRAGMA foreign_key_check")).first() is not None:
                    raise MigrationError(f"migrating the {tree.name} database left foreign-key violations")
        finally:
            if sqlite:
                await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                await conn.commit()
    return done


async def revisions(engine: AsyncEngine, tree: Tree) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The database's current revisions and the tree's heads, each sorted (equal when migrations are current).

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the database cannot be read.
    """
    async with engine.connect() as conn:
        current = await conn.run_sync(_current, tree)
    return current, _heads(tree)
