"""Running a list :class:`~adapters.sage_accounting.query.Plan` with Xero's page semantics and as few Sage calls as
possible: the Sage half of listing; the Xero half (filter, sort and page translated models; ``pagination``) is
:mod:`adapters.common.listing`.

Xero paging (xero-contract.md §2): without ``page`` every match is returned; with ``page`` the matches
``(page-1)·pageSize … page·pageSize-1`` of the ordered result, and ``pagination {page, pageSize, pageCount,
itemCount}``. Sage pages with ``page`` and ``items_per_page`` ≤ 200, and answers a page beyond the last with the last
page (upstream-contracts.md §2 "Lists"): the gateway never asks for one it knows is beyond, and drops an answer whose
``$page`` is not the page asked.

Modes:

1. *Exact plan, paged* (nothing residual, no client order, one Xero object per Sage record): Sage pages. The Xero page
   is a window of the streams' rows one after the other (default order); each stream's part of it is fetched with the
   fewest calls (:func:`cover`: one call whenever an ``items_per_page`` ≤ 200 exists whose page holds the whole part,
   which is always the case for a page of at most 200 lying in one stream); the streams' ``$total`` s, cached per
   filter (:mod:`adapters.sage_accounting.cache`) and refreshed by every list answer, place the window and give
   ``pagination.itemCount``. A page of 100 invoices with warm totals is one list call.
2. *Exact plan, unpaged*: every row, 200 per call.
3. *Otherwise*: every row the pushed filters match is read (200 per call, at most :data:`MAX_SCAN` rows, beyond which
   the filter is refused as Xero refuses unoptimised filters on large organisations, xero-contract.md §7),
   translated, filtered with the residual ``where`` and ``searchTerm``, sorted by the client's ``order`` (a stable
   sort over the default order), and paged in the gateway; ``itemCount`` is then exact.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from adapters.common import listing as common_listing
from adapters.common.listing import Listed, empty, pagination, searched
from gateway.xero.errors import ValidationException
from gateway.xero.models import XeroModel
from gateway.xero.request import ListQuery

from .client import MAX_ITEMS_PER_PAGE
from .query import Plan, Stream
from .unit import SageUnit

#: Most Sage rows one Xero list may read in mode 3.
MAX_SCAN = 10_000
#: The message of a filter needing more (ours; Xero's own wording for its refusal is unconfirmed).
TOO_BROAD = ("The filter is too broad for this organisation's ledger to evaluate: narrow it with Type, Contact, Date, "
             "Status or If-Modified-Since.")

Rows = list[tuple[Stream, dict[str, Any]]]
Translate = Callable[[Rows], Awaitable[list[XeroModel]]]


def cover(start: int, length: int) -> list[tuple[int, int]]:
    """``(page, items_per_page)`` calls covering rows ``start … start+length-1`` (0-based) of one resource.

    One call when possible: ``items_per_page = length`` when ``start`` is a multiple of it, else the smallest size
    ≤ 200 whose page holds the whole range; otherwise consecutive pages of 200.
    """
    if length <= 0:
        return []
    if length <= MAX_ITEMS_PER_PAGE:
        if start % length == 0:
            return [(start // length + 1, length)]
        for size in range(length, MAX_ITEMS_PER_PAGE + 1):
            if start // size == (start + length - 1) // size:
                return [(start // size + 1, size)]
    first, last = start // MAX_ITEMS_PER_PAGE, (start + length - 1) // MAX_ITEMS_PER_PAGE
    return [(p + 1, MAX_ITEMS_PER_PAGE) for p in range(first, last + 1)]


async def fetch_window(unit: SageUnit, stream: Stream, start: int, length: int
                       ) -> tuple[list[dict[str, Any]], int | None]:
    """Rows ``start … start+length-1`` of a stream, and the ``$total`` Sage reported (``None`` if it did not)."""
    rows: list[dict[str, Any]] = []
    total: int | None = None
    for page, size in cover(start, length):
        answer = await unit.list_page(stream, page=page, items_per_page=size)
        total = answer.total if answer.total is not None else total
        if answer.page != page:
            break
        first = (page - 1) * size
        for index, row in enumerate(answer.items, start=first):
            if start <= index < start + length:
                rows.append(row)
        if len(answer.items) < size:
            break
    return rows, total


async def fetch_all(unit: SageUnit, streams: Sequence[Stream]) -> Rows:
    """Every row of ``streams`` (200 per call, :data:`MAX_SCAN` at most).

    Raises:
        ValidationException: more than :data:`MAX_SCAN` rows.
    """
    out: Rows = []
    for stream in streams:
        page = 1
        while True:
            answer = await unit.list_page(stream, page=page, items_per_page=MAX_ITEMS_PER_PAGE)
            if answer.page != page:
                break
            out.extend((stream, row) for row in answer.items)
            if len(out) > MAX_SCAN:
                raise ValidationException.single(TOO_BROAD)
            seen = (page - 1) * MAX_ITEMS_PER_PAGE + len(answer.items)
            if len(answer.items) < MAX_ITEMS_PER_PAGE or (answer.total is not None and seen >= answer.total):
                break
            page += 1
    return out


async def _total(unit: SageUnit, stream: Stream) -> int:
    """A stream's row count: cached, else one ``items_per_page=1`` call (a scan when Sage reports no total)."""
    cached = unit.cached_total(stream)
    if cached is not None:
        return cached
    answer = await unit.list_page(stream, page=1, items_per_page=1)
    if answer.total is not None:
        return answer.total
    return len(await fetch_all(unit, [stream]))


