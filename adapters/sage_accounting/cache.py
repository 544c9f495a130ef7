"""Per-business caches (cachetools): reference data and list totals, invalidated by writes through the gateway.

Two ``TTLCache`` s keyed by business:

- *reference data* (ledger accounts, bank accounts, tax rates, products, services, currencies, financial settings,
  the business itself): one entry per ``(business, kind)``, loaded on first need (:meth:`RefCache.get` takes the
  loader), kept ``ttl`` seconds, dropped by :meth:`RefCache.invalidate` when the gateway writes that kind. Changes
  made in Sage itself show after at most ``ttl`` seconds.
- *totals*: ``$total`` of a Sage list under given filters, per ``(business, resource, filters)``, for Xero's
  ``pagination`` and to place a page across the resources of one Xero collection (Invoices = sales + purchase
  invoices). Every list answer refreshes the total it reports; a write to a resource drops its totals
  (:meth:`RefCache.invalidate_totals`).

Concurrent callers for one business share one load (a per-business ``asyncio.Lock``): a burst of requests on a
cold cache costs one upstream load per kind, not one per request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from cachetools import TTLCache

#: Seconds reference data is kept.
DEFAULT_TTL = 300.0
#: Seconds a list total is kept.
DEFAULT_TOTAL_TTL = 120.0
#: Entries kept.
MAX_ENTRIES = 50_000

Loader = Callable[[list[str]], Awaitable[dict[str, Any]]]


class RefCache:
    """Reference data and list totals per business.

    Args:
        ttl: seconds a reference entry lives.
        total_ttl: seconds a total lives.
        timer: the clock of both caches (tests move it instead of sleeping).
    """

    def __init__(self, *, ttl: float = DEFAULT_TTL, total_ttl: float = DEFAULT_TOTAL_TTL,
                 timer: Callable[[], float] | None = None) -> None:
        extra = {"timer": timer} if timer is not None else {}
        self._data: TTLCache[tuple[str, str], Any] = TTLCache(MAX_ENTRIES, ttl, **extra)
        self._totals: TTLCache[tuple[str, str, str], int] = TTLCache(MAX_ENTRIES, total_ttl, **extra)
        self._locks: dict[str, asyncio.Lock] = {}

    def _lock(self, business_id: str) -> asyncio.Lock:
        lock = self._locks.get(business_id)
        if lock is None:
            lock = self._locks[business_id] = asyncio.Lock()
        return lock

    async def get(self, business_id: str, kinds: Iterable[str], loader: Loader) -> dict[str, Any]:
        """The cached value of each of ``kinds``, loading the missing ones with one ``loader`` call.

        Args:
            business_id: the Sage business.
            kinds: reference kinds needed.
            loader: ``missing kinds → {kind: value}``.
        """
        wanted = list(dict.fromkeys(kinds))
        found = {k: self._data.get((business_id, k)) for k in wanted}
        if all(v is not None for v in found.values()):
            return found
        async with self._lock(business_id):
            found = {k: self._data.get((business_id, k)) for k in wanted}
            missing = [k for k, v in found.items() if v is None]
            if missing:
                loaded = await loader(missing)
                for kind in missing:
                    self._data[(business_id, kind)] = loaded[kind]
                    found[kind] = loaded[kind]
        return found

    def invalidate(self, business_id: str, *kinds: str) -> None:
        """Drop ``kinds`` of ``business_id`` (after a write through the gateway)."""
        for kind in kinds:
            self._data.pop((business_id, kind), None)

    # Totals -------------------------------------------------------------------------------------------------

    def total(self, business_id: str, resource: str, filters: str) -> int | None:
        """The cached ``$total`` of ``resource`` under ``filters`` (a canonical text of the list parameters)."""
        return self._totals.get((business_id, resource, filters))

    def set_total(self, business_id: str, resource: str, filters: str, value: int) -> None:
        self._totals[(business_id, resource, filters)] = value

    def invalidate_totals(self, business_id: str, *resources: str) -> None:
        """Drop every total of ``resources`` in ``business_id``."""
        wanted = set(resources)
        for key in [k for k in list(self._totals.keys()) if k[0] == business_id and k[1] in wanted]:
            self._totals.pop(key, None)
