"""Per-realm caches (cachetools): reference data and row counts, invalidated by writes through the gateway.

Two caches, both ``TTLCache`` keyed by realm:

- *reference data* (accounts, items, tax codes and rates, customers' and vendors' names, classes, departments,
  company settings…): one entry per ``(realm, kind)``, loaded on first need for every missing kind in one upstream
  request (:meth:`RefCache.get` takes the loader), kept ``ttl`` seconds, dropped by :meth:`RefCache.invalidate` when
  the gateway writes that kind. Changes made in QuickBooks itself show after at most ``ttl`` seconds.
- *counts*: the number of rows a pushed-down filter matches, per ``(realm, entity, WHERE text)``, for Xero's
  ``pagination`` and for paging across entities; dropped for an entity whenever the gateway writes it
  (:meth:`RefCache.invalidate_counts`).

Concurrent callers of the same realm share one load (a per-realm ``asyncio.Lock``): a burst of requests on a cold
cache costs one upstream load, not one per request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from cachetools import TTLCache

#: Seconds reference data is kept (changes made directly in QuickBooks show after at most this long).
DEFAULT_TTL = 300.0
#: Seconds a row count is kept.
DEFAULT_COUNT_TTL = 120.0
#: Entries kept (kinds × realms; counts × realms).
MAX_ENTRIES = 50_000

Loader = Callable[[list[str]], Awaitable[dict[str, Any]]]


class RefCache:
    """Reference data and counts per realm.

    Args:
        ttl: seconds a reference-data entry lives.
        count_ttl: seconds a count lives.
        timer: the clock of both caches (tests move it instead of sleeping).
    """

    def __init__(self, *, ttl: float = DEFAULT_TTL, count_ttl: float = DEFAULT_COUNT_TTL,
                 timer: Callable[[], float] | None = None) -> None:
        extra = {"timer": timer} if timer is not None else {}
        self._data: TTLCache[tuple[str, str], Any] = TTLCache(MAX_ENTRIES, ttl, **extra)
        self._counts: TTLCache[tuple[str, str, str], int] = TTLCache(MAX_ENTRIES, count_ttl, **extra)
        self._locks: dict[str, asyncio.Lock] = {}

    def _lock(self, realm_id: str) -> asyncio.Lock:
        lock = self._locks.get(realm_id)
        if lock is None:
            lock = self._locks[realm_id] = asyncio.Lock()
        return lock

    async def get(self, realm_id: str, kinds: Iterable[str], loader: Loader) -> dict[str, Any]:
        """The cached value of each of ``kinds``, loading the missing ones with one ``loader`` call.

        Args:
            realm_id: the company.
            kinds: the reference kinds needed.
            loader: ``missing kinds → {kind: value}`` (one upstream request for all of them).

        Returns:
            ``{kind: value}`` for every requested kind.
        """
        wanted = list(dict.fromkeys(kinds))
        found = {k: self._data.get((realm_id, k)) for k in wanted}
        if all(v is not None for v in found.values()):
            return found
        async with self._lock(realm_id):
            found = {k: self._data.get((realm_id, k)) for k in wanted}
            missing = [k for k, v in found.items() if v is None]
            if missing:
                loaded = await loader(missing)
                for kind in missing:
                    self._data[(realm_id, kind)] = loaded[kind]
                    found[kind] = loaded[kind]
        return found

    def peek(self, realm_id: str, kind: str) -> Any:
        """The cached value of ``kind`` or ``None`` (no loading)."""
        return self._data.get((realm_id, kind))

    def invalidate(self, realm_id: str, *kinds: str) -> None:
        """Drop ``kinds`` of ``realm_id`` (after a write through the gateway)."""
        for kind in kinds:
            self._data.pop((realm_id, kind), None)

    # Counts -------------------------------------------------------------------------------------------------

    def count(self, realm_id: str, entity: str, where: str) -> int | None:
        """The cached row count of ``entity`` under ``where`` (QBO WHERE text), or ``None``."""
        return self._counts.get((realm_id, entity, where))

    def set_count(self, realm_id: str, entity: str, where: str, value: int) -> None:
        self._counts[(realm_id, entity, where)] = value

    def invalidate_counts(self, realm_id: str, *entities: str) -> None:
        """Drop every count of ``entities`` in ``realm_id``."""
        wanted = set(entities)
        for key in [k for k in list(self._counts.keys()) if k[0] == realm_id and k[1] in wanted]:
            self._counts.pop(key, None)
