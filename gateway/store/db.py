"""Engine and session factory for the gateway's own state.

SQLite (aiosqlite) in the data directory by default; PostgreSQL (asyncpg) when several gateway processes share
state. The gateway's own table classes derive from :class:`Base` (``gateway.store.models``,
``gateway.store.models_runtime``, ``gateway.upstream.models``, ``gateway.webhooks.models``). Adapters keep their
tables on their own ``MetaData`` and create them at start-up: this module imports no adapter.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

from .base import Base
from .files import private_sqlite_file

__all__ = ["BEGIN_IMMEDIATE", "Base", "Database", "is_storage_full", "make_engine"]

#: Execution option of a connection whose transactions begin with SQLite's ``BEGIN IMMEDIATE`` (set by
#: :meth:`Database.write_session`; other engines ignore it).
BEGIN_IMMEDIATE = "sqlite_begin_immediate"

#: PostgreSQL's SQLSTATE for ``disk_full`` (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_PG_DISK_FULL = "53100"


#: Opt-in benchmark hook (bench/request_path.py): with ``XERO_GATEWAY_COUNT_STATEMENTS=1`` every engine counts the
#: statements it sends, per database name (``gateway.db``, ``ledger.db``, a PostgreSQL database), served at
#: ``GET /_debug/statements``. ``None`` (no counting, no endpoint) otherwise.
STATEMENTS: Counter[str] | None = Counter() if os.environ.get("XERO_GATEWAY_COUNT_STATEMENTS") == "1" else None


def _count_statements(engine: AsyncEngine) -> None:
    name = os.path.basename(engine.url.database or "") or "database"

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _count(*_args) -> None:
        STATEMENTS[name] += 1


def make_engine(url: str, *, durable: bool = True) -> AsyncEngine:
    """An async engine; SQLite gets WAL, foreign keys and a busy timeout so that a CLI and a server can share it,
    and ``BEGIN IMMEDIATE`` on connections carrying the :data:`BEGIN_IMMEDIATE` execution option.

    ``durable=False`` commits without waiting for the disk, for high-frequency runtime state (gateway.store.runtime)
    where an fsync per commit would cost milliseconds: SQLite ``PRAGMA synchronous=NORMAL`` (safe from corruption
    in WAL mode; the last commits may be lost on power failure, never on a process crash), PostgreSQL
    ``synchronous_commit=off`` for the engine's sessions (the last commits may be lost if the server crashes,
    never corrupted).
    """
    engine = _make_engine(url, durable=durable)
    if STATEMENTS is not None:
        _count_statements(engine)
    return engine


def _make_engine(url: str, *, durable: bool) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30})
        private_sqlite_file(engine.url.database or "")  # 0600 before SQLite creates it (gateway.store.files)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - exercised via every test
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            if not durable:
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _sqlite_begin(conn) -> None:
            # SQLAlchemy's recipe for a custom BEGIN; sqlite3 then sees the open transaction and adds no BEGIN of
            # its own. Without the option nothing is sent, so other transactions keep sqlite3's lazy BEGIN.
            if conn.get_execution_options().get(BEGIN_IMMEDIATE):
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if not durable and url.startswith("postgresql+asyncpg"):
        return create_async_engine(url, pool_pre_ping=True,
                                   connect_args={"server_settings": {"synchronous_commit": "off"}})
    return create_async_engine(url, pool_pre_ping=True)


def is_storage_full(exc: BaseException) -> bool:
    """Whether ``exc`` (a SQLAlchemy ``OperationalError``) says the database cannot grow: SQLite's ``SQLITE_FULL``
    ("database or disk is full", https://www.sqlite.org/rescode.html#full) or PostgreSQL's ``disk_full``."""
    if not isinstance(exc, OperationalError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlite_errorname", None) == "SQLITE_FULL" or "database or disk is full" in str(orig):
        return True
    return getattr(orig, "sqlstate", None) == _PG_DISK_FULL or getattr(orig, "pgcode", None) == _PG_DISK_FULL


class Database:
    """One engine plus a session factory (``expire_on_commit=False``).

    ``migrations`` names the migration tree of the database (``gateway.migrations.trees``: ``"gateway"``,
    ``"ledger"``) when the process migrates it at start-up, so that ``/readyz`` can tell whether its schema is
    current; ``None`` for extra handles on an already migrated database (the runtime engine, tests).
    """

    def __init__(self, url: str, *, base: type[DeclarativeBase] = Base, durable: bool = True,
                 migrations: str | None = None) -> None:
        self.url = url
        self.base = base
        self.migrations = migrations
        self.engine = make_engine(url, durable=durable)
        self.session = async_sessionmaker(self.engine, expire_on_commit=False, class_=AsyncSession)
        #: Called after a commit that revoked access, in this process (gateway.identity.cache.revoked): the
        #: identity caches reading this database drop their rows at once.
        self.revocation_listeners: list[Callable[[], None]] = []

    @asynccontextmanager
    async def write_session(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction that commits on success and rolls back on error, meant to write.

        On SQLite the transaction begins with ``BEGIN IMMEDIATE``: it takes the database's write lock first
        (waiting up to the busy timeout), so no read of the transaction runs before the lock, and a deferred read
        never has to upgrade to a write and fail with "database is locked"
        (https://www.sqlite.org/lang_transaction.html). Other databases begin as usual.

        Raises:
            sqlalchemy.exc.OperationalError: SQLite's lock was not free within the busy timeout (``SQLITE_BUSY``).
        """
        async with self.session() as session, session.begin():
            await session.connection(execution_options={BEGIN_IMMEDIATE: True})
            yield session

    async def create_all(self) -> None:
        """Create the missing tables of ``base`` (for the gateway's own base, every gateway table module).

        For tests and tools; a started gateway migrates its databases instead (``gateway.migrations.runner``).
        """
        if self.base is Base:
            from . import schema  # noqa: F401  (registers every gateway table module on Base.metadata)
        async with self.engine.begin() as conn:
            await conn.run_sync(self.base.metadata.create_all)

    async def dispose(self) -> None:
        """Close the engine's connections."""
        await self.engine.dispose()
