"""Invoices and CreditNotes from the Sage 50 audit trail (posted) and the invoicing module (unposted drafts).

Posted (``AUDIT_HEADER`` + its ``AUDIT_SPLIT`` rows; transaction-types.json): SI → Invoice ACCREC, PI → ACCPAY,
SC → CreditNote ACCRECCREDIT, PC → ACCPAYCREDIT. ``InvoiceID``/``CreditNoteID`` is the header's stable GUID;
``InvoiceNumber``/``CreditNoteNumber`` ← ``INV_REF``; ``Date``/``DueDate`` ← ``DATE``/``DUE_DATE``; one line per
split (``DETAILS``, ``NOMINAL_CODE``, ``NET_AMOUNT``, ``TAX_AMOUNT``, ``TAX_CODE``, ``DEPT_NUMBER`` as the
department tracking option), ``LineAmountTypes`` Exclusive (Sage stores net and tax apart). Amounts are Sage's
own, never recomputed (sage50.md §9.5: the stored tax may differ from rate × net), as absolute values: Sage signs
them by transaction type, Xero by document type. ``AmountDue`` ← ``OUTSTANDING``; ``Payments`` one per paying
header (its ``PaymentID`` that of ``GET /Payments``, the sum of its allocations to the document's splits);
``AmountPaid``/``AmountCredited`` ← the ``AUDIT_USAGE`` allocations against the document's splits, split by whether
the paying side is a payment or a credit note; ``Status`` PAID when nothing is outstanding, VOIDED when
``DELETED_FLAG``, else AUTHORISED.

Unposted (``INVOICE`` rows whose ``POSTED_CODE`` is 0, with their ``INVOICE_ITEM`` lines) → DRAFT ACCREC invoices
(``INVOICE_OR_CREDIT`` "Credit" → DRAFT ACCRECCREDIT credit notes): Sage 50's invoicing module has sales documents
only.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from adapters.common import fields
from gateway.xero.models import Invoice, LineItem, LineItemTracking, Payment
from gateway.xero.models.documents import Allocation, CreditNote
from gateway.xero.models.documents import Invoice as DocumentInvoice

from .. import ids
from ..codes import codes
from ..unit import Books, money, number, sage_date, sage_datetime, text
from . import columns
from .contacts import contact_ref
from .settings import currency_code

DIRECTION = {"ACCREC": "output", "ACCPAY": "input", "ACCRECCREDIT": "output", "ACCPAYCREDIT": "input"}
CREDIT_TYPES = ("SC", "PC")
PAYMENT_TYPES = ("SR", "SA", "PP", "PA", "SP", "PR")


def _tracking(books: Books, dept: Any) -> list[LineItemTracking] | None:
    n = number(dept)
    if not n:
        return None
    row = books.row("DEPARTMENT", n)
    if row is None:
        return None
    return [LineItemTracking(TrackingCategoryID=books.guid("tracking", ids.DEPARTMENTS), Name="Departments",
                             TrackingOptionID=books.guid("department", n),
                             Option=text(row.get("NAME")) or f"Department {n}")]


def split_line(books: Books, split: Mapping[str, Any], direction: str) -> LineItem:
    """One Xero line of an AUDIT_SPLIT row (absolute amounts; quantity 1: the audit trail keeps no quantities)."""
    net, tax = abs(money(split.get("NET_AMOUNT"))), abs(money(split.get("TAX_AMOUNT")))
    nominal = text(split.get("NOMINAL_CODE"))
    tax_code = text(split.get("TAX_CODE"))
    return LineItem(
        LineItemID=books.guid("split", number(split.get("TRAN_NUMBER"))),
        Description=text(split.get("DETAILS")) or None,
        Quantity=Decimal("1"), UnitAmount=net, AccountCode=nominal or None,
        AccountID=books.guid("account", nominal) if nominal else None,
        TaxType=codes().xero_tax(tax_code, direction).tax_type if tax_code else None, TaxAmount=tax, LineAmount=net,
        Tracking=_tracking(books, split.get("DEPT_NUMBER")))


def allocations(books: Books, header: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """``(usage, paying header)`` for every allocation against this document's splits (each usage once)."""
    out, seen = [], set()
    for split in books.splits.get(number(header.get("HEADER_NUMBER")) or -1, []):
        tran = number(split.get("TRAN_NUMBER"))
        for usage in books.usages_by_split.get(tran or -1, []):
            key = number(usage.get("USAGE_NUMBER"))
            if key in seen or number(usage.get("DELETED_FLAG")):
                continue
            other = number(usage.get("SPLIT_CROSSREF")) if number(usage.get("SPLIT_NUMBER")) == tran \
                else number(usage.get("SPLIT_NUMBER"))
            other_split = books.splits_by_number.get(other or -1)
            payer = books.headers.get(number(other_split.get("HEADER_NUMBER")) or -1) if other_split else None
            if payer is None:
                continue
            seen.add(key)
            out.append((usage, payer))
    return out


