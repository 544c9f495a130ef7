"""Prepayments from the Sage 50 audit trail: money received or paid on account and not allocated to a document.

A customer receipt on account (``SA``) or supplier payment on account (``PA``) is a header with one split on the
bank nominal (transaction-types.json); ``AllocatePayment`` later matches it to invoices (``AUDIT_USAGE``) and lowers
its ``OUTSTANDING`` (sage50.md §5, §9.3). The part still unallocated is what Xero calls a prepayment:

- ``Type`` RECEIVE-PREPAYMENT (SA) or SPEND-PREPAYMENT (PA); ``PrepaymentID`` the header's stable GUID (kind
  ``prepayment``); ``Contact`` the account; ``Date``, ``Reference`` ← ``DATE``, ``INV_REF``.
- ``Total`` = ``SubTotal`` = ``RemainingCredit`` ← the header's ``OUTSTANDING`` (Sage's own number, never
  recomputed), one line with the header's ``DETAILS``, no tax (Sage posts money on account with T9, outside VAT),
  ``LineAmountTypes`` NoTax, ``Status`` AUTHORISED.
- The allocated part is already Xero ``Payments`` (:func:`.banking.payment_pairs`, one per paid document), so each
  pound appears once: a receipt allocated in full is not a prepayment, one allocated in part is a prepayment of
  its remainder. Deleted headers (``DELETED_FLAG``) are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from adapters.common import fields
from gateway.xero.models import LineItem
from gateway.xero.models.documents import Prepayment

from ..unit import Books, money, number, sage_date, sage_datetime, text
from . import columns
from .contacts import contact_ref
from .settings import currency_code

#: Sage's on-account types → Xero's prepayment type.
PREPAYMENT_TYPE = {"SA": "RECEIVE-PREPAYMENT", "PA": "SPEND-PREPAYMENT"}


def prepayment_headers(books: Books) -> list[Mapping[str, Any]]:
    """SA/PA headers with an unallocated remainder, in ``HEADER_NUMBER`` order."""
    return [h for h in books.headers_of(*PREPAYMENT_TYPE) if money(h.get("OUTSTANDING")) != 0]


def prepayment(books: Books, header: Mapping[str, Any]) -> Prepayment:
    """The Xero prepayment of one SA/PA header's unallocated remainder (see the module docstring)."""
    header_number = number(header.get("HEADER_NUMBER"))
    remaining = abs(money(header.get("OUTSTANDING")))
    details = text(header.get("DETAILS")) or None
    line = LineItem(LineItemID=books.guid("prepayment-line", header_number), Description=details,
                    Quantity=Decimal("1"), UnitAmount=remaining, TaxType="NONE", TaxAmount=Decimal("0"),
                    LineAmount=remaining)
    return Prepayment(
        PrepaymentID=books.guid("prepayment", header_number), Type=PREPAYMENT_TYPE[text(header.get("TYPE"))],
        Contact=contact_ref(books, text(header.get("ACCOUNT_REF"))),
        Status="AUTHORISED", LineAmountTypes="NoTax", LineItems=[line], SubTotal=remaining,
        TotalTax=Decimal("0"), Total=remaining, CurrencyCode=currency_code(books, header.get("CURRENCY")),
        RemainingCredit=remaining, Allocations=[], HasAttachments=False,
        **PREPAYMENT_FIELDS.read(header))  # Date, Reference, UpdatedDateUTC, CurrencyRate



#: What :func:`prepayment` makes of every Xero Prepayment field (one SA/PA header's unallocated remainder).
PREPAYMENT_FIELDS = fields.FieldMap(
    "Prepayments", Prepayment,
    fields.computed("PrepaymentID", "uuid5 of tenant/prepayment/{AUDIT_HEADER.HEADER_NUMBER}"),
    fields.computed("Type", "AUDIT_HEADER.TYPE: SA RECEIVE-PREPAYMENT, PA SPEND-PREPAYMENT"),
    fields.populated("Contact", "AUDIT_HEADER.ACCOUNT_REF (its SALES_LEDGER or PURCHASE_LEDGER row)"),
    fields.read("Date", "DATE", sage_date, record="AUDIT_HEADER"),
    fields.computed("Status", "AUTHORISED: a posted payment on account"),
    fields.computed("LineAmountTypes", "NoTax: Sage 50 posts money on account with T9, outside VAT"),
    fields.computed("LineItems", "one line: AUDIT_HEADER.DETAILS and the unallocated OUTSTANDING"),
    fields.populated("SubTotal", "AUDIT_HEADER.OUTSTANDING (unsigned)"),
    fields.computed("TotalTax", "0: money on account is outside VAT"),
    fields.populated("Total", "AUDIT_HEADER.OUTSTANDING (unsigned)"),
    fields.read("Reference", "INV_REF", columns.text_or_none, record="AUDIT_HEADER", condition="when set"),
    fields.read("UpdatedDateUTC", "RECORD_MODIFY_DATE", sage_datetime, record="AUDIT_HEADER"),
    fields.populated("CurrencyCode", "AUDIT_HEADER.CURRENCY (its CURRENCY row's CODE)"),
    fields.read("CurrencyRate", "FOREIGN_RATE", columns.foreign_rate, record="AUDIT_HEADER", note="1 when zero"),
    fields.populated("RemainingCredit", "AUDIT_HEADER.OUTSTANDING (unsigned)"),
    fields.computed("Allocations", "empty: the allocated part is already served as Payments of the documents"),
    fields.computed("HasAttachments", "false: the connector reads no attachments"),
    fields.lost("InvoiceNumber", reason="Sage 50 numbers no invoice for money on account"),
    fields.lost("BrandingThemeID", reason="Sage 50 has no branding themes"),
    fields.lost("Payments", reason="refunds of money on account are not read from the audit trail"),
    fields.lost("AppliedAmount", reason="not translated: allocations are served as the documents' Payments"),
)
