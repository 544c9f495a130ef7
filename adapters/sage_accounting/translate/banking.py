"""BankTransactions ↔ Sage ``other_payments``; BankTransfers ↔ Sage ``bank_transfers``.

BankTransactions (upstream-contracts.md §4 table and hard case 8; swagger ``OtherPayment``/``postOtherPayments``):
``Type`` SPEND ↔ ``OTHER_PAYMENT``, RECEIVE ↔ ``OTHER_RECEIPT`` (``mappings/sage_documents.toml``);
``BankAccount`` ↔ ``bank_account`` (Xero names the bank's ledger account); ``Contact`` ↔ ``contact`` (optional);
``Date``, ``Reference``; ``LineItems`` ↔ ``payment_lines`` (``Description`` ↔ ``details``, ``AccountCode`` ↔
``ledger_account``, ``TaxType`` ↔ ``tax_rate`` — input direction on SPEND, output on RECEIVE —, ``TaxAmount`` ↔
``tax_amount``, ``LineAmount`` ↔ ``net_amount`` (Exclusive/NoTax) or ``total_amount`` (Inclusive), shown with
``Quantity`` 1 and ``UnitAmount`` = ``LineAmount``); ``SubTotal``/``TotalTax``/``Total`` ↔
``net_amount``/``tax_amount``/``total_amount``; ``Status`` AUTHORISED (DELETED when Sage reports ``deleted_at``).
Sage lines have no tax-inclusive flag: read back, lines are ``Exclusive`` (``NoTax`` when none carries tax).

BankTransfers (swagger ``BankTransfer``/``postBankTransfers``): ``FromBankAccount``/``ToBankAccount`` ↔
``from_bank_account``/``to_bank_account``; ``Amount``, ``Date``, ``Reference``; ``CreatedDateUTC`` ←
``created_at``; ``Status`` AUTHORISED (DELETED when ``deleted_at``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models import LineItem
from gateway.xero.models.documents import BankTransaction, BankTransfer

from .. import messages
from ..codes import Direction, tables
from .accounts import account_code
from .common import ZERO, Tx, date_text, money, ref_id, sage_date, sage_datetime, xero_date, xero_number, xero_text
from .contacts import contact_ref
from .documents import amount_types_of
from .payments import bank_account_ref
from .tax import line_amounts, rate_of

NO_TAX = "NONE"


def bank_transaction_type(row: Mapping[str, Any]) -> str | None:
    """``SPEND`` / ``RECEIVE`` of an other payment (``None`` for a type the table does not know)."""
    sage = ref_id(row.get("transaction_type"))
    return next((x for x, s in tables().bank_transaction_types.items() if s == sage), None)


def direction_of(xero_type: str) -> Direction:
    return "output" if xero_type == "RECEIVE" else "input"


def bank_transaction_from_sage(row: Mapping[str, Any], tx: Tx) -> BankTransaction | None:
    """One other payment as a Xero BankTransaction (``None`` for a transaction type Xero has no name for)."""
    xero_type = bank_transaction_type(row)
    if xero_type is None:
        return None
    direction = direction_of(xero_type)
    lines = [line for line in row.get("payment_lines") or [] if isinstance(line, Mapping)]
    taxed = any((money(line.get("tax_amount")) or ZERO) != 0 for line in lines)
    items = []
    for line in lines:
        ledger_id = ref_id(line.get("ledger_account"))
        ledger = tx.refs.ledger_account(ledger_id) or line.get("ledger_account")
        amount = money(line.get("net_amount"))
        if amount is None:
            amount = (money(line.get("total_amount")) or ZERO) - (money(line.get("tax_amount")) or ZERO)
        items.append(LineItem(
            LineItemID=tx.guid("other_payments", row["id"], f"line:{line.get('id')}") if line.get("id") else None,
            Description=line.get("details") or None, Quantity=Decimal("1"), UnitAmount=amount, LineAmount=amount,
            AccountCode=account_code(ledger) if isinstance(ledger, Mapping) else None,
            AccountID=tx.guid("ledger_accounts", ledger_id) if ledger_id else None,
            TaxType=tables().xero_tax_type(ref_id(line.get("tax_rate")), direction),
            TaxAmount=money(line.get("tax_amount"))))
    return BankTransaction(
        BankTransactionID=tx.guid("other_payments", row["id"]), Type=xero_type,
        Contact=contact_ref(row.get("contact"), tx), BankAccount=bank_account_ref(row.get("bank_account"), tx),
        Date=sage_date(row.get("date")), Reference=row.get("reference") or None,
        LineAmountTypes="Exclusive" if taxed else "NoTax", LineItems=items,
        SubTotal=money(row.get("net_amount")), TotalTax=money(row.get("tax_amount")),
        Total=money(row.get("total_amount")), Status="DELETED" if row.get("deleted_at") else "AUTHORISED",
        UpdatedDateUTC=sage_datetime(row.get("updated_at")))


def _line(line: Mapping[str, Any], *, direction: Direction, amount_types: str, tx: Tx,
          element: Mapping[str, Any]) -> dict[str, Any]:
    t = tables()
    code = xero_text(line, "AccountCode")
    ledger = tx.refs.ledger_account_by_code(code) if code else None
    if ledger is None:
        raise ValidationException.single(
            messages.ACCOUNT_CODE_INVALID.format(code=code) if code else messages.LINE_ACCOUNT_REQUIRED, dict(element))
    tax_type = xero_text(line, "TaxType") or (NO_TAX if amount_types == "NoTax" else None)
    tax_rate_id = None
    if tax_type:
        tax_rate_id = t.sage_tax_rate(tax_type)
        shown = t.xero_tax_type(tax_rate_id, direction) or ""
        if tx.refs.tax_rate(tax_rate_id) is None or shown.upper() != tax_type.upper():
            raise ValidationException.single(messages.TAX_TYPE_INVALID.format(tax_type=tax_type), dict(element))
    else:
        tax_rate_id = ref_id(ledger.get("tax_rate"))
    quantity = xero_number(line, "Quantity") or Decimal("1")
    unit = xero_number(line, "UnitAmount")
    amount = quantity * unit if unit is not None else (xero_number(line, "LineAmount") or ZERO)
    amounts = line_amounts(amount, rate_of(tx.refs.tax_rate(tax_rate_id)), inclusive=amount_types == "Inclusive",
                           no_tax=amount_types == "NoTax", tax_amount=xero_number(line, "TaxAmount"))
    body: dict[str, Any] = {"ledger_account_id": ledger["id"], "net_amount": amounts.net,
                            "tax_amount": amounts.tax, "total_amount": amounts.total}
    details = xero_text(line, "Description")
    if details:
        body["details"] = details
    if tax_rate_id:
        body["tax_rate_id"] = tax_rate_id
    return body


def bank_transaction_body(element: Mapping[str, Any], tx: Tx, *, bank_account_id: str, contact_id: str | None,
                          today: date, creating: bool) -> dict[str, Any]:
    """The unwrapped Sage body of an other payment.

    Raises:
        ValidationException: an unknown Type, no lines, and the line errors.
    """
    xero_type = (xero_text(element, "Type") or "").upper()
    sage_type = tables().bank_transaction_types.get(xero_type)
    if sage_type is None:
        raise ValidationException.single(messages.BANK_TRANSACTION_TYPE_INVALID, dict(element))
    amount_types = amount_types_of(element)
    lines = [_line(line, direction=direction_of(xero_type), amount_types=amount_types, tx=tx, element=element)
             for line in element.get("LineItems") or [] if isinstance(line, Mapping)]
    if creating and not lines:
        raise ValidationException.single(messages.LINE_ITEMS_REQUIRED, dict(element))
    body: dict[str, Any] = {"transaction_type_id": sage_type, "bank_account_id": bank_account_id}
    day = xero_date(element, "Date")
    if day is not None or creating:
        body["date"] = date_text(day or today)
    if contact_id:
        body["contact_id"] = contact_id
    reference = xero_text(element, "Reference")
    if reference is not None:
        body["reference"] = reference
    if lines:
        body["payment_lines"] = lines
        body["net_amount"] = sum((line["net_amount"] for line in lines), ZERO)
        body["tax_amount"] = sum((line["tax_amount"] for line in lines), ZERO)
        body["total_amount"] = sum((line["total_amount"] for line in lines), ZERO)
    return body


def bank_transfer_from_sage(row: Mapping[str, Any], tx: Tx) -> BankTransfer:
    """One Sage bank transfer as a Xero BankTransfer."""
    return BankTransfer(
        BankTransferID=tx.guid("bank_transfers", row["id"]),
        FromBankAccount=bank_account_ref(row.get("from_bank_account"), tx),
        ToBankAccount=bank_account_ref(row.get("to_bank_account"), tx),
        Amount=money(row.get("amount")), Date=sage_date(row.get("date")), Reference=row.get("reference") or None,
        CreatedDateUTC=sage_datetime(row.get("created_at")),
        Status="DELETED" if row.get("deleted_at") else "AUTHORISED")


def bank_transfer_body(element: Mapping[str, Any], *, from_id: str, to_id: str, today: date) -> dict[str, Any]:
    """The unwrapped Sage body of a bank transfer.

    Raises:
        ValidationException: an amount that is not positive, the same account on both sides.
    """
    amount = xero_number(element, "Amount")
    if amount is None or amount <= 0:
        raise ValidationException.single(messages.BANK_TRANSFER_AMOUNT, dict(element))
    if from_id == to_id:
        raise ValidationException.single(messages.BANK_TRANSFER_SAME, dict(element))
    body: dict[str, Any] = {"from_bank_account_id": from_id, "to_bank_account_id": to_id,
                            "date": date_text(xero_date(element, "Date") or today), "amount": amount}
    reference = xero_text(element, "Reference")
    if reference:
        body["reference"] = reference
    return body


#: What the BankTransaction read above makes of every Xero BankTransaction field (docs/fields-1009.md).
BANK_TRANSACTION_FIELDS = fields.FieldMap(
    "BankTransactions", BankTransaction,
    fields.computed("BankTransactionID", "uuid5 of business_id/other_payments/id"),
    fields.populated("Type", "transaction_type (OTHER_PAYMENT SPEND, OTHER_RECEIPT RECEIVE)"),
    fields.populated("Contact", "contact", condition="when set"),
    fields.populated("LineItems", "payment_lines",
                     note="a payment line keeps net, tax and total amounts only: it reads as Quantity 1"),
    fields.populated("BankAccount", "bank_account (its ledger account)"),
    fields.populated("Date", "date"),
    fields.populated("Reference", "reference", condition="when set"),
    fields.computed("LineAmountTypes", "Exclusive, NoTax when no line carries tax"),
    fields.populated("SubTotal", "net_amount"),
    fields.populated("TotalTax", "tax_amount"),
    fields.populated("Total", "total_amount"),
    fields.populated("Status", "deleted_at (DELETED), else AUTHORISED"),
    fields.populated("UpdatedDateUTC", "updated_at"),
    fields.computed("HasAttachments", "attachments whose attachment_context is the record", condition="single reads"),
    fields.lost("IsReconciled", reason="not translated: Sage's bank reconciliation state is not read"),
    fields.lost("CurrencyCode", "CurrencyRate", reason="not translated: other_payments' currency is not read"),
    fields.lost("Url", reason="Sage records have no source URL field"),
    fields.lost("PrepaymentID", "OverpaymentID", reason="payments on account are contact_payments, not other_payments"),
    fields.write_outcome(BankTransaction),
)


#: What :func:`bank_transfer_from_sage` makes of every Xero BankTransfer field (docs/fields-1009.md).
BANK_TRANSFER_FIELDS = fields.FieldMap(
    "BankTransfers", BankTransfer,
    fields.populated("FromBankAccount", "bank_transfers.from_bank_account: the bank account's id, ledger account "
                                        "nominal code and name"),
    fields.populated("ToBankAccount", "bank_transfers.to_bank_account: the bank account's id, ledger account "
                                      "nominal code and name"),
    fields.populated("Amount", "bank_transfers.amount"),
    fields.populated("Date", "bank_transfers.date"),
    fields.computed("BankTransferID", "uuid5 of business_id/bank_transfers/id"),
    fields.populated("Reference", "bank_transfers.reference", condition="when set"),
    fields.computed("HasAttachments", "attachments whose attachment_context is the transfer", condition="single reads"),
    fields.populated("CreatedDateUTC", "bank_transfers.created_at"),
    fields.computed("Status", "AUTHORISED, DELETED when Sage reports deleted_at"),
    fields.lost("CurrencyRate", reason="Sage bank transfers are in the base currency and carry no rate"),
    fields.lost("FromBankTransactionID", "ToBankTransactionID",
                reason="a Sage bank transfer is one record, with no bank payment on either side"),
    fields.lost("FromIsReconciled", "ToIsReconciled", reason="Sage's bank transfer has no reconciliation state"),
    fields.lost("FromTracking", "ToTracking", reason="a Sage bank transfer carries no analysis types"),
    fields.write_outcome(BankTransfer),
)
