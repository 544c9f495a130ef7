"""Running a list :class:`~adapters.qbo.query.Plan` with Xero's page semantics and as few QBO calls as possible.

Xero paging (xero-contract.md §2): without ``page`` every match is returned; with ``page`` the matches
``(page-1)·pageSize … page·pageSize-1`` of the ordered result, and ``pagination {page, pageSize, pageCount,
itemCount}``.

Modes:

1. *Exact plan, paged* (nothing residual, order pushed or default): QBO pages. With one entity the page is one query
   (``STARTPOSITION``/``MAXRESULTS``). Under the default order the entities' rows follow each other (their order in
   :mod:`adapters.qbo.resources`), so a page usually lies in one entity and costs one query; the row counts that
   place a page are cached (:meth:`adapters.qbo.cache.RefCache.count`, dropped by every write through the gateway).
   With a pushed client order over several entities (or entities that always interleave: BankTransactions, ordered
   by ``UpdatedDateUTC``), each contributes its first ``page·pageSize`` rows (one request for all), merged in the
   gateway.
2. *Exact plan, unpaged*: every row, 1000 per query.
3. *Otherwise*: every row the pushed conditions match is read (1000 per query; the first page of every entity in one
   request), translated, filtered with the residual ``where`` and the resource's own filters, sorted by the client's
   order then the default, and paged in the gateway.

``pagination.itemCount`` is exact in mode 3 and when a page ends before ``pageSize``; otherwise it comes from the
cached counts (a count query the first time, in the same request as the page when possible), which changes made
in QuickBooks itself can leave behind by at most the count cache's lifetime. Offset paging shifts under concurrent
inserts anyway, in Xero as here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from adapters.common.listing import Listed, empty, finish, pagination, sort_models, window
from gateway.xero.models import XeroModel
from gateway.xero.request import ListQuery

from .query import Plan, StreamQuery
from .unit import QboUnit

#: QBO's largest ``MAXRESULTS`` (§1 "Query").
MAX_RESULTS = 1000

Rows = list[tuple[str, dict[str, Any]]]
Translate = Callable[[Rows], Awaitable[list[XeroModel]]]

__all__ = ["MAX_RESULTS", "Listed", "fetch_all", "run"]


def _rows(stream: StreamQuery, answer: dict[str, Any]) -> Rows:
    return [(stream.entity, row) for row in answer.get(stream.entity) or []]


async def _counts(unit: QboUnit, streams: Sequence[StreamQuery], *, extra: list[str] | None = None
                  ) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Row counts of ``streams`` (cached, else counted) and the answers of ``extra`` queries run alongside."""
    cache = unit.cache
    counts: dict[str, int] = {}
    missing = []
    for stream in streams:
        value = cache.count(unit.realm_id, stream.entity, stream.where_text())
        if value is None:
            missing.append(stream)
        else:
            counts[stream.tag] = value
    texts = [s.select(order=None, count=True) for s in missing] + list(extra or [])
    answers = await unit.queries(texts)
    for stream, answer in zip(missing, answers, strict=False):
        value = int(answer.get("totalCount") or 0)
        cache.set_count(unit.realm_id, stream.entity, stream.where_text(), value)
        counts[stream.tag] = value
    return counts, answers[len(missing):]


async def fetch_all(unit: QboUnit, streams: Sequence[StreamQuery], *, order: str | None) -> Rows:
    """Every row of ``streams``: the first 1000 of each in one request, further pages per stream."""
    firsts = await unit.queries([s.select(order=order, start=1, size=MAX_RESULTS) for s in streams])
    out: Rows = []
    for stream, answer in zip(streams, firsts, strict=True):
        rows = _rows(stream, answer)
        start = 1
        while len(rows) - (start - 1) == MAX_RESULTS:
            start += MAX_RESULTS
            rows.extend(_rows(stream, await unit.query(stream.select(order=order, start=start, size=MAX_RESULTS))))
        out.extend(rows)
    return out


