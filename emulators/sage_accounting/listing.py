"""List calls: filters, sorting, paging, attribute selection and Sage's list envelope.

Sources (upstream-contracts.md §2 "Lists"; developer.sage.com pagination guide; the spec's list parameters):

- ``page`` and ``items_per_page`` (default 20, maximum 200); "If the value for page is greater than the actual
  number of pages, the last page will be returned automatically". An ``items_per_page`` above 200 is served as 200
  and one below 1 or not a number answers 422 (both unconfirmed).
- The envelope: ``{"$total", "$page", "$next", "$back", "$itemsPerPage", "$items"}``; ``$next``/``$back`` are paths
  like ``/sales_quotes?page=3&items_per_page=25`` or null. Other query parameters of the call are kept in them
  (inferred). The page-size key is configurable (``$items_per_page`` appears in Sage's best-practices guide).
- Lists return the base attributes ``id, displayed_as, $path`` unless ``attributes=all`` or a comma-separated list
  adds more; a single GET returns all attributes.
- ``updated_or_created_since`` is inclusive, ``deleted_since`` is not (spec parameter text); ``deleted_since``
  answers the records deleted after it, as ``{id, displayed_as, $path, deleted_at}`` (the members beyond the base
  attributes are inferred). ``from_date``/``to_date`` bound ``date`` inclusively.
- ``search`` matches the documented fields (case-insensitive substring); ``sort=attr`` or ``attr:asc|desc`` over the
  attributes the spec lists per endpoint (422 for another; unconfirmed); the default order is creation order
  (ledger accounts: nominal code).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from urllib.parse import urlencode

from . import errors
from .catalogue import ResourceSpec
from .clock import parse_date, parse_moment

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 200
BASE_ATTRIBUTES = ("id", "displayed_as", "$path")
PAGING = ("page", "items_per_page")
#: ``visible_in`` area → ``LedgerAccount`` flag (the spec's enum of ``visible_in``/``not_visible_in``).
VISIBLE_IN = {"sales": "visible_in_sales", "banking": "visible_in_banking", "expenses": "visible_in_expenses",
              "other_payments": "visible_in_other_payments", "other_receipts": "visible_in_other_receipts",
              "journals": "visible_in_journals", "reporting": "visible_in_reporting"}


def truthy(value: str | None) -> bool:
    """A boolean query parameter (``true``/``1``)."""
    return str(value or "").strip().lower() in ("true", "1")


def select(record: dict[str, Any], attributes: str | None, *, detail: bool) -> dict[str, Any]:
    """The attributes of ``record`` to answer (bookkeeping keys are dropped later, by :mod:`.wire`).

    Args:
        record: a record as presented.
        attributes: the ``attributes`` parameter (``all`` or ``a,b``), or ``None``.
        detail: a single GET (all attributes by default) rather than a list.
    """
    if attributes is None or attributes.strip() == "":
        if detail:
            return record
        return {k: record[k] for k in BASE_ATTRIBUTES if k in record}
    if attributes.strip().lower() == "all":
        return record
    wanted = [a.strip() for a in attributes.split(",") if a.strip()]
    return {k: record[k] for k in (*BASE_ATTRIBUTES, *wanted) if k in record}


def _values(record: Any, path: str) -> list[Any]:
    """The values at ``path`` (``a.b``; ``a[].b`` fans out over a list)."""
    current = [record]
    for part in path.split("."):
        fan = part.endswith("[]")
        key = part[:-2] if fan else part
        nxt: list[Any] = []
        for item in current:
            if not isinstance(item, dict) or key not in item:
                continue
            value = item[key]
            if fan and isinstance(value, list):
                nxt.extend(value)
            else:
                nxt.append(value)
        current = nxt
    return current


def _equals(value: Any, wanted: str) -> bool:
    if isinstance(value, bool):
        return value == truthy(wanted)
    return str(value) == wanted


def _moment(query: Mapping[str, str], name: str) -> Any:
    value = query.get(name)
    if value is None:
        return None
    moment = parse_moment(value)
    if moment is None:
        raise errors.record_invalid("is not a valid date-time", name)
    return moment


def _day(query: Mapping[str, str], name: str) -> date | None:
    value = query.get(name)
    if not value:
        return None
    day = parse_date(value)
    if day is None:
        raise errors.record_invalid("is not a valid date", name)
    return day


def page_size(query: Mapping[str, str]) -> tuple[int, int]:
    """(page, items_per_page) from the query.

    Raises:
        SageError: 422 for a value that is not a positive integer.
    """
    out = []
    for name, default in (("page", 1), ("items_per_page", DEFAULT_PER_PAGE)):
        text = query.get(name)
        if text is None or text == "":
            out.append(default)
            continue
        try:
            number = int(text)
        except ValueError:
            raise errors.record_invalid("is not a number", name) from None
        if name == "items_per_page" and number < 1:
            raise errors.record_invalid("must be greater than 0", name)
        out.append(max(1, number))
    return out[0], min(out[1], MAX_PER_PAGE)


def matching(spec: ResourceSpec, records: list[dict[str, Any]], query: Mapping[str, str]) -> list[dict[str, Any]]:
    """The records the query's filters keep, sorted."""
    since = _moment(query, "updated_or_created_since")
    start, end = (_day(query, "from_date"), _day(query, "to_date")) if spec.dated else (None, None)
    filters = {name: query[name] for name in spec.filters if query.get(name) not in (None, "")}
    search = (query.get("search") or "").strip().lower() if spec.search else ""
    visible = query.get("visible_in") if spec.name == "ledger_accounts" else None
    hidden = query.get("not_visible_in") if spec.name == "ledger_accounts" else None
    for area in (visible, hidden):
        if area is not None and area not in VISIBLE_IN:
            raise errors.record_invalid("is not included in the list", "visible_in")
    out = []
    for record in records:
        if since is not None:
            updated = parse_moment(record.get("updated_at") or record.get("created_at") or "")
            if updated is None or updated < since:
                continue
        if start or end:
            day = parse_date(record.get("date") or "")
            if day is None or (start and day < start) or (end and day > end):
                continue
        if any(not any(_equals(v, wanted) for v in _values(record, spec.filters[name]))
               for name, wanted in filters.items()):
            continue
        if search and not any(search in str(record.get(field, "")).lower() for field in spec.search):
            continue
        if visible and not record.get(VISIBLE_IN[visible]):
            continue
        if hidden and record.get(VISIBLE_IN[hidden]):
            continue
        out.append(record)
    return _sorted(spec, out, query.get("sort"))


