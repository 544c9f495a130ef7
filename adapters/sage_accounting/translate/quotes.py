"""Sage ``sales_quotes`` ↔ Xero ``Quote`` (pure functions; table ``mappings/sage_quotes.toml``).

Field mapping (Sage names from swagger.accounts.v3.1.json ``SalesQuote``; Xero's from the spec ``Quote``):

- ``QuoteNumber`` ↔ ``quote_number``; ``Reference`` ↔ ``reference``; ``Terms`` ↔ ``terms_and_conditions``;
  ``Title`` ↔ ``notes`` (Sage keeps one free text printed on the quote; Xero's ``Summary`` has no Sage field and is
  not kept); ``Date`` ↔ ``date``; ``ExpiryDate`` ↔ ``expiry_date`` (required by Sage: defaulted to ``Date`` + the
  table's ``expiry_days`` when the client sends none); ``Contact`` ↔ ``contact``.
- Lines are translated as sales invoice lines (:mod:`.lines`); ``LineAmountTypes`` is spelled as quotes spell it
  (upper case, spec ``QuoteLineAmountTypes``).
- ``Status`` by the table; a quote Sage links to an invoice (``invoice``) reads ``INVOICED``.
- ``SubTotal``/``TotalTax``/``Total`` ← ``net_amount``/``tax_amount``/``total_amount``; ``TotalDiscount`` ←
  ``total_discount_amount``; ``CurrencyCode``/``CurrencyRate`` ← ``currency``/``exchange_rate``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

import mappings
from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models.workflow import Quote

from ..codes import DocumentKind
from .common import Tx, date_text, money, ref_id, sage_date, sage_datetime, xero_date, xero_text
from .contacts import contact_ref
from .documents import amount_types_of
from .lines import line_amount_types, line_body, line_from_sage

#: (unconfirmed) Format with the status.
STATUS_INVALID = "'{status}' is not a valid quote status for this change."
#: (unconfirmed)
LINES_REQUIRED = "A quote must have at least one line item."


@dataclass(frozen=True)
class QuoteTable:
    """``mappings/sage_quotes.toml``, checked."""

    kind: DocumentKind
    status_read: dict[str, str]
    status_write: dict[str, str]
    expiry_days: int


@cache
def quote_table() -> QuoteTable:
    """Load and check the table (once per process).

    Raises:
        ValueError, pydantic.ValidationError: a malformed table (a written status that does not read back).
    """
    data = mappings.load("sage_quotes")
    table = QuoteTable(kind=DocumentKind.model_validate(data["kind"]), status_read=dict(data["status_read"]),
                       status_write=dict(data["status_write"]), expiry_days=int(data["defaults"]["expiry_days"]))
    for xero, sage in table.status_write.items():
        if table.status_read.get(sage) != xero:
            raise ValueError(f"sage_quotes: status {xero} is written as {sage}, which reads back otherwise")
    return table


def xero_quote_status(row: Mapping[str, Any]) -> str:
    """The Xero Status of a Sage quote."""
    if ref_id(row.get("invoice")):
        return "INVOICED"
    return quote_table().status_read.get(ref_id(row.get("status")) or "", "DRAFT")


def quote_from_sage(row: Mapping[str, Any], tx: Tx) -> Quote:
    """One Sage quote as a Xero Quote (module docstring)."""
    kind = quote_table().kind
    lines = [line for line in row.get(kind.lines) or [] if isinstance(line, Mapping)]
    amount_types = line_amount_types(lines, kind.direction)
    return Quote(
        QuoteID=tx.guid(kind.resource, row["id"]), QuoteNumber=row.get(kind.number) or None,
        Reference=row.get("reference") or None, Terms=row.get("terms_and_conditions") or None,
        Title=row.get("notes") or None,
        Contact=contact_ref(row.get("contact"), tx, name=row.get("contact_name") or None),
        LineItems=[line_from_sage(line, doc_resource=kind.resource, doc_id=str(row["id"]), direction=kind.direction,
                                  inclusive=amount_types == "Inclusive", tx=tx) for line in lines],
        Date=sage_date(row.get("date")), ExpiryDate=sage_date(row.get("expiry_date")),
        Status=xero_quote_status(row), CurrencyCode=ref_id(row.get("currency")),
        CurrencyRate=money(row.get("exchange_rate")), SubTotal=money(row.get("net_amount")),
        TotalTax=money(row.get("tax_amount")), Total=money(row.get("total_amount")),
        TotalDiscount=money(row.get("total_discount_amount")), UpdatedDateUTC=sage_datetime(row.get("updated_at")),
        LineAmountTypes=amount_types.upper())


def _lines(element: Mapping[str, Any], tx: Tx, account_ids: Mapping[str, str]) -> list[dict[str, Any]]:
    amount_types = amount_types_of(element)
    kind = quote_table().kind
    return [line_body(line, kind=kind, amount_types=amount_types, tx=tx, element=element, account_ids=account_ids)
            for line in element.get("LineItems") or [] if isinstance(line, Mapping)]


def _texts(element: Mapping[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for name, member in (("QuoteNumber", "quote_number"), ("Reference", "reference"),
                         ("Terms", "terms_and_conditions"), ("Title", "notes")):
        value = xero_text(element, name)
        if value is not None:
            body[member] = value
    return body


def written_status(element: Mapping[str, Any], default: str | None) -> str | None:
    """The Sage ``status_id`` of the element's ``Status`` (``default`` when it sends none; ``DELETED`` is passed
    through for the caller to delete).

    Raises:
        ValidationException: a status a client cannot write (``INVOICED``, unknown).
    """
    status = (xero_text(element, "Status") or "").upper()
    if not status:
        return default
    if status == "DELETED":
        return status
    sage = quote_table().status_write.get(status)
    if sage is None:
        raise ValidationException.single(STATUS_INVALID.format(status=status), dict(element))
    return sage


def create_body(element: Mapping[str, Any], tx: Tx, *, today: date, account_ids: Mapping[str, str]
                ) -> dict[str, Any]:
    """The unwrapped ``POST /sales_quotes`` body (``contact_id`` set by the caller).

    Raises:
        ValidationException: no lines, a status a quote cannot be created in, and the line errors of
            :func:`.lines.line_body`.
    """
    status = written_status(element, "DRAFT")
    if status == "DELETED":
        raise ValidationException.single(STATUS_INVALID.format(status="DELETED"), dict(element))
    day = xero_date(element, "Date") or today
    expiry = xero_date(element, "ExpiryDate") or day + timedelta(days=quote_table().expiry_days)
    lines = _lines(element, tx, account_ids)
    if not lines:
        raise ValidationException.single(LINES_REQUIRED, dict(element))
    return {"contact_id": "", "date": date_text(day), "expiry_date": date_text(expiry), "status_id": status,
            "quote_lines": lines, **_texts(element)}


def update_body(element: Mapping[str, Any], tx: Tx, *, account_ids: Mapping[str, str]) -> dict[str, Any]:
    """The unwrapped ``PUT /sales_quotes/{key}`` body: only what the element sends (``Status`` excluded).

    Raises:
        ValidationException: the line errors of :func:`.lines.line_body`.
    """
    body = _texts(element)
    for key, name in (("date", "Date"), ("expiry_date", "ExpiryDate")):
        value = xero_date(element, name)
        if value is not None:
            body[key] = date_text(value)
    if element.get("LineItems"):
        body["quote_lines"] = _lines(element, tx, account_ids)
    return body


#: What :func:`quote_from_sage` makes of every Xero Quote field (docs/fields-1009.md).
QUOTE_FIELDS = fields.FieldMap(
    "Quotes", Quote,
    fields.computed("QuoteID", "uuid5 of business_id/sales_quotes/id"),
    fields.populated("QuoteNumber", "sales_quotes.quote_number"),
    fields.populated("Reference", "sales_quotes.reference", condition="when set"),
    fields.populated("Terms", "sales_quotes.terms_and_conditions", condition="when set"),
    fields.populated("Contact", "sales_quotes.contact (contact_name)"),
    fields.populated("LineItems", "sales_quotes.quote_lines (adapters/sage_accounting/translate/lines.py)"),
    fields.populated("Date", "sales_quotes.date"),
    fields.populated("ExpiryDate", "sales_quotes.expiry_date"),
    fields.populated("Status", "sales_quotes.status (mappings/sage_quotes.toml), INVOICED when linked to an invoice"),
    fields.populated("CurrencyCode", "sales_quotes.currency"),
    fields.populated("CurrencyRate", "sales_quotes.exchange_rate"),
    fields.populated("SubTotal", "sales_quotes.net_amount"),
    fields.populated("TotalTax", "sales_quotes.tax_amount"),
    fields.populated("Total", "sales_quotes.total_amount"),
    fields.populated("TotalDiscount", "sales_quotes.total_discount_amount", condition="when set"),
    fields.populated("Title", "sales_quotes.notes", condition="when set"),
    fields.populated("UpdatedDateUTC", "sales_quotes.updated_at"),
    fields.computed("LineAmountTypes", "the lines' tax inclusion, in Xero's quote capitals"),
    fields.lost("Summary", reason="a Sage quote keeps one free text, read as Title"),
    fields.lost("BrandingThemeID", reason="Sage's invoice layouts are not in its API"),
    fields.write_outcome(Quote),
)