def header_status(header: Mapping[str, Any]) -> str:
    """The Xero status of a posted header from its own fields (``GROSS_AMOUNT``, ``OUTSTANDING``, ``DELETED_FLAG``),
    without its splits: what a change event tells of a credit note (``CreditNoteWebhookEvent.data.Status``)."""
    return _status(header, abs(money(header.get("GROSS_AMOUNT"))), abs(money(header.get("OUTSTANDING"))))


def _status(header: Mapping[str, Any], gross: Decimal, outstanding: Decimal) -> str:
    if number(header.get("DELETED_FLAG")):
        return "VOIDED"
    return "PAID" if gross > 0 and outstanding == 0 else "AUTHORISED"


def _totals(books: Books, header: Mapping[str, Any], direction: str) -> dict[str, Any]:
    splits = books.splits.get(number(header.get("HEADER_NUMBER")) or -1, [])
    lines = [split_line(books, s, direction) for s in splits]
    sub = sum((line.LineAmount or Decimal(0) for line in lines), Decimal(0))
    tax = sum((line.TaxAmount or Decimal(0) for line in lines), Decimal(0))
    gross = abs(money(header.get("GROSS_AMOUNT"))) if header.get("GROSS_AMOUNT") not in (None, "") else sub + tax
    return {"lines": lines, "sub": sub, "tax": tax, "gross": gross,
            "outstanding": abs(money(header.get("OUTSTANDING")))}


def invoice(books: Books, header: Mapping[str, Any], *, detailed: bool = True) -> DocumentInvoice:
    """The Xero invoice of an SI or PI header."""
    kind = "ACCREC" if text(header.get("TYPE")) == "SI" else "ACCPAY"
    t = _totals(books, header, DIRECTION[kind])
    paid = credited = Decimal(0)
    payments: dict[int, Payment] = {}  # one per paying header, as GET /Payments has them (banking.payment_pairs)
    last = None
    doc_number = number(header.get("HEADER_NUMBER"))
    for usage, payer in allocations(books, header):
        amount = abs(money(usage.get("AMOUNT")))
        when = sage_date(usage.get("DATE"))
        last = max(last, when) if last and when else (when or last)
        if text(payer.get("TYPE")) in CREDIT_TYPES:
            credited += amount
            continue
        paid += amount
        payer_number = number(payer.get("HEADER_NUMBER")) or 0
        known = payments.get(payer_number)
        if known is not None:
            known.Amount = (known.Amount or Decimal(0)) + amount
            continue
        payments[payer_number] = Payment(PaymentID=books.guid("payment", f"{payer_number}/{doc_number}"),
                                         Date=sage_date(payer.get("DATE")) or when, Amount=amount,
                                         Reference=text(payer.get("INV_REF")) or None)
    status = _status(header, t["gross"], t["outstanding"])
    return DocumentInvoice(
        InvoiceID=books.guid("header", number(header.get("HEADER_NUMBER"))), Type=kind,
        Contact=contact_ref(books, text(header.get("ACCOUNT_REF"))), Date=sage_date(header.get("DATE")),
        DueDate=sage_date(header.get("DUE_DATE")) or sage_date(header.get("DATE")), LineAmountTypes="Exclusive",
        InvoiceNumber=text(header.get("INV_REF")) or None, CurrencyCode=currency_code(books, header.get("CURRENCY")),
        Status=status,
        LineItems=t["lines"] if detailed else None, SubTotal=t["sub"], TotalTax=t["tax"], Total=t["gross"],
        AmountDue=t["outstanding"] if status != "VOIDED" else Decimal(0), AmountPaid=paid, AmountCredited=credited,
        FullyPaidOnDate=last if status == "PAID" else None,
        Payments=list(payments.values()) if detailed else None,
        HasAttachments=False, IsDiscounted=False,
        **INVOICE_FIELDS.read(header))  # Reference, CurrencyRate, UpdatedDateUTC