def _sorted(spec: ResourceSpec, records: list[dict[str, Any]], sort: str | None) -> list[dict[str, Any]]:
    if not sort:
        if spec.order == "created_at":
            return records  # creation order is storage order
        return sorted(records, key=lambda r: (r.get(spec.order) is None, r.get(spec.order), r.get("id")))
    field, _, direction = sort.partition(":")
    if field not in spec.sort or direction.lower() not in ("", "asc", "desc"):
        raise errors.record_invalid("is not a valid sort order", "sort")
    return sorted(records, key=lambda r: (str(r.get(field) or ""), r.get("created_at") or ""),
                  reverse=direction.lower() == "desc")


def deleted(spec: ResourceSpec, tombstones: list[dict[str, Any]], query: Mapping[str, str]) -> list[dict[str, Any]]:
    """The tombstones deleted after ``deleted_since`` (exclusive)."""
    since = _moment(query, "deleted_since")
    return [stone for stone in tombstones if (parse_moment(stone["deleted_at"]) or since) > since]


def envelope(spec: ResourceSpec, records: list[dict[str, Any]], query: Mapping[str, str], *, per_page_key: str,
             present: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
    """The list envelope of ``records`` (already filtered) for the query's page.

    Args:
        spec: the collection.
        records: all matching records, in order.
        query: the call's query parameters.
        per_page_key: ``$itemsPerPage`` or ``$items_per_page``.
        present: a record → the record as answered (computed members), before attribute selection.
    """
    page, per_page = page_size(query)
    total = len(records)
    last = max(1, -(-total // per_page))
    page = min(page, last)
    window = records[(page - 1) * per_page: page * per_page]
    attributes = query.get("attributes")
    kept = [(k, v) for k, v in query.items() if k not in PAGING]

    def link(number: int) -> str:
        return f"/{spec.name}?" + urlencode([("page", str(number)), ("items_per_page", str(per_page)), *kept])

    return {"$total": total, "$page": page, "$next": link(page + 1) if page < last else None,
            "$back": link(page - 1) if page > 1 else None, per_page_key: per_page,
            "$items": [select(present(r), attributes, detail=False) for r in window]}
