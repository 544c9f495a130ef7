"""A database created by the release before migrations (its create_all, no version table) is adopted at start:
every revision runs from the baseline, which keeps the existing tables, and every row stays as it was.

The fixtures are SQLite and PostgreSQL (``pg_dump --inserts``) dumps of that release's two databases with rows
(partner apps, a custom connection, an OAuth connection with its refresh token, an ids-map row of 1004, the native
ledger's demo company and user), made once by fixtures/make_release_dumps.py and frozen.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import sqlite3
from pathlib import Path

import pytest

from gateway.migrations.runner import revisions, upgrade
from gateway.migrations.trees import GATEWAY, LEDGER
from gateway.store.db import make_engine
from tests.pg import create_database

FIXTURES = Path(__file__).parent / "fixtures"
DUMPS = {"gateway": (GATEWAY, FIXTURES / "release_gateway.sql"), "ledger": (LEDGER, FIXTURES / "release_ledger.sql.gz")}


def _rows(path: Path) -> dict[str, list[dict]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        # table names come from sqlite_master, not from input
        return {table: sorted((dict(row) for row in conn.execute(f'SELECT * FROM "{table}"')),  # noqa: S608
                              key=repr)
                for table in tables}
    finally:
        conn.close()


def _as_before(after: dict[str, list[dict]], before: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """``after``'s rows of the release's tables, on the release's columns: later revisions may add columns (with
    their defaults), and every value the release stored must still be there."""
    projected = {}
    for table, rows in before.items():
        columns = set(rows[0]) if rows else set()
        projected[table] = sorted(({k: v for k, v in row.items() if k in columns} for row in after[table]), key=repr)
    return projected


def _load(dump: Path, path: Path) -> None:
    text = gzip.decompress(dump.read_bytes()).decode() if dump.suffix == ".gz" else dump.read_text()
    conn = sqlite3.connect(path)
    conn.executescript(text)
    conn.close()


@pytest.mark.parametrize("name", sorted(DUMPS))
async def test_a_database_of_the_previous_release_keeps_every_row(tmp_path, name):
    tree, dump = DUMPS[name]
    path = tmp_path / f"{name}.db"
    _load(dump, path)
    before = _rows(path)
    assert tree.version_table not in before and sum(map(len, before.values())) > 0
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    try:
        assert await upgrade(engine, tree) == "adopted"
        current, heads = await revisions(engine, tree)
        assert current == heads
        assert await upgrade(engine, tree) == "current"  # the next start has nothing to do
    finally:
        await engine.dispose()
    after = _rows(path)
    assert after.pop(tree.version_table) == [{"version_num": head} for head in heads]
    # Every table of the release, every row, unchanged; the tables it lacked (adapters never started) are new.
    assert _as_before(after, before) == before
    assert all(not after[table] for table in set(after) - set(before))


async def test_the_gateway_dump_holds_apps_and_connections():
    """The rows the upgrade must keep are really in the dump (a dump without them would prove nothing)."""
    text = DUMPS["gateway"][1].read_text()
    assert text.count('INSERT INTO "identity_apps"') == 2 and text.count('INSERT INTO "identity_connections"') == 2


async def test_a_new_database_is_created_at_head_and_private(tmp_path):
    path = tmp_path / "gateway.db"
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    try:
        assert await upgrade(engine, GATEWAY) == "created"
        current, heads = await revisions(engine, GATEWAY)
    finally:
        await engine.dispose()
    assert current == heads
    assert os.stat(path).st_mode & 0o777 == 0o600  # gateway.store.files: SQLite files stay 0600


PG_DUMPS = {"gateway": (GATEWAY, FIXTURES / "release_gateway.pg.sql.gz"),
            "ledger": (LEDGER, FIXTURES / "release_ledger.pg.sql.gz")}


async def _pg_rows(url: str) -> dict[str, list[dict]]:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        found = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        rows = {}
        for (table,) in found:  # names from the catalogue, not from input
            rows[table] = sorted((dict(r) for r in await conn.fetch(f'SELECT * FROM public."{table}"')),  # noqa: S608
                                 key=repr)
        return rows
    finally:
        await conn.close()


async def _pg_load(dump: Path, url: str) -> None:
    import asyncpg

    # psql's meta-commands (\restrict of newer pg_dump) are not SQL: asyncpg runs the rest as one script.
    script = "\n".join(line for line in gzip.decompress(dump.read_bytes()).decode().splitlines()  # noqa: ASYNC240
                       if not line.startswith("\\"))
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await conn.execute(script)
    finally:
        await conn.close()  # the dump empties search_path for its session


@pytest.mark.parametrize("name", sorted(PG_DUMPS))
async def test_a_postgresql_database_of_the_previous_release_keeps_every_row(pg_cluster, name):
    tree, dump = PG_DUMPS[name]
    url = await create_database(pg_cluster)
    await _pg_load(dump, url)
    before = await _pg_rows(url)
    assert tree.version_table not in before and sum(map(len, before.values())) > 0
    engine = make_engine(url)
    try:
        assert await upgrade(engine, tree) == "adopted"
        current, heads = await revisions(engine, tree)
    finally:
        await engine.dispose()
    after = await _pg_rows(url)
    assert after.pop(tree.version_table) == [{"version_num": head} for head in heads] and current == heads
    assert _as_before(after, before) == before
    assert all(not after[table] for table in set(after) - set(before))


async def test_starts_racing_on_a_new_database_migrate_once(database_url):
    """Two processes starting together (two engines here): one creates the schema under the database's write lock,
    the other waits for it and finds it current."""
    engines = [make_engine(database_url), make_engine(database_url)]
    try:
        done = await asyncio.gather(*(upgrade(engine, GATEWAY) for engine in engines))
        current, heads = await revisions(engines[0], GATEWAY)
    finally:
        for engine in engines:
            await engine.dispose()
    assert sorted(done) == ["created", "current"] and current == heads
