"""How the native ledger's writes share its database with other tenants and other gateway processes.

- In this process, writes of one tenant queue behind each other (:class:`TenantQueues`); writes of different
  tenants never wait for each other here.
- Across processes the database serialises a tenant's writes: every write transaction first locks the tenant's
  company row (PostgreSQL ``SELECT … FOR UPDATE``, :meth:`adapters.native.books.Books.load`), or takes SQLite's
  single write lock at ``BEGIN IMMEDIATE`` (:meth:`gateway.store.db.Database.write_session`). Every number a write
  hands out (journals, invoices, credit notes…) is read and advanced under that lock, so numbering is race-free.
- What concurrency can still make fail — SQLite busy after its timeout, a PostgreSQL deadlock or serialization
  failure — rolls the whole transaction back and is retried a bounded number of times (:func:`retried`); after the
  last attempt the client gets :class:`LedgerBusy` (a 503), never a 500.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_random_exponential

from gateway.xero.errors import XeroApiError

T = TypeVar("T")

#: Attempts of one write before :class:`LedgerBusy` (each SQLite attempt already waited its busy timeout).
ATTEMPTS = 4
#: SQLite result codes of a lock held by another connection (https://www.sqlite.org/rescode.html#busy).
_SQLITE_CONTENTION = frozenset({"SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY", "SQLITE_LOCKED",
                                "SQLITE_LOCKED_SHAREDCACHE"})
#: PostgreSQL SQLSTATEs that say "run the transaction again"
#: (https://www.postgresql.org/docs/current/mvcc-serialization-failure-handling.html): serialization_failure,
#: deadlock_detected, lock_not_available.
_PG_CONTENTION = frozenset({"40001", "40P01", "55P03"})


class LedgerBusy(XeroApiError):
    """HTTP 503 with ``Retry-After``: the tenant's ledger stayed locked by other writes through every attempt.

    Xero answers 503 with a plain-text body when it is offline (shared/notes/xero-contract.md §3, 503 row); the
    message and the delay are ours. Nothing of the write was kept: the client may send it again.
    """

    status = 503

    def __init__(self, retry_after: int = 1) -> None:
        super().__init__("The service is temporarily unavailable: the organisation's ledger is busy with other "
                         "writes. Nothing was saved; retry later.", headers={"Retry-After": str(retry_after)})

    def body(self) -> str:
        return self.message


def is_contention(exc: BaseException) -> bool:
    """Whether ``exc`` is a database error that another connection's locks caused, so that the same transaction
    may succeed when run again: SQLite ``SQLITE_BUSY``/``SQLITE_LOCKED`` ("database is locked"), PostgreSQL
    serialization failure, deadlock or lock timeout."""
    if not isinstance(exc, DBAPIError):
        return False
    orig = exc.orig
    name = getattr(orig, "sqlite_errorname", None)
    if name is not None:
        return name in _SQLITE_CONTENTION
    if "database is locked" in str(orig) or "database table is locked" in str(orig):
        return True
    return getattr(orig, "sqlstate", None) in _PG_CONTENTION


async def retried(attempt: Callable[[], Awaitable[T]], *, attempts: int = ATTEMPTS) -> T:
    """Run ``attempt`` (one whole transaction: it begins, works and commits or rolls back) until it does not fail
    with contention, at most ``attempts`` times, waiting a random, growing delay (up to 0.5 s) in between.

    Raises:
        LedgerBusy: every attempt failed with contention (:func:`is_contention`), or no pooled connection was free
            within the pool's timeout (not retried: that wait was already long).
        Exception: any other error of ``attempt``, at once.
    """
    retrying = AsyncRetrying(stop=stop_after_attempt(attempts), wait=wait_random_exponential(multiplier=0.02, max=0.5),
                             retry=retry_if_exception(is_contention), reraise=True)
    try:
        return await retrying(attempt)
    except PoolTimeout as exc:
        raise LedgerBusy() from exc
    except DBAPIError as exc:
        if is_contention(exc):
            raise LedgerBusy() from exc
        raise


class TenantQueues:
    """One ``asyncio.Lock`` per tenant with a write in flight in this process.

    The locks are held weakly: a tenant's lock lives while a write holds or awaits it, so memory is bounded by the
    writes in flight, not by the number of tenants ever served.
    """

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    @asynccontextmanager
    async def turn(self, tenant_id: str) -> AsyncIterator[None]:
        """Wait for the tenant's earlier writes of this process, then hold the tenant's turn."""
        lock = self._locks.get(tenant_id)
        if lock is None:
            lock = self._locks[tenant_id] = asyncio.Lock()
        async with lock:
            yield

    def __len__(self) -> int:
        """How many tenants have a lock alive (a write holding or awaiting it)."""
        return len(self._locks)
