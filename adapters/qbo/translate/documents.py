"""Xero Invoices and CreditNotes ↔ QBO Invoice, Bill, CreditMemo and VendorCredit.

Kinds (upstream-contracts.md §4 table): ACCREC ↔ Invoice, ACCPAY ↔ Bill, ACCRECCREDIT ↔ CreditMemo, ACCPAYCREDIT ↔
VendorCredit; the contact is the document's ``CustomerRef`` (sales) or ``VendorRef`` (purchases).

Status rule (hard case 5; ``mappings/qbo_statuses.toml``): QBO has no draft or submitted state, every document it
holds is posted. Reads: a voided document (``TotalAmt`` 0 and ``PrivateNote`` starting "Voided", as QBO leaves it:
Invoice.json ``void_response``) is VOIDED; a document with nothing left to pay or apply (``Balance`` /
``RemainingCredit`` 0) is PAID; every other is AUTHORISED. Deleted documents no longer exist at QBO and are not
listed. Writes: DRAFT, SUBMITTED and AUTHORISED all post the document (the answer is AUTHORISED and carries a warning
when DRAFT or SUBMITTED was asked for); VOIDED voids it where QBO can (Invoice; otherwise refused); DELETED deletes
it (``operation=delete``).

Fields: ``InvoiceNumber``/``CreditNoteNumber`` ↔ ``DocNumber``; ``Reference`` ↔ ``PrivateNote`` (without QBO's
"Voided" prefix); ``Date`` ↔ ``TxnDate``; ``DueDate`` ↔ ``DueDate``; ``LineAmountTypes`` ↔ ``GlobalTaxCalculation``
(:mod:`.tax`); ``CurrencyCode`` ↔ ``CurrencyRef`` (the home currency when absent), ``CurrencyRate`` ↔
``ExchangeRate`` (1 in the home currency); ``Total`` ← ``TotalAmt``; ``TotalTax`` ← ``TxnTaxDetail.TotalTax``;
``SubTotal`` = Total − TotalTax; ``AmountDue`` ← ``Balance``; ``AmountPaid`` = Total − Balance (invoices);
``RemainingCredit`` ← ``RemainingCredit``/``Balance`` (credit notes); ``SentToContact`` ← ``EmailStatus`` EmailSent;
lines by :mod:`.lines`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models import Contact
from gateway.xero.models.documents import CreditNote, Invoice

from .. import codes
from .common import ZERO, Tx, compact, money, qbo_date, ref, ref_id, text, updated, xero_date, xero_number
from .lines import lines_to_qbo, lines_to_xero
from .tax import global_tax_calculation, line_amount_types

VOIDED_NOTE = "Voided"


@dataclass(frozen=True)
class DocKind:
    """One QBO document entity and its Xero type."""

    entity: str
    xero_type: str
    sales: bool
    party: str
    party_ref: str
    credit: bool

    @property
    def mode(self) -> str:
        """The line mode of :func:`.lines.lines_to_qbo`."""
        return "sales" if self.sales else "expense"


KINDS = (DocKind("Invoice", "ACCREC", True, "Customer", "CustomerRef", False),
         DocKind("Bill", "ACCPAY", False, "Vendor", "VendorRef", False),
         DocKind("CreditMemo", "ACCRECCREDIT", True, "Customer", "CustomerRef", True),
         DocKind("VendorCredit", "ACCPAYCREDIT", False, "Vendor", "VendorRef", True))
BY_ENTITY = {k.entity: k for k in KINDS}
BY_TYPE = {k.xero_type: k for k in KINDS}
INVOICE_KINDS = (BY_TYPE["ACCREC"], BY_TYPE["ACCPAY"])
CREDIT_KINDS = (BY_TYPE["ACCRECCREDIT"], BY_TYPE["ACCPAYCREDIT"])


def is_voided(row: dict[str, Any]) -> bool:
    """QBO's mark of a voided transaction: zero total and "Voided" in ``PrivateNote`` (Invoice.json
    ``void_response``; upstream-contracts.md §1 "CRUD")."""
    total = money(row.get("TotalAmt"))
    return (total is None or total == ZERO) and str(row.get("PrivateNote") or "").startswith(VOIDED_NOTE)


def open_amount(row: dict[str, Any], kind: DocKind) -> Decimal:
    """What is left to pay (invoices, bills) or to apply (credit notes)."""
    if kind.entity == "CreditMemo" and row.get("RemainingCredit") is not None:
        return money(row.get("RemainingCredit")) or ZERO
    return money(row.get("Balance")) or ZERO


def status(row: dict[str, Any], kind: DocKind) -> str:
    """The Xero status of a QBO document (rule in the module docstring)."""
    table = codes.statuses().document
    if is_voided(row):
        return table["voided"]
    return table["settled"] if open_amount(row, kind) == ZERO else table["open"]


def reference(row: dict[str, Any]) -> str | None:
    """``PrivateNote`` without QBO's void prefix."""
    note = text(row.get("PrivateNote"))
    if note and note.startswith(VOIDED_NOTE):
        note = text(note[len(VOIDED_NOTE):].lstrip(" -"))
    return note