def credit_note(books: Books, header: Mapping[str, Any], *, detailed: bool = True) -> CreditNote:
    """The Xero credit note of an SC or PC header (its allocations to invoices included)."""
    kind = "ACCRECCREDIT" if text(header.get("TYPE")) == "SC" else "ACCPAYCREDIT"
    t = _totals(books, header, DIRECTION[kind])
    allocated = []
    for usage, target in allocations(books, header):
        if text(target.get("TYPE")) not in ("SI", "PI"):
            continue
        allocated.append(Allocation(
            AllocationID=books.guid("usage", number(usage.get("USAGE_NUMBER"))), Amount=abs(money(usage.get("AMOUNT"))),
            Date=sage_date(usage.get("DATE")),
            Invoice=Invoice(InvoiceID=books.guid("header", number(target.get("HEADER_NUMBER"))),
                            InvoiceNumber=text(target.get("INV_REF")) or None)))
    status = _status(header, t["gross"], t["outstanding"])
    return CreditNote(
        CreditNoteID=books.guid("header", number(header.get("HEADER_NUMBER"))), Type=kind,
        Contact=contact_ref(books, text(header.get("ACCOUNT_REF"))), Date=sage_date(header.get("DATE")),
        DueDate=sage_date(header.get("DUE_DATE")), LineAmountTypes="Exclusive",
        CreditNoteNumber=text(header.get("INV_REF")) or None,
        CurrencyCode=currency_code(books, header.get("CURRENCY")), Status=status,
        LineItems=t["lines"] if detailed else None, SubTotal=t["sub"], TotalTax=t["tax"], Total=t["gross"],
        RemainingCredit=t["outstanding"] if status != "VOIDED" else Decimal(0),
        Allocations=allocated if detailed else None, HasAttachments=False,
        **CREDIT_NOTE_FIELDS.read(header))  # Reference, CurrencyRate, UpdatedDateUTC


