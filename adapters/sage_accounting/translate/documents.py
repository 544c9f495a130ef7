"""Invoices ↔ ``sales_invoices``/``purchase_invoices``; CreditNotes ↔ ``sales_credit_notes``/``purchase_credit_notes``.

The kind of each Xero type (resource, body wrapper, line array, number field, direction) is data:
``mappings/sage_documents.toml``.

Read (swagger ``SalesInvoice`` and siblings): ``InvoiceID``/``CreditNoteID`` ← GUID; ``Type`` ← the kind;
``Contact`` ← ``contact`` (``Name`` from ``contact_name``, the name when the document was made); ``Date``/``DueDate``
← ``date``/``due_date``; ``InvoiceNumber``/``CreditNoteNumber`` ← the kind's number field (sales: Sage's
``invoice_number``/``credit_note_number``; purchases: ``vendor_reference``, the supplier's number); ``Reference`` ←
``reference``; ``Status`` ← ``status.id`` through ``[status_read]`` (DRAFT, UNPAID/PART_PAID → AUTHORISED, PAID, VOID
→ VOIDED), ``DELETED`` when Sage reports ``deleted_at``; ``LineAmountTypes``/``LineItems`` (:mod:`.lines`);
``SubTotal``/``TotalTax``/``Total`` ← ``net_amount``/``tax_amount``/``total_amount``; ``AmountDue`` (invoices) /
``RemainingCredit`` (credit notes) ← ``outstanding_amount``; ``AmountPaid`` ← the ``payments_allocations`` made by
contact payments, ``AmountCredited`` ← those made by contact allocations (credit notes), and ``Payments`` one per
contact payment (its GUID is the payment's part for this document, as in Payments); ``FullyPaidOnDate`` ←
``last_paid`` once PAID; ``CurrencyCode``/``CurrencyRate`` ← ``currency.id``/``exchange_rate``; ``SentToContact`` ←
``sent``; ``UpdatedDateUTC`` ← ``updated_at``.

Write (swagger ``postSalesInvoices`` and siblings): ``contact_id`` (resolved by the caller), ``date`` (today when
absent, as Xero defaults it), ``due_date`` (Sage requires one on purchase documents: the date when absent), the
number field, ``reference``, ``currency_id``/``exchange_rate``, ``status_id`` on create from ``[status_write]`` (Xero
creates DRAFT by default; SUBMITTED → DRAFT, §4 hard case 5), and the lines (:func:`.lines.line_body`). On update
(``PUT``) only what the element sends; lines sent replace the document's lines (the spec's put line objects carry no
line id).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models import Payment
from gateway.xero.models.documents import CreditNote, Invoice

from .. import messages
from ..codes import DocumentKind, tables
from .common import ZERO, Tx, date_text, money, ref_id, sage_date, sage_datetime, xero_date, xero_number, xero_text
from .contacts import contact_ref
from .lines import LINE_AMOUNT_TYPES, line_amount_types, line_body, line_from_sage


def xero_status(row: Mapping[str, Any]) -> str:
    """Xero Status of a Sage document (module docstring)."""
    if row.get("deleted_at"):
        return "DELETED"
    return tables().status_read.get(ref_id(row.get("status")) or "", "DRAFT")


def _settlements(row: Mapping[str, Any], kind: DocumentKind, tx: Tx) -> tuple[Decimal, Decimal, list[Payment]]:
    """``(paid, credited, payments)`` from a document's ``payments_allocations``."""
    paid = credited = ZERO
    payments: list[Payment] = []
    for entry in row.get("payments_allocations") or []:
        if not isinstance(entry, Mapping):
            continue
        amount = money(entry.get("amount")) or ZERO
        if ref_id(entry.get("contact_allocation")):
            credited += amount
            continue
        paid += amount
        payment_id = ref_id(entry.get("contact_payment"))
        if payment_id:
            payments.append(Payment(PaymentID=tx.guid("contact_payments", payment_id, f"artefact:{row['id']}"),
                                    Date=sage_date(entry.get("date")), Amount=amount,
                                    Reference=entry.get("reference") or None))
    return paid, credited, payments


