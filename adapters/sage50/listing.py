"""Xero list semantics over the in-memory view: the candidates are translated models, and the shared floor's
:func:`adapters.common.listing.finish` applies ``where``, ``order`` and paging as every upstream adapter's
in-gateway half does; ``If-Modified-Since`` (``UpdatedDateUTC`` strictly after) and the resource's own filters are
applied first, in the resource's stable default order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from adapters.common.listing import Listed, finish, sort_models
from gateway.xero import query as xq
from gateway.xero.models import XeroModel
from gateway.xero.request import ListQuery, OrderTerm


def select(models: Iterable[Any], query: ListQuery, *, default_order: list[OrderTerm],
           keep: Callable[[Any], bool] | None = None) -> Listed:
    """Filter, order and page translated models as Xero does.

    Raises:
        QueryParseException: invalid ``where``, or one comparing incompatible types.
    """
    since = query.if_modified_since

    def kept(model: XeroModel) -> bool:
        if keep is not None and not keep(model):
            return False
        if since is not None and "UpdatedDateUTC" in type(model).model_fields:
            updated = getattr(model, "UpdatedDateUTC", None)
            return updated is not None and updated > since
        return True

    where = query.where if query.where is not None else (xq.parse_where(query.where_text) if query.where_text else None)
    return finish(sort_models(list(models), default_order), query, residual=where, sort=query.order, keep=kept)


def contains(needle: str, *haystack: str | None) -> bool:
    """Case-insensitive ``searchTerm`` match over several fields."""
    needle = needle.lower()
    return any(needle in value.lower() for value in haystack if value)
