"""Per-realm reference data for the QBO adapter: the cache (:class:`adapters.common.refcache.RefCache`, keyed by
``realmId``; counts keyed by entity and QBO WHERE text) and its loader.

Reference kinds (accounts, items, tax codes and rates, customers' and vendors' names, classes, departments, company
settings…, :data:`adapters.qbo.refdata.KINDS`) are loaded on first need: the first page of every missing kind in one
upstream request (``POST /batch``), further pages as needed (:func:`load`). Changes made in QuickBooks itself show
after at most the cache's ``ttl`` seconds; writes through the gateway drop what they make stale
(:meth:`adapters.qbo.unit.QboUnit.invalidate`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from adapters.common.refcache import DEFAULT_COUNT_TTL, DEFAULT_TTL, RefCache

from . import refdata

__all__ = ["DEFAULT_COUNT_TTL", "DEFAULT_TTL", "RefCache", "load"]


async def load(missing: list[str], *, queries: Callable[[list[str]], Awaitable[list[dict[str, Any]]]],
               query: Callable[[str], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
    """Load reference kinds: the first page of each in one request, further pages one query each.

    Args:
        missing: kind names (:data:`adapters.qbo.refdata.KINDS`).
        queries: runs several QBO queries in as few requests as possible (``QueryResponse`` objects, in order).
        query: runs one QBO query.

    Returns:
        ``{kind name: built value}`` (:func:`adapters.qbo.refdata.build`).
    """
    kinds = [refdata.KINDS[name] for name in missing]
    answers = await queries([refdata.page_query(kind, 1) for kind in kinds])
    out = {}
    for kind, answer in zip(kinds, answers, strict=True):
        rows = list(answer.get(kind.entity) or [])
        start = 1
        while len(rows) - (start - 1) == refdata.PAGE:
            start += refdata.PAGE
            more = await query(refdata.page_query(kind, start))
            rows.extend(more.get(kind.entity) or [])
        out[kind.name] = refdata.build(kind.name, rows)
    return out
