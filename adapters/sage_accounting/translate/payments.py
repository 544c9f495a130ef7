"""Payments ↔ Sage ``contact_payments``; credit-note allocations → ``contact_allocations``.

A Xero Payment pays one document; a Sage contact payment allocates its amount to any number of artefacts
(``allocated_artefacts[{artefact, amount, discount}]``, upstream-contracts.md §4 hard case 6). Each allocated artefact
is one Xero Payment, whose GUID is the contact payment's part ``artefact:{artefact id}``
(:mod:`adapters.sage_accounting.ids`). A payment on account (no artefact) is not a Xero Payment (it is Xero's
overpayment or prepayment) and is not listed.

Read (swagger ``ContactPayment``, ``AllocatedPaymentArtefact``): ``Date`` ← ``date``; ``Amount`` ← the artefact's
``amount``; ``Reference`` ← ``reference``; ``CurrencyRate`` ← ``exchange_rate``; ``Account`` ← the bank account's
ledger account; ``Invoice`` (invoices) or ``CreditNote`` (refunds of credit notes) ← the artefact, whose kind comes
from its ``$path`` (``/sales_invoices/…``), else from the payment's ``transaction_type`` (CUSTOMER_RECEIPT,
VENDOR_PAYMENT, CUSTOMER_REFUND, VENDOR_REFUND: ``mappings/sage_documents.toml``); ``PaymentType`` ← ACCRECPAYMENT,
ACCPAYPAYMENT, ARCREDITPAYMENT or APCREDITPAYMENT by the document kind (spec ``Payment.PaymentType``); ``Status``
``AUTHORISED`` (``DELETED`` when Sage reports ``deleted_at``); ``UpdatedDateUTC`` ← ``updated_at``.

Write (swagger ``postContactPayments``): ``{transaction_type_id, contact_id, bank_account_id, date, total_amount,
reference, exchange_rate, allocated_artefacts: [{artefact_id, amount}]}`` for the one document paid. A credit note
allocated to an invoice (``PUT /CreditNotes/{id}/Allocations``) is ``POST /contact_allocations``
``{transaction_type_id, contact_id, date, allocated_artefacts: [{artefact_id: invoice, amount}, {artefact_id: credit
note, amount: -amount}]}`` (swagger ``postContactAllocations``; the sign convention of the credit's line is
unconfirmed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.common import fields
from gateway.xero.models import AccountRef, InvoiceRef
from gateway.xero.models.documents import CreditNote, Payment

from ..codes import DocumentKind, tables
from .accounts import account_code
from .common import Tx, money, ref_id, sage_date, sage_datetime

PAYMENT_TYPES = {"ACCREC": "ACCRECPAYMENT", "ACCPAY": "ACCPAYPAYMENT", "ACCRECCREDIT": "ARCREDITPAYMENT",
                 "ACCPAYCREDIT": "APCREDITPAYMENT"}


def kind_of_artefact(artefact: Mapping[str, Any], payment: Mapping[str, Any]) -> DocumentKind | None:
    """The document kind an allocated artefact is (its ``$path``, else the payment's transaction type)."""
    t = tables()
    path = str(artefact.get("$path") or "")
    for resource, kind in t.documents_by_resource.items():
        if path.startswith(f"/{resource}/"):
            return kind
    transaction_type = ref_id(payment.get("transaction_type"))
    return next((k for k in t.documents.values() if k.payment_type == transaction_type), None)


def bank_account_ref(bank_ref: Any, tx: Tx) -> AccountRef | None:
    """The Xero account (the bank's ledger account) of a Sage bank account reference."""
    bank_id = ref_id(bank_ref)
    if bank_id is None:
        return None
    bank = tx.refs.bank_account(bank_id) or (bank_ref if isinstance(bank_ref, Mapping) else {})
    ledger_id = ref_id(bank.get("ledger_account"))
    ledger = tx.refs.ledger_account(ledger_id)
    if ledger_id is None:  # the bank's own nominal code still names it (issue 12: id, code and name)
        return AccountRef(AccountID=tx.guid("bank_accounts", bank_id), Name=bank.get("displayed_as"),
                          Code=str(bank["nominal_code"]) if bank.get("nominal_code") not in (None, "") else None)
    return AccountRef(AccountID=tx.guid("ledger_accounts", ledger_id),
                      Code=account_code(ledger) if ledger else (str(bank["nominal_code"])
                                                                if bank.get("nominal_code") else None),
                      Name=(ledger or {}).get("name") or bank.get("displayed_as"))


def payments_from_sage(row: Mapping[str, Any], tx: Tx) -> list[Payment]:
    """The Xero Payments of one Sage contact payment (one per allocated artefact)."""
    out = []
    account = bank_account_ref(row.get("bank_account"), tx)
    status = "DELETED" if row.get("deleted_at") else "AUTHORISED"
    for entry in row.get("allocated_artefacts") or []:
        if not isinstance(entry, Mapping):
            continue
        artefact = entry.get("artefact") if isinstance(entry.get("artefact"), Mapping) else {}
        artefact_id = ref_id(artefact)
        kind = kind_of_artefact(artefact, row)
        if artefact_id is None or kind is None:
            continue
        document_id = tx.guid(kind.resource, artefact_id)
        fields: dict[str, Any] = {
            "PaymentID": tx.guid("contact_payments", row["id"], f"artefact:{artefact_id}"),
            "Date": sage_date(row.get("date")), "Amount": money(entry.get("amount")),
            "Reference": row.get("reference") or None, "CurrencyRate": money(row.get("exchange_rate")),
            "Account": account, "Status": status, "PaymentType": PAYMENT_TYPES.get(kind.xero_type),
            "UpdatedDateUTC": sage_datetime(row.get("updated_at")),
        }
        number = artefact.get("displayed_as") or None
        if kind.collection == "Invoices":
            fields["Invoice"] = InvoiceRef(InvoiceID=document_id, InvoiceNumber=number, Type=kind.xero_type)
        else:
            fields["CreditNote"] = CreditNote(CreditNoteID=document_id, CreditNoteNumber=number, Type=kind.xero_type)
        out.append(Payment(**fields))
    return out


#: What :func:`payments_from_sage` makes of every Xero Payment field (docs/fields-1009.md).
PAYMENT_FIELDS = fields.FieldMap(
    "Payments", Payment,
    fields.computed("PaymentID", "uuid5 of business_id/contact_payments/id/artefact:{artefact id}"),
    fields.populated("Invoice", "allocated_artefacts[].artefact (id, displayed_as)", condition="invoice payments"),
    fields.populated("CreditNote", "allocated_artefacts[].artefact (id, displayed_as)",
                     condition="refunds of credit notes"),
    fields.populated("Account", "bank_account (its ledger_account)"),
    fields.populated("Date", "date"),
    fields.populated("CurrencyRate", "exchange_rate"),
    fields.populated("Amount", "allocated_artefacts[].amount"),
    fields.populated("Reference", "reference", condition="when set"),
    fields.populated("Status", "deleted_at (DELETED), else AUTHORISED"),
    fields.computed("PaymentType", "from the artefact's kind (mappings/sage_documents.toml)"),
    fields.populated("UpdatedDateUTC", "updated_at"),
    fields.lost("InvoiceNumber", "CreditNoteNumber", "Code",
                reason="Xero's flat write-side fields; reads carry them in Invoice, CreditNote and Account"),
    fields.lost("BankAmount", reason="not translated: Sage's base_currency_total_amount is not read"),
    fields.lost("IsReconciled", reason="not translated: Sage's reconciliation state is not read"),
    fields.lost("HasAccount", reason="not set by the adapter"),
    fields.lost("BatchPaymentID", reason="BatchPayments are not served on Sage Accounting yet"),
    fields.lost("Prepayment", "Overpayment", reason="payments on account are not listed as Payments"),
    fields.write_outcome(Payment),
)