def document_from_sage(row: Mapping[str, Any], kind: DocumentKind, tx: Tx) -> Invoice | CreditNote:
    """One Sage document as a Xero Invoice (ACCREC/ACCPAY) or CreditNote (module docstring)."""
    lines = [line for line in row.get(kind.lines) or [] if isinstance(line, Mapping)]
    amount_types = line_amount_types(lines, kind.direction)
    items = [line_from_sage(line, doc_resource=kind.resource, doc_id=str(row["id"]), direction=kind.direction,
                            inclusive=amount_types == "Inclusive", tx=tx) for line in lines]
    status = xero_status(row)
    paid, credited, payments = _settlements(row, kind, tx)
    invoice = kind.collection == "Invoices"
    common: dict[str, Any] = {
        # Dates, amounts, Reference, and AmountDue or RemainingCredit: read as the map declares them (Sage credit
        # notes have no due_date, swagger SalesCreditNote/PurchaseCreditNote, so their map reads none).
        **(INVOICE_FIELDS if invoice else CREDIT_NOTE_FIELDS).read(row),
        "Type": kind.xero_type,
        "Contact": contact_ref(row.get("contact"), tx, name=row.get("contact_name") or None),
        "Status": status,
        "LineAmountTypes": amount_types,
        "LineItems": items,
        "CurrencyCode": ref_id(row.get("currency")),
        "SentToContact": row.get("sent") if isinstance(row.get("sent"), bool) else None,
        "FullyPaidOnDate": sage_date(row.get("last_paid")) if status == "PAID" else None,
        "Payments": payments,
    }
    number = row.get(kind.number) or None
    if invoice:
        return Invoice(InvoiceID=tx.guid(kind.resource, row["id"]), InvoiceNumber=number, AmountPaid=paid,
                       AmountCredited=credited, **common)
    return CreditNote(CreditNoteID=tx.guid(kind.resource, row["id"]), CreditNoteNumber=number,
                      AppliedAmount=credited or None, **common)



# Writes -----------------------------------------------------------------------------------------------------------

def amount_types_of(element: Mapping[str, Any]) -> str:
    """The element's ``LineAmountTypes`` (Exclusive when absent, as Xero defaults it).

    Raises:
        ValidationException: another value.
    """
    value = xero_text(element, "LineAmountTypes") or "Exclusive"
    for known in LINE_AMOUNT_TYPES:
        if value.lower() == known.lower():
            return known
    raise ValidationException.single(messages.LINE_AMOUNT_TYPES_INVALID, dict(element))


def _lines(element: Mapping[str, Any], kind: DocumentKind, tx: Tx, account_ids: Mapping[str, str]
           ) -> list[dict[str, Any]]:
    amount_types = amount_types_of(element)
    return [line_body(line, kind=kind, amount_types=amount_types, tx=tx, element=element, account_ids=account_ids)
            for line in element.get("LineItems") or [] if isinstance(line, Mapping)]


