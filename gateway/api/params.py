"""Query string and headers → :class:`gateway.xero.request.ListQuery`.

Rules (spec ``components.parameters`` of ``xero_accounting.yaml``; shared/notes/xero-contract.md §2 "Query
parameters"):

- Parameter names match case-insensitively, as Xero's do (``pagesize``, ``PAGE``, ``ids``).
- Only the parameters the operation declares in the spec are parsed and validated; every parameter is passed on
  raw in ``XeroRequest.params`` all the same.
- ``where`` → :func:`gateway.xero.query.parse_where`; ``order`` → :func:`gateway.xero.query.parse_order`.
- ``page``: a whole number ≥ 1. ``pageSize``: 1–1000, default 100 (``DEFAULT_PAGE_SIZE``/``MAX_PAGE_SIZE``).
- ``IDs``, ``ContactIDs``: GUIDs, CSV and/or repeated (xero-python sends CSV, Xero-Java repeats the parameter,
  pyxero sends hyphen-less GUIDs), normalised to lower-case hyphenated. ``InvoiceNumbers``, ``Statuses``: CSV
  and/or repeated; statuses upper-cased (the spec's enums are).
- ``includeArchived``, ``summaryOnly``, ``createdByMyApp``, ``summarizeErrors`` (default true): ``true`` or
  ``false`` in any case. ``unitdp``: 2 or 4. ``searchTerm``: text.
- ``If-Modified-Since`` header on GETs: ISO-8601 (xero-python, xero-node) or RFC 1123 (pyxero, which may quote
  it), via :func:`gateway.xero.dates.parse_if_modified_since`.

Every query parameter also arrives typed on ``XeroRequest.parameters`` (:func:`typed_parameters`: the operation's
spec types, :mod:`gateway.xero.parameters`'s rules), checked after the list parameters above so that their
messages stay the ones given here.

A bad value raises ``ValidationException`` (or ``QueryParseException`` for ``where``/``order``) whose message
names the parameter and the value: HTTP 400, never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping

from multidict import MultiMapping

from gateway.xero import query as xero_query
from gateway.xero.dates import parse_if_modified_since
from gateway.xero.errors import ValidationException
from gateway.xero.guids import parse_guid
from gateway.xero.parameters import Parameters, parse_parameters
from gateway.xero.request import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ListQuery

from .operations import Operation

_TRUE = "true"
_FALSE = "false"


class _Params:
    """The query string with case-insensitive names; repeated parameters keep every value."""

    def __init__(self, query: MultiMapping[str]) -> None:
        self._values: dict[str, list[str]] = {}
        self.raw: dict[str, str] = {}
        first_spelling: dict[str, str] = {}
        for name, value in query.items():
            key = name.lower()
            self._values.setdefault(key, []).append(value)
            spelling = first_spelling.setdefault(key, name)
            self.raw[spelling] = ",".join(self._values[key])

    def first(self, name: str) -> str | None:
        values = self._values.get(name.lower())
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return self._values.get(name.lower(), [])


def _invalid(message: str) -> ValidationException:
    return ValidationException.single(message)


def _whole_number(name: str, text: str, *, low: int, high: int | None = None) -> int:
    value = text.strip()
    if not value.isascii() or not value.lstrip("-").isdigit():
        number = None
    else:
        number = int(value)
    if number is None or number < low or (high is not None and number > high):
        bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
        raise _invalid(f"{name} must be a whole number {bounds}; '{text}' is not")
    return number


def _boolean(name: str, text: str) -> bool:
    value = text.strip().lower()
    if value == _TRUE:
        return True
    if value == _FALSE:
        return False
    raise _invalid(f"{name} must be true or false; '{text}' is not")


def _csv(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _guids(name: str, values: list[str]) -> list[str]:
    out: list[str] = []
    for part in _csv(values):
        try:
            out.append(parse_guid(part))
        except ValueError:
            raise _invalid(f"'{part}' in {name} is not a valid GUID") from None
    return out


def parse_list_query(query: MultiMapping[str], headers: Mapping[str, str], op: Operation
                     ) -> tuple[ListQuery, dict[str, str]]:
    """Parse Xero's list parameters for ``op``.

    Args:
        query: the request's query string (``request.query``).
        headers: the request headers (case-insensitive mapping), for ``If-Modified-Since``.
        op: the operation being called; only its declared parameters are parsed.

    Returns:
        ``(list_query, raw_params)``: the parsed :class:`ListQuery`, and every query parameter as sent (first
        spelling of the name; repeated values joined with commas).

    Raises:
        ValidationException: a bad ``page``, ``pageSize``, boolean, ``unitdp``, GUID or ``If-Modified-Since``.
        QueryParseException: a ``where`` or ``order`` expression that does not parse.
    """
    params = _Params(query)
    declared = op.query_names
    result = ListQuery()

    where = params.first("where") if "where" in declared else None
    if where is not None and where.strip():
        result.where_text = where
        result.where = xero_query.parse_where(where)
    order = params.first("order") if "order" in declared else None
    if order is not None and order.strip():
        result.order = list(xero_query.parse_order(order))

    if "page" in declared and (text := params.first("page")) is not None:
        result.page = _whole_number("page", text, low=1)
    if "pagesize" in declared and (text := params.first("pageSize")) is not None:
        result.page_size = _whole_number("pageSize", text, low=1, high=MAX_PAGE_SIZE)
    else:
        result.page_size = DEFAULT_PAGE_SIZE

    if "ids" in declared:
        result.ids = _guids("IDs", params.all("IDs"))
    if "contactids" in declared:
        result.contact_ids = _guids("ContactIDs", params.all("ContactIDs"))
    if "invoicenumbers" in declared:
        result.invoice_numbers = _csv(params.all("InvoiceNumbers"))
    if "statuses" in declared:
        result.statuses = [status.upper() for status in _csv(params.all("Statuses"))]

    if "searchterm" in declared:
        result.search_term = params.first("searchTerm")
    for name, attribute in (("includeArchived", "include_archived"), ("summaryOnly", "summary_only"),
                            ("createdByMyApp", "created_by_my_app"), ("summarizeErrors", "summarize_errors")):
        if name.lower() in declared and (text := params.first(name)) is not None:
            setattr(result, attribute, _boolean(name, text))
    if "unitdp" in declared and (text := params.first("unitdp")) is not None:
        if text.strip() not in ("2", "4"):
            raise _invalid(f"unitdp must be 2 or 4; '{text}' is not")
        result.unitdp = int(text)

    if op.method == "GET" and (since := headers.get("If-Modified-Since")) is not None and since.strip():
        try:
            result.if_modified_since = parse_if_modified_since(since.strip().strip('"'))
        except ValueError:
            raise _invalid(f"If-Modified-Since must be an ISO-8601 or RFC 1123 date; '{since}' is not") from None
    return result, params.raw


def typed_parameters(query: MultiMapping[str] | Mapping[str, str], op: Operation) -> Parameters:
    """Every query parameter of a call to ``op``, typed as the spec declares it (``XeroRequest.parameters``).

    Args:
        query: the request's query string (``request.query``; a plain mapping is taken as one value per name).
        op: the operation being called; its ``query_types`` give the kinds.

    Raises:
        ValidationException: a declared parameter's value breaks its kind's rule (400 naming it).
    """
    return parse_parameters(query.items(), op.parameter_types)