def draft(books: Books, doc: Mapping[str, Any]) -> DocumentInvoice | CreditNote:
    """A DRAFT document of the invoicing module (unposted ``INVOICE`` + ``INVOICE_ITEM`` rows)."""
    number_ = text(doc.get("INVOICE_NUMBER"))
    items = sorted((r for r in books.rows("INVOICE_ITEM") if text(r.get("INVOICE_NUMBER")) == number_),
                   key=lambda r: number(r.get("ITEM_NUMBER")) or 0)
    lines = []
    for item in items:
        tax_code = text(item.get("TAX_CODE")) or books.tax_code_by_id(item.get("TAX_CODE_ID"))
        qty = money(item.get("QUANTITY")) or Decimal("1")
        net = abs(money(item.get("NET_AMOUNT")))
        nominal = text(item.get("NOMINAL_CODE"))
        lines.append(LineItem(
            LineItemID=books.guid("document-item", f"{number_}/{text(item.get('ITEM_NUMBER'))}"),
            Description=text(item.get("DESCRIPTION")) or text(item.get("TEXT")) or None, Quantity=qty,
            UnitAmount=abs(money(item.get("UNIT_PRICE"))), ItemCode=text(item.get("STOCK_CODE")) or None,
            AccountCode=nominal or None, AccountID=books.guid("account", nominal) if nominal else None,
            TaxType=codes().xero_tax(tax_code, "output").tax_type if tax_code else None,
            TaxAmount=abs(money(item.get("TAX_AMOUNT"))), LineAmount=net,
            Tracking=_tracking(books, item.get("DEPT_NUMBER"))))
    sub = sum((line.LineAmount or Decimal(0) for line in lines), Decimal(0))
    tax = sum((line.TaxAmount or Decimal(0) for line in lines), Decimal(0))
    common: dict[str, Any] = dict(
        Contact=contact_ref(books, text(doc.get("ACCOUNT_REF"))), Date=sage_date(doc.get("INVOICE_DATE")),
        LineAmountTypes="Exclusive", Status="DRAFT", LineItems=lines, SubTotal=sub, TotalTax=tax, Total=sub + tax,
        CurrencyCode=currency_code(books, doc.get("CURRENCY")), HasAttachments=False,
        UpdatedDateUTC=sage_datetime(doc.get("RECORD_MODIFY_DATE")))
    guid = books.guid("document", number_)
    if text(doc.get("INVOICE_OR_CREDIT")).lower().startswith("credit"):
        return CreditNote(CreditNoteID=guid, Type="ACCRECCREDIT", CreditNoteNumber=number_, RemainingCredit=sub + tax,
                          **common)
    return DocumentInvoice(InvoiceID=guid, Type="ACCREC", InvoiceNumber=number_,
                           DueDate=sage_date(doc.get("PAYMENT_DUE_DATE")) or sage_date(doc.get("INVOICE_DATE")),
                           AmountDue=sub + tax, AmountPaid=Decimal(0), AmountCredited=Decimal(0), **common)


def unposted(books: Books) -> list[Mapping[str, Any]]:
    """The invoicing module's documents not yet posted to the ledgers (drafts), in number order."""
    rows = [r for r in books.rows("INVOICE")
            if not number(r.get("POSTED_CODE")) and text(r.get("POSTED")).lower() != "y"
            and text(r.get("INVOICE_OR_CREDIT")).lower() in ("invoice", "credit", "")]
    return sorted(rows, key=lambda r: number(r.get("INVOICE_NUMBER")) or 0)


def _document_fields() -> list[fields.Field]:
    """What :func:`invoice`, :func:`credit_note` and :func:`draft` make of the fields both documents share."""
    return [
        fields.populated("Contact", "AUDIT_HEADER.ACCOUNT_REF (its ledger NAME)"),
        fields.populated("LineItems", "AUDIT_SPLIT rows (drafts: INVOICE_ITEM)"),
        fields.populated("Date", "AUDIT_HEADER.DATE (drafts: INVOICE.INVOICE_DATE)"),
        fields.computed("LineAmountTypes", "Exclusive: Sage 50 stores net and tax apart"),
        fields.read("Reference", "DETAILS", columns.text_or_none, record="AUDIT_HEADER", condition="when set"),
        fields.populated("CurrencyCode", "AUDIT_HEADER.CURRENCY (index into the CURRENCY table)"),
        fields.read("CurrencyRate", "FOREIGN_RATE", columns.foreign_rate, record="AUDIT_HEADER",
                    note="1 when absent"),
        fields.computed("Status", "VOIDED when DELETED_FLAG, PAID when OUTSTANDING is 0, else AUTHORISED; "
                                  "drafts DRAFT"),
        fields.computed("SubTotal", "sum of AUDIT_SPLIT.NET_AMOUNT"),
        fields.computed("TotalTax", "sum of AUDIT_SPLIT.TAX_AMOUNT"),
        fields.populated("Total", "AUDIT_HEADER.GROSS_AMOUNT (else SubTotal + TotalTax)"),
        fields.computed("HasAttachments", "false: the connector reads no attachments"),
        fields.read("UpdatedDateUTC", "RECORD_MODIFY_DATE", sage_datetime, record="AUDIT_HEADER",
                    note="drafts: INVOICE.RECORD_MODIFY_DATE"),
        fields.lost("BrandingThemeID", reason="Sage 50's invoice layouts are desktop files, not data"),
        fields.lost("SentToContact", reason="Sage 50 does not record it"),
    ]


