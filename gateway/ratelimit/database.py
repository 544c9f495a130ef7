"""Rate-limit counters and concurrency leases in the gateway's database, shared by every process that uses it
(``[rate_limits] store = "database"``).

The store for deployments of several processes on PostgreSQL without Redis (:mod:`.memory` and
:mod:`.redis_store` cost the database nothing). One admission is one short transaction of two statements
(SQLAlchemy Core on the runtime engine, gateway.store.runtime):

1. one multi-row ``INSERT … ON CONFLICT DO UPDATE SET count = count + excluded.count … RETURNING`` on the tenant's
   minute and day counters, the app's minute counter (fixed windows, +1 each) and the tenant's ``concurrent:`` row
   (+0: it only takes the row lock that serialises the lease count below across processes; PostgreSQL's
   ``DO UPDATE`` locks the conflicting row even when nothing changes, SQLite locks the database for any write).
   The upsert is atomic in SQLite ≥ 3.35 and PostgreSQL; rows are always written in that order, so two
   transactions never wait on each other in a cycle;
2. when no counter is over its limit, ``INSERT INTO runtime_rate_leases … SELECT … WHERE (live leases of the
   tenant) < limit RETURNING id``: the lease is taken only while a slot is free.

Over any limit the transaction is rolled back, so a refused call consumes nothing, and
:class:`~.limiter.RateLimitExceeded` (a :class:`~gateway.xero.errors.RateLimited`) is raised. A full disk is raised
as :class:`~.limiter.CountersFull`.

The lease is deleted when the call ends (:meth:`DatabaseRateLimiter.release`); a process that dies first leaves a lease
that stops counting at its expiry (``concurrency_lease`` seconds). Expired counters and leases are purged at most
once a minute per process, on the admission path.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy import Float, String, delete, func, literal, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway.store.db import Database, is_storage_full
from gateway.store.models_runtime import RateCounter, RateLease, dialect_insert

from .limiter import Admission, CountersFull, Used
from .policy import DAY, MINUTE, PROBLEM_CONCURRENT, Limits, Scopes, Windows

#: Seconds between two purges of expired rows by one process.
PURGE_INTERVAL = 60.0


@asynccontextmanager
async def _full_disk_as_counters_full() -> AsyncIterator[None]:
    try:
        yield
    except OperationalError as exc:
        if is_storage_full(exc):
            raise CountersFull(str(exc.orig)) from exc
        raise


class DatabaseRateLimiter:
    """Xero's limits over the gateway's database (a :class:`~.limiter.RateLimiter`).

    Args:
        db: the gateway's database (SQLite or PostgreSQL).
        limits: the configured limits.
        clock: epoch seconds (``time.time``; tests replace it to move between windows).
    """

    def __init__(self, db: Database, limits: Limits, *, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.limits = limits
        self.clock = clock
        self._dialect = db.engine.dialect.name
        self._autocommit = db.engine.execution_options(isolation_level="AUTOCOMMIT")  # single statements
        self._next_purge = 0.0

    async def _count(self, conn: AsyncConnection, rows: list[tuple[str, int, int, int]]) -> dict[str, int]:
        """Add to counters in one upsert: ``rows`` are ``(scope, window_start, expires_at, increment)``; returns
        the new count per scope."""
        table = RateCounter.__table__
        stmt = dialect_insert(self._dialect, RateCounter).values(
            [{"scope": scope, "window_start": window, "expires_at": expires, "count": by}
             for scope, window, expires, by in rows])
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.scope, table.c.window_start],
            set_={"count": table.c.count + stmt.excluded.count, "expires_at": stmt.excluded.expires_at},
        ).returning(table.c.scope, table.c.count)
        return {scope: int(count) for scope, count in (await conn.execute(stmt)).all()}

    async def _take_lease(self, conn: AsyncConnection, lease_id: str, scope: str, now: float) -> bool:
        """Insert the lease if fewer than ``concurrent`` live leases hold the scope; whether it was taken."""
        table = RateLease.__table__
        live = (select(func.count()).select_from(table)
                .where(table.c.scope == scope, table.c.expires_at > now).scalar_subquery())
        stmt = table.insert().from_select(
            ["id", "scope", "expires_at"],
            select(literal(lease_id, String), literal(scope, String), literal(now + self.limits.lease, Float))
            .where(live < self.limits.concurrent),
        ).returning(table.c.id)
        return (await conn.execute(stmt)).first() is not None

    async def admit(self, *, code: str, client_id: str, tenant_id: str) -> Admission:
        """:meth:`.limiter.RateLimiter.admit` (``CountersFull``: the disk is full)."""
        async with _full_disk_as_counters_full():
            return await self._admit(code=code, client_id=client_id, tenant_id=tenant_id)

    async def _admit(self, *, code: str, client_id: str, tenant_id: str) -> Admission:
        now = self.clock()
        await self._maybe_purge(now)
        windows = Windows.at(now)
        scopes = Scopes.of(code=code, client_id=client_id, tenant_id=tenant_id)
        limits = self.limits
        lease_id = str(uuid.uuid4())
        async with self.db.engine.begin() as conn:
            counts = await self._count(conn, [
                (scopes.minute, windows.minute, windows.minute + MINUTE, 1),
                (scopes.day, windows.day, windows.day + DAY, 1),
                (scopes.app_minute, windows.minute, windows.minute + MINUTE, 1),
                (scopes.concurrent, 0, int(now) + limits.lease + MINUTE, 0),
            ])
            # The upsert returned the counts with this call's own increment.
            used = Used(counts[scopes.minute] - 1, counts[scopes.day] - 1, counts[scopes.app_minute] - 1)
            problems = used.over(limits)
            if not problems and not await self._take_lease(conn, lease_id, scopes.concurrent, now):
                problems.append(PROBLEM_CONCURRENT)
            if problems:
                # Raising rolls the transaction back: a refused call consumes nothing.
                raise used.refusal(limits, windows, problems)
        return used.admission(limits, lease_id, scopes.concurrent)

    async def release(self, admission: Admission) -> None:
        """Free the concurrency slot of an admitted call (idempotent).

        Raises:
            CountersFull: the disk is full (the lease frees itself at its expiry).
        """
        async with _full_disk_as_counters_full(), self._autocommit.connect() as conn:
            await conn.execute(delete(RateLease).where(RateLease.id == admission.lease_id))

    async def live_leases(self, *, code: str, client_id: str, tenant_id: str) -> int:
        """Calls in progress for one app and tenant right now (for tests and operators)."""
        scope = Scopes.of(code=code, client_id=client_id, tenant_id=tenant_id).concurrent
        async with self.db.engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(RateLease)
                                         .where(RateLease.scope == scope, RateLease.expires_at > self.clock())) or 0)

    async def close(self) -> None:
        """Nothing to close: the database belongs to the app (:data:`gateway.appkeys.RUNTIME_DB`)."""

    async def _maybe_purge(self, now: float) -> None:
        if now < self._next_purge:
            return
        self._next_purge = now + PURGE_INTERVAL
        await self.purge(now)

    async def purge(self, now: float) -> None:
        """Delete counters whose window ended and leases that expired before ``now`` (epoch seconds)."""
        async with self.db.engine.begin() as conn:
            await conn.execute(delete(RateCounter).where(RateCounter.expires_at < now))
            await conn.execute(delete(RateLease).where(RateLease.expires_at < now))