def _header(element: Mapping[str, Any], kind: DocumentKind, number_field: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    number = xero_text(element, number_field)
    if number is not None:
        body[kind.number] = number
    reference = xero_text(element, "Reference")
    if reference is not None:
        body["reference"] = reference
    currency = xero_text(element, "CurrencyCode")
    if currency:
        body["currency_id"] = currency.upper()
    rate = xero_number(element, "CurrencyRate")
    if rate is not None:
        body["exchange_rate"] = rate
    return body


def create_body(element: Mapping[str, Any], kind: DocumentKind, tx: Tx, *, contact_id: str, today: date,
                account_ids: Mapping[str, str]) -> dict[str, Any]:
    """The unwrapped Sage body creating the document ``element`` describes.

    Args:
        contact_id: the Sage contact (resolved by the caller).
        today: the business's today (the default ``Date``).
        account_ids: lower-case AccountID GUIDs → ledger account ids (resolved by the caller).

    Raises:
        ValidationException: a status a document cannot be created in, no lines on a posted document, and the line
            errors of :func:`.lines.line_body`.
    """
    status = (xero_text(element, "Status") or "DRAFT").upper()
    sage_status = tables().status_write.get(status)
    if sage_status is None:
        raise ValidationException.single(messages.INVOICE_STATUS_CREATION, dict(element))
    number_field = "InvoiceNumber" if kind.collection == "Invoices" else "CreditNoteNumber"
    day = xero_date(element, "Date") or today
    due = xero_date(element, "DueDate")
    body: dict[str, Any] = {"contact_id": contact_id, "date": date_text(day), "status_id": sage_status,
                            **_header(element, kind, number_field)}
    if kind.collection == "Invoices" and (due is not None or not kind.is_sales):
        body["due_date"] = date_text(due or day)
    lines = _lines(element, kind, tx, account_ids)
    if not lines:
        raise ValidationException.single(messages.LINE_ITEMS_REQUIRED, dict(element))
    body[kind.lines] = lines
    return body


def update_body(element: Mapping[str, Any], kind: DocumentKind, tx: Tx, *, contact_id: str | None,
                account_ids: Mapping[str, str]) -> dict[str, Any]:
    """The unwrapped Sage ``PUT`` body of an update (only what the element sends).

    Raises:
        ValidationException: as :func:`create_body`.
    """
    number_field = "InvoiceNumber" if kind.collection == "Invoices" else "CreditNoteNumber"
    body = _header(element, kind, number_field)
    if contact_id:
        body["contact_id"] = contact_id
    dated = (("date", "Date"), ("due_date", "DueDate")) if kind.collection == "Invoices" else (("date", "Date"),)
    for key, name in dated:
        value = xero_date(element, name)
        if value is not None:
            body[key] = date_text(value)
    if element.get("LineItems"):
        body[kind.lines] = _lines(element, kind, tx, account_ids)
    return body


def _document_fields(lines: str) -> list[fields.Field]:
    """What :func:`document_from_sage` makes of the fields Invoices and CreditNotes share."""
    return [
        fields.populated("Contact", "contact (id), contact_name"),
        fields.populated("LineItems", f"{lines} (adapters/sage_accounting/translate/lines.py)"),
        fields.read("Date", "date", sage_date),
        fields.computed("LineAmountTypes", "from the lines' net, tax and total amounts"),
        fields.read("Reference", "reference", fields.or_none, condition="when set"),
        fields.populated("CurrencyCode", "currency.id"),
        fields.read("CurrencyRate", "exchange_rate", money),
        fields.populated("Status", "status.id (mappings/sage_documents.toml status_read); DELETED when deleted_at"),
        fields.populated("SentToContact", "sent", condition="when Sage reports it"),
        fields.read("SubTotal", "net_amount", money),
        fields.read("TotalTax", "tax_amount", money),
        fields.read("Total", "total_amount", money),
        fields.computed("HasAttachments", "attachments whose attachment_context is the record",
                        condition="single reads"),
        fields.populated("Payments", "payments_allocations made by contact_payment", condition="when paid"),
        fields.populated("FullyPaidOnDate", "last_paid", condition="once PAID"),
        fields.read("UpdatedDateUTC", "updated_at", sage_datetime),
        fields.lost("BrandingThemeID", reason="Sage's invoice layouts are not in its API"),
    ]


#: What :func:`document_from_sage` makes of every Xero Invoice field (docs/fields-1009.md).
INVOICE_FIELDS = fields.FieldMap(
    "Invoices", Invoice,
    fields.lost("Attachments", reason="not served: GET …/Attachments lists the record's files"),
    _document_fields("invoice_lines"),
    fields.computed("InvoiceID", "uuid5 of business_id/sales_invoices|purchase_invoices/id"),
    fields.computed("Type", "the resource: sales_invoices ACCREC, purchase_invoices ACCPAY"),
    fields.read("DueDate", "due_date", sage_date),
    fields.populated("InvoiceNumber", "sales_invoices.invoice_number / purchase_invoices.vendor_reference"),
    fields.read("AmountDue", "outstanding_amount", money),
    fields.computed("AmountPaid", "sum of payments_allocations made by contact payments"),
    fields.computed("AmountCredited", "sum of payments_allocations made by contact allocations"),
    fields.lost("Url", reason="Sage documents have no source URL field"),
    fields.lost("ExpectedPaymentDate", "PlannedPaymentDate", reason="Sage has no expected or planned payment date"),
    fields.lost("TotalDiscount", "IsDiscounted",
                reason="not translated: Sage's line discount_amount is not read as a DiscountRate"),
    fields.lost("CreditNotes", "Prepayments", "Overpayments",
                reason="not itemised on the document: their allocations count in AmountCredited"),
    fields.write_outcome(Invoice),
)

#: What :func:`document_from_sage` makes of every Xero CreditNote field (docs/fields-1009.md).
CREDIT_NOTE_FIELDS = fields.FieldMap(
    "CreditNotes", CreditNote,
    _document_fields("credit_note_lines"),
    fields.computed("CreditNoteID", "uuid5 of business_id/sales_credit_notes|purchase_credit_notes/id"),
    fields.computed("Type", "the resource: sales_credit_notes ACCRECCREDIT, purchase_credit_notes ACCPAYCREDIT"),
    fields.lost("DueDate", reason="Sage credit notes have no due_date (swagger SalesCreditNote, PurchaseCreditNote): "
                                  "not sent, not read"),
    fields.populated("CreditNoteNumber", "sales_credit_notes.credit_note_number / purchase_credit_notes."
                                         "vendor_reference"),
    fields.read("RemainingCredit", "outstanding_amount", money),
    fields.computed("AppliedAmount", "sum of payments_allocations made by contact allocations",
                    condition="once allocated"),
    fields.lost("Allocations", reason="not itemised: the allocations count in AppliedAmount"),
    fields.write_outcome(CreditNote),
)
