"""Per-tenant caches (cachetools): reference data and row counts, invalidated by writes through the gateway.

Two ``TTLCache`` s keyed by tenant (QBO realm, Sage business):

- *reference data* (accounts, items, tax codes, settings…): one entry per ``(tenant, kind)``, loaded on first need
  for every missing kind with one loader call (:meth:`RefCache.get`), kept ``ttl`` seconds, dropped by
  :meth:`RefCache.invalidate` when the gateway writes that kind. Changes made at the source itself show after at most
  ``ttl`` seconds.
- *counts*: the number of rows a pushed-down filter matches (QBO ``COUNT(*)``, Sage ``$total``), per
  ``(tenant, kind, filter text)``, for Xero's ``pagination`` and to place a page across several upstream streams;
  dropped for a kind whenever the gateway writes it (:meth:`RefCache.invalidate_counts`).

Concurrent callers of one tenant share one load (a per-tenant ``asyncio.Lock``): a burst of requests on a cold
cache costs one upstream load, not one per request.

Every stored reference value carries a *stamp*, a number this process never gives twice
(:meth:`RefCache.get_stamped`): two reads with the same stamp saw the same value object. A cache of translated records
keys on the stamps of the reference data it translated with (:mod:`adapters.qbo.translated`), so that a reload or an
invalidation of any kind is never served a translation made with the old value.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from cachetools import TTLCache

#: Seconds reference data is kept (changes made directly at the source show after at most this long).
DEFAULT_TTL = 300.0
#: Seconds a row count is kept.
DEFAULT_COUNT_TTL = 120.0
#: Entries kept (kinds × tenants; counts × tenants).
MAX_ENTRIES = 50_000

#: ``missing kinds → {kind: value}`` (one upstream load for all of them).
Loader = Callable[[list[str]], Awaitable[dict[str, Any]]]


class RefCache:
    """Reference data and counts per tenant.

    Args:
        ttl: seconds a reference-data entry lives.
        count_ttl: seconds a count lives.
        timer: the clock of both caches (tests move it instead of sleeping).
    """

    def __init__(self, *, ttl: float = DEFAULT_TTL, count_ttl: float = DEFAULT_COUNT_TTL,
                 timer: Callable[[], float] | None = None) -> None:
        extra = {"timer": timer} if timer is not None else {}
        # (tenant, kind) → (stamp, value)
        self._data: TTLCache[tuple[str, str], tuple[int, Any]] = TTLCache(MAX_ENTRIES, ttl, **extra)
        self._stamps = itertools.count(1)
        self._counts: TTLCache[tuple[str, str, str], int] = TTLCache(MAX_ENTRIES, count_ttl, **extra)
        self._locks: dict[str, asyncio.Lock] = {}

    def _lock(self, tenant_key: str) -> asyncio.Lock:
        lock = self._locks.get(tenant_key)
        if lock is None:
            lock = self._locks[tenant_key] = asyncio.Lock()
        return lock

    async def get(self, tenant_key: str, kinds: Iterable[str], loader: Loader) -> dict[str, Any]:
        """The cached value of each of ``kinds``, loading the missing ones with one ``loader`` call.

        Args:
            tenant_key: the tenant at the source.
            kinds: the reference kinds needed.
            loader: ``missing kinds → {kind: value}``.

        Returns:
            ``{kind: value}`` for every requested kind.
        """
        return {kind: value for kind, (_, value) in (await self.get_stamped(tenant_key, kinds, loader)).items()}

    async def get_stamped(self, tenant_key: str, kinds: Iterable[str], loader: Loader) -> dict[str, tuple[int, Any]]:
        """As :meth:`get`, each value with its stamp (module docstring): ``{kind: (stamp, value)}``, read together so
        that a stamp always names the value returned beside it."""
        wanted = list(dict.fromkeys(kinds))
        data = self._data
        found = {k: data.get((tenant_key, k)) for k in wanted}
        if all(v is not None and v[1] is not None for v in found.values()):
            return found  # type: ignore[return-value]
        async with self._lock(tenant_key):
            found = {k: data.get((tenant_key, k)) for k in wanted}
            missing = [k for k, v in found.items() if v is None or v[1] is None]
            if missing:
                loaded = await loader(missing)
                for kind in missing:
                    entry = (next(self._stamps), loaded[kind])
                    data[(tenant_key, kind)] = entry
                    found[kind] = entry
        return found  # type: ignore[return-value]

    def peek(self, tenant_key: str, kind: str) -> Any:
        """The cached value of ``kind`` or ``None`` (no loading)."""
        entry = self._data.get((tenant_key, kind))
        return entry[1] if entry is not None else None

    def invalidate(self, tenant_key: str, *kinds: str) -> None:
        """Drop ``kinds`` of ``tenant_key`` (after a write through the gateway)."""
        for kind in kinds:
            self._data.pop((tenant_key, kind), None)

    # Counts ---------------------------------------------------------------------------------------------------------

    def count(self, tenant_key: str, kind: str, where: str) -> int | None:
        """The cached row count of ``kind`` under ``where`` (the upstream filter as text), or ``None``."""
        return self._counts.get((tenant_key, kind, where))

    def set_count(self, tenant_key: str, kind: str, where: str, value: int) -> None:
        """Remember a row count (an upstream count, or one a short last page proved)."""
        self._counts[(tenant_key, kind, where)] = value

    def invalidate_counts(self, tenant_key: str, *kinds: str) -> None:
        """Drop every count of ``kinds`` in ``tenant_key``."""
        wanted = set(kinds)
        for key in [k for k in list(self._counts.keys()) if k[0] == tenant_key and k[1] in wanted]:
            self._counts.pop(key, None)
