"""Xero list semantics over canonical models, in memory: ``where``, ``order``, paging.

The native ledger filters the tenant's records after translating them to canonical models, with
:func:`gateway.xero.query.matches` over each model's python dump. Demo-sized books (hundreds of records) make
that cheap; pushing ``where`` down to SQL is a later issue (it needs the AST → SQLAlchemy translation of
``gateway.xero.query``'s ``Expr`` per resource).

Paging (https://developer.xero.com/documentation/api/accounting/requests-and-responses, "Paging"): without
``page`` every match is returned; with ``page`` one page of ``pageSize`` and the envelope's
``pagination {page, pageSize, pageCount, itemCount}``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from gateway.xero import query as xero_query
from gateway.xero.models import Pagination, XeroModel
from gateway.xero.request import ListQuery, OrderTerm

M = TypeVar("M", bound=XeroModel)


@dataclass
class Page(Generic[M]):
    """One answer of a list: the models and, when paged, the pagination."""

    items: list[M]
    pagination: Pagination | None = None


def where_expr(query: ListQuery) -> Any:
    """The parsed ``where`` (the front end parses it; raw text alone is parsed here).

    Raises:
        QueryParseException: invalid ``where`` text.
    """
    if query.where is not None:
        return query.where
    if query.where_text:
        return xero_query.parse_where(query.where_text)
    return None


def select(models: Iterable[M], query: ListQuery, *, default_order: list[OrderTerm],
           keep: Callable[[M], bool] | None = None) -> Page[M]:
    """Filter, order and page canonical models as Xero does.

    Args:
        models: every candidate (already limited to the tenant).
        query: the list parameters; ``where``, ``order``, ``page``/``page_size`` and ``if_modified_since``
            (``UpdatedDateUTC`` strictly after; ignored for models without ``UpdatedDateUTC``) are applied here.
        default_order: the resource's stable default order, also the tie-breaker of a client's ``order``.
        keep: the resource's own filters (ids, statuses, search term, archived…).

    Returns:
        The page (every match when ``query.page`` is ``None``).

    Raises:
        QueryParseException: invalid ``where``, or one comparing incompatible types.
    """
    expr = where_expr(query)
    since = query.if_modified_since
    records: list[dict[str, Any]] = []
    by_record: dict[int, M] = {}
    for model in models:
        if keep is not None and not keep(model):
            continue
        if since is not None and "UpdatedDateUTC" in type(model).model_fields:
            updated = getattr(model, "UpdatedDateUTC", None)
            if updated is None or updated <= since:
                continue
        record = model.model_dump(mode="python")
        if not xero_query.matches(expr, record):
            continue
        records.append(record)
        by_record[id(record)] = model
    records = xero_query.sort_records(records, default_order)
    if query.order:
        records = xero_query.sort_records(records, query.order)
    ordered = [by_record[id(r)] for r in records]
    if query.page is None:
        return Page(ordered)
    size = query.page_size
    start = (query.page - 1) * size
    return Page(ordered[start:start + size],
                Pagination(page=query.page, pageSize=size, pageCount=math.ceil(len(ordered) / size),
                           itemCount=len(ordered)))


def contains(needle: str, *haystack: str | None) -> bool:
    """Case-insensitive ``searchTerm`` match over several fields."""
    needle = needle.lower()
    return any(needle in value.lower() for value in haystack if value)