def contact_of(row: dict[str, Any], kind: DocKind, t: Tx) -> Contact | None:
    """The document's contact (id and name)."""
    party_id = ref_id(row.get(kind.party_ref))
    if party_id is None:
        return None
    name = text((row.get(kind.party_ref) or {}).get("name"))
    if name is None and t.refs.has("customers" if kind.sales else "vendors"):
        found = (t.refs.customers if kind.sales else t.refs.vendors).get(party_id)
        name = text(found.get("DisplayName")) if found else None
    return Contact(ContactID=t.guid(kind.party, party_id), Name=name)


def _common(row: dict[str, Any], kind: DocKind, t: Tx, fmap: fields.FieldMap) -> dict[str, Any]:
    """The fields Invoices and CreditNotes share; those ``fmap`` declares with :func:`fields.read` (dates, totals,
    the document number) come from the map itself."""
    company = t.refs.company
    amounts = line_amount_types(row, has_global=company.has_global_tax_calculation)
    out = fmap.read(row)
    currency = ref_id(row.get("CurrencyRef")) or company.home_currency
    rate = money(row.get("ExchangeRate")) or (Decimal(1) if currency == company.home_currency else None)
    return {
        **out,
        "Type": kind.xero_type,
        "Contact": contact_of(row, kind, t),
        "Status": status(row, kind),
        "LineAmountTypes": amounts,
        "LineItems": lines_to_xero(row, kind.entity, t, purchases=not kind.sales, inclusive=amounts == "Inclusive"),
        "SubTotal": out["Total"] - out["TotalTax"],
        "CurrencyCode": currency,
        "CurrencyRate": rate,
        "Reference": reference(row),
        "SentToContact": row.get("EmailStatus") == "EmailSent" if kind.sales else None,
        "UpdatedDateUTC": updated(row),
        "HasAttachments": None,  # known on single reads only (adapters/qbo/attachments.py)
    }


def _amount(value: Any) -> Decimal:
    """A QBO amount as Decimal, 0 when absent."""
    return money(value) or ZERO


def invoice_to_xero(row: dict[str, Any], kind: DocKind, t: Tx) -> Invoice:
    """A QBO Invoice or Bill as a Xero Invoice."""
    fields = _common(row, kind, t, INVOICE_FIELDS)
    voided = is_voided(row)
    due = ZERO if voided else (money(row.get("Balance")) or ZERO)
    return Invoice(InvoiceID=t.guid(kind.entity, row["Id"]),
                   AmountDue=due, AmountPaid=ZERO if voided else fields["Total"] - due, AmountCredited=ZERO,
                   IsDiscounted=False, **fields)


def credit_note_to_xero(row: dict[str, Any], kind: DocKind, t: Tx) -> CreditNote:
    """A QBO CreditMemo or VendorCredit as a Xero CreditNote."""
    fields = _common(row, kind, t, CREDIT_NOTE_FIELDS)
    fields.pop("SentToContact", None)
    remaining = ZERO if is_voided(row) else open_amount(row, kind)
    return CreditNote(CreditNoteID=t.guid(kind.entity, row["Id"]), RemainingCredit=remaining, **fields)


