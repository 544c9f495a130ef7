"""Xero list semantics: ``where``, ``order``, paging, ``If-Modified-Since``, in memory or pushed down to SQL.

Two entry points with the same answers:

- :func:`select` (in memory): filters canonical models with :func:`gateway.xero.query.matches` over each model's
  python dump, then sorts and pages. Any resource can use it on its translated models.
- :func:`select_sql` (the SQL path): takes the resource's SQLAlchemy statement and its
  :class:`~adapters.native.sqlquery.FieldMap` (:mod:`adapters.native.translate.fieldmaps`), pushes
  ``If-Modified-Since``,
  ``where``, ``order`` and paging (``LIMIT``/``OFFSET``, ``itemCount`` from ``COUNT``) down to the database as far
  as they translate exactly, translates only the rows it needs, and finishes in memory with :func:`select` what
  did not translate (a path outside the field map, see :mod:`adapters.native.sqlquery`). Resources adopt it by
  writing a field map for their table; without one, every ``where``/``order`` simply runs in memory.

Adopting the SQL path in a list operation (``QUOTES`` a :class:`~adapters.native.sqlquery.FieldMap` over the
``Quote`` table, checked field by field against the translated model as
``tests/adapters/native/query/test_field_maps.py`` does for the maps of :mod:`adapters.native.translate.fieldmaps`)::

    async def to_models(rows: list[Quote]) -> list[xm.Quote]:
        return [translate_quote(row) for row in rows]

    statement = select(Quote).where(Quote.company_id == books.company.id, *parameter_filters)
    page = await listing.select_sql(books.session, statement, req.query, fields=QUOTES,
                                    default_order=[OrderTerm("UpdatedDateUTC"), OrderTerm("QuoteID")],
                                    to_models=to_models)

Paging (https://developer.xero.com/documentation/api/accounting/requests-and-responses, "Paging"): without
``page`` every match is returned; with ``page`` one page of ``pageSize`` and the envelope's
``pagination {page, pageSize, pageCount, itemCount}``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, literal
from sqlalchemy import select as sql_select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.xero import query as xero_query
from gateway.xero.models import Pagination, XeroModel
from gateway.xero.request import ListQuery, OrderTerm

from . import sqlquery
from .sqlquery import FieldMap

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


def check_paths(query: ListQuery, model: type[XeroModel]) -> None:
    """Refuse ``where``/``order`` paths the resource's model lacks, as Xero does.

    Raises:
        QueryParseException: ``"No property or field 'X' exists in type 'Invoice'"`` (seen:
            https://github.com/XeroAPI/Xero-NetStandard/issues/512), or an invalid ``where`` text.
    """
    expr = where_expr(query)
    if expr is not None:
        xero_query.check_fields(expr, model)
    if query.order:
        xero_query.check_fields(query.order, model)


async def select_sql(session: AsyncSession, statement: Select[Any], query: ListQuery, *, fields: FieldMap,
                     default_order: Sequence[OrderTerm],
                     to_models: Callable[[list[Any]], Awaitable[Sequence[M]]],
                     pushdown: bool = True) -> Page[M]:
    """Answer a list as :func:`select` would, letting the database filter, order and page.

    Args:
        session: the request's session.
        statement: ``select(Row)`` of the resource, already limited to the tenant and to the resource's own list
            parameters (IDs, statuses, search term…: :mod:`adapters.native.translate.fieldmaps`).
        query: the list parameters; ``where``, ``order``, ``page``/``page_size`` and ``if_modified_since``
            (``UpdatedDateUTC`` strictly after the header's instant, which carries whole seconds) are applied here.
        fields: the resource's field map; its ``model`` is the canonical model the paths are checked against.
        default_order: the resource's stable default order (its last term unique), the tie-breaker of ``order``.
        to_models: rows → canonical models, in order (one call, so that a batch lookup serves every row).
        pushdown: ``False`` evaluates ``where``/``order``/paging in memory over every row (the reference the SQL
            path must agree with; benchmarks). Databases other than SQLite and PostgreSQL always evaluate in
            memory.

    Returns:
        The page (every match when ``query.page`` is ``None``).

    Raises:
        QueryParseException: a path the model lacks, an invalid ``where``, or one comparing incompatible types.
    """
    check_paths(query, fields.model)
    await sqlquery.install_functions(session)
    if not pushdown or not sqlquery.supports_pushdown(session):
        rows = list((await session.scalars(statement)).all())
        return select(await to_models(rows), query, default_order=list(default_order))

    memory = dataclasses.replace(query)
    updated = fields.get("UpdatedDateUTC")
    if query.if_modified_since is not None and "UpdatedDateUTC" not in fields.model.model_fields:
        memory.if_modified_since = None  # as select(): ignored for models without UpdatedDateUTC
    elif query.if_modified_since is not None and updated is not None:
        statement = statement.where(updated.column > literal(query.if_modified_since, updated.column.type))
        memory.if_modified_since = None
    dialect = sqlquery.dialect_of(session)
    compiled = sqlquery.compile_where(where_expr(query), fields, dialect=dialect)
    if compiled.clause is not None:
        statement = statement.where(compiled.clause)
    memory.where, memory.where_text = compiled.residual, None
    order = sqlquery.compile_order([*query.order, *default_order], fields, dialect=dialect)

    if memory.if_modified_since is not None or not compiled.exact or order is None:
        rows = list((await session.scalars(statement)).all())
        return select(await to_models(rows), memory, default_order=list(default_order))

    ordered = statement.order_by(*order.keys)
    if query.page is None:
        if order.exact_if is None:
            rows = list((await session.scalars(ordered)).all())
            return Page(list(await to_models(rows)))
        # One statement either way: the rows with whether SQL's order is exact for each; else sort in memory.
        result = (await session.execute(ordered.add_columns(order.exact_if.label("order_exact")))).all()
        rows = [r[0] for r in result]
        if all(r[1] for r in result):
            return Page(list(await to_models(rows)))
        return select(await to_models(rows), memory, default_order=list(default_order))
    size = query.page_size
    counted = statement.order_by(None)
    if order.exact_if is None:
        count = int(await session.scalar(sql_select(func.count()).select_from(counted.subquery())) or 0)
        exact = True
    else:  # the count and whether every selected row sorts exactly in SQL, in the same statement
        sub = counted.add_columns(order.exact_if.label("order_exact")).subquery()
        found = (await session.execute(sql_select(func.count(), func.bool_and(sub.c.order_exact))
                                       .select_from(sub))).one()
        count, exact = int(found[0] or 0), found[1] is not False
    if not exact:
        rows = list((await session.scalars(statement)).all())
        return select(await to_models(rows), memory, default_order=list(default_order))
    rows = list((await session.scalars(ordered.limit(size).offset((query.page - 1) * size))).all())
    return Page(list(await to_models(rows)),
                Pagination(page=query.page, pageSize=size, pageCount=math.ceil(count / size), itemCount=count))
