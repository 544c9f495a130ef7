"""Each company's data version: bumped in the transaction of every change to any of its rows, so that answers of
reads can be cached under it (the gateway's answer cache, ``gateway/api/answer_cache.py``, issue 10).

The version is ``chart_versions.data_version`` (:class:`~adapters.native.tables.chart.ChartVersion`). Two session
events bump it, so no writer can forget it:

- after every flush, for each company a new, changed or deleted ORM row belongs to (its ``company_id``, a
  :class:`~adapters.native.tables.core.Company`'s own id; a child row without ``company_id``, such as a line item,
  belongs to the company whose books the session loaded, :data:`COMPANY`);
- before every INSERT, UPDATE or DELETE statement run through a session (Core or ORM-enabled DML, which no flush
  sees), for the session's company.

Where the company is not known (no books loaded in the session), every company's version is bumped: correct, only
less cached. The bump is an ``UPDATE`` in the same transaction as the change, so a reader in any process sharing the
database sees the new version exactly when it can see the new rows. A company without a ``chart_versions`` row
(none was ever written since the table exists) has no data version and its reads are not cached
(:func:`read_version`). Statements sent on a connection outside any session are not seen: the native adapter sends
none that write.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from gateway.store import db as gateway_db

from .tables.base import NativeBase
from .tables.chart import ChartVersion
from .tables.core import Company
from .tables.keys import KeyedWrite

#: ``Session.info`` key: the id of the company whose books the session loaded (set by ``Books.load``).
COMPANY = "native_company_id"

#: Rows that are no answer of any read: writing them bumps nothing (the Idempotency-Key record of a write).
_NOT_DATA: tuple[type[Any], ...] = (KeyedWrite,)

#: ``Session.info`` key: (the innermost transaction, the companies already bumped in it).
_BUMPED = "native_data_bumped"

_NOT_DATA_TABLES = frozenset({KeyedWrite.__tablename__, ChartVersion.__tablename__})

#: Stands for every company (a change whose company is not known).
ALL = "*"


def _company_of(obj: Any, session: Session) -> str:
    if isinstance(obj, Company):
        return obj.id
    company_id = getattr(obj, "company_id", None)
    return company_id or session.info.get(COMPANY) or ALL


def _changed_companies(session: Session) -> set[str]:
    rows = [*session.new, *session.deleted]
    rows.extend(obj for obj in session.dirty if session.is_modified(obj, include_collections=False))
    return {_company_of(obj, session) for obj in rows
            if isinstance(obj, NativeBase) and not isinstance(obj, _NOT_DATA)}


def _not_yet_bumped(session: Session, companies: set[str]) -> set[str]:
    """The companies of ``companies`` not bumped yet in the session's innermost transaction (a rolled-back
    savepoint takes its bump with it, and the next change in the enclosing transaction bumps again)."""
    transaction = session.get_nested_transaction() or session.get_transaction()
    held = session.info.get(_BUMPED)
    if held is None or held[0] is not transaction:
        held = session.info[_BUMPED] = (transaction, set())
    if ALL in held[1]:
        return set()
    fresh = companies - held[1]
    held[1].update(fresh)
    return fresh


def _bump(session: Session, companies: set[str]) -> None:
    companies = _not_yet_bumped(session, companies)
    if not companies:
        return
    connection = session.connection()
    if ALL in companies:
        connection.execute(update(ChartVersion).values(data_version=ChartVersion.data_version + 1))
        return
    for company_id in sorted(companies):
        bumped = connection.execute(update(ChartVersion).where(ChartVersion.company_id == company_id)
                                    .values(data_version=ChartVersion.data_version + 1))
        if not bumped.rowcount:
            connection.execute(insert(ChartVersion).values(company_id=company_id, version=0, data_version=1))


def after_flush(session: Session, _flush: UOWTransaction) -> None:
    """Bump the data version of every company whose rows this flush wrote (called by the native ORM's
    ``after_flush`` listener, :func:`adapters.native.chart_cache._bump_versions`)."""
    if changed := _changed_companies(session):
        _bump(session, changed)


def before_dml(state: ORMExecuteState) -> None:
    """Bump the session's company's data version (every company's when unknown) before an INSERT, UPDATE or
    DELETE statement sent through the session (a ``do_orm_execute`` listener)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if NativeBase.metadata.tables.get(name) is not table or name in _NOT_DATA_TABLES:
        return  # another database's table (the gateway's own sessions), or no company data
    _bump(state.session, {state.session.info.get(COMPANY) or ALL})


#: Seconds a version read on SQLite waits for a lock (a WAL reader waits only while a checkpoint restarts the
#: log); on timeout the read is answered uncached.
SQLITE_READ_TIMEOUT = 0.5

_VERSION_SQL = "SELECT data_version FROM chart_versions WHERE company_id = ?"  # ChartVersion's table


class VersionReader:
    """Reads companies' data versions: one primary-key statement per read, the cost that a kept answer still pays.

    On a SQLite file the statement runs on a plain ``sqlite3`` connection of its own in the calling thread (the
    event loop's): some 20 µs, against about a millisecond through SQLAlchemy's async engine and aiosqlite's
    thread (issue 10's measurements). In WAL mode every statement of an autocommit connection reads the latest
    committed state, so a change committed by any process is seen by the next read. Other databases use the engine.

    Args:
        engine: the ledger's engine (its URL names the SQLite file).
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        url = engine.url
        self._path = url.database if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") \
            else None
        self._sqlite: sqlite3.Connection | None = None

    async def read(self, company_id: str) -> int | None:
        """The company's data version; ``None`` when the company has no version row or SQLite stayed locked (its
        answers are then not cached)."""
        if self._path is None:
            async with self.engine.connect() as connection:
                return await connection.scalar(select(ChartVersion.data_version)
                                               .where(ChartVersion.company_id == company_id))
        if gateway_db.STATEMENTS is not None:  # the benchmark's statement counter counts this one too
            gateway_db.STATEMENTS[self._path.rsplit("/", 1)[-1]] += 1
        try:
            if self._sqlite is None:
                self._sqlite = sqlite3.connect(self._path, timeout=SQLITE_READ_TIMEOUT, isolation_level=None)
            row = self._sqlite.execute(_VERSION_SQL, (company_id,)).fetchone()
        except sqlite3.Error:  # locked past the timeout, or another thread's connection: answered uncached
            return None
        return None if row is None else int(row[0])

    def close(self) -> None:
        """Close the SQLite connection (the next read opens another)."""
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
