"""What an adapter receives for one Accounting API call, and what it returns.

The front end (``gateway.api``) builds a :class:`XeroRequest` from the HTTP request (path parameters, parsed
query, body elements from JSON or XML) and a :class:`RequestContext` from the verified token; the adapter returns
a :class:`Result` that the front end renders in Xero's envelope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .models import Pagination, XeroModel
from .parameters import Parameters

#: Default and maximum ``pageSize`` (https://developer.xero.com/documentation/api/accounting/requests-and-responses,
#: "pageSize up to 1000", since July 2024).
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class OrderTerm:
    """One ``order`` term: a Xero field path (``Contact.Name``) and its direction."""

    path: str
    descending: bool = False


@dataclass
class ListQuery:
    """Xero's list parameters, parsed and validated by the front end.

    Attributes:
        where: parsed ``where`` expression (``gateway.xero.query.Expr``) or ``None``.
        where_text: the raw ``where`` text, for adapters that push it down themselves.
        order: ``order`` terms, in order of precedence.
        page: 1-based page, or ``None`` when the client did not page (Xero then returns every match).
        page_size: ``pageSize`` (1-1000, default 100); meaningful only with ``page``.
        if_modified_since: ``If-Modified-Since`` as aware UTC; compare with ``UpdatedDateUTC`` (strictly after).
        ids, contact_ids, invoice_numbers, statuses: the list filters (CSV or repeated; GUIDs normalised to the
            lower-case hyphenated form).
        search_term, include_archived, summary_only, created_by_my_app, unitdp: as in the spec.
        summarize_errors: ``False`` → partial success answered with HTTP 200 and per-element errors.
    """

    where: Any = None
    where_text: str | None = None
    order: list[OrderTerm] = field(default_factory=list)
    page: int | None = None
    page_size: int = DEFAULT_PAGE_SIZE
    if_modified_since: datetime | None = None
    ids: list[str] = field(default_factory=list)
    contact_ids: list[str] = field(default_factory=list)
    invoice_numbers: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    search_term: str | None = None
    include_archived: bool = False
    summary_only: bool = False
    created_by_my_app: bool = False
    unitdp: int = 2
    summarize_errors: bool = True


@dataclass
class XeroRequest:
    """One Accounting API call, as an adapter sees it.

    Attributes:
        operation_id: the spec's ``operationId`` (``getInvoices``).
        path_params: path parameters by the spec's names (``{"InvoiceID": "…"}``).
        query: the parsed list parameters.
        params: every raw query parameter as sent (first spelling of the name; repeated values comma-joined).
            Adapters read :attr:`parameters` instead.
        parameters: every query parameter, typed by the operation's spec declaration and read case-insensitively
            (:class:`gateway.xero.parameters.Parameters`: ``fromDate`` → ``date``, ``paymentsOnly`` → ``bool``…).
        elements: request body elements as plain dicts with Xero's field names, one per object sent (a
            single-object body becomes one element). Empty for GET/DELETE.
        accept: the ``Accept`` header (``application/json``, ``application/pdf``…).
        idempotency_key: the ``Idempotency-Key`` header, if any.
    """

    operation_id: str
    method: str = "GET"
    path_params: dict[str, str] = field(default_factory=dict)
    query: ListQuery = field(default_factory=ListQuery)
    params: dict[str, str] = field(default_factory=dict)
    parameters: Parameters = field(default_factory=Parameters)
    elements: list[dict[str, Any]] = field(default_factory=list)
    accept: str = "application/json"
    idempotency_key: str | None = None


@dataclass(frozen=True)
class RequestContext:
    """Who calls, for which tenant (from the verified access token and ``xero-tenant-id``)."""

    source_code: str
    tenant_id: str
    client_id: str
    app_name: str
    user_id: str | None
    scopes: frozenset[str]


@dataclass
class Result:
    """An adapter's answer.

    Attributes:
        items: the objects to render under the operation's collection key (``Invoices``…).
        pagination: set on paged lists (``page`` given).
        warnings: envelope-level ``Warnings`` messages.
        content: raw bytes for binary answers (PDF, attachment); ``items`` is then ignored.
        content_type: media type of ``content``.
        status: HTTP status (200; 204 for empty deletes).
    """

    items: list[XeroModel] = field(default_factory=list)
    pagination: Pagination | None = None
    warnings: list[str] = field(default_factory=list)
    content: bytes | None = None
    content_type: str | None = None
    status: int = 200