async def _concatenated_page(unit: SageUnit, streams: Sequence[Stream], page: int, size: int) -> tuple[Rows, int]:
    """A page of the streams' rows one after the other (mode 1), and the total row count."""
    skip = (page - 1) * size
    end = skip + size
    rows: Rows = []
    offset = 0
    for stream in streams:
        known = unit.cached_total(stream)
        lo = max(skip, offset)
        if known is not None:
            hi = min(end, offset + known)
            if lo < hi:
                got, reported = await fetch_window(unit, stream, lo - offset, hi - lo)
                rows.extend((stream, r) for r in got)
                known = reported if reported is not None else known
            offset += known
            continue
        if lo >= end:
            offset += await _total(unit, stream)
            continue
        got, reported = await fetch_window(unit, stream, lo - offset, end - lo)
        rows.extend((stream, r) for r in got)
        if reported is None:
            reported = await _total(unit, stream) if got or lo - offset > 0 else 0
        offset += reported
    return rows, offset


def finish(models: list[XeroModel], plan: Plan, query: ListQuery, *, search_paths: Sequence[str] = ()) -> Listed:
    """Filter (residual ``where``, ``searchTerm``), sort (client ``order``) and page translated models in the gateway.

    Raises:
        QueryParseException: a residual ``where`` comparing incompatible types.
    """
    keep = searched(plan.keep_search, search_paths) if plan.keep_search else None
    return common_listing.finish(models, query, residual=plan.residual, sort=plan.sort, keep_record=keep)


async def run(unit: SageUnit, plan: Plan, query: ListQuery, *, translate: Translate,
              search_paths: Sequence[str] = ()) -> Listed:
    """Answer a Xero list from ``plan`` (modes in the module docstring).

    Args:
        unit: the Xero call's unit of work.
        plan: from :func:`adapters.sage_accounting.query.plan`.
        query: the list parameters (``page``, ``page_size``).
        translate: ``[(stream, row)] → models`` in order.
        search_paths: the Xero paths ``searchTerm`` looks in.

    Raises:
        ValidationException: a mode-3 list over more than :data:`MAX_SCAN` rows.
        QueryParseException: a residual ``where`` comparing incompatible types.
    """
    streams = plan.live
    if not streams:
        return empty(query)
    if plan.exact:
        if query.page is None:
            return Listed(await translate(await fetch_all(unit, streams)))
        rows, total = await _concatenated_page(unit, streams, query.page, query.page_size)
        return Listed(await translate(rows), pagination(query.page, query.page_size, total))
    models = await translate(await fetch_all(unit, streams))
    return finish(models, plan, query, search_paths=search_paths)