#: What :func:`invoice` and :func:`draft` make of every Xero Invoice field (docs/fields-1001.md).
INVOICE_FIELDS = fields.FieldMap(
    "Invoices", DocumentInvoice,
    fields.lost("Attachments", reason="not served: GET …/Attachments lists the record's files"),
    _document_fields(),
    fields.computed("InvoiceID", "uuid5 of tenant/header/AUDIT_HEADER.HEADER_NUMBER (drafts: INVOICE_NUMBER)"),
    fields.populated("Type", "AUDIT_HEADER.TYPE (SI ACCREC, PI ACCPAY); drafts ACCREC"),
    fields.populated("DueDate", "AUDIT_HEADER.DUE_DATE (else DATE)"),
    fields.populated("InvoiceNumber", "AUDIT_HEADER.INV_REF (drafts: INVOICE.INVOICE_NUMBER)"),
    fields.computed("IsDiscounted", "false: Sage 50 posts net amounts"),
    fields.populated("Payments", "AUDIT_USAGE allocations from payment headers", condition="single reads"),
    fields.populated("AmountDue", "AUDIT_HEADER.OUTSTANDING (0 when voided)"),
    fields.computed("AmountPaid", "AUDIT_USAGE allocations from payments"),
    fields.populated("FullyPaidOnDate", "the last AUDIT_USAGE.DATE", condition="once PAID"),
    fields.computed("AmountCredited", "AUDIT_USAGE allocations from credit notes"),
    fields.lost("Url", reason="Sage 50 records no source URL"),
    fields.lost("ExpectedPaymentDate", "PlannedPaymentDate", reason="Sage 50 has no expected or planned payment date"),
    fields.lost("TotalDiscount", reason="Sage 50 posts discounted net amounts; the discount is not in the audit trail"),
    fields.lost("CreditNotes", "Prepayments", "Overpayments",
                reason="not itemised on the document: their allocations count in AmountCredited"),
    fields.write_outcome(DocumentInvoice),
)

#: What :func:`credit_note` and :func:`draft` make of every Xero CreditNote field (docs/fields-1001.md).
CREDIT_NOTE_FIELDS = fields.FieldMap(
    "CreditNotes", CreditNote,
    _document_fields(),
    fields.computed("CreditNoteID", "uuid5 of tenant/header/AUDIT_HEADER.HEADER_NUMBER (drafts: INVOICE_NUMBER)"),
    fields.populated("Type", "AUDIT_HEADER.TYPE (SC ACCRECCREDIT, PC ACCPAYCREDIT); drafts ACCRECCREDIT"),
    fields.populated("DueDate", "AUDIT_HEADER.DUE_DATE", condition="when set"),
    fields.populated("CreditNoteNumber", "AUDIT_HEADER.INV_REF (drafts: INVOICE.INVOICE_NUMBER)"),
    fields.populated("RemainingCredit", "AUDIT_HEADER.OUTSTANDING (0 when voided)"),
    fields.populated("Allocations", "AUDIT_USAGE rows against SI/PI headers", condition="single reads"),
    fields.lost("FullyPaidOnDate", reason="not translated for credit notes"),
    fields.lost("AppliedAmount", reason="not translated: the allocations are itemised in Allocations"),
    fields.lost("Payments", reason="not translated: refunds of a credit note are not read"),
    fields.write_outcome(CreditNote),
)
