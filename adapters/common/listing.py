"""Xero paging over upstream streams: the half of every upstream adapter's list runner that knows only Xero.

Xero paging (xero-contract.md §2): without ``page`` every match is returned; with ``page`` the matches
``(page-1)·pageSize … page·pageSize-1`` of the ordered result, and ``pagination {page, pageSize, pageCount,
itemCount}``.

An adapter's ``listing.py`` pushes what it can down to the upstream (filters, order, paging: the upstream half) and
hands the rest to these functions: :func:`finish` filters translated models with the residual ``where`` and the
resource's own filter (``searchTerm``…), sorts them (a stable sort: the client's order over the default order) and
pages them in the gateway; :func:`window` places a Xero page over streams read one after the other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from gateway.xero import query as xq
from gateway.xero.models import Pagination, XeroModel
from gateway.xero.request import ListQuery


@dataclass
class Listed:
    """A list's answer: the models and, when paged, the pagination."""

    items: list[XeroModel]
    pagination: Pagination | None = None


def pagination(page: int, size: int, total: int) -> Pagination:
    """Xero's ``pagination`` object for ``total`` matches (``pageCount`` rounds up; 0 for ``size`` 0)."""
    return Pagination(page=page, pageSize=size, pageCount=math.ceil(total / size) if size else 0, itemCount=total)


def empty(query: ListQuery) -> Listed:
    """The answer of a list no stream can match (paged when the client paged)."""
    return Listed([], pagination(query.page, query.page_size, 0) if query.page is not None else None)


def sort_models(models: list[XeroModel], terms: Sequence[Any]) -> list[XeroModel]:
    """``models`` sorted by Xero ``order`` terms (:func:`gateway.xero.query.sort_records`, stable)."""
    if not terms:
        return list(models)
    dumps = [(m.model_dump(mode="python"), m) for m in models]
    index = {id(d): m for d, m in dumps}
    ordered = xq.sort_records([d for d, _ in dumps], terms)
    return [index[id(d)] for d in ordered]


def searched(term: str, paths: Sequence[str]) -> Callable[[dict[str, Any]], bool]:
    """``searchTerm``: a case-insensitive substring of any of ``paths`` (Xero dotted paths) of a dumped model."""
    needle = term.lower()

    def keep(record: dict[str, Any]) -> bool:
        return any(needle in str(xq.lookup(record, p) or "").lower() for p in paths)

    return keep


def finish(models: list[XeroModel], query: ListQuery, *, residual: Any = None, sort: Sequence[Any] = (),
           keep: Callable[[XeroModel], bool] | None = None,
           keep_record: Callable[[dict[str, Any]], bool] | None = None) -> Listed:
    """Filter, sort and page translated models in the gateway.

    Args:
        models: every candidate, in the default order.
        query: the list parameters (``page``, ``page_size``).
        residual: the part of ``where`` the upstream could not evaluate (``None``: nothing left).
        sort: Xero ``order`` terms.
        keep: the resource's own filter over models.
        keep_record: the same over dumped models (``searchTerm``, :func:`searched`).

    Returns:
        The page (and its exact ``pagination``), or every match when the client did not page.

    Raises:
        QueryParseException: a residual ``where`` comparing incompatible types.
    """
    if residual is not None or keep is not None or keep_record is not None:
        kept = []
        for model in models:
            if keep is not None and not keep(model):
                continue
            if residual is None and keep_record is None:
                kept.append(model)
                continue
            record = model.model_dump(mode="python")
            if xq.matches(residual, record) and (keep_record is None or keep_record(record)):
                kept.append(model)
        models = kept
    result = sort_models(models, sort)
    if query.page is None:
        return Listed(result)
    skip = (query.page - 1) * query.page_size
    return Listed(result[skip:skip + query.page_size], pagination(query.page, query.page_size, len(result)))


def window(page: int, size: int, counts: Sequence[int]) -> list[tuple[int, int, int]]:
    """Where a Xero page lies over streams read one after the other.

    Args:
        page: 1-based Xero page.
        size: ``pageSize``.
        counts: each stream's row count, in order.

    Returns:
        ``(stream index, first row, rows)`` for every stream the page touches (rows 0-based within the stream).
    """
    skip = (page - 1) * size
    out = []
    offset = 0
    for index, count in enumerate(counts):
        lo, hi = max(skip, offset), min(skip + size, offset + count)
        if lo < hi:
            out.append((index, lo - offset, hi - lo))
        offset += count
    return out