def document_to_qbo(element: dict[str, Any], kind: DocKind, t: Tx, *, party_id: str | None, number_field: str,
                    create: bool) -> dict[str, Any]:
    """A Xero Invoice/CreditNote element as a QBO document body (create, or the fields of a sparse update).

    Args:
        party_id: the Customer/Vendor ``Id`` (resolved by the adapter; ``None`` keeps the current one).
        number_field: ``InvoiceNumber`` or ``CreditNoteNumber``.
        create: a create (Contact and lines required; numbering) rather than a sparse update.

    Raises:
        ValidationException: missing contact or lines, bad dates or numbers, a LineAmountTypes QBO cannot hold,
            unknown accounts, items, tax types or tracking options.
    """
    company = t.refs.company
    if create and party_id is None:
        raise ValidationException.single("A Contact must be specified for this type of transaction", element)
    body: dict[str, Any] = {
        kind.party_ref: ref(party_id) if party_id else None,
        "TxnDate": _iso(xero_date(element, "Date")),
        "DueDate": _iso(xero_date(element, "DueDate")) if not (kind.credit and kind.entity == "VendorCredit")
        else None,
        "DocNumber": text(element.get(number_field)),
        "PrivateNote": text(element.get("Reference")),
    }
    currency = text(element.get("CurrencyCode"))
    if currency is not None and currency.upper() != company.home_currency:
        body["CurrencyRef"] = ref(currency.upper())
        body["ExchangeRate"] = xero_number(element, "CurrencyRate")
    amounts = text(element.get("LineAmountTypes"))
    if amounts is not None:
        if global_tax_calculation(amounts) is None:
            raise ValidationException.single(f"'{amounts}' is not a valid LineAmountTypes value", element)
        if company.has_global_tax_calculation:
            body["GlobalTaxCalculation"] = global_tax_calculation(amounts)
        elif amounts.lower() != codes.tax().no_global_tax_calculation.us_line_amount_types.lower():
            raise ValidationException.single(
                f"LineAmountTypes '{amounts}' is not available for a QuickBooks Online company in "
                f"{company.country or 'this country'}: its documents are tax exclusive", element)
    if create or element.get("LineItems") is not None:
        lines, department = lines_to_qbo(element, t, mode=kind.mode)
        body["Line"] = lines
        if department is not None:
            body["DepartmentRef"] = ref(department)
    if create and kind.sales and body["DocNumber"] is None and (
            (company.prefs.get("SalesFormsPrefs") or {}).get("CustomTxnNumbers")):
        body["AutoDocNumber"] = True
    return compact(body)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _document_fields(party: str) -> list[fields.Field]:
    """What :func:`_common` makes of the fields Invoices and CreditNotes share; ``party`` names the contact refs."""
    return [
        fields.populated("Contact", f"{party} (value, name)"),
        fields.populated("LineItems", "Line (adapters/qbo/translate/lines.py)"),
        fields.read("Date", "TxnDate", qbo_date),
        fields.populated("LineAmountTypes", "GlobalTaxCalculation (Exclusive for US realms, which have none)"),
        fields.populated("Reference", "PrivateNote (without QBO's Voided prefix)", condition="when set"),
        fields.populated("CurrencyCode", "CurrencyRef (the home currency when absent)"),
        fields.populated("CurrencyRate", "ExchangeRate (1 in the home currency)"),
        fields.computed("Status", "VOIDED when TotalAmt 0 with a Voided PrivateNote, PAID when nothing is left "
                                  "open (Balance, RemainingCredit), else AUTHORISED"),
        fields.computed("SubTotal", "TotalAmt - TxnTaxDetail.TotalTax"),
        fields.read("TotalTax", "TxnTaxDetail.TotalTax", _amount),
        fields.read("Total", "TotalAmt", _amount),
        fields.computed("HasAttachments", "an Attachable linked to the document",
                        condition="single reads of a document with files"),
        fields.populated("UpdatedDateUTC", "MetaData.LastUpdatedTime"),
        fields.lost("BrandingThemeID", reason="QBO's custom form styles are not in its API"),
        fields.lost("FullyPaidOnDate", reason="QBO's document does not carry the date it was settled"),
    ]


#: What :func:`invoice_to_xero` makes of every Xero Invoice field (docs/fields-1004.md).
INVOICE_FIELDS = fields.FieldMap(
    "Invoices", Invoice,
    fields.lost("Attachments", reason="not served: GET …/Attachments lists the record's files"),
    _document_fields("Invoice.CustomerRef / Bill.VendorRef"),
    fields.computed("InvoiceID", "uuid5 of realmId/Invoice|Bill/Id (adapters/qbo/ids.py)"),
    fields.computed("Type", "the entity: Invoice ACCREC, Bill ACCPAY"),
    fields.read("DueDate", "DueDate", qbo_date),
    fields.read("InvoiceNumber", "DocNumber", text),
    fields.populated("SentToContact", "Invoice.EmailStatus EmailSent", condition="sales invoices only"),
    fields.computed("IsDiscounted", "false: the adapter sends and reads no line DiscountRate"),
    fields.populated("AmountDue", "Balance (0 when voided)"),
    fields.computed("AmountPaid", "TotalAmt - Balance"),
    fields.computed("AmountCredited", "0: credits QBO applies reduce Balance and are not itemised"),
    fields.lost("Url", reason="QBO documents have no source URL field"),
    fields.lost("ExpectedPaymentDate", "PlannedPaymentDate", reason="QBO has no expected or planned payment date"),
    fields.lost("TotalDiscount", reason="not translated: QBO DiscountLineDetail lines are not read as a discount"),
    fields.lost("Payments", "CreditNotes", "Prepayments", "Overpayments",
                reason="not itemised on the document: QBO links them through LinkedTxn, read GET /Payments"),
    fields.write_outcome(Invoice),
)

#: What :func:`credit_note_to_xero` makes of every Xero CreditNote field (docs/fields-1004.md).
CREDIT_NOTE_FIELDS = fields.FieldMap(
    "CreditNotes", CreditNote,
    _document_fields("CreditMemo.CustomerRef / VendorCredit.VendorRef"),
    fields.computed("CreditNoteID", "uuid5 of realmId/CreditMemo|VendorCredit/Id (adapters/qbo/ids.py)"),
    fields.computed("Type", "the entity: CreditMemo ACCRECCREDIT, VendorCredit ACCPAYCREDIT"),
    fields.read("DueDate", "DueDate", qbo_date, condition="when set (VendorCredit has none)"),
    fields.read("CreditNoteNumber", "DocNumber", text),
    fields.populated("RemainingCredit", "CreditMemo.RemainingCredit, else Balance (0 when voided)"),
    fields.lost("SentToContact", reason="not translated for credit notes: CreditMemo.EmailStatus is not read"),
    fields.lost("Allocations", "AppliedAmount", "Payments",
                reason="not itemised on the credit: QBO applies it through a Payment's LinkedTxn"),
    fields.write_outcome(CreditNote),
)
