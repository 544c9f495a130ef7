"""Query string and headers → :class:`gateway.xero.request.ListQuery`.

Rules (spec ``components.parameters`` of ``xero_accounting.yaml``; shared/notes/xero-contract.md §2 "Query
parameters"):

- Parameter names match case-insensitively, as Xero's do (``pagesize``, ``PAGE``, ``ids``).
- Only the parameters the operation declares in the spec are parsed and validated; every parameter is passed on
  raw in ``XeroRequest.params`` all the same.
- ``where`` → :func:`gateway.xero.query.parse_where`; ``order`` → :func:`gateway.xero.query.parse_order`.
- ``page``: a whole number ≥ 0; ``page=0`` is page 1 (Xero answers it with page 1; xero-node's sample app and
  integrations that count pages from zero rely on it: issue 12). ``pageSize``: 1–1000, default 100
  (``DEFAULT_PAGE_SIZE``/``MAX_PAGE_SIZE``).
- ``IDs``, ``ContactIDs``: GUIDs, CSV and/or repeated (xero-python sends CSV, Xero-Java repeats the parameter,
  pyxero sends hyphen-less GUIDs), normalised to lower-case hyphenated. ``InvoiceNumbers``, ``Statuses``: CSV
  and/or repeated; statuses upper-cased (the spec's enums are).
- ``includeArchived``, ``summaryOnly``, ``createdByMyApp``, ``summarizeErrors`` (default true): ``true`` or
  ``false`` in any case. ``unitdp``: 2 or 4. ``searchTerm``: text.
- ``If-Modified-Since`` header on GETs: ISO-8601 (xero-python, xero-node) or RFC 1123 (pyxero, which may quote
  it), via :func:`gateway.xero.dates.parse_if_modified_since`. A value that is not a date is ignored, as RFC 9110
  §13.1.3 requires of a recipient ("A recipient MUST ignore If-Modified-Since if … the field value is not a valid
  HTTP-date"): the call answers everything, never a 400.

The query string is typed once (:func:`typed_parameters`: the operation's spec types, by
:mod:`gateway.xero.parameters`'s rules) into ``XeroRequest.parameters``; the list parameters above are read from
that typed form (:func:`list_query`).

A query string whose percent-escapes do not decode as UTF-8 (``where=%FF``) is refused before anything is typed
(:func:`check_query_encoding`), never read as U+FFFD.

A bad value raises ``ValidationException`` (or ``QueryParseException`` for ``where``/``order``) whose message
names the parameter and the value: HTTP 400, never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote, unquote_to_bytes

from multidict import MultiMapping

from gateway.xero import query as xero_query
from gateway.xero.dates import parse_if_modified_since
from gateway.xero.errors import ValidationException
from gateway.xero.parameters import Parameters, parse_parameters, read_guid
from gateway.xero.request import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ListQuery

from .operations import Operation

#: ``(parameter, ListQuery attribute)`` of the boolean list parameters.
_FLAGS = (("includeArchived", "include_archived"), ("summaryOnly", "summary_only"),
          ("createdByMyApp", "created_by_my_app"), ("summarizeErrors", "summarize_errors"))
#: ``unitdp``: unit amounts to 2 or 4 decimal places (xero-contract.md §2).
UNIT_DECIMAL_PLACES = (2, 4)


def typed_parameters(query: MultiMapping[str] | Mapping[str, str], op: Operation) -> Parameters:
    """Every query parameter of a call to ``op``, typed as the spec declares it (``XeroRequest.parameters``).

    Args:
        query: the request's query string (``request.query``; a plain mapping is taken as one value per name).
        op: the operation being called; its ``query_types`` give the kinds.

    Raises:
        ValidationException: a declared parameter's value breaks its kind's rule (400 naming it).
    """
    return parse_parameters(query.items(), op.parameter_types)


def check_query_encoding(raw_query_string: str) -> None:
    """Refuse a query string whose percent-escapes are not UTF-8 (``where=%FF``): decoding would turn them into
    U+FFFD and the call would silently answer for another value (RFC 3986 §2.5: URI characters are UTF-8 octets).

    Args:
        raw_query_string: the query as sent, still percent-encoded (``request.rel_url.raw_query_string``).

    Raises:
        ValidationException: a name or value that is not UTF-8 (400 naming the parameter).
    """
    for pair in raw_query_string.split("&"):
        name, _, value = pair.partition("=")
        for text in (name, value):
            try:
                unquote_to_bytes(text.replace("+", " ")).decode("utf-8")
            except UnicodeDecodeError:
                shown = unquote(name, errors="replace")
                raise ValidationException.single(
                    f"The query parameter '{shown}' is not valid UTF-8 once percent-decoded") from None


def raw_parameters(query: MultiMapping[str] | Mapping[str, str]) -> dict[str, str]:
    """Every query parameter as sent: the first spelling of each name, repeated values joined with commas."""
    values: dict[str, list[str]] = {}
    spelling: dict[str, str] = {}
    for name, value in query.items():
        values.setdefault(name.lower(), []).append(value)
        spelling.setdefault(name.lower(), name)
    return {spelling[key]: ",".join(given) for key, given in values.items()}


def list_query(parameters: Parameters, headers: Mapping[str, str], op: Operation) -> ListQuery:
    """Xero's list parameters of a call to ``op``, from its typed query parameters.

    Args:
        parameters: :func:`typed_parameters` of the call.
        headers: the request headers (case-insensitive mapping), for ``If-Modified-Since``.
        op: the operation being called; only its declared parameters are read.

    Raises:
        ValidationException: ``page``/``pageSize`` out of bounds, ``unitdp`` not 2 or 4, a GUID in ``IDs`` of an
            operation that types them as text, or a bad ``If-Modified-Since``.
        QueryParseException: a ``where`` or ``order`` expression that does not parse.
    """
    declared = op.query_names
    result = ListQuery()
    if "where" in declared and (where := parameters.text("where")) is not None:
        result.where_text = where
        result.where = xero_query.parse_where(where)
    if "order" in declared and (order := parameters.text("order")) is not None:
        result.order = list(xero_query.parse_order(order))
    if "page" in declared:
        page = parameters.integer("page", low=0)
        result.page = None if page is None else max(page, 1)
    if "pagesize" in declared:
        result.page_size = parameters.integer("pageSize", low=1, high=MAX_PAGE_SIZE) or DEFAULT_PAGE_SIZE
    for name, attribute in (("IDs", "ids"), ("ContactIDs", "contact_ids")):
        if name.lower() in declared:
            setattr(result, attribute, [read_guid(name, item) for item in parameters.items_of(name)])
    if "invoicenumbers" in declared:
        result.invoice_numbers = parameters.items_of("InvoiceNumbers")
    if "statuses" in declared:
        result.statuses = [status.upper() for status in parameters.items_of("Statuses")]
    if "searchterm" in declared:
        result.search_term = parameters.text("searchTerm")
    for name, attribute in _FLAGS:
        if name.lower() in declared and (flag := parameters.boolean(name)) is not None:
            setattr(result, attribute, flag)
    if "unitdp" in declared and (unitdp := parameters.integer("unitdp")) is not None:
        if unitdp not in UNIT_DECIMAL_PLACES:
            raise ValidationException.single(f"unitdp must be 2 or 4; '{parameters.text('unitdp')}' is not")
        result.unitdp = unitdp

    if op.method == "GET" and (since := headers.get("If-Modified-Since")) is not None and since.strip():
        try:
            result.if_modified_since = parse_if_modified_since(since.strip().strip('"'))
        except ValueError:
            pass  # not a date: ignored (RFC 9110 §13.1.3), the call is answered as if it had no such header
    return result


def parse_list_query(query: MultiMapping[str], headers: Mapping[str, str], op: Operation
                     ) -> tuple[ListQuery, dict[str, str]]:
    """Parse Xero's list parameters for ``op`` straight from the query string.

    Args:
        query: the request's query string (``request.query``).
        headers: the request headers (case-insensitive mapping), for ``If-Modified-Since``.
        op: the operation being called; only its declared parameters are parsed.

    Returns:
        ``(list_query, raw_params)``: the parsed :class:`ListQuery` (:func:`list_query`), and every query
        parameter as sent (:func:`raw_parameters`).

    Raises:
        ValidationException: a bad ``page``, ``pageSize``, boolean, ``unitdp``, GUID or ``If-Modified-Since``.
        QueryParseException: a ``where`` or ``order`` expression that does not parse.
    """
    return list_query(typed_parameters(query, op), headers, op), raw_parameters(query)
