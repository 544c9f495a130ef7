"""In-process cache of what every Accounting API call checks, so that a steady-state call reads no database.

Cached, per process, in bounded LRU maps (cachetools):

- verified access tokens: the claims of a token whose signature and claims verified, keyed by the SHA-256 of the
  token and the issuer, until the token's ``exp`` (verification depends only on the token, the keys and the time:
  there is nothing to invalidate; a revoked token is refused by the checks below);
- live rows a revocation changes: an app's status, authorisation events, and the connections found live. What is
  not found is not cached (a new consent or app needs no invalidation).

Invalidation (issue 10: revocation, ``DELETE /connections`` and ``apps revoke`` end access at once in the process
that made them and within about a second in every other process on the database):

- every revoking transaction (an app disabled, an authorisation revoked, a connection deleted) calls
  :func:`bump_generation` inside it, and :func:`revoked` after its commit, which empties the caches registered on
  that :class:`~gateway.store.db.Database` handle in this process;
- every other process notices the bump with one primary-key read of ``identity_generation`` per
  ``[identity] revocation_poll_interval`` seconds (:meth:`IdentityCache.watch`) and empties its caches;
- a read that began before an emptying never refills the cache with what it found (:meth:`IdentityCache.load`),
  so a revocation that commits while a lookup is in flight is not undone by it;
- rows also age out after :data:`ROW_TTL` seconds, a bound on staleness should the watcher fail.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from cachetools import TLRUCache, TTLCache
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.store.db import Database
from gateway.store.models import IdentityGeneration
from gateway.store.models_runtime import dialect_insert

T = TypeVar("T")

log = logging.getLogger(__name__)

#: Seconds a cached row is kept at most, whatever the watcher says (a backstop, not the invalidation).
ROW_TTL = 300.0
#: Primary key of the one ``identity_generation`` row.
_ROW = 1


async def bump_generation(session: AsyncSession) -> None:
    """Count one revocation inside the caller's open transaction (one upsert of the ``identity_generation`` row):
    other processes see it at their next poll once the transaction commits, never before."""
    table = IdentityGeneration.__table__
    insert = dialect_insert(session.bind.dialect.name, IdentityGeneration).values(id=_ROW, value=1)
    await session.execute(insert.on_conflict_do_update(index_elements=[table.c.id],
                                                       set_={"value": table.c.value + 1}))


async def read_generation(db: Database) -> int:
    """The current revocation count (0 before the first revocation)."""
    async with db.session() as s:
        return int(await s.scalar(select(IdentityGeneration.value).where(IdentityGeneration.id == _ROW)) or 0)


def revoked(db: Database) -> None:
    """Empty, at once, the identity caches of this process that read ``db`` (call after the revoking commit)."""
    for listener in list(db.revocation_listeners):
        listener()


def _token_expiry(_key: Hashable, claims: dict[str, Any], _now: float) -> float:
    return float(claims["exp"])


class IdentityCache:
    """The caches of one gateway app (see the module docstring).

    Args:
        size: entries per map at most (least recently used go first).
        timer: epoch seconds (the identity :class:`~.clock.Clock`), against which tokens expire.
    """

    def __init__(self, *, size: int, timer: Callable[[], float]) -> None:
        self.tokens: TLRUCache = TLRUCache(maxsize=size, ttu=_token_expiry, timer=timer)
        self.apps: TTLCache = TTLCache(maxsize=size, ttl=ROW_TTL)
        self.events: TTLCache = TTLCache(maxsize=size, ttl=ROW_TTL)
        self.connections: TTLCache = TTLCache(maxsize=size, ttl=ROW_TTL)
        self.epoch = 0  # incremented by every emptying

    @staticmethod
    def token_key(token: str, issuer: str) -> tuple[bytes, str]:
        """The key of a verified token: its SHA-256 (the token itself is never kept) and the issuer it was checked
        against."""
        return hashlib.sha256(token.encode()).digest(), issuer

    def invalidate(self) -> None:
        """Drop every cached row (verified tokens stay: a revoked token is refused by its event and app)."""
        self.epoch += 1
        for table in (self.apps, self.events, self.connections):
            table.clear()

    async def load(self, table: TTLCache, key: Hashable, fetch: Callable[[], Awaitable[T | None]], *,
                   fresh: bool = False) -> T | None:
        """``table[key]``, else ``fetch()``, kept when found and when nothing was emptied while it ran.

        With ``fresh``, ``fetch()`` is always awaited and replaces (or, when ``None``, drops) the cached entry.
        """
        if not fresh:
            try:
                return table[key]
            except KeyError:
                pass
        epoch = self.epoch
        value = await fetch()
        if value is None:
            table.pop(key, None)
        elif epoch == self.epoch:
            table[key] = value
        return value

    async def watch(self, db: Database, *, interval: float) -> None:
        """Poll ``identity_generation`` every ``interval`` seconds and empty the caches when it moved (runs until
        cancelled). A failed read empties them too: freshness cannot be shown then."""
        try:
            known = await read_generation(db)
        except Exception:  # the database may be starting; the first poll below retries
            log.warning("identity cache: revocation count unreadable", exc_info=True)
            known = -1
        while True:
            await asyncio.sleep(interval)
            try:
                current = await read_generation(db)
            except Exception:
                log.warning("identity cache: revocation count unreadable; cache emptied", exc_info=True)
                self.invalidate()
                continue
            if current != known:
                known = current
                self.invalidate()

    def attach(self, db: Database) -> None:
        """Empty this cache whenever :func:`revoked` is called for ``db`` in this process."""
        db.revocation_listeners.append(self.invalidate)

    def detach(self, db: Database) -> None:
        if self.invalidate in db.revocation_listeners:
            db.revocation_listeners.remove(self.invalidate)