def _chunks(start: int, size: int) -> list[tuple[int, int]]:
    """``(STARTPOSITION, MAXRESULTS)`` pieces covering ``size`` rows from ``start`` (1-based)."""
    out = []
    while size > 0:
        take = min(size, MAX_RESULTS)
        out.append((start, take))
        start += take
        size -= take
    return out


async def _concatenated_page(unit: QboUnit, plan: Plan, streams: list[StreamQuery], page: int, size: int
                             ) -> tuple[Rows, int]:
    """A page of the streams' rows one after the other (default order)."""
    skip = (page - 1) * size
    if len(streams) == 1:
        stream = streams[0]
        pieces = [stream.select(order=plan.order, start=start, size=take) for start, take in _chunks(skip + 1, size)]
        counts, answers = await _counts(unit, streams, extra=pieces)
        rows = [r for answer in answers for r in _rows(stream, answer)]
        total = counts[stream.tag]
        if len(rows) < size and (rows or skip == 0):
            total = skip + len(rows)
            unit.cache.set_count(unit.realm_id, stream.entity, stream.where_text(), total)
        return rows, max(total, skip + len(rows))
    counts, _ = await _counts(unit, streams)
    texts, owners = [], []
    for index, first, length in window(page, size, [counts[s.tag] for s in streams]):
        stream = streams[index]
        for start, take in _chunks(first + 1, length):
            texts.append(stream.select(order=plan.order, start=start, size=take))
            owners.append(stream)
    answers = await unit.queries(texts)
    rows = [r for stream, answer in zip(owners, answers, strict=True) for r in _rows(stream, answer)]
    return rows, sum(counts.values())


async def _merged_page(unit: QboUnit, plan: Plan, streams: list[StreamQuery], page: int, size: int,
                       translate: Translate) -> tuple[list[XeroModel], int]:
    """A page of several streams under a pushed client order: each stream's first ``page·size`` rows, merged."""
    need = page * size
    texts, owners = [], []
    for stream in streams:
        for start, take in _chunks(1, need):
            texts.append(stream.select(order=plan.order, start=start, size=take))
            owners.append(stream)
    counts, answers = await _counts(unit, streams, extra=texts)
    rows = [r for stream, answer in zip(owners, answers, strict=True) for r in _rows(stream, answer)]
    models = await translate(rows)
    ordered = _sort(models, plan)
    skip = (page - 1) * size
    return ordered[skip:skip + size], sum(counts.values())


def _sort(models: list[XeroModel], plan: Plan) -> list[XeroModel]:
    return sort_models(models, plan.sort_terms())


async def run(unit: QboUnit, plan: Plan, query: ListQuery, *, translate: Translate,
              keep: Callable[[Any], bool] | None = None) -> Listed:
    """Answer a Xero list from ``plan`` (modes in the module docstring).

    Args:
        unit: the Xero call (its unit of work).
        plan: from :func:`adapters.qbo.query.plan`.
        query: the list parameters (``page``, ``page_size``).
        translate: ``[(entity, row)] → models`` in order (one call per answer, so that it can batch look-ups).
        keep: the resource's own filter over translated models (``searchTerm``…); forces mode 3.

    Raises:
        QueryParseException: a residual ``where`` comparing incompatible types.
    """
    streams = plan.live
    if not streams:
        return empty(query)
    if plan.exact and keep is None:
        if query.page is None:
            rows = await fetch_all(unit, streams, order=plan.order)
            models = await translate(rows)
            return Listed(_sort(models, plan) if plan.merged else models)
        page, size = query.page, query.page_size
        if plan.merged:
            models, total = await _merged_page(unit, plan, streams, page, size, translate)
            return Listed(models, pagination(page, size, total))
        rows, total = await _concatenated_page(unit, plan, streams, page, size)
        return Listed(await translate(rows), pagination(page, size, total))
    rows = await fetch_all(unit, streams, order=None)
    models = await translate(rows)
    return finish(models, query, residual=plan.residual, sort=plan.sort_terms(), keep=keep)
